// Signals a decision sends: Consent Mode, dataLayer, GPC, receipts, other
// tabs, the Cookiebot-compatible global, and where the cookie is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

let server;
let browser;
const receipts = [];
let receiptStatus = 204;
let attempts = 0;
before(async () => {
  server = await startServer();
  server.routes['/consent-receipts'] = (req, res, body) => {
    attempts += 1;
    if (receiptStatus === 204) receipts.push(JSON.parse(body));
    res.writeHead(receiptStatus);
    res.end();
  };
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const consentCommands = (page) =>
  page.evaluate(() =>
    (window.dataLayer || []).filter((e) => e && e[0] === 'consent').map((e) => [Object.prototype.toString.call(e), e[1], { ...e[2] }]),
  );

test('Consent Mode: default first (as an arguments object, before the wasm), update after the decision', async () => {
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  const first = await page.evaluate(() => {
    const e = window.dataLayer[0];
    return [Object.prototype.toString.call(e), e[0], e[1], { ...e[2] }];
  });
  assert.deepEqual(first, [
    '[object Arguments]',
    'consent',
    'default',
    {
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'denied',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'granted',
      wait_for_update: 500,
    },
  ]);
  assert.equal(await page.evaluate(() => typeof window.gtag), 'function');
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  const cmds = await consentCommands(page);
  assert.equal(cmds.length, 2);
  assert.deepEqual(cmds[1], [
    '[object Arguments]',
    'update',
    {
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'granted',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'granted',
    },
  ]);
  // config-basic.json (fetched by URL) asks for ads_data_redaction: it follows once the configuration is read.
  const sets = await page.evaluate(() => window.dataLayer.filter((e) => e && e[0] === 'set').map((e) => [e[1], e[2]]));
  assert.deepEqual(sets, [['ads_data_redaction', true]]);
  const order = await page.evaluate(() => window.dataLayer.map((e) => (e && e[0]) || (e && e.event)));
  assert.ok(order.indexOf('set') < order.lastIndexOf('consent'), 'the setting comes before the update');
  const event = await page.evaluate(() => window.dataLayer.find((e) => e && e.event === 'kelisim_consent'));
  assert.equal(event.method, 'api');
  assert.deepEqual(event.categories, ['necessary', 'analytics']);
  await close();
});

test("Consent Mode: a returning visitor's update is in dataLayer before the allowed tag runs", async () => {
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await page.reload();
  await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  const seen = await page.evaluate(() => window.__seen['stats/stats.js']);
  assert.deepEqual(seen.filter((e) => e && e.startsWith('consent:')).slice(0, 2), ['consent:default:denied', 'consent:update:granted']);
  await close();
});

test('GPC: accept all leaves gpc:"deny" categories off; the visitor\'s own toggle turns them on', async () => {
  const { page, requests, close } = await openPage(browser);
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }),
  );
  await page.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await page.locator('[data-kelisim="banner"] [data-kelisim-action="accept-all"]').click();
  await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  assert.equal(await page.evaluate(() => window.kelisim.isAllowed('marketing')), false);
  assert.equal(await page.evaluate(() => window.kelisim.isAllowed('analytics')), true);
  await page.waitForTimeout(200);
  assert.ok(!requests.some((u) => new URL(u).hostname === 'ads.test'));
  await page.evaluate(() => window.kelisim.showPreferences());
  await page.locator('input[data-kelisim-category="marketing"]').check();
  await page.locator('[data-kelisim="preferences"] [data-kelisim-action="save"]').click();
  await page.waitForFunction(() => (window.__ran || []).includes('ads/ads.js'));
  assert.equal(await page.evaluate(() => window.kelisim.state().method), 'custom');
  await close();
});

test('receipts: one per decision with a growing sequence; undelivered ones are sent on a later load', async () => {
  receipts.length = 0;
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.evaluate(() => window.kelisim.rejectAll());
  await page.waitForFunction(() => !localStorage.getItem('kelisim:receipts'));
  assert.equal(receipts.length, 2);
  const id = await page.evaluate(() => window.kelisim.state().id);
  assert.deepEqual(
    receipts.map((r) => [r.id, r.sequence, r.method]),
    [
      [id, 1, 'api'],
      [id, 2, 'api'],
    ],
  );
  assert.deepEqual(Object.keys(receipts[0]).sort(), [
    'accepted',
    'id',
    'language',
    'method',
    'rejected',
    'revision',
    'sequence',
    'timestamp',
    'url',
  ]);
  assert.ok(receipts[1].rejected.includes('analytics'));
  assert.ok(!JSON.stringify(receipts).includes('HeadlessChrome'), 'no user agent in a receipt');

  receiptStatus = 503;
  const attemptsBefore = attempts;
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('kelisim:receipts') || '[]').length === 1);
  while (attempts === attemptsBefore) await new Promise((r) => setTimeout(r, 20)); // the 503 was answered
  await page.waitForTimeout(50);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('kelisim:receipts') || '[]').length), 1, 'kept for later');
  assert.equal(receipts.length, 2);
  receiptStatus = 204;
  await page.reload();
  await kelisimSettled(page);
  await page.waitForFunction(() => !localStorage.getItem('kelisim:receipts'));
  assert.equal(receipts.length, 3);
  assert.equal(receipts[2].sequence, 3);
  await close();
});

test('another tab applies a decision within a second: content activates, kelisim:change fires', async () => {
  const { context, page, close } = await openPage(browser);
  const other = await context.newPage();
  await page.goto(`${server.origin}/basic.html`);
  await other.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await kelisimSettled(other);
  await other.evaluate(() => {
    window.__changes = [];
    window.addEventListener('kelisim:change', (e) => window.__changes.push(e.detail));
  });
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await other.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'), null, { timeout: 1000 });
  const changes = await other.evaluate(() => window.__changes);
  assert.equal(changes.length, 1);
  assert.ok(changes[0].accepted.includes('analytics'));
  assert.equal(await other.locator('[data-kelisim="banner"]').count(), 0, 'the other tab stops asking');
  await page.evaluate(() => window.kelisim.rejectAll());
  await other.waitForFunction(() => window.__changes.length === 2, null, { timeout: 1000 });
  assert.ok((await other.evaluate(() => window.__changes[1].rejected)).includes('analytics'));
  assert.equal(await other.evaluate(() => window.kelisim.isAllowed('analytics')), false);
  await close();
});

test('a tab listens for other tabs once idle, and then applies a decision made before it listened', async () => {
  const { context, page, close } = await openPage(browser);
  const other = await context.newPage();
  // The other tab's idle moments come only when the test says so.
  await other.addInitScript(() => {
    window.__idle = [];
    window.requestIdleCallback = (fn) => window.__idle.push(fn);
  });
  await page.goto(`${server.origin}/basic.html`);
  await other.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await kelisimSettled(other);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await other.waitForTimeout(300);
  assert.equal(await other.evaluate(() => window.kelisim.isAllowed('analytics')), false, 'not listening yet');
  await other.evaluate(() => {
    for (const fn of window.__idle.splice(0)) fn({ didTimeout: false, timeRemaining: () => 50 });
  });
  await other.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'), null, { timeout: 1000 });
  assert.equal(await other.evaluate(() => window.kelisim.isAllowed('analytics')), true);
  assert.equal(await other.locator('[data-kelisim="banner"]').count(), 0, 'the other tab stops asking');
  // Listening now: the next decision arrives as a message.
  await page.evaluate(() => window.kelisim.rejectAll());
  await other.waitForFunction(() => window.kelisim.isAllowed('analytics') === false, null, { timeout: 1000 });
  await close();
});

test('Cookiebot compatibility: window.Cookiebot answers and its events fire', async () => {
  const { page, close } = await openPage(browser);
  await page.addInitScript(() => {
    window.__cb = [];
    for (const n of ['CookiebotOnConsentReady', 'CookiebotOnAccept', 'CookiebotOnDecline'])
      window.addEventListener(n, () => window.__cb.push(n));
  });
  await page.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  assert.deepEqual(await page.evaluate(() => [Cookiebot.hasResponse, Cookiebot.consent.statistics, Cookiebot.consent.necessary]), [
    false,
    false,
    true,
  ]);
  await page.evaluate(() => window.Cookiebot.submitCustomConsent(false, true, false));
  assert.deepEqual(
    await page.evaluate(() => [Cookiebot.hasResponse, Cookiebot.consented, Cookiebot.consent.statistics, Cookiebot.consent.marketing]),
    [true, true, true, false],
  );
  await page.evaluate(() => window.kelisim.rejectAll());
  assert.deepEqual(await page.evaluate(() => [Cookiebot.declined, Cookiebot.consent.statistics]), [true, false]);
  // Nothing at page start (no decision yet: CookiebotOnConsentReady waits for one), then one round per decision.
  assert.deepEqual(await page.evaluate(() => window.__cb), [
    'CookiebotOnConsentReady',
    'CookiebotOnAccept',
    'CookiebotOnConsentReady',
    'CookiebotOnDecline',
  ]);
  await close();
});

test('cookie.domain "auto" stores the decision on the highest parent domain the browser accepts', async () => {
  server.routes['/auto-domain.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><script type="application/json" id="kelisim-config">${JSON.stringify({
        categories: { necessary: { required: true }, analytics: {} },
        cookie: { domain: 'auto' },
      })}</script><script src="/kelisim/kelisim.js"></script></head><body></body></html>`,
    );
  const { page, context, close } = await openPage(browser);
  await page.goto(`http://shop.kz.site.test:${server.port}/auto-domain.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.acceptAll());
  const c = (await context.cookies()).find((x) => x.name === 'kelisim');
  assert.equal(c.domain, '.site.test');
  assert.ok(!(await context.cookies()).some((x) => x.name.startsWith('kelisim_probe')), 'no probe cookie left');
  // the sibling host shares the decision
  await page.goto(`http://www.site.test:${server.port}/auto-domain.html`);
  const settled = await kelisimSettled(page);
  assert.equal(settled.state.decided, true);
  await close();
});

test('without BroadcastChannel, the storage event carries a decision to other tabs', async () => {
  const { context, page, close } = await openPage(browser);
  await context.addInitScript(() => {
    delete window.BroadcastChannel;
  });
  const other = await context.newPage();
  await page.goto(`${server.origin}/basic.html`);
  await other.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await kelisimSettled(other);
  assert.equal(await other.evaluate(() => typeof window.BroadcastChannel), 'undefined');
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await other.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'), null, { timeout: 1000 });
  assert.equal(await other.evaluate(() => window.kelisim.isAllowed('analytics')), true);
  await close();
});

test('reset() forgets the decision: a new id, the banner again, nothing optional allowed', async () => {
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.acceptAll());
  const first = await page.evaluate(() => window.kelisim.state().id);
  await page.evaluate(() => window.kelisim.reset());
  assert.deepEqual(await page.evaluate(() => [window.kelisim.state().decided, window.kelisim.isAllowed('analytics')]), [false, false]);
  await page.locator('[data-kelisim="banner"]').waitFor();
  await page.evaluate(() => window.kelisim.rejectAll());
  const second = await page.evaluate(() => window.kelisim.state());
  assert.notEqual(second.id, first);
  assert.equal(second.method, 'api');
  await close();
});

test('reloadOnWithdrawal: withdrawing a category reloads the page; granting does not', async () => {
  server.routes['/reload.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><script type="application/json" id="kelisim-config">${JSON.stringify({
        categories: { necessary: { required: true }, analytics: {} },
        services: { stats: { category: 'analytics', hosts: ['stats.test'] } },
        blocking: { reloadOnWithdrawal: true },
      })}</script><script src="/kelisim/kelisim.js"></script></head><body></body></html>`,
    );
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/reload.html`);
  await kelisimSettled(page);
  await page.evaluate(() => (window.__marker = 1));
  await page.evaluate(() => window.kelisim.acceptAll());
  assert.equal(await page.evaluate(() => window.__marker), 1, 'no reload when granting');
  await Promise.all([page.waitForEvent('load'), page.evaluate(() => window.kelisim.rejectAll())]);
  assert.equal(await page.evaluate(() => window.__marker), undefined, 'reloaded after withdrawal');
  const settled = await kelisimSettled(page);
  assert.equal(settled.state.method, 'api');
  await close();
});

test('Consent Mode: an inline configuration sets wait_for_update and the settings in the synchronous default', async () => {
  server.routes['/cm-inline.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><script type="application/json" id="kelisim-config">${JSON.stringify({
        categories: { necessary: { required: true }, analytics: { consentMode: ['analytics_storage'] } },
        consentMode: { waitForUpdate: 250, adsDataRedaction: true, urlPassthrough: true },
      })}</script><script src="/kelisim/kelisim.js"></script><script src="/own.js"></script></head><body></body></html>`,
    );
  const { page, close } = await openPage(browser);
  const entries = () =>
    page.evaluate(() => window.dataLayer.map((e) => [e[0], e[1], e[2] && typeof e[2] === 'object' ? e[2].wait_for_update : e[2]]));
  // The first page view: the engine is not in the browser yet, so the fallback
  // default goes first and the configuration's settings follow once it is up.
  await page.goto(`${server.origin}/cm-inline.html`);
  await kelisimSettled(page);
  assert.deepEqual(await entries(), [
    ['consent', 'default', 500],
    ['set', 'ads_data_redaction', true],
    ['set', 'url_passthrough', true],
  ]);
  // Every later one: the engine starts synchronously and words the default itself.
  await page.waitForFunction(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000);
  await page.reload();
  await kelisimSettled(page);
  assert.deepEqual(await entries(), [
    ['consent', 'default', 250],
    ['set', 'ads_data_redaction', true],
    ['set', 'url_passthrough', true],
  ]);
  await close();
});

test('GPC turned on after an "accept all": gpc:"deny" categories are withheld on the next visit', async () => {
  const { context, page, requests, close } = await openPage(browser);
  await page.goto(`${server.origin}/basic.html`);
  await kelisimSettled(page);
  await page.locator('[data-kelisim="banner"] [data-kelisim-action="accept-all"]').click();
  await page.waitForFunction(() => (window.__ran || []).includes('ads/ads.js'));
  const later = await context.newPage();
  await later.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }),
  );
  const before = requests.length;
  const laterRequests = [];
  later.on('request', (r) => laterRequests.push(r.url()));
  await later.goto(`${server.origin}/basic.html`);
  await kelisimSettled(later);
  await later.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  await later.waitForTimeout(200);
  assert.equal(await later.evaluate(() => window.kelisim.isAllowed('marketing')), false);
  assert.ok(!laterRequests.some((u) => new URL(u).hostname === 'ads.test'), 'the marketing tag was not requested');
  assert.ok(before > 0);
  await close();
});
