// Foundation: a gated analytics stand-in never leaves the browser before
// consent; accept runs it (now and on return), reject keeps it away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

test('allowed scripts download at once and still run in document order, a slow one first; inline code and async scripts wait for those before them; a returning visitor asks for them as the page starts', async () => {
  const basic = JSON.parse(readFileSync(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
  const path = `/order${Math.random().toString(36).slice(2)}`;
  const seen = []; // what the server saw, in order: "asked:<name>" and "sent:<name>"
  const script = (name, delay) => async (req, res) => {
    seen.push(`asked:${name}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    seen.push(`sent:${name}`);
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`(window.__order = window.__order || []).push(${JSON.stringify(name)});`);
  };
  server.routes[`${path}/slow-1.js`] = script('slow-1', 400);
  server.routes[`${path}/fast-2.js`] = script('fast-2', 0);
  server.routes[`${path}/fast-4.js`] = script('fast-4', 0);
  server.routes[`${path}/async-5.js`] = script('async-5', 0);
  server.routes[`${path}.html`] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${JSON.stringify({ ...basic, compat: { cookiebot: false } })}</script>
<script src="/kelisim/kelisim.js"></script>
<script type="text/plain" data-category="analytics" src="${path}/slow-1.js"></script>
<script type="text/plain" data-category="analytics" src="${path}/fast-2.js"></script>
<script type="text/plain" data-category="analytics">(window.__order = window.__order || []).push('inline-3');</script>
<script type="text/plain" data-category="analytics" src="${path}/fast-4.js"></script>
<script type="text/plain" data-category="analytics" async src="${path}/async-5.js"></script>
</head><body><p>page</p></body></html>`,
    );
  const { page, errors, close } = await openPage(browser);
  const order = ['slow-1', 'fast-2', 'inline-3', 'fast-4'];
  const check = async (when) => {
    await page.waitForFunction(() => (window.__order || []).length === 5);
    const ran = await page.evaluate(() => window.__order);
    assert.deepEqual(
      ran.filter((n) => n !== 'async-5'),
      order,
      `${when}: document order`,
    );
    assert.ok(seen.indexOf('asked:fast-2') < seen.indexOf('sent:slow-1'), `${when}: fast-2 was asked for while slow-1 loaded (${seen})`);
    // As in the markup, where the parser reaches it only after the ones before it ran.
    assert.ok(ran.indexOf('async-5') > ran.indexOf('fast-4'), `${when}: an async one after them runs after them (${ran})`);
    if (when === 'returning visitor') {
      // The kept decision started the page: what it ran last time was asked for at once, as a preload scanner
      // would for plain tags, while the first (parser-blocking) one loaded.
      for (const name of ['fast-2', 'fast-4', 'async-5'])
        assert.ok(seen.indexOf(`asked:${name}`) < seen.indexOf('sent:slow-1'), `${when}: ${name} asked for while slow-1 loaded (${seen})`);
      assert.equal(seen.length, 8, `${when}: each asked for once (${seen})`);
    } else
      assert.ok(
        seen.indexOf('asked:fast-4') > seen.indexOf('sent:fast-2'),
        `${when}: fast-4 waited for the inline script before it (${seen})`,
      );
  };
  await page.goto(`${server.origin}${path}.html`);
  await page.locator(`${banner} [data-kelisim-action="accept-all"]`).click();
  await check('after accept all');
  seen.length = 0;
  await page.reload();
  await check('returning visitor');
  // Rejected since: the scripts the page ran last time are not asked for (the kept answer no longer holds).
  await page.evaluate(() => window.kelisim.rejectAll());
  seen.length = 0;
  await page.reload();
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(seen, [], 'nothing asked for after a rejection');
  assert.deepEqual(await page.evaluate(() => window.__order || []), []);
  assert.deepEqual(errors, []);
  await close();
});
