// Withdrawal cleanup (SPEC §6): when a category or service stops being
// allowed, its cookies (host-only and on parent domains, any path) and its
// storage keys are deleted at once; other cookies and keys stay.
import assert from 'node:assert/strict';

const prefs = '[data-kelisim="preferences"]';

export default {
  name: 'withdrawal cleanup',
  steps: [
    [
      'accept all on shop.site.test; stand-in cookies on the host, the parent domain and a path; storage keys',
      async (s) => {
        s.state.url = `http://shop.site.test:${s.server.port}/autoblock.html`;
        await s.page.goto(s.state.url);
        await s.page.settled();
        await s.page.evaluate(() => window.kelisim.acceptAll());
        await s.page.evaluate(() => {
          document.cookie = '_st=1; path=/';
          document.cookie = '_st_2=1; path=/; domain=site.test';
          document.cookie = '_ad=1; path=/autoblock.html';
          document.cookie = '_ad=2; path=/; domain=site.test';
          document.cookie = 'own_pref=2; path=/';
          localStorage.setItem('st_visits', '3');
          sessionStorage.setItem('ad_seen', '1');
          localStorage.setItem('cart', 'keep');
        });
        const names = await s.page.cookies();
        for (const n of ['_st', '_st_2', '_ad', 'own_pref'])
          assert.ok(
            names.some((c) => c.name === n),
            `${n} set`,
          );
        const ad = names.filter((c) => c.name === '_ad');
        assert.ok(
          ad.some((c) => c.path === '/autoblock.html'),
          `_ad on the page's path: ${JSON.stringify(ad)}`,
        );
        assert.ok(
          ad.some((c) => c.domain.replace(/^\./, '') === 'site.test'),
          `_ad on the parent domain: ${JSON.stringify(ad)}`,
        );
      },
    ],
    [
      'withdraw analytics in the dialog (reopen button, switch, save): its cookies and keys go at once',
      async (s) => {
        await s.page.waitForSelector('[data-kelisim="reopen"]');
        await s.page.click('[data-kelisim="reopen"]');
        await s.page.waitForSelector(prefs);
        assert.equal(await s.page.checked(`${prefs} input[data-kelisim-category="analytics"]`), true, 'the dialog shows the decision');
        await s.page.click(`${prefs} input[data-kelisim-category="analytics"]`);
        assert.equal(await s.page.checked(`${prefs} input[data-kelisim-category="analytics"]`), false);
        await s.page.click(`${prefs} [data-kelisim-action="save"]`);
        await s.page.waitForSelector(prefs, { state: 'detached' });
        const names = await s.page.cookieNames();
        for (const n of ['_st', '_st_2']) assert.ok(!names.includes(n), `${n} still there: ${names}`);
        for (const n of ['_ad', 'own_pref', 'kelisim']) assert.ok(names.includes(n), `${n} should stay: ${names}`);
        assert.deepEqual(
          await s.page.evaluate(() => [localStorage.getItem('st_visits'), sessionStorage.getItem('ad_seen'), localStorage.getItem('cart')]),
          [null, '1', 'keep'],
        );
        const state = await s.page.evaluate(() => window.kelisim.state());
        assert.equal(state.method, 'custom');
        assert.ok(!state.categories.includes('analytics') && state.categories.includes('marketing'));
      },
    ],
    [
      "reject all: the marketing cookies on every path and domain and its keys go; the site's own stay",
      async (s) => {
        await s.page.evaluate(() => window.kelisim.rejectAll());
        const cookies = await s.page.cookies();
        assert.deepEqual(
          cookies.filter((c) => c.name === '_ad'),
          [],
          '_ad left behind',
        );
        assert.ok(cookies.some((c) => c.name === 'own_pref'));
        assert.deepEqual(await s.page.evaluate(() => [sessionStorage.getItem('ad_seen'), localStorage.getItem('cart')]), [null, 'keep']);
      },
    ],
    [
      'a reload after the withdrawal: the refused stand-ins neither run nor set cookies again',
      async (s) => {
        const m = s.mark();
        await s.page.reload();
        await s.page.settled();
        await s.page.sleep(300);
        assert.deepEqual([...s.since(m, 'stats.test'), ...s.since(m, 'ads.test')], []);
        const names = await s.page.cookieNames();
        for (const n of ['_st', '_st_2', '_ad']) assert.ok(!names.includes(n), `${n} came back: ${names}`);
      },
    ],
  ],
};
