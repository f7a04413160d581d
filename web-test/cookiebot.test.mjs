// Cookiebot drop-in (compat.cookiebot): pages written the way public
// Cookiebot clients use Cookiebot (the official WordPress plugin, a Magento 2
// module, a WordPress pixel plugin, a Tag Manager plugin for WordPress, a
// documentation site that switches HubSpot on Cookiebot's consent, an Angular
// wrapper), with kelisim's tag in place of Cookiebot's and nothing else
// changed. Each test plays a first visit and a returning visitor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, kelisimSettled, shadow } from './harness.mjs';

const CBID = '3f0b8a52-7c1e-4d6a-9b2f-5e8d1c4a7b60';
/** A Cookiebot site's configuration: Cookiebot's names, statistics aliased to kelisim's analytics. */
const SITE = {
  revision: 1,
  categories: {
    necessary: { required: true },
    preferences: {},
    analytics: { consentMode: ['analytics_storage'] },
    marketing: { consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'] },
  },
  aliases: { statistics: 'analytics' },
  services: {
    'tag-manager': { category: 'analytics', hosts: ['gtm.test'] },
    stats: { category: 'analytics', hosts: ['stats.test'], cookies: ['_st'] },
    hubspot: { category: 'marketing', hosts: ['hs.test'], cookies: ['hubspotutk'] },
    pixel: { category: 'marketing', hosts: ['pixel.test'] },
    video: { category: 'marketing', hosts: ['video.test'] },
  },
  // Off in the configuration: data-blockingmode="auto" on the tag turns it on.
  blocking: { autoBlock: false, cookieGuard: true },
  compat: { cookiebot: true },
  receipts: { endpoint: '/consent-receipts' },
};
const EVENTS = [
  'CookiebotOnConsentReady',
  'CookiebotOnLoad',
  'CookiebotOnAccept',
  'CookiebotOnDecline',
  'CookiebotOnDialogInit',
  'CookiebotOnDialogDisplay',
  'CookiebotOnTagsExecuted',
];

let server;
let browser;
before(async () => {
  server = await startServer();
  server.routes['/site-consent.json'] = (req, res) =>
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(SITE));
    }, 200); // arrives after the page's own scripts
  // What a server-side integration reads: the Cookie header of the next request.
  server.routes['/server-side'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(readCookieConsent(req.headers.cookie || '')));
  };
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * CookieConsent as server-side code reads it: URL-decoded, Cookiebot's
 * JavaScript-like object turned into JSON. null when the cookie is absent.
 */
function readCookieConsent(header) {
  const found = header.split(/;\s*/).find((c) => c.startsWith('CookieConsent='));
  if (!found) return null;
  const text = decodeURIComponent(found.slice('CookieConsent='.length))
    .replace(/'/g, '"')
    .replace(/([{,])\s*([A-Za-z_]\w*)\s*:/g, '$1"$2":');
  return JSON.parse(text);
}

/** Serves `html` (with {{PORT}} filled in) at a fresh path; returns its URL. */
function page(html) {
  const path = `/cb${Math.random().toString(36).slice(2)}.html`;
  server.routes[path] = (req, res) => server.html(res, html);
  return `${server.origin}${path}`;
}
const inlineConfig = (config = SITE) => `<script type="application/json" id="kelisim-config">${JSON.stringify(config)}</script>`;
const engineCached = (p) => p.waitForFunction(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000);
const ran = (p) => p.evaluate(() => window.__ran || []);
const click = (p, view, action) => p.locator(shadow(`[data-kelisim="${view}"] [data-kelisim-action="${action}"]`)).click();
const shown = (p, id) => p.evaluate((i) => getComputedStyle(document.getElementById(i)).display !== 'none', id);
/** Records every Cookiebot event and whether Cookiebot claimed a decision at that moment. */
const RECORDER = `<script>window.__events = [];
${JSON.stringify(EVENTS)}.forEach(function (n) { addEventListener(n, function () {
  window.__events.push(n + ':' + (Cookiebot.hasResponse ? (Cookiebot.consented ? 'accepted' : 'declined') : 'none'));
}); });</script>`;

test('WordPress plugin page: window.Cookiebot right after the tag, data-culture, data-blockingmode="auto", the WP Consent API bridge', async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-implementation="wp" data-cbid="${CBID}" data-culture="RU" data-blockingmode="auto" type="text/javascript"></script>
<script>window.__probe = { type: typeof Cookiebot, element: Cookiebot instanceof HTMLElement, hasResponse: Cookiebot.hasResponse,
  consented: Cookiebot.consented, declined: Cookiebot.declined, statistics: Cookiebot.consent.statistics,
  marketing: Cookiebot.consent.marketing, method: Cookiebot.consent.method };</script>
<script>
  // The plugin's bridge to the WP Consent API: on each Cookiebot answer, and once the page has loaded.
  window.__wp = [];
  function wpConsent(e) { window.__wp.push([e.type, Cookiebot.consent.preferences, Cookiebot.consent.statistics, Cookiebot.consent.marketing]); }
  window.addEventListener('CookiebotOnAccept', wpConsent, false);
  window.addEventListener('CookiebotOnDecline', wpConsent, false);
  window.addEventListener('load', wpConsent, false);
</script>
<script src="http://pixel.test:{{PORT}}/unmarked.js"></script>
<script src="http://cdn.test:{{PORT}}/lib.js"></script>
<script type="text/plain" data-cookieconsent="statistics" src="http://stats.test:{{PORT}}/stats.js"></script>
</head><body><h1>Блог</h1></body></html>`);
  const { page: p, errors, close } = await openPage(browser);
  await p.goto(url);
  assert.deepEqual(await p.evaluate(() => window.__probe), {
    type: 'object',
    element: false,
    hasResponse: false,
    consented: false,
    declined: false,
    statistics: false,
    marketing: false,
    method: null,
  });
  assert.equal((await kelisimSettled(p)).ok, true);
  // data-culture="RU": the banner speaks Russian although <html lang="en">.
  assert.equal(await p.locator(shadow('[data-kelisim="banner"] h2')).textContent(), 'Мы используем файлы cookie');
  await p.waitForFunction(() => window.__wp.length === 1);
  assert.deepEqual(await p.evaluate(() => window.__wp), [['load', false, false, false]]);
  // The configuration has autoBlock off; the tag's data-blockingmode="auto" holds the unmarked marketing tag.
  await p.waitForTimeout(200);
  assert.deepEqual(await ran(p), ['cdn/lib.js']);

  await click(p, 'banner', 'reject-all');
  await p.waitForFunction(() => window.__wp.length === 2);
  assert.deepEqual((await p.evaluate(() => window.__wp))[1], ['CookiebotOnDecline', false, false, false]);
  await engineCached(p);

  // Returning visitor who rejected: the engine starts in the tag; the attribute still holds the tag.
  await p.reload();
  assert.deepEqual(await p.evaluate(() => window.__probe), {
    type: 'object',
    element: false,
    hasResponse: true,
    consented: false,
    declined: true,
    statistics: false,
    marketing: false,
    method: 'explicit',
  });
  await kelisimSettled(p);
  await p.waitForTimeout(200);
  assert.deepEqual(await ran(p), ['cdn/lib.js']);
  assert.equal(await p.locator(shadow('[data-kelisim="banner"]')).count(), 0);

  // The site's own "change consent" code: statistics and marketing.
  await p.evaluate(() => Cookiebot.submitCustomConsent(false, true, true));
  await p.waitForFunction(() => (window.__ran || []).length === 3);
  assert.deepEqual((await ran(p)).sort(), ['cdn/lib.js', 'pixel/unmarked.js', 'stats/stats.js']);
  assert.deepEqual((await p.evaluate(() => window.__wp)).at(-1), ['CookiebotOnAccept', false, true, true]);
  await p.reload();
  assert.deepEqual(await p.evaluate(() => window.__probe), {
    type: 'object',
    element: false,
    hasResponse: true,
    consented: true,
    declined: false,
    statistics: true,
    marketing: true,
    method: 'explicit',
  });
  await p.waitForFunction(() => (window.__ran || []).length === 3);
  assert.deepEqual(await ran(p), ['pixel/unmarked.js', 'cdn/lib.js', 'stats/stats.js'], 'in document order');
  assert.deepEqual(errors, []);
  await close();
});

test('Magento 2 module page: an async tag with data-config, notices made by an ignore-marked script, the analytics mixin', async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<script id="Cookiebot" data-cfasync="false" src="/kelisim/kelisim.js" data-config="/site-consent.json" data-cbid="${CBID}" data-culture="EN" type="text/javascript" async></script>
<script>
  // The analytics mixin, run when the shop's modules load (after the async tag has run): start
  // when Cookiebot says statistics, now or on a later CookiebotOnAccept.
  window.__analytics = 0;
  window.addEventListener('load', function () {
    window.addEventListener('CookiebotOnAccept', function () { if (Cookiebot.consent.statistics) window.__analytics++; });
    if (typeof Cookiebot !== 'undefined' && Cookiebot.consent.statistics) window.__analytics++;
  });
</script>
</head><body>
<iframe id="video" data-cookieblock-src="http://video.test:{{PORT}}/frame/product" data-cookieconsent="marketing" width="320" height="180"></iframe>
<script data-cookieconsent="ignore">
  // The module's iframe handler: a notice before each blocked video, shown only while marketing is not accepted.
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('iframe[data-cookieblock-src]').forEach(function (frame) {
      var notice = document.createElement('div');
      notice.id = 'notice-' + frame.id;
      notice.classList.add('cookieconsent-optout-marketing');
      var text = document.createElement('p');
      text.textContent = 'Please accept marketing cookies to view this video.';
      notice.append(text);
      frame.parentNode.insertBefore(notice, frame);
    });
  });
</script>
</body></html>`);
  const { page: p, errors, close } = await openPage(browser);
  await p.addInitScript(() => {
    window.__calls = [];
    window.__kelisimTrace = (fn) => window.__calls.push(fn);
  });
  await p.goto(url);
  await kelisimSettled(p);
  await p.waitForFunction(() => document.getElementById('notice-video'));
  assert.equal(await shown(p, 'notice-video'), true, 'the notice shows before any choice');
  assert.equal(await p.evaluate(() => document.getElementById('video').getAttribute('src')), null);
  assert.equal(await p.evaluate(() => window.__analytics), 0);

  await p.evaluate(() => window.__calls.splice(0));
  await click(p, 'banner', 'accept-all');
  await p.waitForFunction(() => (document.getElementById('video').getAttribute('src') || '').includes('video.test'));
  assert.equal(await shown(p, 'notice-video'), false, 'the notice goes once marketing is accepted');
  // (A '_start' once idle answers the next page view's start ahead: not a question of this page.)
  assert.deepEqual(
    (await p.evaluate(() => window.__calls.splice(0))).filter((c) => c !== '_start'),
    ['_decide'],
    "the notice and the video in the decision's own call",
  );
  assert.equal(await p.evaluate(() => window.__analytics), 1);

  // Returning visitor (the configuration is fetched again, so the engine starts after the page's scripts).
  await p.reload();
  await kelisimSettled(p);
  await p.waitForFunction(() => window.Cookiebot.hasResponse && document.getElementById('notice-video'));
  await p.waitForFunction(() => window.__analytics === 1);
  await p.waitForTimeout(200);
  assert.equal(await p.evaluate(() => window.__analytics), 1, 'CookiebotOnAccept once');
  assert.equal(await shown(p, 'notice-video'), false);
  await p.waitForFunction(() => (document.getElementById('video').getAttribute('src') || '').includes('video.test'));

  // Withdrawn: the notice is back.
  await p.evaluate(() => Cookiebot.withdraw());
  assert.equal(await shown(p, 'notice-video'), true);
  assert.deepEqual(errors, []);
  await close();
});

test("pixel plugin: Cookiebot.consent.marketing is known in <head> for a returning visitor; the pixel follows Cookiebot's events", async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-cbid="${CBID}" type="text/javascript"></script>
<script>
  window.__pixel = [];
  function pixelOn(when) {
    if (window.__pixelOn) return;
    window.__pixelOn = true;
    var s = document.createElement('script');
    s.async = true;
    s.src = 'http://pixel.test:{{PORT}}/events.js';
    document.head.appendChild(s);
    window.__pixel.push('on:' + when);
  }
  window.__atTag = { type: typeof Cookiebot, hasResponse: Cookiebot.hasResponse, marketing: Cookiebot.consent.marketing, statistics: Cookiebot.consent.statistics };
  if (Cookiebot.consent.marketing) pixelOn('head');
  window.addEventListener('CookiebotOnAccept', function () { if (Cookiebot.consent.marketing) pixelOn('accept'); }, false);
  window.addEventListener('CookiebotOnDecline', function () { window.__pixel.push('off'); window.__pixelOn = false; }, false);
</script>
</head><body><p>Shop</p></body></html>`);
  const { page: p, errors, close } = await openPage(browser);
  await p.goto(url);
  assert.deepEqual(await p.evaluate(() => window.__atTag), { type: 'object', hasResponse: false, marketing: false, statistics: false });
  await kelisimSettled(p);
  await p.waitForTimeout(200);
  assert.deepEqual(await p.evaluate(() => window.__pixel), []);
  assert.deepEqual(await ran(p), []);
  await click(p, 'banner', 'accept-all');
  await p.waitForFunction(() => (window.__ran || []).includes('pixel/events.js'));
  assert.deepEqual(await p.evaluate(() => window.__pixel), ['on:accept']);
  await engineCached(p);

  await p.reload();
  assert.deepEqual(await p.evaluate(() => window.__atTag), { type: 'object', hasResponse: true, marketing: true, statistics: true });
  assert.deepEqual(await p.evaluate(() => window.__pixel), ['on:head'], 'started in <head>, before DOMContentLoaded');
  await p.waitForFunction(() => (window.__ran || []).includes('pixel/events.js'));
  await kelisimSettled(p);
  await p.evaluate(() => Cookiebot.withdraw());
  assert.deepEqual(await p.evaluate(() => window.__pixel), ['on:head', 'off']);
  assert.deepEqual(errors, []);
  await close();
});

test('Tag Manager plugin: a data-cookieconsent="ignore" loader runs its container before any decision; other tags still wait', async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-cbid="${CBID}" data-blockingmode="auto" type="text/javascript"></script>
<script data-cfasync="false" data-pagespeed-no-defer data-cookieconsent="ignore">
  window.dataLayer = window.dataLayer || [];
  window.dataLayer.push({ pagePostType: 'frontpage', pagePostType2: 'single-page' });
  (function (w, d, tag, layer, id) {
    w[layer] = w[layer] || [];
    w[layer].push({ 'gtm.start': Date.now(), event: 'gtm.js' });
    var first = d.getElementsByTagName(tag)[0];
    var el = d.createElement(tag);
    el.async = true;
    el.src = 'http://gtm.test:{{PORT}}/gtm.js?id=' + id;
    first.parentNode.insertBefore(el, first);
  })(window, document, 'script', 'dataLayer', 'GTM-K3L1S1M');
</script>
<script data-cookieconsent="ignore" src="http://gtm.test:{{PORT}}/static.js"></script>
<script>
  // Not marked: the same kind of insertion waits for its category.
  var other = document.createElement('script');
  other.src = 'http://stats.test:{{PORT}}/inserted.js';
  document.head.appendChild(other);
</script>
<script src="http://stats.test:{{PORT}}/unmarked.js"></script>
</head><body></body></html>`);
  const { page: p, errors, close } = await openPage(browser);
  await p.goto(url);
  await p.waitForFunction(() => (window.__ran || []).includes('gtm/gtm.js') && (window.__ran || []).includes('gtm/static.js'));
  assert.equal(await p.evaluate(() => window.Cookiebot.hasResponse), false, 'before any decision');
  await kelisimSettled(p);
  await p.waitForTimeout(300);
  assert.deepEqual((await ran(p)).sort(), ['gtm/gtm.js', 'gtm/static.js']);
  await click(p, 'banner', 'reject-all');
  await p.waitForTimeout(200);
  assert.deepEqual((await ran(p)).sort(), ['gtm/gtm.js', 'gtm/static.js']);
  await engineCached(p);
  // Returning visitor who rejected: the same, with the engine up from the start.
  await p.reload();
  await kelisimSettled(p);
  await p.waitForFunction(() => (window.__ran || []).length >= 2);
  await p.waitForTimeout(300);
  assert.deepEqual((await ran(p)).sort(), ['gtm/gtm.js', 'gtm/static.js']);
  // Accepting statistics lets the others run.
  await p.evaluate(() => Cookiebot.submitCustomConsent(false, true, false));
  await p.waitForFunction(() => (window.__ran || []).length === 4);
  assert.deepEqual((await ran(p)).sort(), ['gtm/gtm.js', 'gtm/static.js', 'stats/inserted.js', 'stats/unmarked.js']);
  assert.deepEqual(errors, []);
  await close();
});

test("documentation site: HubSpot switched on Cookiebot's consent, loaded with Cookiebot.getScript", async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-cbid="${CBID}" type="text/javascript"></script>
</head><body><main><h1>Docs</h1></main>
<script>
  (function () {
    window.__hs = [];
    function startHubspot() {
      (window._hsq = window._hsq || []).push(['doNotTrack', { track: true }]);
      window.__hs.push('start');
      if (window.__hsRequested) return;
      window.__hsRequested = true;
      Cookiebot.getScript('http://hs.test:{{PORT}}/hs-script.js', true, function () { window.__hs.push('loaded'); });
    }
    function stopHubspot() {
      (window._hsq = window._hsq || []).push(['doNotTrack']);
      window.__hs.push('stop');
    }
    function onPrefChange() {
      if (Cookiebot.consent.statistics) startHubspot();
      else stopHubspot();
    }
    window.addEventListener('CookiebotOnAccept', onPrefChange);
    window.addEventListener('CookiebotOnDecline', onPrefChange);
    onPrefChange();
  })();
</script>
</body></html>`);
  const { page: p, errors, close } = await openPage(browser);
  await p.goto(url);
  await kelisimSettled(p);
  assert.deepEqual(await p.evaluate(() => window.__hs), ['stop'], "Cookiebot was there when the page's script ran");
  await p.evaluate(() => Cookiebot.submitCustomConsent(false, true, false));
  await p.waitForFunction(() => window.__hs.includes('loaded'));
  assert.deepEqual(await p.evaluate(() => window.__hs), ['stop', 'start', 'loaded']);
  assert.ok((await ran(p)).includes('hs/hs-script.js'));
  await engineCached(p);
  await p.reload();
  await kelisimSettled(p);
  await p.waitForFunction(() => window.__hs.includes('loaded'));
  // At parse time and again on CookiebotOnAccept, as the page's code asks.
  assert.deepEqual((await p.evaluate(() => window.__hs)).filter((x) => x === 'start').length, 2);
  await p.evaluate(() => Cookiebot.withdraw());
  assert.equal((await p.evaluate(() => window.__hs)).at(-1), 'stop');
  assert.deepEqual(errors, []);
  await close();
});

test("Angular wrapper: every event and CookiebotCallback_On… once, in Cookiebot's order, never with a made-up decision", async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-cbid="${CBID}" data-blockingmode="auto" type="text/javascript"></script>
<script type="text/plain" data-cookieconsent="statistics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script type="module">
  // The app's service: wait until window.Cookiebot is Cookiebot's object (the tag's id makes it the <script> element until then).
  const log = (window.__events = []);
  const note = (name) => log.push(name + ':' + (Cookiebot.hasResponse ? (Cookiebot.consented ? 'accepted' : 'declined') : 'none')
    + (name.endsWith('TagsExecuted') ? ':' + (window.__ran || []).join(',') : ''));
  const isCookiebot = () => window.Cookiebot && !(window.Cookiebot instanceof HTMLElement);
  if (!isCookiebot()) await new Promise((resolve) => { const t = setInterval(() => { if (isCookiebot()) { clearInterval(t); resolve(); } }, 10); });
  for (const n of ['OnAccept', 'OnDecline', 'OnDialogDisplay', 'OnDialogInit', 'OnLoad', 'OnTagsExecuted']) window['CookiebotCallback_' + n] = () => note('callback:' + n);
  for (const n of ${JSON.stringify(EVENTS)}) window.addEventListener(n, () => note(n));
</script>
</head><body><app-root></app-root></body></html>`);
  const { page: p, errors, close } = await openPage(browser);
  const events = () => p.evaluate(() => window.__events.splice(0));
  await p.goto(url);
  await kelisimSettled(p);
  await p.waitForFunction(() => window.__events.some((e) => e.startsWith('callback:OnDialogDisplay')));
  await p.waitForTimeout(200);
  assert.deepEqual(await events(), [
    'CookiebotOnLoad:none',
    'callback:OnLoad:none',
    'CookiebotOnDialogInit:none',
    'callback:OnDialogInit:none',
    'CookiebotOnDialogDisplay:none',
    'callback:OnDialogDisplay:none',
  ]);

  await click(p, 'banner', 'accept-all');
  await p.waitForFunction(() => window.__events.some((e) => e.startsWith('callback:OnTagsExecuted')));
  await p.waitForTimeout(200);
  assert.deepEqual(await events(), [
    'CookiebotOnConsentReady:accepted',
    'CookiebotOnAccept:accepted',
    'callback:OnAccept:accepted',
    'CookiebotOnTagsExecuted:accepted:stats/stats.js',
    'callback:OnTagsExecuted:accepted:stats/stats.js',
  ]);
  await engineCached(p);

  // Returning visitor: the page view's events, no dialog.
  await p.reload();
  await kelisimSettled(p);
  await p.waitForFunction(() => window.__events.some((e) => e.startsWith('callback:OnTagsExecuted')));
  await p.waitForTimeout(300);
  assert.deepEqual(await events(), [
    'CookiebotOnConsentReady:accepted',
    'CookiebotOnLoad:accepted',
    'callback:OnLoad:accepted',
    'CookiebotOnAccept:accepted',
    'callback:OnAccept:accepted',
    'CookiebotOnTagsExecuted:accepted:stats/stats.js',
    'callback:OnTagsExecuted:accepted:stats/stats.js',
  ]);

  // renew() opens the dialog (initialised once per page), hide() closes it, show() brings the banner.
  await p.evaluate(() => Cookiebot.renew());
  await p.locator(shadow('[data-kelisim="preferences"]')).waitFor();
  await p.waitForFunction(() => window.__events.length === 4);
  assert.deepEqual(await events(), [
    'CookiebotOnDialogInit:accepted',
    'callback:OnDialogInit:accepted',
    'CookiebotOnDialogDisplay:accepted',
    'callback:OnDialogDisplay:accepted',
  ]);
  await p.evaluate(() => Cookiebot.hide());
  await p.waitForFunction(() => document.getElementById('kelisim-root').shadowRoot.querySelector('[data-kelisim="preferences"]') === null);
  await p.evaluate(() => Cookiebot.show());
  await p.waitForFunction(() => window.__events.length === 2);
  assert.deepEqual(await events(), ['CookiebotOnDialogDisplay:accepted', 'callback:OnDialogDisplay:accepted']);
  await click(p, 'banner', 'reject-all');
  await p.waitForFunction(() => window.__events.some((e) => e.startsWith('callback:OnTagsExecuted')));
  assert.deepEqual(await events(), [
    'CookiebotOnConsentReady:declined',
    'CookiebotOnDecline:declined',
    'callback:OnDecline:declined',
    'CookiebotOnTagsExecuted:declined:stats/stats.js',
    'callback:OnTagsExecuted:declined:stats/stats.js',
  ]);

  // A single-page app adds a gated tag later and asks Cookiebot to run what is allowed: once.
  await p.evaluate(() => Cookiebot.submitCustomConsent(false, true, false));
  await p.evaluate(() => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.setAttribute('data-cookieconsent', 'statistics');
    s.textContent = 'window.__spa = (window.__spa || 0) + 1;';
    document.body.append(s);
    Cookiebot.runScripts();
    Cookiebot.runScripts();
  });
  await p.waitForFunction(() => window.__spa === 1);
  await p.waitForTimeout(200);
  assert.equal(await p.evaluate(() => window.__spa), 1);
  assert.deepEqual(errors, []);
  await close();
});

test('cookieconsent-optin-* / -optout-* elements: hidden and shown as Cookiebot does, before and after each kind of decision', async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-cbid="${CBID}" type="text/javascript"></script>
</head><body>
<div id="in-marketing" class="cookieconsent-optin-marketing" style="display:none">video</div>
<div id="in-statistics" class="box cookieconsent-optin-statistics">charts</div>
<script>window.__atParse = getComputedStyle(document.getElementById('in-statistics')).display;</script>
<div id="in-both" class="cookieconsent-optin-statistics cookieconsent-optin-marketing" style="display:none">both</div>
<div id="in-preferences" class="cookieconsent-optin-preferences" style="display:none">saved settings</div>
<div id="out-marketing" class="cookieconsent-optout-marketing">Please <a href="javascript:Cookiebot.renew()">accept marketing cookies</a> to watch this video.</div>
<span id="out-either" class="cookieconsent-optout-statistics cookieconsent-optout-marketing" style="display:inline-block">needs both</span>
</body></html>`);
  const ids = ['in-marketing', 'in-statistics', 'in-both', 'in-preferences', 'out-marketing', 'out-either'];
  const { page: p, errors, close } = await openPage(browser);
  await p.addInitScript(() => {
    window.__calls = [];
    window.__kelisimTrace = (fn) => window.__calls.push(fn);
  });
  const calls = () => p.evaluate(() => window.__calls.splice(0));
  const state = () =>
    p.evaluate((list) => Object.fromEntries(list.map((i) => [i, getComputedStyle(document.getElementById(i)).display])), ids);
  const nothing = {
    'in-marketing': 'none',
    'in-statistics': 'none',
    'in-both': 'none',
    'in-preferences': 'none',
    'out-marketing': 'block',
    'out-either': 'inline-block',
  };
  await p.goto(url);
  assert.equal(await p.evaluate(() => window.__atParse), 'none', 'opt-in content is hidden as the parser reaches it');
  await kelisimSettled(p);
  assert.deepEqual(await state(), nothing, 'first visit');

  await calls();
  await click(p, 'banner', 'accept-all');
  // (A '_start' once idle answers the next page view's start ahead: not a question of this page.)
  assert.deepEqual(
    (await calls()).filter((c) => c !== '_start'),
    ['_decide'],
    "the elements are asked about in the decision's own engine call",
  );
  assert.deepEqual(
    await state(),
    {
      'in-marketing': 'block',
      'in-statistics': 'block',
      'in-both': 'block',
      'in-preferences': 'block',
      'out-marketing': 'none',
      'out-either': 'none',
    },
    'accept all',
  );

  await p.evaluate(() => Cookiebot.withdraw());
  assert.deepEqual(await state(), nothing, 'withdrawn');

  await p.evaluate(() => Cookiebot.submitCustomConsent(false, true, false));
  const statisticsOnly = {
    'in-marketing': 'none',
    'in-statistics': 'block',
    'in-both': 'none',
    'in-preferences': 'none',
    'out-marketing': 'block',
    'out-either': 'inline-block',
  };
  assert.deepEqual(await state(), statisticsOnly, 'statistics only');

  // Added later by the page's scripts: handled the same way.
  await p.evaluate(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<div id="late-in" class="cookieconsent-optin-statistics">late</div><p id="late-out" class="cookieconsent-optout-statistics">late notice</p>',
    );
  });
  await p.waitForFunction(() => getComputedStyle(document.getElementById('late-out')).display === 'none');
  assert.equal(await shown(p, 'late-in'), true);
  await engineCached(p);

  // Returning visitor: right as the parser reaches them.
  await p.reload();
  assert.equal(await p.evaluate(() => window.__atParse), 'block');
  await kelisimSettled(p);
  assert.deepEqual(await state(), statisticsOnly, 'returning visitor');

  // reset(): as on a first visit.
  await p.evaluate(() => window.kelisim.reset());
  assert.deepEqual(await state(), nothing, 'reset');
  assert.deepEqual(errors, []);
  await close();
});

test("the CookieConsent cookie: written by the engine beside kelisim's, read by the server, rewritten on withdrawal, removed on reset", async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-cbid="${CBID}" type="text/javascript"></script>
</head><body></body></html>`);
  const { page: p, context, errors, close } = await openPage(browser);
  const cookie = async (name) => (await context.cookies()).find((c) => c.name === name);
  const serverSees = () => p.evaluate(() => fetch('/server-side').then((r) => r.json()));
  // A copy left by Cookiebot itself claims a decision kelisim does not hold: it goes.
  await context.addCookies([
    {
      name: 'CookieConsent',
      value: '{stamp:%27-1%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:true%2Cmarketing:true%2Cver:1}',
      domain: 'site.test',
      path: '/',
    },
  ]);
  await p.goto(url);
  await kelisimSettled(p);
  assert.equal(await cookie('CookieConsent'), undefined);
  assert.equal(await serverSees(), null);

  await p.evaluate(() => Cookiebot.submitCustomConsent(false, true, false));
  const [consent, own] = [await cookie('CookieConsent'), await cookie('kelisim')];
  const id = await p.evaluate(() => window.kelisim.state().id);
  assert.match(
    consent.value,
    /^\{stamp:%27[0-9a-f-]{36}%27%2Cnecessary:true%2Cpreferences:false%2Cstatistics:true%2Cmarketing:false%2Cmethod:%27explicit%27%2Cver:1%2Cutc:\d{13}\}$/,
  );
  assert.equal(await p.evaluate(() => Cookiebot.consent.stamp), id);
  assert.equal(await p.evaluate(() => Cookiebot.consentID), id);
  assert.equal(consent.domain, own.domain, "beside kelisim's cookie");
  assert.equal(consent.path, own.path);
  assert.ok(Math.abs(consent.expires - own.expires) < 5, "as long as kelisim's decision");
  const seen = await serverSees();
  assert.deepEqual(
    { ...seen, utc: 0 },
    { stamp: id, necessary: true, preferences: false, statistics: true, marketing: false, method: 'explicit', ver: 1, utc: 0 },
  );
  assert.ok(Math.abs(seen.utc - Date.now()) < 60000);

  await p.evaluate(() => Cookiebot.withdraw());
  const withdrawn = await serverSees();
  assert.deepEqual([withdrawn.statistics, withdrawn.marketing, withdrawn.method, withdrawn.stamp], [false, false, 'explicit', id]);

  await p.evaluate(() => window.kelisim.reset());
  assert.equal(await cookie('CookieConsent'), undefined);
  assert.equal(await serverSees(), null);
  assert.deepEqual(await p.evaluate(() => [Cookiebot.hasResponse, Cookiebot.consent.method, Cookiebot.consent.stamp]), [false, null, '0']);
  assert.deepEqual(errors, []);
  await close();
});

test('regression (bug C): Cookiebot.consent.method is "explicit" after submitCustomConsent() and after withdraw()', async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig()}
<script src="/kelisim/kelisim.js"></script>
</head><body></body></html>`);
  const { page: p, close } = await openPage(browser);
  await p.goto(url);
  await kelisimSettled(p);
  assert.equal(await p.evaluate(() => Cookiebot.consent.method), null);
  await p.evaluate(() => Cookiebot.submitCustomConsent(true, false, true));
  assert.deepEqual(await p.evaluate(() => [Cookiebot.consent.method, Cookiebot.consent.preferences, Cookiebot.consent.marketing]), [
    'explicit',
    true,
    true,
  ]);
  await p.evaluate(() => Cookiebot.withdraw());
  assert.deepEqual(await p.evaluate(() => [Cookiebot.consent.method, Cookiebot.declined]), ['explicit', true]);
  await p.reload();
  await kelisimSettled(p);
  assert.equal(await p.evaluate(() => Cookiebot.consent.method), 'explicit');
  await close();
});

test('regression (bug A): a loader that sets src, then type="text/plain" data-cookieconsent, then inserts the tag', async () => {
  const loader = `<script>
  (function () {
    var s = document.createElement('script');
    s.src = 'http://stats.test:{{PORT}}/loaded.js';
    s.type = 'text/plain';
    s.setAttribute('data-cookieconsent', 'statistics');
    document.head.appendChild(s);
    var t = document.createElement('script');
    t.setAttribute('src', '/order.js');
    t.setAttribute('type', 'text/plain');
    t.setAttribute('data-cookieconsent', 'statistics');
    document.head.appendChild(t);
    var u = document.createElement('script');
    u.type = 'text/plain';
    u.src = 'http://stats.test:{{PORT}}/typed-first.js';
    u.setAttribute('data-category', 'analytics');
    document.head.appendChild(u);
  })();
</script>`;
  for (const autoBlock of [true, false]) {
    const config = { ...SITE, blocking: { autoBlock, cookieGuard: true } };
    const { page: p, close } = await openPage(browser);
    // First visit: held until the engine answers, inert until "accept all", then run once.
    await p.goto(
      page(
        `<!doctype html><html lang="en"><head>${inlineConfig(config)}<script src="/kelisim/kelisim.js"></script>${loader}</head><body></body></html>`,
      ),
    );
    await kelisimSettled(p);
    await p.waitForTimeout(200);
    assert.deepEqual(await ran(p), [], `autoBlock ${autoBlock}: nothing before a decision`);
    await click(p, 'banner', 'accept-all');
    await p.waitForFunction(() => (window.__ran || []).length === 2 && (window.__order || []).length > 0);
    await p.waitForTimeout(200);
    assert.deepEqual(await ran(p), ['stats/loaded.js', 'stats/typed-first.js'], 'once each, in the order inserted');
    assert.deepEqual(await p.evaluate(() => window.__order), ['external-1']);

    // Returning visitor whose configuration arrives late (fetched, after the loader ran).
    const late = page(
      `<!doctype html><html lang="en"><head><script src="/kelisim/kelisim.js" data-config="/late-${autoBlock}.json"></script>${loader}</head><body></body></html>`,
    );
    server.routes[`/late-${autoBlock}.json`] = (req, res) =>
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(config));
      }, 300);
    await p.goto(late);
    await kelisimSettled(p);
    await p.waitForFunction(() => (window.__ran || []).length === 2 && (window.__order || []).length > 0);
    assert.deepEqual(await ran(p), ['stats/loaded.js', 'stats/typed-first.js']);

    // After a rejection it stays inert.
    await p.evaluate(() => window.kelisim.rejectAll());
    await p.goto(late);
    await kelisimSettled(p);
    await p.waitForTimeout(300);
    assert.deepEqual(await ran(p), [], `autoBlock ${autoBlock}: rejected`);
    assert.equal(await p.evaluate(() => window.__order), undefined);
    await close();
  }
});

test('without compat.cookiebot, an object made for a Cookiebot-style tag goes away once the engine is up', async () => {
  const url = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
${inlineConfig({ ...SITE, compat: { cookiebot: false } })}
<script id="Cookiebot" src="/kelisim/kelisim.js" data-cbid="${CBID}"></script>
<script>window.__early = typeof window.Cookiebot;</script>
</head><body><div id="in" class="cookieconsent-optin-marketing">x</div></body></html>`);
  const { page: p, close } = await openPage(browser);
  await p.goto(url);
  await kelisimSettled(p);
  // The inline configuration says no: no Cookiebot object, and the markup is left as it is.
  assert.equal(await p.evaluate(() => window.__early), 'object', 'the tag element itself (named access)');
  assert.equal(await p.evaluate(() => window.Cookiebot instanceof HTMLElement), true);
  assert.equal(await shown(p, 'in'), true);
  // A data-config page only knows after fetching: the object made in advance is taken away.
  const fetched = page(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/kelisim/kelisim.js" data-config="/no-compat.json" data-cbid="${CBID}"></script>
<script>window.__early = typeof window.Cookiebot;</script>
</head><body><div id="in" class="cookieconsent-optin-marketing" style="display:flex">x</div></body></html>`);
  server.routes['/no-compat.json'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ ...SITE, compat: { cookiebot: false } }));
  };
  await p.goto(fetched);
  assert.equal(await p.evaluate(() => window.__early), 'object');
  await kelisimSettled(p);
  assert.equal(await p.evaluate(() => typeof window.Cookiebot), 'undefined');
  assert.equal(await p.evaluate(() => getComputedStyle(document.getElementById('in')).display), 'flex', 'its own display back');
  await close();
});
