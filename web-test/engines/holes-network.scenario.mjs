// Blocking without holes (issue 13), in every engine: first-party page code
// calling fetch, XMLHttpRequest and sendBeacon for a tracker's host, or
// writing its storage key with setItem, reaches nothing before a decision or
// after "reject all", and does after "accept all"; a tracker's cookie that a
// server set again is deleted at the next page start. A host no service
// names is the control. The Cookie Store API (Chromium only) is covered by
// web-test/holes-network.test.mjs.
import assert from 'node:assert/strict';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>holes</title>
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json" data-ui="false"></script>
<script src="/holes-net.js"></script></head><body><p>page</p></body></html>`;
const PATHS = ['fetch', 'xhr', 'beacon'];

/** Runs the three request paths to the tracker and the control; resolves once the control's requests arrived. */
async function tryAll(s, tag) {
  const port = s.server.port;
  const seen = {};
  for (const path of PATHS) {
    seen[path] = await s.page.evaluate(([p, u]) => window.holes.run(p, u), [path, `http://stats.test:${port}/x?t=${tag}-${path}`]);
    await s.page.evaluate(([p, u]) => window.holes.run(p, u), [path, `http://fonts.test:${port}/x?t=${tag}-${path}`]);
  }
  const arrived = () => PATHS.every((p) => s.requests('fonts.test').some((r) => r.search === `?t=${tag}-${p}`));
  for (let i = 0; i < 60 && !arrived(); i++) await s.page.sleep(50);
  assert.ok(arrived(), `the control host got: ${JSON.stringify(s.requests('fonts.test').map((r) => r.search))}`);
  await s.page.sleep(300);
  return { seen, tracker: s.requests('stats.test').filter((r) => r.search.startsWith(`?t=${tag}-`)) };
}
const storage = (s, key) => s.page.evaluate((k) => window.holes.run('storage-setItem', k), key);

export default {
  name: 'blocking without holes: requests, storage, page-start cleanup',
  routes: (server) => {
    server.routes['/holes.html'] = (req, res) => server.html(res, PAGE);
    server.routes['/set-st'] = (req, res) => {
      res.writeHead(204, { 'set-cookie': ['_st=again; Path=/; Max-Age=3600'] });
      res.end();
    };
  },
  steps: [
    [
      'before a decision: fetch, XHR and sendBeacon to the tracker fail as network errors; setItem of its key is dropped',
      async (s) => {
        await s.page.goto(`${s.origin}/holes.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        assert.equal(settled.state.decided, false);
        const { seen, tracker } = await tryAll(s, 'undecided');
        assert.deepEqual(seen, { fetch: 'TypeError', xhr: 'error:4:0 loadend', beacon: 'false' });
        assert.deepEqual(tracker, []);
        assert.equal(await storage(s, 'st_undecided'), 'false');
        assert.equal(await storage(s, 'cart_undecided'), 'true');
      },
    ],
    [
      'after reject all: the same; a first-party endpoint sets the tracker cookie again and the next page start deletes it',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.rejectAll());
        const { seen, tracker } = await tryAll(s, 'rejected');
        assert.deepEqual(seen, { fetch: 'TypeError', xhr: 'error:4:0 loadend', beacon: 'false' });
        assert.deepEqual(tracker, []);
        assert.equal(await storage(s, 'st_rejected'), 'false');
        await s.page.evaluate(() => fetch('/set-st').then(() => undefined));
        assert.ok((await s.page.cookieNames()).includes('_st'), 'the server set it');
        await s.page.reload();
        await s.page.settled();
        const names = await s.page.cookieNames();
        assert.ok(!names.includes('_st'), `the page start left it: ${names}`);
        assert.ok(names.includes('kelisim'), `the consent cookie went: ${names}`);
        assert.deepEqual((await s.page.probe()).errors, []);
      },
    ],
    [
      'after accept all: the tracker gets every request and its key and server cookie stay',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.acceptAll());
        const { seen, tracker } = await tryAll(s, 'accepted');
        assert.deepEqual(seen, { fetch: 'ok', xhr: 'load loadend', beacon: 'true' });
        for (let i = 0; i < 40 && tracker.length < 3; i++) {
          await s.page.sleep(50);
          tracker.splice(0, tracker.length, ...s.requests('stats.test').filter((r) => r.search.startsWith('?t=accepted-')));
        }
        assert.deepEqual(tracker.map((r) => r.search).sort(), ['?t=accepted-beacon', '?t=accepted-fetch', '?t=accepted-xhr']);
        assert.equal(await storage(s, 'st_accepted'), 'true');
        await s.page.evaluate(() => fetch('/set-st').then(() => undefined));
        await s.page.reload();
        await s.page.settled();
        assert.ok((await s.page.cookieNames()).includes('_st'));
      },
    ],
  ],
};
