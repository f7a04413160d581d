// SPEC §7: whatever goes wrong, nothing that needs consent runs, the page's
// own scripts keep working, and the error is reported once. Plus hostile
// stored values and configurations, a strict CSP, and a page of 1000 gated elements.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage } from './harness.mjs';

const fixture = (name) => JSON.parse(readFileSync(new URL(`../tests/fixtures/${name}`, import.meta.url), 'utf8'));
const demoConfig = fixture('config-demo.json'); // the configuration garbled-cookies.json was made against
const inlineJson = (value) => JSON.stringify(value).replaceAll('<', '\\u003c');

let server;
let browser;
before(async () => {
  server = await startServer();
  const page = (kelisimSrc, extraHead = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8">${extraHead}
<script src="${kelisimSrc}" data-config="/fixtures/config-basic.json"></script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js?cookies=_st"></script>
<script src="/own.js"></script></head><body><p>page</p></body></html>`;
  server.routes['/missing-wasm.html'] = (req, res) => server.html(res, page('/missing/kelisim.js'));
  server.routes['/missing/kelisim.js'] = (req, res) => server.dist(res, 'kelisim.js');
  server.routes['/missing/kelisim-app.js'] = (req, res) => server.dist(res, 'kelisim-app.js');
  // Failures of one file: the others (here the built-in texts) are served beside kelisim.js.
  for (const dir of ['missing', 'corrupt', 'noapp', 'tampered'])
    server.routes[`/${dir}/kelisim-texts-en.json`] = (req, res) => server.dist(res, 'kelisim-texts-en.json');
  server.routes['/corrupt-wasm.html'] = (req, res) => server.html(res, page('/corrupt/kelisim.js'));
  server.routes['/corrupt/kelisim.js'] = (req, res) => server.dist(res, 'kelisim.js');
  server.routes['/corrupt/kelisim-app.js'] = (req, res) => server.dist(res, 'kelisim-app.js');
  // kelisim.js without its kelisim-app.js, and with a kelisim-app.js that is not the one it was built with
  server.routes['/missing-app.html'] = (req, res) => server.html(res, page('/noapp/kelisim.js'));
  server.routes['/noapp/kelisim.js'] = (req, res) => server.dist(res, 'kelisim.js');
  server.routes['/noapp/kelisim.wasm'] = (req, res) => server.dist(res, 'kelisim.wasm');
  server.routes['/tampered/kelisim.wasm'] = (req, res) => server.dist(res, 'kelisim.wasm');
  server.routes['/tampered-app.html'] = (req, res) => server.html(res, page('/tampered/kelisim.js'));
  server.routes['/tampered/kelisim.js'] = (req, res) => server.dist(res, 'kelisim.js');
  server.routes['/tampered/kelisim-app.js'] = async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end("window.__tampered = true; document.cookie = '_st=1; path=/';");
  };
  // kelisim.js whose built-in texts are missing, or are not kelisim's texts
  for (const dir of ['notexts', 'badtexts']) {
    server.routes[`/${dir}.html`] = (req, res) => server.html(res, page(`/${dir}/kelisim.js`));
    for (const file of ['kelisim.js', 'kelisim-app.js', 'kelisim.wasm'])
      server.routes[`/${dir}/${file}`] = (req, res) => server.dist(res, file);
  }
  server.routes['/badtexts/kelisim-texts-en.json'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"language": "en", "texts": {"banner.title": "half a file"');
  };
  server.routes['/corrupt/kelisim.wasm'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/wasm' });
    res.end(Buffer.from('\0asm\x01\0\0\0garbage-garbage-garbage'));
  };
  server.routes['/no-wasm-csp.html'] = (req, res) =>
    server.html(res, page('/kelisim/kelisim.js'), { 'content-security-policy': `script-src 'self' http://stats.test:${server.port}` });
  server.routes['/missing-config.html'] = (req, res) =>
    server.html(res, page('/kelisim/kelisim.js').replace('/fixtures/config-basic.json', '/nowhere.json'));
  server.routes['/inline-config.html'] = (req, res, body, url) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${url.searchParams.get('raw') ?? ''}</script>
<script src="/kelisim/kelisim.js"></script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script type="text/plain" data-category="analytics">window.__inlineRan = true;</script>
<script src="/own.js"></script></head><body></body></html>`,
    );
  server.routes['/strict-csp.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/csp-probe.js"></script>
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json"></script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script type="text/plain" data-category="analytics" src="/order.js"></script>
</head><body><iframe width="300" height="150" data-category="embedded" data-service="video" data-src="http://video.test:{{PORT}}/frame/csp"></iframe>
<a href="#" data-kelisim-open="preferences" id="open">Cookie settings</a></body></html>`,
      {
        'content-security-policy': `script-src 'self' 'wasm-unsafe-eval' http://stats.test:${server.port}; style-src 'self'; frame-src http://video.test:${server.port}`,
      },
    );
  server.routes['/csp-probe.js'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(
      "window.__violations = []; document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });",
    );
  };
  server.routes['/many.html'] = (req, res) => {
    const items = [];
    for (let i = 0; i < 1000; i++) {
      items.push(
        i % 10 === 9
          ? `<img alt="" width="1" height="1" data-category="analytics" data-src="/pixel.gif?i=${i}" class="g">`
          : `<script type="text/plain" data-category="analytics">window.__n.push(${i});</script>`,
      );
    }
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><script>window.__n = [];</script>
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json"></script></head><body>${items.join('\n')}</body></html>`,
    );
  };
  server.routes['/pixel.gif'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'image/gif' });
    res.end(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
  };
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function visit(path, { init } = {}) {
  const p = await openPage(browser);
  await p.page.addInitScript(() => {
    window.__errors = [];
    window.addEventListener('kelisim:error', (e) => window.__errors.push(e.detail));
  });
  if (init) await p.page.addInitScript(init);
  await p.page.goto(`${server.origin}${path}`);
  const settled = await p.page.evaluate(() =>
    window.kelisimReady.then(
      () => ({ ok: true }),
      (e) => ({ ok: false, code: e.code, message: e.message }),
    ),
  );
  await p.page.waitForFunction(() => window.__ownRan === true);
  return { ...p, settled };
}

const statsRequested = (requests) => requests.some((u) => new URL(u).hostname === 'stats.test');

for (const [path, code, pattern] of [
  ['/missing-wasm.html', 'wasm-load', /kelisim\.wasm.*HTTP 404/],
  ['/corrupt-wasm.html', 'wasm-load', /kelisim\.wasm/],
  ['/no-wasm-csp.html', 'wasm-load', /kelisim\.wasm/],
  ['/missing-config.html', 'config-load', /nowhere\.json.*HTTP 404/],
  ['/missing-app.html', 'app-load', /kelisim-app\.js/],
  ['/tampered-app.html', 'app-load', /kelisim-app\.js/],
  ['/notexts.html', 'texts-load', /kelisim-texts-en\.json.*HTTP 404/],
  ['/badtexts.html', 'texts-load', /kelisim-texts-en\.json is not kelisim's built-in texts/],
]) {
  test(`fails closed: ${path.slice(1, -5)} → one ${code} error, nothing gated, the page works`, async () => {
    const { page, requests, errors, consoleErrors, settled, close } = await visit(path);
    assert.equal(settled.ok, false);
    assert.equal(settled.code, code);
    assert.match(settled.message, pattern);
    const events = await page.evaluate(() => window.__errors);
    assert.equal(events.length, 1, 'one kelisim:error');
    assert.equal(events[0].code, code);
    assert.equal(consoleErrors.filter((m) => m.startsWith('kelisim')).length, 1, 'one console error from kelisim');
    assert.deepEqual(errors, [], 'no uncaught page error');
    await page.waitForTimeout(200);
    assert.equal(statsRequested(requests), false);
    assert.equal(await page.evaluate(() => window.__tampered), undefined, 'a kelisim-app.js that fails its integrity check never runs');
    assert.equal(await page.locator('[data-kelisim="banner"]').count(), 0);
    // a third-party script the page inserts later stays held too
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.src = `http://stats.test:${location.port}/late.js`;
      document.head.append(s);
    });
    await page.waitForTimeout(200);
    assert.equal(statsRequested(requests), false);
    await close();
  });
}

test(`invalid configurations (${fixture('invalid-configs.json').length} cases): one kelisim:error listing the engine's errors, nothing gated runs`, async () => {
  const cases = fixture('invalid-configs.json');
  assert.ok(cases.length >= 20);
  const { page, requests, errors, close } = await openPage(browser);
  await page.addInitScript(() => {
    window.__errors = [];
    window.addEventListener('kelisim:error', (e) => window.__errors.push(e.detail));
  });
  for (const c of cases) {
    const raw = typeof c.raw === 'string' ? c.raw : inlineJson(c.config);
    await page.goto(`${server.origin}/inline-config.html?raw=${encodeURIComponent(raw)}`);
    const settled = await page.evaluate(() =>
      window.kelisimReady.then(
        () => 'ok',
        (e) => e.code,
      ),
    );
    assert.equal(settled, 'invalid-config', c.name);
    const events = await page.evaluate(() => window.__errors);
    assert.equal(events.length, 1, c.name);
    assert.deepEqual(events[0].errors.map((e) => e.path).sort(), c.errors.map((e) => e.path).sort(), c.name);
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined, c.name);
    assert.equal(await page.evaluate(() => window.__ownRan), true, c.name);
  }
  assert.equal(statsRequested(requests), false);
  assert.deepEqual(errors, []);
  await close();
});

test(`garbled stored decisions (${fixture('garbled-cookies.json').length} cases): treated as not decided, banner shown, nothing gated`, async () => {
  // A browser cannot store a value containing ';' (it ends the value there) or
  // with surrounding spaces (it trims them), so those cases cannot reach kelisim
  // from a cookie jar as written; the native suite covers them.
  const cases = fixture('garbled-cookies.json').filter((c) => !c.value.includes(';') && c.value === c.value.trim());
  assert.ok(cases.length >= 30);
  const { page, context, requests, errors, close } = await openPage(browser);
  for (const c of cases) {
    await context.clearCookies();
    await page.goto(`${server.origin}/own.js`);
    await page.evaluate((v) => (document.cookie = `kelisim=${v}; path=/`), c.value);
    await page.goto(`${server.origin}/inline-config.html?raw=${encodeURIComponent(inlineJson(demoConfig))}`);
    const settled = await page.evaluate(() =>
      window.kelisimReady.then(
        (k) => k.state().decided,
        (e) => e.code,
      ),
    );
    assert.equal(settled, false, `${c.name}: ${c.value.slice(0, 80)}`);
    await page.locator('[data-kelisim="banner"]').waitFor();
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined, c.name);
  }
  assert.equal(statsRequested(requests), false);
  assert.deepEqual(errors, []);
  await close();
});

test('strict CSP (script-src self + wasm-unsafe-eval, style-src self): zero violations through banner, dialog and consent', async () => {
  const { page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/strict-csp.html`);
  await page.evaluate(() => window.kelisimReady);
  await page.locator('[data-kelisim="banner"]').waitFor();
  await page.click('#open');
  await page.locator('[data-kelisim="preferences"]').waitFor();
  await page.locator('[data-kelisim="preferences"] [data-kelisim-action="accept-all"]').click();
  await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js') && (window.__order || []).includes('external-1'));
  assert.ok(requests.some((u) => u.includes('/frame/csp')));
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await close();
});

test('a page with 1000 gated elements activates every one, in order, after accept all', async () => {
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/many.html`);
  await page.evaluate(() => window.kelisimReady);
  assert.equal(await page.evaluate(() => window.__n.length), 0);
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.waitForFunction(() => window.__n.length === 900);
  const n = await page.evaluate(() => window.__n);
  assert.deepEqual(
    n,
    n.slice().sort((a, b) => a - b),
    'document order',
  );
  await page.waitForFunction(() => [...document.querySelectorAll('img.g')].every((i) => i.complete && i.naturalWidth === 1));
  await close();
});
