// A first page view with the configuration inline: kelisim.js writes
// kelisim-first-<lang>.js (the engine, the UI and the built-in texts of the
// language the banner will most likely be in) as a parser-blocking script, so the engine answers and the banner is drawn right
// after it, without waiting for the page's parse. Where that script cannot be written or run,
// the first page view downloads its files in parallel, as with data-config.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

const basic = JSON.parse(readFileSync(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));

let server;
let browser;
before(async () => {
  server = await startServer();
  // kelisim.js beside a kelisim-first-en.js that is missing, or is not the one it was built with.
  for (const dir of ['nofirst', 'badfirst'])
    for (const file of ['kelisim.js', 'kelisim-app.js', 'kelisim.wasm', 'kelisim-texts-en.json'])
      server.routes[`/${dir}/${file}`] = (req, res) => server.dist(res, file);
  // A server that sends kelisim's files with no charset (nginx's default for .js).
  for (const file of ['kelisim.js', 'kelisim-app.js', 'kelisim-first-en.js', 'kelisim-first-ru.js', 'kelisim-first-kk.js'])
    server.routes[`/nocharset/${file}`] = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(readFileSync(new URL(`../js/dist/${file}`, import.meta.url)));
    };
  server.routes['/badfirst/kelisim-first-en.js'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end("window.__tampered = true; document.cookie = '_st=1; path=/';");
  };
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page with the configuration inline; `head` comes right after kelisim's tag. */
function page({ tag = '<script src="/kelisim/kelisim.js"></script>', head = '', headers = {}, lang = 'en', config = basic } = {}) {
  const path = `/f${Math.random().toString(36).slice(2)}.html`;
  server.routes[path] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${JSON.stringify(config)}</script>
${tag}
${head}
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js?cookies=_st"></script>
<script src="/own.js"></script></head><body><p>page</p>
<script>window.__atBodyEnd = { dcl: document.readyState };</script></body></html>`,
      headers,
    );
  return `${server.origin}${path}`;
}

// What the page's own head script, right after kelisim's tag, sees (kelisim not decided yet), and whether the banner
// was drawn by the time the document was parsed (the engine starts and draws it in tasks of its own, right after).
const EARLY = `<script>window.__early = { body: document.body !== null, decided: window.kelisim.state().decided };
  document.addEventListener('DOMContentLoaded', () => { window.__atDcl = { banner: Boolean(document.getElementById('kelisim-root') && document.getElementById('kelisim-root').shadowRoot.querySelector('[data-kelisim="banner"]')) }; });</script>`;

const files = (requests) => requests.map((u) => new URL(u).pathname.replace(/^.*\//, '')).filter((f) => f.startsWith('kelisim'));

test('first visit, inline configuration: one parser-blocking kelisim-first-en.js, and the banner is drawn by the time the document is parsed', async () => {
  const { page: p, requests, errors, close } = await openPage(browser);
  await p.goto(page({ head: EARLY }));
  assert.deepEqual(await p.evaluate(() => window.__early), { body: false, decided: false });
  assert.deepEqual(await p.evaluate(() => window.__atDcl), { banner: true });
  const settled = await kelisimSettled(p);
  assert.equal(settled.ok, true, settled.message);
  // Nothing else of kelisim's was downloaded: no engine, UI or texts file of their own.
  assert.deepEqual(files(requests), ['kelisim.js', 'kelisim-first-en.js']);
  // The banner's words are the built-in English texts, and its buttons work.
  const banner = p.locator('#kelisim-root >> [data-kelisim="banner"]');
  assert.match(await banner.textContent(), /cookie/i);
  assert.equal(await p.evaluate(() => document.cookie.includes('_st=')), false, 'the gated script did not run before the click');
  await p.locator('#kelisim-root >> [data-kelisim-action="accept-all"]').click();
  await p.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  // The engine is kept for the next page view, which starts from it: no engine, texts or kelisim-first-en.js
  // again (kelisim-app.js comes once the page is idle, for the button that reopens the preferences).
  await p.waitForFunction(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000);
  const before = requests.length;
  await p.reload();
  await p.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  await kelisimSettled(p);
  assert.deepEqual(
    files(requests.slice(before)).filter((f) => f !== 'kelisim-app.js'),
    ['kelisim.js'],
  );
  assert.deepEqual(errors, []);
  await close();
});

test('first visit: the file of the language the banner is in, and only that one (no texts file of its own)', async () => {
  const cases = [
    { lang: 'ru', want: 'ru' },
    { lang: 'kk-KZ', want: 'kk' },
    { lang: 'de', want: 'en' }, // not offered: the browser's (en-US here), then the default
    { lang: 'en', tag: '<script src="/kelisim/kelisim.js" data-language="kk"></script>', want: 'kk' },
    { lang: 'de', config: { ...basic, language: { default: 'kk', translations: { kk: {}, ru: {} } } }, want: 'kk' }, // en-US not offered
  ];
  for (const c of cases) {
    const { page: p, requests, errors, close } = await openPage(browser);
    await p.goto(page(c));
    const settled = await kelisimSettled(p);
    assert.equal(settled.ok, true, settled.message);
    assert.deepEqual(files(requests), ['kelisim.js', `kelisim-first-${c.want}.js`], JSON.stringify(c));
    assert.equal(await p.evaluate(() => window.kelisim.language), c.want);
    const banner = p.locator('#kelisim-root >> [data-kelisim="banner"]');
    assert.equal(await banner.count(), 1);
    assert.deepEqual(errors, []);
    await close();
  }
});

test('first visit, the engine names other texts than the file carried: fetched then, the banner in that language', async () => {
  // The browser's languages change between kelisim.js's guess and the
  // engine's page start (a page script before the tag makes them do so).
  const before = `<script>let asked = 0;
    Object.defineProperty(Navigator.prototype, 'languages', { configurable: true, get: () => (asked++ ? ['kk'] : ['ru']) });</script>`;
  const { page: p, requests, errors, close } = await openPage(browser);
  await p.goto(page({ lang: '', tag: `${before}<script src="/kelisim/kelisim.js"></script>` }));
  const settled = await kelisimSettled(p);
  assert.equal(settled.ok, true, settled.message);
  assert.equal(await p.evaluate(() => window.kelisim.language), 'kk');
  assert.deepEqual(files(requests), ['kelisim.js', 'kelisim-first-ru.js', 'kelisim-texts-kk.json']);
  const title = await p.locator('#kelisim-root >> [data-kelisim="banner"]').textContent();
  const kk = JSON.parse(readFileSync(new URL('../js/dist/kelisim-texts-kk.json', import.meta.url), 'utf8'));
  assert.ok(title.includes(kk.texts['banner.title']), title);
  assert.deepEqual(errors, []);
  await close();
});

test('first visit, reject: nothing gated runs and no cookie of a service not allowed is left', async () => {
  const { page: p, close } = await openPage(browser);
  await p.goto(page());
  await kelisimSettled(p);
  await p.locator('#kelisim-root >> [data-kelisim-action="reject-all"]').click();
  await p.waitForTimeout(200);
  assert.equal(await p.evaluate(() => (window.__ran || []).includes('stats/stats.js')), false);
  assert.equal(await p.evaluate(() => document.cookie.includes('_st=')), false);
  assert.equal(await p.evaluate(() => window.kelisim.state().decided), true);
  await close();
});

test('where kelisim-first-en.js cannot be written, or does not load, or is not the file kelisim.js was built with: the files download in parallel, the banner shows, nothing gated runs', async () => {
  const cases = [
    { name: 'async tag', tag: '<script async src="/kelisim/kelisim.js"></script>', first: 0 },
    { name: 'deferred tag', tag: '<script defer src="/kelisim/kelisim.js"></script>', first: 0 },
    { name: 'missing', tag: '<script src="/nofirst/kelisim.js"></script>', first: 1 },
    { name: 'tampered', tag: '<script src="/badfirst/kelisim.js"></script>', first: 1 },
    // It loads and runs, but throws before handing its files over: the page's own btoa.
    {
      name: 'ran without handing over',
      tag: `<script>window.btoa = function () { throw new Error('a page polyfill'); };</script><script src="/kelisim/kelisim.js"></script>`,
      first: 1,
    },
    // kelisim starts in a microtask right after its tag: a page that made those timers starts it once the parser has
    // gone on. Writing then is not safe (the spec's implicit document.open; Chromium, Firefox and WebKit ignore it), so
    // it does not write: its files download in parallel, the page stays.
    {
      name: 'queueMicrotask made a timer',
      tag: `<script>window.queueMicrotask = function (fn) { setTimeout(fn, 0); };</script><script src="/kelisim/kelisim.js"></script>`,
      head: '<script src="http://cdn.test:{{PORT}}/stall.js?delay=300"></script>', // the parser waits here when the timer fires
      first: 0,
    },
  ];
  for (const c of cases) {
    const { page: p, requests, close } = await openPage(browser);
    const warnings = [];
    p.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await p.goto(page({ tag: c.tag, head: c.head, headers: c.headers }));
    const settled = await kelisimSettled(p);
    assert.equal(settled.ok, true, `${c.name}: ${settled.message}`);
    const got = files(requests);
    assert.equal(got.filter((f) => f === 'kelisim-first-en.js').length, c.first, `${c.name}: ${got}`);
    assert.equal(warnings.filter((w) => w.includes('kelisim-first-en.js')).length, c.first, `${c.name}: ${warnings}`);
    for (const f of ['kelisim.wasm', 'kelisim-app.js', 'kelisim-texts-en.json']) assert.ok(got.includes(f), `${c.name}: ${f} in ${got}`);
    assert.equal(await p.locator('#kelisim-root >> [data-kelisim="banner"]').count(), 1, c.name);
    assert.equal(await p.evaluate(() => document.querySelector('body > p')?.textContent), 'page', `${c.name}: the page is still there`);
    assert.equal(
      await p.evaluate(() => window.__tampered),
      undefined,
      `${c.name}: a kelisim-first-en.js that fails its integrity never runs`,
    );
    assert.equal(await p.evaluate(() => document.cookie.includes('_st=')), false, c.name);
    assert.equal(await p.evaluate(() => (window.__ran || []).includes('stats/stats.js')), false, c.name);
    await p.locator('#kelisim-root >> [data-kelisim-action="accept-all"]').click();
    await p.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    await close();
  }
});

test("first visit on a page in windows-1251 or windows-1252 whose server sends kelisim's files with no charset: the banner shows, in the page's language", async () => {
  // The browser decodes such a script in the page's encoding; kelisim-first-<lang>.js
  // carries the engine's bytes and the texts as UTF-8 (its byte order mark says so).
  for (const [charset, lang] of [
    ['windows-1251', 'ru'],
    ['windows-1252', 'en'],
    ['windows-1251', 'kk'],
  ]) {
    const { page: p, requests, errors, close } = await openPage(browser);
    const url = page({
      lang,
      tag: '<script src="/nocharset/kelisim.js"></script>',
      headers: { 'content-type': `text/html; charset=${charset}` },
    });
    await p.goto(url);
    const settled = await kelisimSettled(p);
    assert.equal(settled.ok, true, `${charset}: ${settled.message}`);
    assert.deepEqual(files(requests), ['kelisim.js', `kelisim-first-${lang}.js`], charset);
    const texts = JSON.parse(readFileSync(new URL(`../js/dist/kelisim-texts-${lang}.json`, import.meta.url), 'utf8')).texts;
    const banner = await p.locator('#kelisim-root >> [data-kelisim="banner"]').textContent();
    assert.ok(banner.includes(texts['banner.title']), `${charset}: ${banner}`);
    await p.locator('#kelisim-root >> [data-kelisim-action="accept-all"]').click();
    await p.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    assert.deepEqual(errors, [], charset);
    await close();
  }
});

test('first visit under a CSP without wasm-unsafe-eval: one wasm-load error, nothing gated runs, the page works', async () => {
  const { page: p, close } = await openPage(browser);
  await p.goto(page({ headers: { 'content-security-policy': `script-src 'self' 'unsafe-inline' http://stats.test:${server.port}` } }));
  const settled = await kelisimSettled(p);
  assert.equal(settled.ok, false);
  assert.equal(settled.code, 'wasm-load');
  assert.match(settled.message, /kelisim-first-en\.js/);
  await p.waitForFunction(() => window.__ownRan === true);
  await p.waitForTimeout(200);
  assert.equal(await p.evaluate(() => (window.__ran || []).includes('stats/stats.js')), false);
  assert.equal(await p.evaluate(() => document.cookie.includes('_st=')), false);
  assert.equal(await p.locator('#kelisim-root >> [data-kelisim="banner"]').count(), 0);
  await close();
});

test('first visit, an engine that aborts on its first call: one kelisim:error, kelisimReady rejects, nothing gated runs', async () => {
  // Before kelisim's tag: every instance's one-argument entry point (the
  // engine's call) throws as an abort inside the engine would.
  const abort = `<script>const Native = WebAssembly.Instance;
    WebAssembly.Instance = function (m, i) {
      const real = new Native(m, i);
      const exports = {};
      for (const [k, v] of Object.entries(real.exports))
        exports[k] = typeof v === 'function' && v.length === 1 ? () => { throw new WebAssembly.RuntimeError('kelisim.wasm aborted'); } : v;
      return { exports };
    };
    window.__errors = []; addEventListener('kelisim:error', (e) => window.__errors.push(e.detail.code));</script>`;
  const { page: p, close } = await openPage(browser);
  await p.goto(page({ tag: `${abort}<script src="/kelisim/kelisim.js"></script>` }));
  const settled = await p.evaluate(() =>
    Promise.race([
      window.kelisimReady.then(
        () => ({ ok: true }),
        (e) => ({ ok: false, message: e.message }),
      ),
      new Promise((resolve) => setTimeout(() => resolve({ pending: true }), 5000)),
    ]),
  );
  assert.equal(settled.ok, false, JSON.stringify(settled));
  assert.match(settled.message, /aborted/);
  assert.equal((await p.evaluate(() => window.__errors)).length, 1);
  await p.waitForFunction(() => window.__ownRan === true);
  await p.waitForTimeout(200);
  assert.equal(await p.evaluate(() => (window.__ran || []).includes('stats/stats.js')), false);
  assert.equal(await p.evaluate(() => document.cookie.includes('_st=')), false);
  await close();
});

test('after accept all, the reopen button waits until the scripts the decision allowed have run (an idle moment before they arrive would hold them up)', async () => {
  const { page: p, close } = await openPage(browser);
  await p.goto(
    page({ head: '<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/slow.js?delay=400"></script>' }),
  );
  await p.locator('#kelisim-root >> [data-kelisim="banner"]').waitFor();
  await p.locator('#kelisim-root >> [data-kelisim-action="accept-all"]').click();
  await p.waitForTimeout(200);
  assert.deepEqual(await p.evaluate(() => (window.__ran || []).filter((r) => r === 'stats/slow.js')), [], 'still on its way');
  assert.equal(await p.locator('#kelisim-root >> [data-kelisim="reopen"]').count(), 0, 'the reopen button came before the allowed script');
  await p.waitForFunction(() => (window.__ran || []).includes('stats/slow.js'));
  await p.locator('#kelisim-root >> [data-kelisim="reopen"]').waitFor({ timeout: 2000 });
  await close();
});
