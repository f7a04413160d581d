// SPEC §2 markup: every attribute form, media elements, elements added later.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

let server;
let browser;
const attrsSri = `sha384-${createHash('sha384')
  .update(readFileSync(new URL('./pages/attrs.js', import.meta.url)))
  .digest('base64')}`;
before(async () => {
  server = await startServer();
  server.routes['/markup-sri.html'] = (req, res) =>
    server.html(res, readFileSync(new URL('./pages/markup.html', import.meta.url), 'utf8').replace('sha384-INTEGRITY', attrsSri));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const log = (page) => page.evaluate(() => window.__log || []);
const hosts = (requests) => requests.map((u) => new URL(u).hostname);

test('before any decision nothing gated runs or loads, not even opt-out fallbacks', async () => {
  const { page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/markup-sri.html`);
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await log(page), []);
  for (const h of ['stats.test', 'ads.test', 'video.test']) assert.ok(!hosts(requests).includes(h), `${h} was requested`);
  assert.equal(await page.locator('#frame').getAttribute('src'), null);
  await close();
});

test('reject all: only the !analytics fallback runs', async () => {
  const { page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/markup-sri.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.rejectAll());
  await page.waitForFunction(() => (window.__log || []).includes('optout-analytics'));
  await page.waitForTimeout(200);
  assert.deepEqual(await log(page), ['optout-analytics']);
  assert.ok(!hosts(requests).includes('stats.test'));
  await close();
});

test('analytics only: service, alias and module scripts run, attributes kept; lists need every name', async () => {
  const { page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/markup-sri.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await page.waitForFunction(() => (window.__log || []).includes('attrs') && (window.__log || []).some((l) => l.startsWith('module:')));
  await page.waitForFunction(() => (window.__ran || []).includes('stats/by-service.js'));
  const entries = await log(page);
  assert.ok(entries.includes('cookiebot-statistics'));
  assert.ok(!entries.includes('cookiebot-statistics-marketing'), 'marketing was not accepted');
  assert.ok(!entries.includes('optout-analytics'));
  assert.ok(!entries.includes('unknown'), 'an unknown category never opens');
  assert.ok(entries.includes('module:object'), 'data-type="module" runs as a module');
  const attrs = await page.evaluate(() => {
    const s = document.getElementById('attrs');
    return {
      async: s.async,
      defer: s.defer,
      crossorigin: s.getAttribute('crossorigin'),
      nonce: s.nonce,
      integrity: s.integrity,
      type: s.type,
    };
  });
  assert.deepEqual(attrs, { async: true, defer: true, crossorigin: 'anonymous', nonce: 'n0nce', integrity: attrsSri, type: '' });
  // A plain <script src> keeps the priority the parser would have given it; an async one keeps its own.
  const priority = await page.evaluate(() => ({
    plain: document.querySelector('script[src*="by-service.js"]').fetchPriority,
    async: document.getElementById('attrs').fetchPriority,
  }));
  assert.deepEqual(priority, { plain: 'high', async: 'auto' });
  assert.ok(!hosts(requests).includes('ads.test'));
  assert.ok(!hosts(requests).includes('video.test'));
  await close();
});

test('accept all: iframe and img load from data-src', async () => {
  const { page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/markup-sri.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.waitForFunction(() => document.getElementById('frame').getAttribute('src'));
  await page.waitForFunction(() => document.getElementById('pixel').complete && document.getElementById('pixel').naturalWidth === 1);
  assert.ok(hosts(requests).includes('video.test'));
  assert.ok(hosts(requests).includes('ads.test'));
  assert.ok((await log(page)).includes('cookiebot-statistics-marketing'));
  await close();
});

test('elements added later are gated the same way, and activate on consent', async () => {
  const { page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/markup-sri.html`);
  await kelisimSettled(page);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.setAttribute('data-category', 'analytics');
    s.textContent = "(window.__log = window.__log || []).push('late-inline')";
    document.getElementById('late').append(s);
    const f = document.createElement('iframe');
    f.setAttribute('data-category', 'embedded');
    f.setAttribute('data-src', `http://video.test:${location.port}/frame/late`);
    document.getElementById('late').append(f);
  });
  await page.waitForTimeout(200);
  assert.ok(!(await log(page)).includes('late-inline'));
  assert.ok(!requests.some((u) => u.includes('/frame/late')));
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.waitForFunction(() => (window.__log || []).includes('late-inline'));
  await page.waitForFunction(() => document.querySelector('#late iframe').getAttribute('src'));
  // …and once allowed, new ones run at once.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.setAttribute('data-category', 'analytics');
    s.textContent = "(window.__log = window.__log || []).push('after-consent')";
    document.body.append(s);
  });
  await page.waitForFunction(() => (window.__log || []).includes('after-consent'));
  await close();
});

test('data-kelisim-open opens the preferences dialog', async () => {
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/markup-sri.html`);
  await kelisimSettled(page);
  await page.click('#open-prefs');
  await page.locator('[data-kelisim="preferences"]').waitFor();
  assert.ok(await page.locator('[data-kelisim="preferences"] input[data-kelisim-category="analytics"]').count());
  await close();
});
