// Auto-blocking and the cookie guard (SPEC §6): what the page's own scripts
// insert later (appendChild, insertBefore, document.write, innerHTML and DOM
// iframes) for a service not allowed never reaches its server; cookie writes
// of such services are dropped; allowing the service releases what was held.
import assert from 'node:assert/strict';

const held = ['stats.test', 'ads.test', 'video.test'];

export default {
  name: 'auto-blocking and cookie guard',
  steps: [
    [
      'before consent: inserted tags and frames never requested; unlisted host and own cookie pass; guarded cookie dropped',
      async (s) => {
        await s.page.goto(`${s.origin}/autoblock.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        await s.page.waitFor(() => (window.__ran || []).includes('other/unlisted.js'), null, { message: 'the unlisted host ran' });
        await s.page.waitFor(() => !!(document.getElementById('html-frame') && document.getElementById('dom-frame')));
        await s.page.sleep(400);
        for (const h of held)
          assert.deepEqual(
            s.requests(h).map((r) => r.path),
            [],
            `${h} was requested`,
          );
        assert.deepEqual(await s.page.evaluate(() => window.__ran), ['other/unlisted.js']);
        const names = await s.page.cookieNames();
        assert.ok(!names.includes('_st'), `the guarded cookie was written: ${names}`);
        assert.ok(names.includes('own_pref'), `the site's own cookie was lost: ${names}`);
        assert.equal(await s.page.evaluate(() => document.getElementById('html-frame').getAttribute('src')), null);
        assert.deepEqual((await s.page.probe()).errors, []);
      },
    ],
    [
      'allowing analytics releases the held analytics tags (with their onload; the written ones in document order); marketing stays held',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.accept(['analytics']));
        await s.page.waitFor(
          () => ['stats/append.js', 'stats/w-slow.js', 'stats/written.js'].every((t) => (window.__ran || []).includes(t)),
          null,
          { message: 'held analytics tags ran' },
        );
        const ran = await s.page.evaluate(() => window.__ran);
        assert.ok(ran.indexOf('stats/w-slow.js') < ran.indexOf('stats/written.js'), `written tags out of document order: ${ran}`);
        await s.page.waitFor(() => (window.__loaded || []).includes('append'), null, { message: 'onload of the held tag' });
        assert.deepEqual(
          s
            .requests('stats.test')
            .map((r) => r.path)
            .sort(),
          ['/append.js', '/w-slow.js', '/written.js'],
        );
        await s.page.sleep(300);
        assert.deepEqual(s.requests('ads.test'), [], 'marketing was requested');
        assert.ok((await s.page.cookieNames()).includes('_st'), 'the allowed stand-in set its cookie');
      },
    ],
    [
      "cookie guard after the decision: an allowed service's cookie passes, a refused one is dropped",
      async (s) => {
        await s.page.evaluate(() => {
          document.cookie = '_st_extra=1; path=/';
          document.cookie = '_ad=1; path=/';
        });
        const names = await s.page.cookieNames();
        assert.ok(names.includes('_st_extra'), `allowed cookie dropped: ${names}`);
        assert.ok(!names.includes('_ad'), `marketing cookie written: ${names}`);
      },
    ],
    [
      'a returning visitor: inserted analytics tags run, marketing ones are never requested',
      async (s) => {
        const m = s.mark();
        await s.page.reload();
        await s.page.waitFor(() => ['stats/append.js', 'stats/written.js'].every((t) => (window.__ran || []).includes(t)));
        await s.page.sleep(300);
        assert.deepEqual(s.since(m, 'ads.test'), []);
        assert.deepEqual(s.since(m, 'video.test'), []);
      },
    ],
    [
      'accept all: the marketing tag and both frames load',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.acceptAll());
        await s.page.waitFor(() => (window.__ran || []).includes('ads/insert-before.js'), null, { message: 'ads tag ran' });
        await s.page.waitFor(
          () => !!(document.getElementById('html-frame').getAttribute('src') && document.getElementById('dom-frame').getAttribute('src')),
        );
        const end = Date.now() + 3000;
        while (s.requests('video.test').length < 2 && Date.now() < end) await s.page.sleep(50);
        assert.deepEqual(
          s
            .requests('video.test')
            .map((r) => r.path)
            .sort(),
          ['/frame/dom', '/frame/inner'],
        );
      },
    ],
  ],
};
