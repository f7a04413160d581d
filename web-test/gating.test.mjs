// Foundation: a gated analytics stand-in never leaves the browser before
// consent; accept runs it (now and on return), reject keeps it away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

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

const banner = '[data-kelisim="banner"]';
const statsRequested = (requests) => requests.some((u) => new URL(u).hostname === 'stats.test');

test('first visit: banner shown, the stand-in is never requested and never runs', async () => {
  const { page, requests, errors, close } = await openPage(browser);
  const before = server.requestsTo('stats.test').length;
  await page.goto(`${server.origin}/basic.html`);
  const settled = await kelisimSettled(page);
  assert.equal(settled.ok, true, settled.message);
  assert.equal(settled.state.decided, false);
  await page.locator(banner).waitFor();
  assert.equal(await page.locator(`${banner} [data-kelisim-action="accept-all"]`).isVisible(), true);
  assert.equal(await page.locator(`${banner} [data-kelisim-action="reject-all"]`).isVisible(), true);
  await page.waitForTimeout(300);
  assert.equal(statsRequested(requests), false, 'the browser requested the stand-in');
  assert.equal(server.requestsTo('stats.test').length, before, 'the stand-in server saw a request');
  assert.equal(await page.evaluate(() => window.__ran), undefined);
  assert.equal(await page.evaluate(() => window.__ownRan), true, "the page's own script runs");
  assert.deepEqual(errors, []);
  await close();
});

test('reject: nothing runs, and after a reload still nothing is requested and no banner', async () => {
  const { page, requests, context, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  await page.locator(`${banner} [data-kelisim-action="reject-all"]`).click();
  await page.locator(banner).waitFor({ state: 'detached' });
  const cookies = await context.cookies();
  assert.ok(
    cookies.some((c) => c.name === 'kelisim'),
    'the decision is stored',
  );
  await page.reload();
  const settled = await kelisimSettled(page);
  assert.equal(settled.state.decided, true);
  assert.equal(settled.state.method, 'reject-all');
  await page.waitForTimeout(300);
  assert.equal(await page.locator(banner).count(), 0);
  assert.equal(statsRequested(requests), false);
  assert.equal(await page.evaluate(() => window.__ran), undefined);
  assert.ok(!(await context.cookies()).some((c) => c.name === '_st'));
  await close();
});

test('accept: the stand-in runs in document order, and on return it runs with no banner', async () => {
  const { page, requests, context, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  await page.locator(`${banner} [data-kelisim-action="accept-all"]`).click();
  await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  await page.waitForFunction(() => (window.__order || []).length === 2);
  assert.deepEqual(await page.evaluate(() => window.__order), ['external-1', 'inline-2'], 'document order');
  assert.equal(await page.locator(banner).count(), 0);
  assert.ok(statsRequested(requests));
  const cookies = await context.cookies();
  assert.ok(
    cookies.some((c) => c.name === '_st'),
    'the stand-in set its cookie',
  );

  const statsBefore = server.requestsTo('stats.test').length;
  await page.reload();
  await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  assert.equal(server.requestsTo('stats.test').length, statsBefore + 1);
  const settled = await kelisimSettled(page);
  assert.equal(settled.state.decided, true);
  assert.equal(settled.state.method, 'accept-all');
  assert.equal(await page.locator(banner).count(), 0, 'no banner for a returning visitor');
  await page.locator('[data-kelisim="reopen"]').waitFor(); // offered once the page is idle
  await close();
});

test('kelisim:ready and kelisim:consent fire; window.kelisim is the instance', async () => {
  const { page, close } = await openPage(browser);
  await page.addInitScript(() => {
    window.__events = [];
    for (const n of ['ready', 'consent', 'change']) window.addEventListener(`kelisim:${n}`, (e) => window.__events.push([n, e.detail]));
  });
  await page.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await page.locator(`${banner} [data-kelisim-action="accept-all"]`).click();
  await page.waitForFunction(() => window.__events.some(([n]) => n === 'consent'));
  const events = await page.evaluate(() => window.__events);
  assert.deepEqual(
    events.map(([n]) => n),
    ['ready', 'consent', 'change'],
  );
  assert.equal(events[1][1].method, 'accept-all');
  assert.ok(events[2][1].accepted.includes('analytics'));
  assert.equal(await page.evaluate(() => window.kelisim.isAllowed('statistics')), true);
  await close();
});
