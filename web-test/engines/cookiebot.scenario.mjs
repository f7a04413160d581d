// The Cookiebot surface (compat.cookiebot) in every engine: window.Cookiebot
// right after kelisim's tag, its answers before and after a decision,
// Cookiebot's events once each, and the opt-in / opt-out elements.
import assert from 'node:assert/strict';

const SITE = {
  revision: 1,
  categories: {
    necessary: { required: true },
    preferences: {},
    analytics: { consentMode: ['analytics_storage'] },
    marketing: { consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'] },
  },
  aliases: { statistics: 'analytics' },
  services: { stats: { category: 'analytics', hosts: ['stats.test'], cookies: ['_st'] } },
  compat: { cookiebot: true },
};
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${JSON.stringify(SITE)}</script>
<script src="/kelisim/kelisim.js"></script>
<script>window.__cb = { type: typeof Cookiebot, hasResponse: window.Cookiebot && Cookiebot.hasResponse,
  statistics: window.Cookiebot && Cookiebot.consent.statistics, marketing: window.Cookiebot && Cookiebot.consent.marketing };
window.__events = [];
['CookiebotOnConsentReady', 'CookiebotOnAccept', 'CookiebotOnDecline'].forEach(function (n) { window.addEventListener(n, function () { window.__events.push(n); }); });</script>
<script type="text/plain" data-cookieconsent="statistics" src="http://stats.test:{{PORT}}/cb.js"></script>
<script src="/own.js"></script></head><body>
<div id="in" class="cookieconsent-optin-statistics">charts</div>
<p id="out" class="cookieconsent-optout-statistics">accept statistics cookies to see the charts</p>
</body></html>`;

const shown = (s, id) => s.page.evaluate((i) => getComputedStyle(document.getElementById(i)).display !== 'none', id);
const engineCached = (s) => s.page.waitFor(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000);

export default {
  name: 'Cookiebot surface',
  routes(server) {
    server.routes['/cookiebot.html'] = (req, res) => server.html(res, page);
  },
  steps: [
    [
      'first visit: window.Cookiebot exists right after the tag and claims no decision; opt-in hidden, opt-out shown',
      async (s) => {
        await s.page.goto(`${s.origin}/cookiebot.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        const cb = await s.page.evaluate(() => window.__cb);
        assert.equal(cb.type, 'object');
        assert.equal(cb.hasResponse, false);
        assert.equal(cb.statistics, false);
        assert.equal(await shown(s, 'in'), false);
        assert.equal(await shown(s, 'out'), true);
        assert.deepEqual(await s.page.evaluate(() => window.__events), [], 'no event before a decision');
        assert.deepEqual(s.requests('stats.test'), []);
      },
    ],
    [
      'accept statistics: CookiebotOnAccept once, the tag runs, opt-in shown, opt-out hidden',
      async (s) => {
        await s.page.evaluate(() => window.Cookiebot.submitCustomConsent(false, true, false));
        await s.page.waitFor(() => (window.__ran || []).includes('stats/cb.js'));
        await s.page.waitFor(() => window.__events.includes('CookiebotOnAccept'));
        await s.page.sleep(200);
        assert.equal((await s.page.evaluate(() => window.__events)).filter((e) => e === 'CookiebotOnAccept').length, 1);
        assert.deepEqual(
          await s.page.evaluate(() => [
            Cookiebot.consent.statistics,
            Cookiebot.consent.marketing,
            Cookiebot.consent.method,
            Cookiebot.hasResponse,
          ]),
          [true, false, 'explicit', true],
        );
        assert.equal(await shown(s, 'in'), true);
        assert.equal(await shown(s, 'out'), false);
        assert.ok((await s.page.cookieNames()).includes('CookieConsent'), 'the CookieConsent cookie server-side readers use');
      },
    ],
    [
      'returning visitor: Cookiebot answers from the stored decision right after the tag',
      async (s) => {
        await engineCached(s);
        await s.page.reload();
        await s.page.waitFor(() => window.__ownRan === true);
        assert.deepEqual(await s.page.evaluate(() => window.__cb), {
          type: 'object',
          hasResponse: true,
          statistics: true,
          marketing: false,
        });
      },
    ],
  ],
};
