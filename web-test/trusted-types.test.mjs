// A page whose CSP requires Trusted Types for scripts
// (`require-trusted-types-for 'script'`) and allows kelisim's policy beside
// its own (`trusted-types site kelisim`): kelisim writes kelisim-first-<lang>.js,
// loads kelisim-app.js and lets the scripts its markup holds run, with no
// Trusted Types violation; what the page's own code gives it stays the page's
// to make trusted. A page that does not allow the policy gets one clear error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

const basic = JSON.parse(readFileSync(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));

let server;
let browser;
before(async () => {
  server = await startServer();
  server.routes['/tt-consent.json'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(basic));
  };
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const csp = (policies) =>
  `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval' http://stats.test:${server.port} http://ads.test:${server.port}; ` +
  `require-trusted-types-for 'script'; trusted-types ${policies}`;

/** The page: its own policy, kelisim (configuration inline, or by URL), a gated script and inline script, and a third-party script its own code inserts. */
function page({ policies = 'site kelisim', configUrl = false } = {}) {
  const path = `/tt${Math.random().toString(36).slice(2)}.html`;
  server.routes[path] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script>window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ': ' + e.sample));
  window.sitePolicy = trustedTypes.createPolicy('site', { createScriptURL: (u) => u, createHTML: (h) => h });</script>
${
  configUrl
    ? '<script src="/kelisim/kelisim.js" data-config="/tt-consent.json"></script>'
    : `<script type="application/json" id="kelisim-config">${JSON.stringify(basic)}</script>\n<script src="/kelisim/kelisim.js"></script>`
}
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js?cookies=_st"></script>
<script type="text/plain" data-category="analytics">window.__inlineRan = true;</script>
<script>const s = document.createElement('script');
  s.src = sitePolicy.createScriptURL('http://ads.test:{{PORT}}/ads.js');
  document.head.appendChild(s);
  document.write(sitePolicy.createHTML('<p id="written">written</p>'));</script>
</head><body><p>page</p></body></html>`,
      { 'content-security-policy': csp(policies) },
    );
  return `${server.origin}${path}`;
}

const ran = (p) => p.evaluate(() => window.__ran || []);

for (const configUrl of [false, true]) {
  test(`Trusted Types required, kelisim's policy allowed (${configUrl ? 'data-config' : 'inline configuration'}): banner, nothing before consent, everything after, no violation`, async () => {
    const { page: p, requests, errors, close } = await openPage(browser);
    await p.goto(page({ configUrl }));
    const settled = await kelisimSettled(p);
    assert.equal(settled.ok, true, settled.message);
    const files = requests.map((u) => new URL(u).pathname.replace(/^.*\//, '')).filter((f) => f.startsWith('kelisim'));
    assert.ok(files.includes(configUrl ? 'kelisim-app.js' : 'kelisim-first-en.js'), files.join(' '));
    assert.equal(await p.locator('#kelisim-root >> [data-kelisim="banner"]').count(), 1);
    assert.equal(await p.locator('#written').count(), 1, "the page's own trusted document.write went through");
    await p.waitForTimeout(200);
    assert.deepEqual(await ran(p), [], 'nothing gated ran before consent');
    await p.locator('#kelisim-root >> [data-kelisim-action="accept-all"]').click();
    await p.waitForFunction(() => (window.__ran || []).length === 2 && window.__inlineRan === true);
    assert.deepEqual((await ran(p)).sort(), ['ads/ads.js', 'stats/stats.js']);
    // The next page view: the engine from storage, kelisim-app.js for the reopen button.
    await p.reload();
    await kelisimSettled(p);
    await p.waitForFunction(() => (window.__ran || []).length === 2 && window.__inlineRan === true);
    await p.locator('#kelisim-root >> [data-kelisim="reopen"]').waitFor();
    assert.deepEqual(await p.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
    await close();
  });
}

test("Trusted Types required, kelisim's policy not allowed: one clear app-load error naming the policy, nothing gated runs", async () => {
  const { page: p, close } = await openPage(browser);
  await p.goto(page({ policies: 'site' }));
  const settled = await kelisimSettled(p);
  assert.equal(settled.ok, false);
  assert.equal(settled.code, 'app-load');
  assert.match(settled.message, /policy "kelisim"/);
  await p.waitForTimeout(300);
  assert.deepEqual(await ran(p), []);
  assert.equal(await p.evaluate(() => window.__inlineRan), undefined);
  await close();
});
