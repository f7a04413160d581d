// The synchronous page start (SPEC §1, §6): once the engine is in the
// browser's storage, a script right after kelisim's tag sees the visitor's
// decision; allowed gated scripts start while the parser runs; unmarked
// third-party tags in the page's HTML never run unless allowed; a nonce-based
// CSP lets kelisim start.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const basic = JSON.parse(readFileSync(new URL('../../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
const config = JSON.stringify({ ...basic, blocking: { autoBlock: true, cookieGuard: true } });
const page = (nonce = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${config}</script>
<script src="/kelisim/kelisim.js"${nonce ? ` nonce="${nonce}"` : ''}></script>
<script${nonce ? ` nonce="${nonce}"` : ''}>window.__sync = { type: typeof window.kelisim, analytics: window.kelisim.isAllowed('analytics'), decided: window.kelisim.state().decided };</script>
<script${nonce ? ` nonce="${nonce}"` : ''}>window.__early = { body: document.body !== null }; document.addEventListener('DOMContentLoaded', () => { window.__early.banner = Boolean(document.getElementById('kelisim-root') && document.getElementById('kelisim-root').shadowRoot.querySelector('[data-kelisim="banner"]')); });</script>
<script type="text/plain" data-category="analytics"${nonce ? ` nonce="${nonce}"` : ''}>(window.__order = window.__order || []).push('gated');</script>
<script${nonce ? ` nonce="${nonce}"` : ''}>window.__seenByNext = (window.__order || []).slice();</script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/gated.js"${nonce ? ` nonce="${nonce}"` : ''}></script>
<script${nonce ? ` nonce="${nonce}"` : ''}>window.__afterGated = (window.__ran || []).slice();</script>
${nonce ? '<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/no-nonce.js"></script>\n' : ''}<script src="http://stats.test:{{PORT}}/unmarked.js"${nonce ? ` nonce="${nonce}"` : ''}></script>
<script src="http://ads.test:{{PORT}}/unmarked.js"${nonce ? ` nonce="${nonce}"` : ''}></script>
<script src="/own.js"${nonce ? ` nonce="${nonce}"` : ''}></script>
</head><body><iframe id="video" width="300" height="150" src="http://video.test:{{PORT}}/frame/unmarked"></iframe></body></html>`;

// Two unmarked tags of an analytics host in the page's HTML, the first answering later.
const orderPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${config}</script>
<script src="/kelisim/kelisim.js"></script>
<script src="http://stats.test:{{PORT}}/order-slow.js?delay=300"></script>
<script src="http://stats.test:{{PORT}}/order-fast.js"></script>
</head><body><p>order</p></body></html>`;

// Allowed gated scripts the parser did not insert itself: one written by document.write, one a script appends.
const latePage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${config}</script>
<script src="/kelisim/kelisim.js"></script>
<script>document.write('<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/written.js?delay=300"><' + '/script>');</script>
<script>
  var s = document.createElement('script');
  s.type = 'text/plain';
  s.setAttribute('data-category', 'analytics');
  s.src = 'http://stats.test:{{PORT}}/appended.js';
  document.head.appendChild(s);
</script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/parsed.js"></script>
<script>window.__afterParsed = (window.__ran || []).slice();</script>
</head><body><p>late</p></body></html>`;

// Unmarked tags inside declarative shadow roots of the page's HTML (one nested
// in the other). The parser may end a task between a host's start tag and its
// template, and what it puts in that root before kelisim looks again can run
// (a known gap, README): an observer of the same trees notes such hosts.
const shadowPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${config}</script>
<script src="/kelisim/kelisim.js"></script>
<script>window.__paused = [];
new MutationObserver(function (records, mo) {
  records.forEach(function (r) { r.addedNodes.forEach(function (n) {
    if (n.id !== 'host' && n.id !== 'inner') return;
    if (!n.shadowRoot) window.__paused.push(n.id); else mo.observe(n.shadowRoot, { childList: true, subtree: true });
  }); });
}).observe(document.documentElement, { childList: true, subtree: true });</script>
</head><body><div id="host"><template shadowrootmode="open"><p>in a shadow root</p>
<script src="http://stats.test:{{PORT}}/shadow-1.js"></script>
<iframe width="300" height="150" src="http://video.test:{{PORT}}/frame/shadow"></iframe>
<span id="inner"><template shadowrootmode="open"><script src="http://stats.test:{{PORT}}/shadow-2.js"></script></template></span>
</template></div></body></html>`;

// A page sent in two pieces: the first ends with a shadow host's start tag,
// the second (its template: a marked script and an unmarked frame) follows
// once the page has seen the host without a root, so the parser attaches that
// root in a later task than the host's.
const pausedHead = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${config}</script>
<script src="/kelisim/kelisim.js"></script>
<script>window.__paused = [];
new MutationObserver(function (records) {
  records.forEach(function (r) { r.addedNodes.forEach(function (n) {
    if (n.id === 'late' && !n.shadowRoot) { window.__paused.push(n.id); fetch('/sync-paused-seen'); }
  }); });
}).observe(document.documentElement, { childList: true, subtree: true });</script>
</head><body><p>the page</p><span id="late">`;
const pausedRest = `<template shadowrootmode="open">
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/late-marked.js"></script>
<iframe width="300" height="150" src="http://video.test:{{PORT}}/frame/late"></iframe></template></span></body></html>`;

// Marked tags inside shadow roots: declarative ones (one nested in the other), and a closed one a script attaches.
const marked = (name) => `<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/${name}.js"></script>`;
const markedShadowPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${config}</script>
<script src="/kelisim/kelisim.js"></script>
</head><body>${marked('doc-1')}
<div id="host"><template shadowrootmode="open">${marked('shadow-1')}
<span><template shadowrootmode="open">${marked('shadow-2')}</template></span></template></div>
<div id="widget"></div>
<script>
  var s = document.createElement('script');
  s.type = 'text/plain';
  s.setAttribute('data-category', 'analytics');
  s.src = 'http://stats.test:{{PORT}}/closed.js';
  document.getElementById('widget').attachShadow({ mode: 'closed' }).appendChild(s);
</script>
${marked('doc-2')}</body></html>`;

const engineCached = (s) => s.page.waitFor(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000);
/** The names of kelisim's files this page view downloaded, in order. */
const kelisimFiles = (s) =>
  s.page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name.replace(/^.*\//, ''))
      .filter((f) => f.startsWith('kelisim')),
  );

// A page in a legacy encoding (windows-1251) whose server sends kelisim's
// files with no charset (nginx's default for .js): a script is then decoded
// in the page's encoding unless it says otherwise.
const legacyPage = `<!doctype html><html lang="ru"><head>
<script type="application/json" id="kelisim-config">${config}</script>
<script src="/legacy/kelisim.js"></script>
<script src="/own.js"></script>
</head><body><p>legacy</p></body></html>`;
const ruTexts = JSON.parse(readFileSync(new URL('../../js/dist/kelisim-texts-ru.json', import.meta.url), 'utf8')).texts;

export default {
  name: 'synchronous page start',
  routes(server) {
    server.routes['/sync.html'] = (req, res) => server.html(res, page());
    server.routes['/sync-order.html'] = (req, res) => server.html(res, orderPage);
    server.routes['/sync-late.html'] = (req, res) => server.html(res, latePage);
    server.routes['/sync-shadow.html'] = (req, res) => server.html(res, shadowPage);
    server.routes['/sync-marked-shadow.html'] = (req, res) => server.html(res, markedShadowPage);
    let seen = null;
    server.routes['/sync-paused-seen'] = (req, res) => {
      seen?.();
      res.writeHead(204);
      res.end();
    };
    server.routes['/sync-paused.html'] = (req, res) => {
      const port = new URL(server.origin).port;
      // The engines' proxy passes on a page marked so in pieces too.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-test-pieces': '1' });
      res.write(pausedHead);
      new Promise((resolve) => {
        seen = resolve;
        setTimeout(resolve, 5000);
      }).then(() => res.end(pausedRest.replaceAll('{{PORT}}', port)));
    };
    server.routes['/legacy/page.html'] = (req, res) => server.html(res, legacyPage, { 'content-type': 'text/html; charset=windows-1251' });
    for (const file of ['kelisim.js', 'kelisim-app.js', 'kelisim-first-ru.js', 'kelisim-first-en.js', 'kelisim-first-kk.js'])
      server.routes[`/legacy/${file}`] = (req, res) => {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        res.end(readFileSync(new URL(`../../js/dist/${file}`, import.meta.url)));
      };
    server.routes['/sync-nonce.html'] = (req, res) =>
      server.html(res, page('k3l1s1m'), { 'content-security-policy': "script-src 'nonce-k3l1s1m' 'strict-dynamic' 'wasm-unsafe-eval'" });
  },
  steps: [
    [
      'first visit: window.kelisim answers "undecided" right after the tag; unmarked third-party tags never run',
      async (s) => {
        await s.page.goto(`${s.origin}/sync.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        assert.deepEqual(await s.page.evaluate(() => window.__sync), { type: 'object', analytics: false, decided: false });
        // The configuration is inline: the engine, UI and texts came in kelisim-first-en.js (the page's language), and the banner was drawn by DOMContentLoaded.
        assert.deepEqual(await s.page.evaluate(() => window.__early), { body: false, banner: true });
        assert.deepEqual(await kelisimFiles(s), ['kelisim.js', 'kelisim-first-en.js']);
        await s.page.sleep(300);
        assert.deepEqual(await s.page.evaluate(() => window.__ran ?? []), [], 'an unmarked tracker ran');
        assert.equal(await s.page.evaluate(() => document.getElementById('video').getAttribute('src')), 'about:blank');
      },
    ],
    [
      'a returning visitor who accepted analytics: known while parsing, gated and allowed tags run, marketing does not',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.accept(['analytics']));
        await engineCached(s);
        await s.page.reload();
        await s.page.waitFor(() => window.__ownRan === true);
        assert.deepEqual(await s.page.evaluate(() => window.__sync), { type: 'object', analytics: true, decided: true });
        assert.deepEqual(
          await s.page.evaluate(() => window.__seenByNext),
          ['gated'],
          'the gated inline script ran before the next one was parsed',
        );
        // The allowed gated script ran where it stands, as its markup would have without the gate: the parser waited for it.
        assert.deepEqual(await s.page.evaluate(() => window.__afterGated), ['stats/gated.js']);
        await s.page.sleep(300);
        assert.deepEqual(await s.page.evaluate(() => window.__ran ?? []), ['stats/gated.js', 'stats/unmarked.js']);
        assert.equal(
          await s.page.evaluate(() => document.getElementById('video').getAttribute('src')),
          'about:blank',
          'embedded is not allowed',
        );
      },
    ],
    [
      'after "reject all": nothing optional runs on the next page view',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.rejectAll());
        await s.page.reload();
        await s.page.waitFor(() => window.__ownRan === true);
        assert.deepEqual(await s.page.evaluate(() => window.__sync), { type: 'object', analytics: false, decided: true });
        await s.page.sleep(300);
        assert.deepEqual(await s.page.evaluate(() => window.__ran ?? []), []);
        assert.equal(await s.page.evaluate(() => window.__order ?? null), null);
      },
    ],
    [
      "undecided, then analytics allowed: the held unmarked tags of the page's HTML run in document order",
      async (s) => {
        await s.page.evaluate(() => window.kelisim.reset());
        await s.page.goto(`${s.origin}/sync-order.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        assert.equal(settled.state.decided, false);
        await s.page.sleep(200);
        assert.deepEqual(await s.page.evaluate(() => window.__ran ?? []), [], 'ran before a decision');
        await s.page.evaluate(() => window.kelisim.accept(['analytics']));
        await s.page.waitFor(() => (window.__ran || []).length === 2, null, { message: 'both tags ran' });
        assert.deepEqual(await s.page.evaluate(() => window.__ran), ['stats/order-slow.js', 'stats/order-fast.js']);
      },
    ],
    [
      'a nonce-based CSP with strict-dynamic: kelisim starts and gates',
      async (s) => {
        await s.page.goto(`${s.origin}/sync-nonce.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        assert.equal(settled.state.decided, true);
        await s.page.evaluate(() => window.kelisim.accept(['analytics']));
        await s.page.waitFor(() => (window.__order || []).includes('gated'));
        // With the nonce, run where it stands; without one (refused to a parser's script under 'strict-dynamic'), kelisim's copy runs.
        assert.deepEqual(await s.page.evaluate(() => window.__afterGated), ['stats/gated.js']);
        await s.page.waitFor(() => (window.__ran || []).includes('stats/no-nonce.js'), null, {
          message: 'the gated script without a nonce ran',
        });
        assert.deepEqual(await s.page.evaluate(() => window.__ran), ['stats/gated.js', 'stats/unmarked.js', 'stats/no-nonce.js']);
      },
    ],
    [
      'a returning visitor: allowed gated scripts written by document.write or appended by a script run once each, in order',
      async (s) => {
        // Analytics is allowed since the steps before.
        await s.page.goto(`${s.origin}/sync-late.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        await s.page.waitFor(() => (window.__ran || []).length >= 3, null, { message: 'all three ran' });
        await s.page.sleep(300);
        // The other two ran as copies, and the one the parser inserted waited for them: document order.
        assert.deepEqual(await s.page.evaluate(() => window.__ran), ['stats/written.js', 'stats/appended.js', 'stats/parsed.js']);
        for (const name of ['/written.js', '/appended.js', '/parsed.js'])
          assert.equal(s.requests('stats.test').filter((r) => r.path === name).length, 1, `${name} asked for once`);
      },
    ],
    [
      "first visit on a windows-1251 page whose server sends kelisim's files with no charset: the banner shows, in Russian",
      async (s) => {
        await s.page.evaluate(() => {
          window.kelisim.reset();
          localStorage.clear(); // no engine kept: a first visit
        });
        await s.page.goto(`${s.origin}/legacy/page.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        assert.deepEqual(await kelisimFiles(s), ['kelisim.js', 'kelisim-first-ru.js'], 'the engine and texts came in kelisim-first-ru.js');
        const title = await s.page.evaluate(
          () => document.getElementById('kelisim-root').shadowRoot.querySelector('[data-kelisim="banner"]').textContent,
        );
        assert.ok(title.includes(ruTexts['banner.title']), title);
      },
    ],
    [
      "undecided: unmarked tags inside declarative shadow roots of the page's HTML are held, then run once allowed",
      async (s) => {
        await s.page.evaluate(() => window.kelisim.reset());
        await s.page.goto(`${s.origin}/sync-shadow.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        await s.page.sleep(300);
        const frameSrc = () =>
          s.page.evaluate(() => document.getElementById('host').shadowRoot.querySelector('iframe').getAttribute('src'));
        const paused = await s.page.evaluate(() => window.__paused);
        const gap = { host: ['stats/shadow-1.js', 'stats/shadow-2.js'], inner: ['stats/shadow-2.js'] };
        assert.deepEqual(
          (await s.page.evaluate(() => window.__ran ?? [])).filter((x) => !paused.some((id) => gap[id].includes(x))),
          [],
          `ran before a decision (the parser paused before the template of: ${paused.join(', ') || 'none'})`,
        );
        assert.equal(await frameSrc(), 'about:blank');
        await s.page.evaluate(() => window.kelisim.acceptAll());
        await s.page.waitFor(() => (window.__ran || []).length === 2, null, { message: 'both tags ran' });
        const ran = await s.page.evaluate(() => window.__ran);
        // In the page's order, unless one ran before the decision.
        assert.deepEqual(paused.length ? ran.sort() : ran, ['stats/shadow-1.js', 'stats/shadow-2.js']);
        assert.ok((await frameSrc()).includes('video.test'));
      },
    ],
    [
      'undecided: a declarative root the parser attached after a pause: its unmarked frame is held, its marked script runs once allowed',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.reset());
        await s.page.goto(`${s.origin}/sync-paused.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        await s.page.sleep(300);
        assert.deepEqual(await s.page.evaluate(() => window.__paused), ['late'], 'the parser paused between the host and its template');
        const frame = () =>
          s.page.evaluate(() => {
            const f = document.getElementById('late').shadowRoot.querySelector('iframe');
            // A cross-origin document (the frame's own src) has no contentDocument for this page.
            return { src: f.getAttribute('src'), sameOrigin: f.contentDocument !== null };
          });
        assert.deepEqual(await s.page.evaluate(() => window.__ran ?? []), [], 'ran before a decision');
        assert.deepEqual(await frame(), { src: 'about:blank', sameOrigin: true });
        await s.page.evaluate(() => window.kelisim.acceptAll());
        await s.page.waitFor(() => (window.__ran || []).length === 1, null, { message: 'the marked script ran' });
        assert.deepEqual(await s.page.evaluate(() => window.__ran), ['stats/late-marked.js']);
        await s.page.waitFor(() => document.getElementById('late').shadowRoot.querySelector('iframe').contentDocument === null, null, {
          message: 'the frame loaded its own (cross-origin) src',
        });
      },
    ],
    [
      'undecided: marked tags inside shadow roots (declarative, nested, a closed one a script attached) wait, then run in document order',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.reset());
        await s.page.goto(`${s.origin}/sync-marked-shadow.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        await s.page.sleep(300);
        assert.deepEqual(await s.page.evaluate(() => window.__ran ?? []), [], 'ran before a decision');
        await s.page.evaluate(() => window.kelisim.acceptAll());
        await s.page.waitFor(() => (window.__ran || []).length === 5, null, { message: 'all five ran' });
        assert.deepEqual(await s.page.evaluate(() => window.__ran), [
          'stats/doc-1.js',
          'stats/shadow-1.js',
          'stats/shadow-2.js',
          'stats/closed.js',
          'stats/doc-2.js',
        ]);
      },
    ],
  ],
};
