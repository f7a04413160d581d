// Other tabs (SPEC §6): a decision made in one tab applies in the site's
// other open tabs within a second — gated content activates there,
// kelisim:change fires, the banner goes; a withdrawal reaches them too.
// Two tabs of one browser session in every engine (WebKit: two MiniBrowser
// tabs through WebDriver's New Window).
import assert from 'node:assert/strict';

export default {
  name: 'cross-tab',
  steps: [
    [
      'two tabs of the site, both undecided, both showing the banner',
      async (s) => {
        s.state.other = await s.session.newPage();
        for (const p of [s.page, s.state.other]) {
          await p.goto(`${s.origin}/basic.html`);
          assert.equal((await p.settled()).state.decided, false);
          await p.waitForSelector('[data-kelisim="banner"]');
        }
        await s.state.other.evaluate(() => {
          window.__changes = [];
          window.addEventListener('kelisim:change', (e) =>
            window.__changes.push({ at: Date.now(), accepted: e.detail.accepted, rejected: e.detail.rejected }),
          );
          window.__ranAt = null;
          const check = () => {
            if (!window.__ranAt && (window.__ran || []).includes('stats/stats.js')) window.__ranAt = Date.now();
            else setTimeout(check, 10);
          };
          check();
        });
      },
    ],
    [
      'accept in the first tab: the other tab runs the analytics stand-in within a second and stops asking',
      async (s) => {
        const other = s.state.other;
        const decidedAt = await s.page.evaluate(() => {
          window.kelisim.accept(['analytics']);
          return Date.now();
        });
        const ranAt = await other
          .waitFor(() => window.__ranAt, null, { timeout: 5000, message: 'the other tab ran the stand-in' })
          .catch(async (err) => {
            const seen = await other.evaluate(() => ({
              changes: window.__changes,
              cookie: document.cookie,
              state: window.kelisim.state(),
            }));
            throw new Error(`${err.message}; the other tab saw ${JSON.stringify(seen)}`);
          });
        assert.ok(ranAt - decidedAt <= 1000, `the other tab took ${ranAt - decidedAt} ms`);
        const changes = await other.evaluate(() => window.__changes);
        assert.equal(changes.length, 1);
        assert.ok(changes[0].accepted.includes('analytics'));
        await other.waitForSelector('[data-kelisim="banner"]', { state: 'detached', timeout: 2000 });
        assert.equal(await other.evaluate(() => window.kelisim.isAllowed('analytics')), true);
      },
    ],
    [
      'withdraw in the first tab: the other tab hears it within a second',
      async (s) => {
        const other = s.state.other;
        const decidedAt = await s.page.evaluate(() => {
          window.kelisim.rejectAll();
          return Date.now();
        });
        const change = await other.waitFor(() => window.__changes[1] || null, null, { timeout: 5000, message: 'a second kelisim:change' });
        assert.ok(change.at - decidedAt <= 1000, `the other tab took ${change.at - decidedAt} ms`);
        assert.ok(change.rejected.includes('analytics'));
        assert.equal(await other.evaluate(() => window.kelisim.isAllowed('analytics')), false);
      },
    ],
  ],
};
