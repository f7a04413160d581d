// Placeholders (SPEC §2, §5): a gated iframe and image are replaced by a
// placeholder that names the service and offers "load once" and "always
// allow"; nothing reaches the provider before a click; "load once" loads just
// that element without deciding anything; "always allow" is a decision.
import assert from 'node:assert/strict';
import { addUiPage, until } from './support.mjs';

const ph = '[data-kelisim="placeholder"]';
/** The placeholder standing in for #id (its host comes right before the element). */
const holder = (id) => `kelisim-ui:has(+ #${id})`;
/** Clicks `sel` inside the placeholder of #id. */
const clickIn = (page, id, sel) =>
  page
    .evaluate(
      ({ id, sel }) => {
        const host = document.getElementById(id).previousElementSibling;
        const el = host && host.shadowRoot && host.shadowRoot.querySelector(sel);
        if (!el) return false;
        el.setAttribute('data-engines-target', id);
        return true;
      },
      { id, sel },
    )
    .then((found) => {
      assert.ok(found, `no ${sel} in the placeholder of #${id}`);
      return page.click(`[data-engines-target="${id}"]`);
    });
const youtube = (s) => s.requests('youtube.test').map((r) => r.path);

export default {
  name: 'placeholders',
  routes: (server) => addUiPage(server),
  steps: [
    [
      'before consent: a placeholder per gated element naming the service, both buttons; the provider sees nothing',
      async (s) => {
        await s.page.goto(`${s.origin}/ui-page.html`);
        assert.equal((await s.page.settled()).ok, true);
        await s.page.waitForSelector(ph);
        assert.equal(await s.page.count(ph), 2);
        for (const text of await s.page.texts(ph)) assert.match(text, /YouTube/, 'the placeholder names the service');
        assert.equal(await s.page.count(`${ph} [data-kelisim-action="load-once"]`), 2);
        assert.equal(await s.page.count(`${ph} [data-kelisim-action="allow-service"]`), 2);
        assert.equal(await s.page.count(holder('video')), 1, 'the placeholder sits where the iframe is');
        for (const id of ['video', 'thumb']) {
          assert.deepEqual(
            await s.page.evaluate((id) => {
              const e = document.getElementById(id);
              return [e.getAttribute('src'), e.getClientRects().length > 0];
            }, id),
            [null, false],
            id,
          );
        }
        await s.page.sleep(300);
        assert.deepEqual(youtube(s), [], 'the provider was asked for something');
      },
    ],
    [
      '"load once" on the video: only that frame loads; nothing is decided; the image keeps its placeholder',
      async (s) => {
        await clickIn(s.page, 'video', '[data-kelisim-action="load-once"]');
        await s.page.waitFor(() => !!document.getElementById('video').getAttribute('src'), null, { message: 'the frame got its src' });
        assert.deepEqual(await until(() => youtube(s).length && youtube(s)), ['/frame/embed/intro']);
        assert.equal(await s.page.count(ph), 1);
        assert.equal(await s.page.evaluate(() => document.getElementById('thumb').getAttribute('src')), null);
        assert.equal((await s.page.evaluate(() => window.kelisim.state())).decided, false);
        assert.equal(await s.page.visible('[data-kelisim="banner"]'), true, 'the banner still asks');
      },
    ],
    [
      'a reload: "load once" was not a decision, both placeholders are back, nothing requested',
      async (s) => {
        const m = s.mark();
        await s.page.reload();
        await s.page.settled();
        await s.page.waitForSelector(ph);
        assert.equal(await until(async () => (await s.page.count(ph)) === 2), true);
        await s.page.sleep(300);
        assert.deepEqual(s.since(m, 'youtube.test'), []);
      },
    ],
    [
      '"always allow" on the image: a custom decision for the service; every placeholder goes, both load, and stay allowed',
      async (s) => {
        await clickIn(s.page, 'thumb', '[data-kelisim-action="allow-service"]');
        await s.page.waitForSelector(ph, { state: 'detached' });
        const state = await s.page.evaluate(() => window.kelisim.state());
        assert.equal(state.method, 'custom');
        assert.ok(state.services.includes('youtube'));
        await s.page.waitFor(
          () => !!(document.getElementById('video').getAttribute('src') && document.getElementById('thumb').getAttribute('src')),
        );
        const m = s.mark();
        await s.page.reload();
        await s.page.waitFor(() => !!document.getElementById('video').getAttribute('src'), null, { message: 'the frame loads on return' });
        assert.equal(await s.page.count(ph), 0);
        const paths = await until(
          () =>
            s.since(m, 'youtube.test').length >= 2 &&
            s
              .since(m, 'youtube.test')
              .map((r) => r.path)
              .sort(),
        );
        assert.deepEqual(paths, ['/frame/embed/intro', '/pixel/thumb.gif']);
      },
    ],
  ],
};
