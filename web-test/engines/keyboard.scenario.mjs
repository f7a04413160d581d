// Keyboard and focus (SPEC §5): the banner is reached with Tab from the top
// of the page and operated with Enter; the preferences dialog takes focus,
// keeps Tab inside, Space flips a switch, Escape closes it and gives focus
// back; a decision and a withdrawal need nothing but the keyboard.
import assert from 'node:assert/strict';
import { addUiPage } from './support.mjs';

const banner = '[data-kelisim="banner"]';
const prefs = '[data-kelisim="preferences"]';

/** Presses Tab until `ok(focused)` (at most `max` times); returns every stop. */
async function tabUntil(page, ok, max = 12, keys = 'Tab') {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.press(keys);
    const f = await page.focused();
    stops.push(f);
    if (ok(f)) return stops;
  }
  throw new Error(`${keys} ×${max} never got there; stops: ${JSON.stringify(stops.map((f) => f.key))}`);
}

export default {
  name: 'keyboard and focus',
  routes: (server) => addUiPage(server),
  steps: [
    [
      'Tab from the top of the page reaches the banner: its buttons in order, each with a visible focus ring',
      async (s) => {
        await s.page.goto(`${s.origin}/ui-page.html`);
        await s.page.settled();
        await s.page.waitForSelector(banner);
        const stops = await tabUntil(s.page, (f) => f.inBanner);
        assert.ok(stops.length <= 3, `the banner is not first in the tab order: ${JSON.stringify(stops.map((f) => f.key))}`);
        const order = [stops.at(-1)];
        for (let i = 0; i < 4 && order.at(-1).inBanner; i++) {
          await s.page.press('Tab');
          order.push(await s.page.focused());
        }
        const keys = order.filter((f) => f.inBanner).map((f) => f.key);
        const buttons = keys.filter((k) => ['accept-all', 'reject-all', 'preferences'].includes(k));
        assert.deepEqual(buttons, ['accept-all', 'reject-all', 'preferences'], `banner stops: ${keys}`);
        for (const f of order.filter((x) => x.inBanner && x.tag === 'button'))
          assert.notEqual(f.outline, 'none', `no focus ring on ${f.key}`);
      },
    ],
    [
      'Enter on "preferences" opens the dialog with focus inside; Tab and Shift+Tab stay inside; Space flips a switch',
      async (s) => {
        await s.page.focus(`${banner} [data-kelisim-action="preferences"]`);
        await s.page.press('Enter');
        await s.page.waitForSelector(prefs);
        assert.equal((await s.page.focused()).inDialog, true, 'focus moved into the dialog');
        const seen = new Set();
        for (let i = 0; i < 16; i++) {
          await s.page.press('Tab');
          const f = await s.page.focused();
          assert.equal(f.inDialog, true, `Tab ${i + 1} left the dialog: ${JSON.stringify(f)}`);
          seen.add(f.key);
        }
        for (const k of ['category:analytics', 'accept-all', 'reject-all', 'save', 'close'])
          assert.ok(seen.has(k), `Tab never reached ${k}: ${[...seen]}`);
        for (let i = 0; i < 5; i++) {
          await s.page.press('Shift+Tab');
          assert.equal((await s.page.focused()).inDialog, true, `Shift+Tab ${i + 1} left the dialog`);
        }
        await tabUntil(s.page, (f) => f.key === 'category:analytics', 20);
        await s.page.press('Space');
        assert.equal(await s.page.checked(`${prefs} input[data-kelisim-category="analytics"]`), true);
        await s.page.press('Space');
        assert.equal(await s.page.checked(`${prefs} input[data-kelisim-category="analytics"]`), false);
      },
    ],
    [
      "Escape closes the dialog without a decision; focus returns to the banner's button",
      async (s) => {
        await s.page.press('Escape');
        await s.page.waitForSelector(prefs, { state: 'detached' });
        assert.equal((await s.page.focused()).key, 'preferences');
        assert.equal((await s.page.evaluate(() => window.kelisim.state())).decided, false);
        assert.equal(await s.page.visible(banner), true);
      },
    ],
    [
      'a decision by keyboard: Shift+Tab to "reject all", Enter: decided, banner gone',
      async (s) => {
        await tabUntil(s.page, (f) => f.key === 'reject-all', 3, 'Shift+Tab');
        await s.page.press('Enter');
        await s.page.waitForSelector(banner, { state: 'detached' });
        const state = await s.page.evaluate(() => window.kelisim.state());
        assert.equal(state.decided, true);
        assert.equal(state.method, 'reject-all');
      },
    ],
    [
      'withdrawing is as easy: the reopen button, reached by Tab, opens the dialog; save by keyboard',
      async (s) => {
        await s.page.waitForSelector('[data-kelisim="reopen"]');
        if ((await s.page.focused()).key !== 'reopen') await tabUntil(s.page, (f) => f.key === 'reopen', 20);
        await s.page.press('Enter');
        await s.page.waitForSelector(prefs);
        await tabUntil(s.page, (f) => f.key === 'category:analytics', 20);
        await s.page.press('Space');
        await tabUntil(s.page, (f) => f.key === 'save', 20);
        await s.page.press('Enter');
        await s.page.waitForSelector(prefs, { state: 'detached' });
        const state = await s.page.evaluate(() => window.kelisim.state());
        assert.equal(state.method, 'custom');
        assert.ok(state.categories.includes('analytics'));
        assert.equal((await s.page.focused()).key, 'reopen', 'focus back on the reopen button');
      },
    ],
  ],
};
