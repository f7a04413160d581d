// Receipts (SPEC §6): each decision is POSTed as JSON to receipts.endpoint
// with the instance's id and a growing sequence, and no personal data; one
// the endpoint could not take is kept and sent again on a later page load.
import assert from 'node:assert/strict';
import { until } from './support.mjs';

const posted = (s) => s.requests('site.test').filter((r) => r.path === '/consent-receipts' && r.method === 'POST');

export default {
  name: 'receipts',
  routes(server) {
    server.state = { status: 204 };
    server.routes['/consent-receipts'] = (req, res) => {
      res.writeHead(server.state.status);
      res.end();
    };
  },
  steps: [
    [
      'no receipt before a decision',
      async (s) => {
        await s.page.goto(`${s.origin}/basic.html`);
        await s.page.settled();
        await s.page.sleep(200);
        assert.deepEqual(posted(s), []);
      },
    ],
    [
      "a click and an API call: two receipts, same id, sequence 1 and 2, only the receipt's fields",
      async (s) => {
        await s.page.click('[data-kelisim="banner"] [data-kelisim-action="accept-all"]');
        await s.page.evaluate(() => window.kelisim.rejectAll());
        await until(() => posted(s).length >= 2 && posted(s).every((r) => r.status));
        const receipts = posted(s).map((r) => JSON.parse(r.body));
        const state = await s.page.evaluate(() => window.kelisim.state());
        assert.deepEqual(
          receipts.map((r) => [r.id, r.sequence, r.method]),
          [
            [state.id, 1, 'accept-all'],
            [state.id, 2, 'api'],
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
        assert.ok(receipts[0].accepted.includes('analytics') && receipts[1].rejected.includes('analytics'));
        const ua = await s.page.evaluate(() => navigator.userAgent);
        assert.ok(!JSON.stringify(receipts).includes(ua), 'no user agent in a receipt');
      },
    ],
    [
      'the endpoint fails (503): the receipt is kept, and a later page load delivers it',
      async (s) => {
        s.server.state.status = 503;
        const before = posted(s).length;
        await s.page.evaluate(() => window.kelisim.accept(['analytics']));
        await until(() => posted(s).length > before && posted(s)[before].status);
        assert.equal(posted(s)[before].status, 503, 'the attempt reached the endpoint and was refused');
        s.server.state.status = 204;
        await s.page.reload();
        await s.page.settled();
        const delivery = await until(() =>
          posted(s)
            .slice(before)
            .find((r) => r.status === 204),
        );
        assert.ok(delivery, 'sent again on the next load');
        const [refused, delivered] = [posted(s)[before], delivery].map((r) => JSON.parse(r.body));
        assert.deepEqual(delivered, refused, 'the same receipt');
        assert.equal(delivered.sequence, 3);
        assert.equal(delivered.method, 'api');
      },
    ],
  ],
};
