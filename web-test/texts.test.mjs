// The built-in texts live outside kelisim.wasm, one file per language
// (kelisim-texts-<lang>.json beside kelisim.js): fetched only when something
// is shown, one language per visit, kept for later page views; a returning
// visitor who is not asked loads none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  server.routes['/ru.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="ru"><head><meta charset="utf-8">
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json"></script></head><body><p>страница</p></body></html>`,
    );
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const banner = '[data-kelisim="banner"]';
const textFiles = (requests) =>
  requests.filter((u) => /kelisim-texts-[a-z]+\.json/.test(new URL(u).pathname)).map((u) => new URL(u).pathname);

test('the banner fetches one language file; a returning visit that is not asked fetches none', async () => {
  const { page, requests, errors, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  assert.equal((await kelisimSettled(page)).ok, true);
  assert.equal(await page.locator(`${banner} h2`).textContent(), 'We use cookies');
  assert.deepEqual(textFiles(requests), ['/kelisim/kelisim-texts-en.json'], 'exactly the negotiated language');
  await page.locator(`${banner} [data-kelisim-action="accept-all"]`).click();
  await page.locator(banner).waitFor({ state: 'detached' });

  requests.length = 0;
  await page.reload();
  const settled = await kelisimSettled(page);
  assert.equal(settled.state.decided, true);
  // The reopen button (shown once the page is idle) is labelled from the texts this browser kept.
  const reopen = page.locator('[data-kelisim="reopen"]');
  await reopen.waitFor();
  assert.equal(await reopen.textContent(), 'Cookie settings');
  await page.waitForTimeout(300);
  assert.equal(await page.locator(banner).count(), 0);
  assert.deepEqual(textFiles(requests), [], 'no text file on a returning visit that is not asked');
  // Opening the preferences later needs no file either: the table is at hand.
  await reopen.click();
  await page.locator('[data-kelisim="preferences"]').waitFor();
  assert.deepEqual(textFiles(requests), []);
  assert.deepEqual(errors, []);
  await close();
});

test('the file follows the negotiated language, and setLanguage fetches the next one when asked', async () => {
  const { page, requests, errors, close } = await openPage(browser);
  await page.goto(`${server.origin}/ru.html`);
  assert.equal((await kelisimSettled(page)).ok, true);
  assert.equal(await page.locator(`${banner} h2`).textContent(), 'Мы используем файлы cookie');
  assert.deepEqual(textFiles(requests), ['/kelisim/kelisim-texts-ru.json']);
  await page.evaluate(() => window.kelisim.setLanguage('kk'));
  assert.equal(await page.locator(`${banner} h2`).textContent(), 'Біз cookie файлдарын қолданамыз');
  assert.deepEqual(textFiles(requests), ['/kelisim/kelisim-texts-ru.json', '/kelisim/kelisim-texts-kk.json']);
  assert.deepEqual(errors, []);
  await close();
});

test('headless (data-ui="false"): no text file, no UI', async () => {
  server.routes['/headless.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json" data-ui="false"></script></head><body></body></html>`,
    );
  const { page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/headless.html`);
  assert.equal((await kelisimSettled(page)).ok, true);
  await page.waitForTimeout(300);
  assert.deepEqual(textFiles(requests), []);
  await close();
});

test("a first visit fetches the page's language file beside the engine, not after it; a wrong guess still shows the engine's language", async () => {
  const { page, requests, errors, close } = await openPage(browser);
  await page.goto(`${server.origin}/ru.html`);
  assert.equal((await kelisimSettled(page)).ok, true);
  assert.equal(await page.locator(`${banner} h2`).textContent(), 'Мы используем файлы cookie');
  assert.deepEqual(textFiles(requests), ['/kelisim/kelisim-texts-ru.json'], 'fetched once');
  // Asked for before the engine was up (kelisim:loaded), not after its answer named the file.
  const [asked, loaded] = await page.evaluate(() => [
    performance.getEntriesByType('resource').find((r) => r.name.endsWith('/kelisim-texts-ru.json')).startTime,
    performance.getEntriesByName('kelisim:loaded')[0].startTime,
  ]);
  assert.ok(asked < loaded, `texts asked at ${asked} ms, engine up at ${loaded} ms`);
  await close();

  // The page says Russian, the configuration offers English only: the engine's choice wins.
  const config = JSON.parse(await readFile(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
  config.language = { default: 'en', translations: { en: {} } };
  server.routes['/en-only.json'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(config));
  };
  server.routes['/ru-page-en-config.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="ru"><head><meta charset="utf-8">
<script src="/kelisim/kelisim.js" data-config="/en-only.json"></script></head><body><p>страница</p></body></html>`,
    );
  const second = await openPage(browser);
  await second.page.goto(`${server.origin}/ru-page-en-config.html`);
  assert.equal((await kelisimSettled(second.page)).ok, true);
  assert.equal(await second.page.locator(`${banner} h2`).textContent(), 'We use cookies');
  assert.ok(textFiles(second.requests).includes('/kelisim/kelisim-texts-en.json'));
  assert.deepEqual(second.errors, []);
  assert.deepEqual(errors, []);
  await second.close();
});
