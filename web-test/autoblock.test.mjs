// blocking.autoBlock and blocking.cookieGuard: what other scripts insert or
// write is held until the engine answers, then released or dropped.
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

const hostsOf = (requests) => requests.map((u) => new URL(u).hostname);
const cookieNames = async (context) => (await context.cookies()).map((c) => c.name);

test("before consent: inserted tags are never requested; unlisted hosts and the page's own cookies pass", async () => {
  const { page, requests, context, errors, close } = await openPage(browser);
  await page.goto(`${server.origin}/autoblock.html`);
  await kelisimSettled(page);
  await page.waitForFunction(() => (window.__ran || []).includes('other/unlisted.js'));
  await page.waitForTimeout(300);
  const hosts = hostsOf(requests);
  for (const h of ['stats.test', 'ads.test', 'video.test']) assert.ok(!hosts.includes(h), `${h} was requested`);
  for (const h of ['stats.test', 'ads.test', 'video.test']) assert.equal(server.requestsTo(h).length, 0, `the ${h} stand-in saw a request`);
  const names = await cookieNames(context);
  assert.ok(!names.includes('_st'), 'the guarded cookie was dropped');
  assert.ok(names.includes('own_pref'), "the site's own cookie was replayed");
  assert.equal(await page.evaluate(() => document.getElementById('html-frame').getAttribute('src')), null);
  assert.deepEqual(errors, []);
  await close();
});

test('accepting releases the held tags in place: they run, with their onload handlers', async () => {
  const { page, requests, context, close } = await openPage(browser);
  await page.goto(`${server.origin}/autoblock.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await page.waitForFunction(() =>
    ['stats/append.js', 'stats/w-slow.js', 'stats/written.js'].every((t) => (window.__ran || []).includes(t)),
  );
  const ran = await page.evaluate(() => window.__ran);
  assert.ok(ran.indexOf('stats/w-slow.js') < ran.indexOf('stats/written.js'), `written tags out of document order: ${ran}`);
  await page.waitForFunction(() => (window.__loaded || []).includes('append'));
  assert.ok(!hostsOf(requests).includes('ads.test'), 'marketing stays blocked');
  assert.ok((await cookieNames(context)).includes('_st'), 'the allowed stand-in set its cookie');
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.waitForFunction(() => (window.__ran || []).includes('ads/insert-before.js'));
  await page.waitForFunction(
    () => document.getElementById('html-frame').getAttribute('src') && document.getElementById('dom-frame').getAttribute('src'),
  );
  assert.ok(requests.some((u) => u.includes('/frame/inner')));
  assert.ok(requests.some((u) => u.includes('/frame/dom')));
  await close();
});

test('a returning visitor who accepted: inserted tags run without being held for long', async () => {
  const { page, context, close } = await openPage(browser);
  await page.goto(`${server.origin}/autoblock.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await page.reload();
  await page.waitForFunction(() => (window.__ran || []).includes('stats/append.js'));
  // cookie writes of allowed services pass at once after ready
  await page.evaluate(() => (document.cookie = '_st_extra=1; path=/'));
  assert.ok((await cookieNames(context)).includes('_st_extra'));
  await page.evaluate(() => (document.cookie = '_ad=1; path=/'));
  assert.ok(!(await cookieNames(context)).includes('_ad'), 'marketing cookie dropped');
  await close();
});

test("withdrawal deletes the service's cookies on every domain and path and its storage keys", async () => {
  const { page, context, close } = await openPage(browser);
  await page.goto(`${server.origin}/autoblock.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.evaluate(() => {
    document.cookie = '_st=1; path=/';
    document.cookie = '_st_2=1; path=/; domain=site.test';
    document.cookie = '_ad=1; path=/autoblock.html';
    document.cookie = 'own_pref=2; path=/';
    localStorage.setItem('st_visits', '3');
    sessionStorage.setItem('ad_seen', '1');
    localStorage.setItem('cart', 'keep');
  });
  const names = await cookieNames(context);
  for (const n of ['_st', '_st_2', '_ad']) assert.ok(names.includes(n), `${n} set`);
  await page.evaluate(() => window.kelisim.rejectAll());
  const after = await cookieNames(context);
  for (const n of ['_st', '_st_2', '_ad']) assert.ok(!after.includes(n), `${n} still present after withdrawal`);
  assert.ok(after.includes('own_pref'));
  assert.deepEqual(
    await page.evaluate(() => [localStorage.getItem('st_visits'), sessionStorage.getItem('ad_seen'), localStorage.getItem('cart')]),
    [null, null, 'keep'],
  );
  await close();
});

test("unmarked scripts in the page's HTML and written by document.write, held until accept: released together, they download at once and run in document order", async () => {
  const basic = JSON.parse(readFileSync(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
  const path = `/held-order${Math.random().toString(36).slice(2)}.html`;
  const stats = `http://stats.test:${server.port}`;
  server.routes[path] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${JSON.stringify({ ...basic, compat: { cookiebot: false }, blocking: { autoBlock: true } })}</script>
<script src="/kelisim/kelisim.js"></script>
<script>document.write('<script src="${stats}/w-slow.js?delay=400"><\\/script><script src="${stats}/w-fast.js"><\\/script>');</script>
<script src="${stats}/slow.js?delay=400"></script>
<script src="${stats}/fast.js"></script>
</head><body><p>page</p>
<svg><script href="${stats}/svg.js" data-kelisim-in-order=""></script></svg></body></html>`,
    );
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${server.origin}${path}`);
  await kelisimSettled(page);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__ran), undefined, 'held before a decision');
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await page.waitForFunction(() => (window.__ran || []).length === 5);
  const ran = await page.evaluate(() => window.__ran);
  assert.deepEqual(
    ran.filter((t) => t !== 'stats/svg.js'),
    ['stats/w-slow.js', 'stats/w-fast.js', 'stats/slow.js', 'stats/fast.js'],
    'document order',
  );
  assert.ok(ran.includes('stats/svg.js'), 'an SVG script that carries the order mark is released too');
  const [wslow, wfast, slow, fast] = await page.evaluate(() =>
    ['/w-slow.js', '/w-fast.js', '/slow.js', '/fast.js'].map((p) => {
      const e = performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === p);
      return { start: e.startTime, end: e.responseEnd };
    }),
  );
  assert.ok(
    fast.start < slow.end && wfast.start < wslow.end,
    `the fast ones were asked for while the slow ones loaded (${JSON.stringify({ wslow, wfast, slow, fast })})`,
  );
  assert.deepEqual(errors, []);
  await close();
});
