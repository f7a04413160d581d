// A returning visitor's page start reuses the engine's answer from the page
// view before, and the engine loads only when a question needs it. Whatever
// the answer was computed from must be the same again: a changed
// configuration, an expired decision, another cookie value, a damaged entry
// or a gate the engine never answered under this decision goes to the engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, kelisimSettled, shadow } from './harness.mjs';

const basic = JSON.parse(readFileSync(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
const config = { ...basic, compat: { cookiebot: false }, ui: { reopenButton: false } };

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page on a path of its own whose inline configuration and markup after kelisim's tag can change between visits. */
function site() {
  const path = `/p${Math.random().toString(36).slice(2)}.html`;
  const page = { config, body: '' };
  server.routes[path] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script>window.__calls = []; window.__kelisimTrace = (fn) => window.__calls.push(fn);</script>
<script type="application/json" id="kelisim-config">${JSON.stringify(page.config)}</script>
<script src="/kelisim/kelisim.js"></script>
<script>window.__probe = { calls: window.__calls.slice(), analytics: window.kelisim.isAllowed('analytics'),
  decided: window.kelisim.state().decided };</script>
${page.body}`,
    );
  page.url = `${server.origin}${path}`;
  return page;
}

const GATED = `<script type="text/plain" data-category="analytics">window.__inline = (window.__calls || []).slice();</script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
</head><body><p>page</p></body></html>`;

const ran = (page) => page.evaluate(() => window.__ran || []);
const idle = (page) => page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 3000 })));
/** The engine's bytes and its answer for the next page view are kept. */
const kept = (page) =>
  page.waitForFunction(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000 && localStorage.getItem('kelisim:answer'));

/** A visitor who accepted analytics (and nothing else) on a first page view. */
async function returning(s) {
  const v = await openPage(browser);
  await v.page.goto(s.url);
  await kelisimSettled(v.page);
  await v.page.evaluate(() => window.kelisim.accept(['analytics']));
  await kept(v.page);
  return v;
}

test('a returning visitor starts from the kept answer: gated scripts run before the engine is called, which answers once idle', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  const app = () => v.requests.filter((u) => u.endsWith('/kelisim-app.js')).length;
  const appBefore = app();
  // Compiling the engine on the main thread would be one long task: it is compiled off it, once idle.
  await v.page.addInitScript(() => {
    window.__syncCompiles = 0;
    WebAssembly.Module = new Proxy(WebAssembly.Module, {
      construct(target, args) {
        window.__syncCompiles += 1;
        return Reflect.construct(target, args);
      },
    });
  });
  await v.page.reload();
  assert.deepEqual(await v.page.evaluate(() => window.__probe), { calls: [], analytics: true, decided: true });
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  assert.deepEqual(await v.page.evaluate(() => window.__inline), [], 'the inline gated script ran before any engine call');
  assert.equal((await kelisimSettled(v.page)).state.decided, true);
  await v.page.waitForFunction(() => window.__calls.includes('_start'));
  assert.deepEqual(await v.page.evaluate(() => window.__calls), ['_start'], 'once idle, the engine answers the page start itself');
  assert.equal(await v.page.evaluate(() => window.__syncCompiles), 0, 'the engine was not compiled on the main thread');
  assert.equal(await v.page.locator(shadow('[data-kelisim="banner"]')).count(), 0);
  // No reopen button in this configuration: the UI is not loaded until a link of the site asks for it.
  await idle(v.page);
  await v.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  assert.equal(app(), appBefore, 'the returning page did not request kelisim-app.js');
  await v.page.evaluate(() => {
    const a = Object.assign(document.createElement('a'), { href: '#', textContent: 'Cookie settings' });
    a.setAttribute('data-kelisim-open', 'preferences');
    document.body.append(a);
    a.click();
  });
  await v.page.locator(shadow('[data-kelisim="preferences"]')).waitFor();
  assert.deepEqual(v.errors, []);
  await v.close();
});

test("accept on the banner: in the click's own task it is hidden and no longer a banner to selectors; then its node goes and the reopen button comes", async () => {
  const s = site();
  s.config = { ...config, ui: { reopenButton: true } };
  s.body = GATED;
  const v = await openPage(browser);
  await v.page.goto(s.url);
  await v.page.locator(shadow('[data-kelisim="banner"]')).waitFor();
  const click = await v.page.evaluate(() => {
    const root = document.getElementById('kelisim-root').shadowRoot;
    const banner = root.querySelector('[data-kelisim="banner"]');
    root.querySelector('[data-kelisim-action="accept-all"]').click();
    return {
      banner: root.querySelector('[data-kelisim="banner"]') !== null,
      visible: banner.checkVisibility({ visibilityProperty: true }),
      focusable: banner.querySelector('button').checkVisibility({ visibilityProperty: true }),
    };
  });
  assert.deepEqual(click, { banner: false, visible: false, focusable: false });
  await v.page.locator(shadow('[data-kelisim="reopen"]')).waitFor();
  await v.page.waitForFunction(() => document.getElementById('kelisim-root').shadowRoot.querySelectorAll('.banner').length === 0);
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  assert.equal((await kelisimSettled(v.page)).state.decided, true);
  assert.deepEqual(v.errors, []);
  await v.close();
});

test("a page whose load never ends: the kept answer's check and the reopen button come all the same, a few seconds in", async () => {
  server.routes['/never.png'] = () => {}; // never answered: the page's load event never fires
  const s = site();
  s.config = { ...config, ui: { reopenButton: true } };
  s.body = GATED;
  const v = await returning(s);
  s.body = GATED.replace('<p>page</p>', '<p>page</p><img src="/never.png" width="10" height="10" alt="">');
  await v.page.goto(s.url, { waitUntil: 'domcontentloaded' });
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  const started = Date.now();
  await v.page.locator(shadow('[data-kelisim="reopen"]')).waitFor({ timeout: 10000 });
  await v.page.waitForFunction(() => window.__calls.includes('_start'), null, { timeout: 10000 });
  assert.notEqual(await v.page.evaluate(() => document.readyState), 'complete', 'the load event did not fire');
  assert.ok(Date.now() - started < 8000);
  await v.close();
});

test('what a service not allowed left goes once the engine answers; its cookie write is asked about at once', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  await v.context.addCookies([{ name: '_ad', value: '1', url: server.origin }]);
  await v.page.reload();
  assert.deepEqual((await v.page.evaluate(() => window.__probe)).calls, []);
  await v.page.waitForFunction(() => !document.cookie.includes('_ad='));
  // A write needs the engine: it loads there and then, and drops what is not allowed.
  assert.equal(await v.page.evaluate(() => ((document.cookie = '_ad=2; path=/'), document.cookie.includes('_ad='))), false);
  assert.equal(await v.page.evaluate(() => ((document.cookie = '_st=2; path=/'), document.cookie.includes('_st=2'))), true);
  await v.close();
});

test("a visitor who allowed every service: a tag's cookie, storage and request go through with no engine until idle", async () => {
  const TAG = `<script type="text/plain" data-category="analytics">
document.cookie = '_st=1; path=/'; localStorage.setItem('st_x', '1');
fetch('http://stats.test:{{PORT}}/collect', { mode: 'no-cors' }).then(() => (window.__sent = true), () => (window.__sent = false));
window.__after = window.__calls.slice();</script></head><body><p>page</p></body></html>`;
  const s = site();
  s.body = TAG;
  for (const [choice, engineAsked] of [
    [() => window.kelisim.acceptAll(), false],
    // Marketing not allowed: the decision holds something, and the engine answers the write at once.
    [() => window.kelisim.accept(['analytics']), true],
  ]) {
    const v = await openPage(browser);
    await v.page.goto(s.url);
    await kelisimSettled(v.page);
    await v.page.evaluate(choice);
    await kept(v.page);
    await v.page.evaluate(() => {
      document.cookie = '_st=; path=/; max-age=0';
      localStorage.removeItem('st_x');
    });
    await v.page.reload();
    assert.deepEqual((await v.page.evaluate(() => window.__probe)).calls, []);
    await v.page.waitForFunction(() => window.__sent !== undefined);
    assert.deepEqual(await v.page.evaluate(() => [window.__sent, document.cookie.includes('_st=1'), localStorage.getItem('st_x')]), [
      true,
      true,
      '1',
    ]);
    const after = await v.page.evaluate(() => window.__after);
    assert.equal(after.includes('_query'), engineAsked, `engine calls by the time the tag ran: ${after.join(', ') || 'none'}`);
    if (!engineAsked) assert.deepEqual(after, []);
    await v.page.waitForFunction(() => window.__calls.includes('_start'));
    assert.deepEqual(v.errors, []);
    await v.close();
  }
});

test('a new configuration revision: nothing runs on the kept answer, the banner asks again', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  s.config = { ...config, revision: config.revision + 1 };
  await v.page.reload();
  const probe = await v.page.evaluate(() => window.__probe);
  assert.equal(probe.analytics, false);
  assert.equal(probe.decided, false);
  assert.equal(probe.calls[0], '_start', 'the engine answered the page start');
  await v.page.locator(shadow('[data-kelisim="banner"]')).waitFor();
  await idle(v.page);
  assert.deepEqual(await ran(v.page), []);
  assert.equal(await v.page.evaluate(() => window.__inline), undefined);
  await v.close();
});

test('an expired decision: nothing runs on the kept answer', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  await v.page.clock.setFixedTime(new Date(Date.now() + 400 * 86400000));
  await v.page.reload();
  const probe = await v.page.evaluate(() => window.__probe);
  assert.equal(probe.analytics, false);
  assert.equal(probe.calls[0], '_start');
  await v.page.locator(shadow('[data-kelisim="banner"]')).waitFor();
  await idle(v.page);
  assert.deepEqual(await ran(v.page), []);
  await v.close();
});

test('another cookie value (a rejection made elsewhere, or none): the engine answers', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  // A rejection made in another browser profile, its cookie brought into this one.
  const other = await openPage(browser);
  await other.page.goto(s.url);
  await kelisimSettled(other.page);
  await other.page.evaluate(() => window.kelisim.rejectAll());
  const rejected = (await other.context.cookies()).find((c) => c.name === 'kelisim');
  await other.close();
  await v.context.addCookies([{ name: 'kelisim', value: rejected.value, url: server.origin }]);
  await v.page.reload();
  let probe = await v.page.evaluate(() => window.__probe);
  assert.deepEqual([probe.analytics, probe.decided, probe.calls[0]], [false, true, '_start']);
  await idle(v.page);
  assert.deepEqual(await ran(v.page), []);
  await v.context.clearCookies();
  await v.page.reload();
  probe = await v.page.evaluate(() => window.__probe);
  assert.deepEqual([probe.analytics, probe.decided, probe.calls[0]], [false, false, '_start']);
  await v.close();
});

test('a damaged or altered entry is not used', async () => {
  const s = site();
  s.body = GATED.replace('</head>', '<script type="text/plain" data-category="marketing">window.__marketing = true;</script></head>');
  const v = await returning(s);
  await v.page.evaluate(() => {
    const raw = localStorage.getItem('kelisim:answer');
    // The page that rejected marketing now "allows" it, without the entry's digest.
    localStorage.setItem('kelisim:answer', raw.replaceAll('"marketing":false', '"marketing":true'));
  });
  await v.page.reload();
  const probe = await v.page.evaluate(() => window.__probe);
  assert.equal(probe.calls[0], '_start', 'the engine answered the page start');
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  await idle(v.page);
  assert.equal(await v.page.evaluate(() => window.__marketing), undefined);
  await v.page.evaluate(() => localStorage.setItem('kelisim:answer', '{"truncated'));
  await v.page.reload();
  assert.equal((await v.page.evaluate(() => window.__probe)).calls[0], '_start');
  assert.equal((await kelisimSettled(v.page)).ok, true);
  await v.close();
});

/** Damages the kept engine bytes: `text` in the place of the base64 after this build's id. */
const damage = (page, text) =>
  page.evaluate((t) => {
    const raw = localStorage.getItem('kelisim:wasm');
    localStorage.setItem('kelisim:wasm', `${raw.slice(0, raw.indexOf(':') + 1)}${t}`);
  }, text);
const collectErrors = (page) =>
  page.addInitScript(() => {
    window.__errors = [];
    addEventListener('kelisim:error', (e) => window.__errors.push(e.detail.code));
  });
const wasmRequests = (v) => v.requests.filter((u) => u.endsWith('/kelisim.wasm')).length;

for (const [what, text] of [
  ['not base64', '!!not base64!!'],
  ['base64 of bytes that are not WebAssembly', btoa('\0asm damaged by a disk error, not a module at all')],
]) {
  test(`damaged engine bytes in this browser's storage (${what}): the kept answer starts the page, the engine comes over the network and is kept afresh`, async () => {
    const s = site();
    s.body = GATED;
    const v = await returning(s);
    await damage(v.page, text);
    await collectErrors(v.page);
    const before = wasmRequests(v);
    await v.page.reload();
    await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    await kept(v.page); // working bytes again
    await v.page.waitForFunction(() => window.kelisim.state().decided === true);
    await idle(v.page);
    assert.equal(wasmRequests(v), before + 1, 'kelisim.wasm fetched once');
    assert.deepEqual(await v.page.evaluate(() => window.__errors), []);
    // The next page view starts from what was kept: no download, and the engine answers when asked.
    await v.page.reload();
    await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    await v.page.evaluate(() => window.kelisim.accept(['analytics', 'marketing']));
    assert.equal(await v.page.evaluate(() => window.kelisim.isAllowed('marketing')), true);
    assert.equal(wasmRequests(v), before + 1, 'not fetched again');
    assert.deepEqual(await v.page.evaluate(() => window.__errors), []);
    assert.deepEqual(v.errors, [], 'no uncaught error');
    await v.close();
  });
}

test('damaged engine bytes and a kept answer that does not hold (new revision): the engine comes over the network, the banner asks, the bytes are kept afresh', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  await damage(v.page, '!!not base64!!');
  await collectErrors(v.page);
  s.config = { ...config, revision: config.revision + 1 };
  await v.page.reload();
  await v.page.locator(shadow('[data-kelisim="banner"]')).waitFor();
  await kept(v.page);
  await idle(v.page);
  assert.deepEqual(await ran(v.page), []);
  assert.deepEqual(await v.page.evaluate(() => window.__errors), []);
  assert.deepEqual(v.errors, [], 'no uncaught error');
  await v.close();
});

test('damaged engine bytes and kelisim.wasm unavailable: the kept answer starts the page, the engine check reports wasm-load once', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  await damage(v.page, '!!not base64!!');
  await collectErrors(v.page);
  await v.page.route('**/kelisim.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await v.page.reload();
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  await v.page.waitForFunction(() => window.__errors.length > 0, null, { timeout: 5000 });
  await idle(v.page);
  assert.deepEqual(await v.page.evaluate(() => window.__errors), ['wasm-load']);
  assert.equal(await v.page.evaluate(() => window.kelisim.isAllowed('marketing')), false);
  assert.deepEqual(v.errors, [], 'no uncaught error');
  await v.close();
});

test('a gate the engine never answered under this decision is asked about: only the allowed one runs', async () => {
  const s = site();
  s.body = GATED;
  const v = await returning(s);
  s.body = GATED.replace(
    '</head>',
    '<script type="text/plain" data-category="marketing" src="http://ads.test:{{PORT}}/ads.js"></script>' +
      '<script type="text/plain" data-category="embedded">window.__embedded = true;</script></head>',
  );
  await v.page.reload();
  assert.deepEqual((await v.page.evaluate(() => window.__probe)).calls, []);
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  await idle(v.page);
  assert.deepEqual(await ran(v.page), ['stats/stats.js']);
  assert.equal(await v.page.evaluate(() => window.__embedded), undefined);
  assert.ok((await v.page.evaluate(() => window.__calls)).includes('_query'), 'the engine was asked about the new gates');
  assert.equal(server.requestsTo('ads.test').length, 0);
  await v.close();
});

test("with the Cookiebot layer: reused while Cookiebot's CookieConsent copy is as the decision wrote it", async () => {
  const s = site();
  s.config = { ...config, compat: { cookiebot: true } };
  s.body = GATED;
  const v = await returning(s);
  const copy = async () => (await v.context.cookies()).find((c) => c.name === 'CookieConsent');
  const written = await copy();
  assert.ok(written && /statistics:true/.test(written.value), 'the decision wrote CookieConsent');
  await v.page.reload();
  assert.deepEqual(await v.page.evaluate(() => window.__probe), { calls: [], analytics: true, decided: true });
  assert.equal(await v.page.evaluate(() => window.Cookiebot.hasResponse && window.Cookiebot.consent.statistics), true);
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  await idle(v.page);
  assert.equal((await copy()).value, written.value, 'the copy is left as it was');
  // Without the copy the input differs: the engine answers the page start, and writes the copy again.
  await v.context.clearCookies({ name: 'CookieConsent' });
  await v.page.reload();
  assert.equal((await v.page.evaluate(() => window.__probe)).calls[0], '_start');
  await v.page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  assert.equal((await copy()).value, written.value);
  await v.close();
});
