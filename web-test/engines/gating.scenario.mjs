// Gating and order (SPEC §2, §6): a gated analytics stand-in never reaches
// its server before consent; once allowed, the gated scripts run in document
// order; a returning visitor gets them again at once, with no banner.
import assert from 'node:assert/strict';

const banner = '[data-kelisim="banner"]';

export default {
  name: 'gating and order',
  steps: [
    [
      "first visit: banner, nothing gated requested or run, the page's own script runs",
      async (s) => {
        await s.page.goto(`${s.origin}/basic.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        assert.equal(settled.state.decided, false);
        await s.page.waitForSelector(banner);
        assert.equal(await s.page.visible(`${banner} [data-kelisim-action="accept-all"]`), true);
        assert.equal(await s.page.visible(`${banner} [data-kelisim-action="reject-all"]`), true);
        await s.page.sleep(300);
        assert.deepEqual(s.requests('stats.test'), [], 'the stand-in server saw a request');
        assert.deepEqual(s.requests('ads.test'), []);
        assert.equal(await s.page.evaluate(() => window.__ran ?? null), null, 'a gated script ran');
        assert.equal(await s.page.evaluate(() => window.__order ?? null), null);
        assert.equal(await s.page.evaluate(() => window.__ownRan), true, "the page's own script runs");
        assert.ok(!(await s.page.cookieNames()).includes('_st'));
        assert.deepEqual((await s.page.probe()).errors, []);
      },
    ],
    [
      'accept all (a click): the gated scripts run in document order, only once',
      async (s) => {
        await s.page.click(`${banner} [data-kelisim-action="accept-all"]`);
        await s.page.waitFor(() => (window.__ran || []).includes('stats/stats.js') && (window.__order || []).length === 2);
        assert.deepEqual(await s.page.evaluate(() => window.__order), ['external-1', 'inline-2'], 'document order');
        await s.page.waitForSelector(banner, { state: 'detached' });
        assert.equal(s.requests('stats.test').length, 1);
        assert.ok((await s.page.cookieNames()).includes('_st'), 'the stand-in set its cookie');
        assert.ok((await s.page.cookieNames()).includes('kelisim'), 'the decision is stored');
        const state = await s.page.evaluate(() => window.kelisim.state());
        assert.equal(state.method, 'accept-all');
        assert.deepEqual((await s.page.probe()).errors, []);
      },
    ],
    [
      'returning visit: the gated scripts run again in order, no banner',
      async (s) => {
        const m = s.mark();
        await s.page.reload();
        await s.page.waitFor(() => (window.__ran || []).includes('stats/stats.js') && (window.__order || []).length === 2);
        assert.deepEqual(await s.page.evaluate(() => window.__order), ['external-1', 'inline-2']);
        assert.equal(s.since(m, 'stats.test').length, 1);
        const settled = await s.page.settled();
        assert.equal(settled.state.decided, true);
        assert.equal(await s.page.count(banner), 0, 'no banner for a returning visitor');
        await s.page.waitForSelector('[data-kelisim="reopen"]');
      },
    ],
    [
      'reject all, then a reload: nothing gated is requested and no banner',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.rejectAll());
        const m = s.mark();
        await s.page.reload();
        const settled = await s.page.settled();
        assert.equal(settled.state.decided, true);
        await s.page.sleep(300);
        assert.deepEqual(s.since(m, 'stats.test'), []);
        assert.equal(await s.page.evaluate(() => window.__ran ?? null), null);
        assert.equal(await s.page.count(banner), 0);
        assert.ok(!(await s.page.cookieNames()).includes('_st'), "the withdrawn stand-in's cookie is gone");
      },
    ],
  ],
};
