// Strict CSP (SPEC §8): under `script-src 'self' 'wasm-unsafe-eval';
// style-src 'self'` kelisim starts, draws its banner, dialog and placeholder,
// and activates content with no violation reported. Without
// 'wasm-unsafe-eval' the engine cannot compile: it fails closed, once. With
// Trusted Types required for scripts and kelisim's policy allowed, a first
// visit with the configuration inline starts and gates the same way.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const basic = readFileSync(new URL('../../tests/fixtures/config-basic.json', import.meta.url), 'utf8');
const TRUSTED_TYPES = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'; trusted-types kelisim";
const ttPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${basic}</script>
<script src="/kelisim/kelisim.js"></script>
<script type="text/plain" data-category="analytics" src="/order.js"></script>
<script src="/own.js"></script>
</head><body><p>Trusted Types</p></body></html>`;

const STRICT = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json"></script>
<script type="text/plain" data-category="analytics" src="/order.js"></script>
<script src="/own.js"></script>
</head><body><iframe width="300" height="150" data-category="embedded" data-service="video" data-src="http://video.test:{{PORT}}/frame/csp"></iframe>
<p><a href="#" data-kelisim-open="preferences" id="open">Cookie settings</a></p></body></html>`;

export default {
  name: 'strict CSP',
  routes(server) {
    server.routes['/strict-csp.html'] = (req, res) => server.html(res, page, { 'content-security-policy': STRICT });
    server.routes['/trusted-types.html'] = (req, res) => server.html(res, ttPage, { 'content-security-policy': TRUSTED_TYPES });
    server.routes['/no-wasm-csp.html'] = (req, res) =>
      server.html(res, page, { 'content-security-policy': "script-src 'self'; style-src 'self'" });
  },
  steps: [
    [
      "without 'wasm-unsafe-eval': one wasm-load error, nothing gated runs, the page works (a first visit)",
      async (s) => {
        await s.page.goto(`${s.origin}/no-wasm-csp.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, false);
        assert.equal(settled.code, 'wasm-load');
        await s.page.waitFor(() => window.__ownRan === true);
        await s.page.sleep(200);
        const probe = await s.page.probe();
        assert.deepEqual(
          probe.kelisimErrors.map((e) => e.code),
          ['wasm-load'],
        );
        // Chromium and Firefox also report the blocked compile as a `script-src`
        // violation; WebKit reports none. Either way kelisim reports it once.
        s.note(`violations reported for the blocked compile: ${JSON.stringify(probe.violations)}`);
        assert.equal(await s.page.evaluate(() => window.__order ?? null), null);
        assert.equal(await s.page.count('[data-kelisim="banner"]'), 0);
      },
    ],
    [
      'kelisim starts under the policy: banner and placeholder drawn, nothing gated, no violation',
      async (s) => {
        await s.page.goto(`${s.origin}/strict-csp.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        await s.page.waitForSelector('[data-kelisim="banner"]');
        await s.page.waitForSelector('[data-kelisim="placeholder"]');
        assert.equal(await s.page.evaluate(() => window.__order ?? null), null);
        await s.page.sleep(200);
        const probe = await s.page.probe();
        assert.deepEqual(probe.violations, []);
        assert.deepEqual(probe.errors, []);
        assert.deepEqual(probe.kelisimErrors, []);
      },
    ],
    [
      "the site's link opens the dialog; accept all there: the gated script runs, the frame loads, no violation",
      async (s) => {
        await s.page.click('#open');
        await s.page.waitForSelector('[data-kelisim="preferences"]');
        await s.page.click('[data-kelisim="preferences"] [data-kelisim-action="accept-all"]');
        await s.page.waitFor(() => (window.__order || []).includes('external-1'), null, { message: 'the gated script ran' });
        await s.page.waitFor(() => !!document.querySelector('iframe[src*="/frame/csp"]'), null, { message: 'the frame got its src' });
        const end = Date.now() + 3000;
        while (!s.requests('video.test').length && Date.now() < end) await s.page.sleep(50);
        assert.deepEqual(
          s.requests('video.test').map((r) => r.path),
          ['/frame/csp'],
        );
        await s.page.waitForSelector('[data-kelisim="reopen"]');
        await s.page.sleep(200);
        const probe = await s.page.probe();
        assert.deepEqual(probe.violations, []);
        assert.deepEqual(probe.errors, []);
      },
    ],
    [
      'a returning visit under the policy: content activates at once, no violation',
      async (s) => {
        await s.page.reload();
        await s.page.waitFor(() => (window.__order || []).includes('external-1'));
        assert.equal((await s.page.settled()).ok, true);
        await s.page.sleep(200);
        assert.deepEqual((await s.page.probe()).violations, []);
      },
    ],
    [
      'control: a violation in this engine is seen (an inline script and an inline style are blocked and reported)',
      async (s) => {
        await s.page.evaluate(() => {
          const el = document.createElement('script');
          el.textContent = 'window.__inlineRan = true;';
          document.head.append(el);
          const d = document.createElement('div');
          d.innerHTML = '<p style="color: red">styled</p>';
          document.body.append(d);
        });
        const probe = await s.page.waitFor(() => (window.__probe.violations.length >= 2 ? window.__probe : null), null, {
          message: 'two violations reported',
        });
        assert.ok(
          probe.violations.some((v) => v.startsWith('script-src')),
          JSON.stringify(probe.violations),
        );
        assert.ok(
          probe.violations.some((v) => v.startsWith('style-src')),
          JSON.stringify(probe.violations),
        );
        assert.equal(await s.page.evaluate(() => window.__inlineRan ?? null), null);
      },
    ],
    [
      "Trusted Types required, kelisim's policy allowed: a first visit's banner, accept all: the gated script runs, no violation",
      async (s) => {
        // A first visit again: the steps above decided on this origin.
        await s.page.evaluate(() => {
          for (const c of document.cookie.split(/;\s*/)) document.cookie = `${c.split('=')[0]}=; Max-Age=0; Path=/`;
          localStorage.clear();
        });
        await s.page.goto(`${s.origin}/trusted-types.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        s.note(`Trusted Types in this engine: ${await s.page.evaluate(() => typeof window.trustedTypes)}`);
        await s.page.waitForSelector('[data-kelisim="banner"]');
        assert.equal(await s.page.evaluate(() => window.__order ?? null), null);
        await s.page.click('[data-kelisim="banner"] [data-kelisim-action="accept-all"]');
        await s.page.waitFor(() => (window.__order || []).includes('external-1'), null, { message: 'the gated script ran' });
        await s.page.sleep(200);
        const probe = await s.page.probe();
        assert.deepEqual(probe.violations, []);
        assert.deepEqual(probe.errors, []);
        assert.deepEqual(probe.kelisimErrors, []);
      },
    ],
  ],
};
