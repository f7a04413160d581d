// Google Consent Mode v2 order (SPEC §6): the `default` (all denied but
// security_storage) is the first thing in dataLayer, pushed as gtag pushes
// (an arguments object) before any tag; the `update` follows each decision,
// and on a returning visit it is in dataLayer before the tag it allows runs.
import assert from 'node:assert/strict';

const DENIED = {
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
  analytics_storage: 'denied',
  functionality_storage: 'denied',
  personalization_storage: 'denied',
  security_storage: 'granted',
};

export default {
  name: 'Consent Mode order',
  routes(server) {
    // A page whose own first script looks at dataLayer right after kelisim.js.
    server.routes['/cm.html'] = (req, res) =>
      server.html(
        res,
        `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json"></script>
<script src="/cm-look.js"></script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script type="text/plain" data-category="marketing" src="http://ads.test:{{PORT}}/ads.js"></script>
</head><body><p>consent mode</p></body></html>`,
      );
    server.routes['/cm-look.js'] = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(
        "window.__atStart = (window.dataLayer || []).map(function (e) { return Object.prototype.toString.call(e) + ' ' + e[0] + ':' + e[1]; }); window.__gtagType = typeof window.gtag;",
      );
    };
  },
  steps: [
    [
      'default: first in dataLayer, an arguments object, all denied but security_storage, before the next script',
      async (s) => {
        await s.page.goto(`${s.origin}/cm.html`);
        assert.deepEqual(await s.page.evaluate(() => window.__atStart), ['[object Arguments] consent:default'], 'what the next script saw');
        assert.equal(await s.page.evaluate(() => window.__gtagType), 'function');
        const first = await s.page.evaluate(() => {
          const e = window.dataLayer[0];
          return [Object.prototype.toString.call(e), e[0], e[1], { ...e[2] }];
        });
        // config-basic.json is fetched: the synchronous default has the built-in wait_for_update
        assert.deepEqual(first, ['[object Arguments]', 'consent', 'default', { ...DENIED, wait_for_update: 500 }]);
        await s.page.settled();
        await s.page.sleep(200);
        assert.deepEqual(s.requests('stats.test'), []);
      },
    ],
    [
      'a decision: the update follows it, granting exactly what was allowed; then the allowed tag runs and sees it',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.accept(['analytics']));
        const cmds = await s.page.evaluate(() =>
          window.dataLayer.filter((e) => e && e[0] === 'consent').map((e) => [Object.prototype.toString.call(e), e[1], { ...e[2] }]),
        );
        assert.equal(cmds.length, 2, JSON.stringify(cmds));
        assert.deepEqual(cmds[1], ['[object Arguments]', 'update', { ...DENIED, analytics_storage: 'granted' }]);
        await s.page.waitFor(() => (window.__ran || []).includes('stats/stats.js'));
        const seen = await s.page.evaluate(() => window.__seen['stats/stats.js']);
        assert.deepEqual(
          seen.filter((e) => e && e.startsWith('consent:')),
          ['consent:default:denied', 'consent:update:granted'],
        );
        const order = await s.page.evaluate(() => window.dataLayer.map((e) => (e && e.event) || (e && e[0] + ':' + e[1])));
        assert.ok(
          order.indexOf('kelisim_consent') > order.indexOf('consent:update'),
          `the kelisim_consent event follows the update: ${order}`,
        );
      },
    ],
    [
      'returning visit: default, then update granted, both in dataLayer before the allowed tag runs',
      async (s) => {
        await s.page.reload();
        await s.page.waitFor(() => (window.__ran || []).includes('stats/stats.js'));
        const seen = await s.page.evaluate(() => window.__seen['stats/stats.js']);
        assert.deepEqual(seen.filter((e) => e && e.startsWith('consent:')).slice(0, 2), [
          'consent:default:denied',
          'consent:update:granted',
        ]);
        assert.deepEqual(await s.page.evaluate(() => window.__atStart), ['[object Arguments] consent:default']);
        await s.page.sleep(200);
        assert.equal(await s.page.evaluate(() => (window.__ran || []).includes('ads/ads.js')), false, 'marketing stays off');
      },
    ],
  ],
};
