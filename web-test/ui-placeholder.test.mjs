// Placeholders for gated iframes and images: the same box as the element
// (no layout shift), the service's name and description, "load once" and
// "always allow", and not a single request to the provider before consent.
// They rely on the runtime calling ui.placeholder()/ui.removePlaceholder().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './harness.mjs';
import { startUiServer, instrument, ready, sel, TEXTS } from './ui-support.mjs';

let server;
let browser;
before(async () => {
  server = await startUiServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(url, options = {}) {
  const p = await openPage(browser, { reducedMotion: 'reduce', ...options });
  await instrument(p.page);
  await p.page.goto(url);
  await ready(p.page);
  await p.page.locator(sel.placeholder).first().waitFor();
  return p;
}

const toProvider = (requests) => requests.filter((u) => new URL(u).hostname === 'youtube.test');
/** The placeholder host that stands in for `#id`. */
const holder = (page, id) => page.locator(`kelisim-ui:has(+ #${id}) ${sel.placeholder}`);
/** A box in document coordinates (the page may scroll between two measurements). */
const docBox = (locator) =>
  locator.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return [r.x + scrollX, r.y + scrollY, r.width, r.height].map((v) => Math.round(v * 100) / 100);
  });

test('a placeholder per gated element: service title and description, both buttons, the element kept hidden', async () => {
  const { page, requests, close } = await open(server.url());
  assert.equal(await page.locator(sel.placeholder).count(), 2);
  const video = holder(page, 'video');
  assert.equal(await video.locator('.title').textContent(), 'YouTube');
  const text = await video.textContent();
  assert.ok(text.includes('Бұл мазмұн YouTube қызметінен жүктеледі'), text);
  assert.ok(text.includes('Google ұсынатын бейне платформасы.'), 'the service description');
  assert.equal(await video.locator('[data-kelisim-action="load-once"]').textContent(), TEXTS.kk.loadOnce);
  assert.equal(await video.locator('[data-kelisim-action="allow-service"]').count(), 1);
  assert.equal(await video.getAttribute('lang'), 'kk');
  for (const id of ['video', 'thumb']) {
    const el = await page
      .locator(`#${id}`)
      .evaluate((e) => ({ connected: e.isConnected, hidden: e.hidden, src: e.getAttribute('src'), shown: e.getClientRects().length > 0 }));
    assert.deepEqual(el, { connected: true, hidden: true, src: null, shown: false }, id);
  }
  await page.waitForTimeout(300);
  assert.deepEqual(toProvider(requests), [], 'nothing requested from the provider: no frame, no thumbnail');
  assert.deepEqual(server.requestsTo('youtube.test'), []);
  await close();
});

test('the placeholder keeps the element box: no layout shift when it appears or when the content loads', async () => {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 360, height: 740 },
  ]) {
    const { page, close } = await open(server.url(), { viewport });
    const frame = await holder(page, 'video').boundingBox();
    const thumb = await holder(page, 'thumb').boundingBox();
    const expected = Math.min(560, viewport.width - 48); // max-width: 100% of the body's content box
    assert.equal(Math.round(frame.width), expected, JSON.stringify(frame));
    assert.equal(Math.round(frame.height), 315);
    const thumbWidth = Math.min(320, viewport.width - 48); // an image scales down with its aspect ratio
    assert.equal(Math.round(thumb.width), thumbWidth);
    assert.equal(Math.round(thumb.height), Math.round((thumbWidth * 180) / 320));
    const frameBox = await docBox(holder(page, 'video'));
    const textBelow = await docBox(page.locator('#after-video'));
    await holder(page, 'video').locator('[data-kelisim-action="load-once"]').click();
    await page.locator('#video[src]').waitFor();
    assert.deepEqual(await docBox(page.locator('#video')), frameBox, 'the content takes the placeholder box');
    assert.deepEqual(await docBox(page.locator('#after-video')), textBelow);
    assert.deepEqual(await page.evaluate(() => window.__shifts), [], `layout shifts at ${viewport.width}`);
    await close();
  }
});

test('load once: only that element loads, nothing is decided, the other placeholder stays', async () => {
  server.log.length = 0;
  const { page, close } = await open(server.url());
  await holder(page, 'video').locator('[data-kelisim-action="load-once"]').click();
  await page.locator('#video[src]').waitFor();
  assert.equal(await page.locator('#video').evaluate((e) => e.hidden || getComputedStyle(e).display === 'none'), false);
  assert.equal(await page.locator(sel.placeholder).count(), 1);
  assert.equal(await page.locator('#thumb').getAttribute('src'), null);
  assert.deepEqual(
    server.requestsTo('youtube.test').map((r) => r.path),
    ['/frame/embed/intro'],
  );
  assert.equal(await page.evaluate(() => window.kelisim.state().decided), false);
  assert.equal(await page.locator(sel.banner).isVisible(), true, 'the banner still asks');
  await close();
});

test('always allow: a custom decision for the service, every placeholder of it goes, and it stays allowed', async () => {
  server.log.length = 0;
  const { page, close } = await open(server.url());
  await holder(page, 'thumb').locator('[data-kelisim-action="allow-service"]').click();
  await page.locator(sel.placeholder).first().waitFor({ state: 'detached' });
  const s = await page.evaluate(() => window.kelisim.state());
  assert.equal(s.method, 'custom');
  assert.ok(s.services.includes('youtube'));
  assert.equal(await page.locator('#video').getAttribute('src'), `http://youtube.test:${server.port}/frame/embed/intro`);
  assert.equal(await page.locator(sel.banner).count(), 0);
  await page.reload();
  await ready(page);
  await page.locator('#video[src]').waitFor();
  assert.equal(await page.locator(sel.placeholder).count(), 0);
  await close();
});

test('placeholders follow setLanguage', async () => {
  const { page, close } = await open(server.url());
  await page.evaluate(() => window.kelisim.setLanguage('en'));
  const video = holder(page, 'video');
  assert.ok((await video.textContent()).includes('This content comes from YouTube'));
  assert.equal(await video.locator('[data-kelisim-action="load-once"]').textContent(), TEXTS.en.loadOnce);
  assert.equal(await video.getAttribute('lang'), 'en');
  await close();
});
