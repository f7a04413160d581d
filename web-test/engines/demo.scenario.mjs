// The demo walk (demo/server.mjs, Dala Express): a first visit in Kazakh with
// nothing tracked, "accept all" runs the stand-ins and stores a receipt (and
// the endpoint re-sets the consent cookie from the server, for browsers that
// cap script-set cookies), a withdrawal in the dialog deletes the analytics
// cookies at once and keeps them away, and /receipts lists the receipts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer, STANDIN_NAMES } from '../../demo/server.mjs';
import { until } from './support.mjs';

const GA_COOKIES = ['_ga', '_ga_DEMO', '_gid'];
const HUBSPOT_COOKIES = ['hubspotutk', '__hstc'];
const DAY = 86400;
const isStandin = (host) => STANDIN_NAMES.includes(host.split('.')[0]) && host.endsWith('.test');

export default {
  name: 'demo walk',
  async setup(s) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelisim-engines-demo-'));
    s.state.demo = await startDemoServer({ port: 0, host: '127.0.0.1', dataDir });
    s.defer(() => s.state.demo.close());
    s.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    s.state.origin = `http://kz.meest.test:${s.state.demo.port}`;
    s.state.receipts = () => fetch(`http://127.0.0.1:${s.state.demo.port}/receipts.json`).then((r) => r.json());
  },
  steps: [
    [
      'first visit: / leads to the Kazakh site, banner in Kazakh; no stand-in host asked, no cookie at all',
      async (s) => {
        await s.page.goto(`${s.state.origin}/`);
        assert.equal(new URL(await s.page.url()).pathname, '/kk/');
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        assert.equal(settled.state.decided, false);
        await s.page.waitForSelector('[data-kelisim="banner"]');
        assert.equal(await s.page.evaluate(() => window.kelisim.language), 'kk');
        assert.match(await s.page.text('[data-kelisim="banner"]'), /[әғқңөұүһі]/, 'the banner speaks Kazakh');
        await s.page.goto(`${s.state.origin}/kk/media.html`);
        await s.page.settled();
        assert.equal(
          await until(async () => (await s.page.count('[data-kelisim="placeholder"]')) === 2),
          true,
          'YouTube and Facebook behind placeholders',
        );
        await s.page.goto(`${s.state.origin}/kk/`);
        await s.page.settled();
        await s.page.sleep(700); // longer than the GTM stand-in's late tag
        assert.deepEqual(
          s
            .requests()
            .filter((r) => isStandin(r.host))
            .map((r) => r.host + r.path),
          [],
          'a stand-in host was asked',
        );
        assert.deepEqual(await s.page.cookieNames(), []);
        assert.deepEqual(await s.page.evaluate(() => (window.__standins || []).map((e) => e.name)), []);
        assert.deepEqual(await s.state.receipts(), []);
        const probe = await s.page.probe();
        assert.deepEqual([...probe.errors, ...probe.violations], []);
      },
    ],
    [
      'accept all: GA, GTM and HubSpot run (GA sees analytics_storage granted), their cookies appear, one receipt stored',
      async (s) => {
        await s.page.click('[data-kelisim="banner"] [data-kelisim-action="accept-all"]');
        await s.page.waitFor(() => !!(window.__ran_ga && window.__ran_gtm && window.__ran_hubspot), null, { message: 'the stand-ins ran' });
        const ga = await s.page.evaluate(() => window.__standins.find((e) => e.name === 'ga').analytics_storage);
        assert.equal(ga, 'granted', 'the Consent Mode update came before GA');
        const names = await until(async () => {
          const n = await s.page.cookieNames();
          return [...GA_COOKIES, ...HUBSPOT_COOKIES, 'kelisim'].every((c) => n.includes(c)) && n;
        });
        assert.ok(names, `cookies: ${await s.page.cookieNames()}`);
        const receipts = await until(async () => {
          const r = await s.state.receipts();
          return r.length === 1 && r;
        });
        assert.ok(receipts, 'the receipt reached the endpoint');
        assert.equal(receipts[0].method, 'accept-all');
        assert.equal(receipts[0].id, (await s.page.evaluate(() => window.kelisim.state())).id);
      },
    ],
    [
      "the consent cookie lasts the configured year, re-set by the receipts endpoint's Set-Cookie",
      async (s) => {
        const post = await until(() =>
          s.requests('kz.meest.test').find((r) => r.path === '/consent-receipts' && r.method === 'POST' && r.status),
        );
        assert.ok(post, 'a receipt POST');
        assert.equal(post.status, 204);
        const value = (await s.page.cookies()).find((c) => c.name === 'kelisim').value;
        assert.ok(
          post.setCookies.some((h) => h.startsWith(`kelisim=${value};`) && /Max-Age=\d+|Expires=/i.test(h)),
          `the endpoint re-set the cookie: ${post.setCookies}`,
        );
        const cookie = (await s.page.cookies()).find((c) => c.name === 'kelisim');
        const days = (cookie.expires - Date.now() / 1000) / DAY;
        s.note(`kelisim cookie expires in ${days.toFixed(1)} days`);
        assert.ok(days > 360 && days <= 366, `the decision is kept for ${days.toFixed(1)} days`);
      },
    ],
    [
      "withdraw analytics in the dialog: GA cookies vanish at once, HubSpot's stay; a reload asks GA and GTM for nothing",
      async (s) => {
        await s.page.waitForSelector('[data-kelisim="reopen"]');
        await s.page.click('[data-kelisim="reopen"]');
        await s.page.waitForSelector('[data-kelisim="preferences"]');
        assert.equal(await s.page.checked('[data-kelisim="preferences"] input[data-kelisim-category="analytics"]'), true);
        await s.page.click('[data-kelisim="preferences"] input[data-kelisim-category="analytics"]');
        await s.page.click('[data-kelisim="preferences"] [data-kelisim-action="save"]');
        await s.page.waitForSelector('[data-kelisim="preferences"]', { state: 'detached' });
        const names = await s.page.cookieNames();
        for (const c of GA_COOKIES) assert.ok(!names.includes(c), `${c} still there: ${names}`);
        for (const c of [...HUBSPOT_COOKIES, 'kelisim']) assert.ok(names.includes(c), `${c} gone: ${names}`);
        const m = s.mark();
        await s.page.reload();
        assert.equal((await s.page.settled()).state.decided, true);
        await s.page.sleep(700);
        assert.deepEqual(
          s.since(m).filter((r) => r.host === 'ga.test' || r.host === 'gtm.test'),
          [],
        );
        assert.deepEqual(
          await s.page.evaluate(() => (window.__standins || []).map((e) => e.name).filter((n) => n === 'ga' || n === 'gtm')),
          [],
        );
        assert.ok(!(await s.page.cookieNames()).some((n) => GA_COOKIES.includes(n)));
      },
    ],
    [
      '/receipts lists both receipts under the id kelisim reports; no page error on the way',
      async (s) => {
        const state = await s.page.evaluate(() => window.kelisim.state());
        const probe = await s.page.probe();
        assert.deepEqual([...probe.errors, ...probe.violations], []);
        assert.ok(await until(async () => (await s.state.receipts()).length === 2), 'both receipts stored');
        await s.page.goto(`${s.state.origin}/receipts`);
        const rows = await s.page.evaluate(() =>
          Array.from(document.querySelectorAll('table.receipts tbody tr'), (tr) => Array.from(tr.cells, (td) => td.textContent.trim())),
        );
        assert.deepEqual(
          rows.map((r) => [r[2], r[3], r[5]]),
          [
            [state.id, '2', 'custom'],
            [state.id, '1', 'accept-all'],
          ],
        );
      },
    ],
  ],
};
