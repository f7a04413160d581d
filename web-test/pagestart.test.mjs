// The page start without waiting: once the engine is in the browser (from an
// earlier page view), kelisim.js starts it synchronously, so the visitor's
// decision is known while the parser runs. These tests watch what the parser
// sees at each point of a real page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

const basic = JSON.parse(readFileSync(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
const withAutoBlock = (config) => ({ ...config, blocking: { autoBlock: true, cookieGuard: true } });

let server;
let browser;
before(async () => {
  server = await startServer();
  server.routes['/slow.js'] = (req, res, body, url) =>
    setTimeout(
      () => {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
        res.end('window.__slowRan = true;');
      },
      Number(url.searchParams.get('ms') || 500),
    );
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page with an inline configuration; `body` is the HTML after kelisim's tag. */
function inlinePage(config, body, { tag = '<script src="/kelisim/kelisim.js"></script>', headers = {} } = {}) {
  const path = `/p${Math.random().toString(36).slice(2)}.html`;
  server.routes[path] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${JSON.stringify(config)}</script>
${tag}
${body}`,
      headers,
    );
  return `${server.origin}${path}`;
}

/** Waits until this browser keeps the engine's bytes: from then on page starts are synchronous. */
const engineCached = (page) => page.waitForFunction(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000);

// What an inline script right after kelisim's tag sees.
const PROBE = `<script>window.__probe = { kelisim: typeof window.kelisim, analytics: window.kelisim && window.kelisim.isAllowed('analytics'),
  statistics: window.kelisim && window.kelisim.isAllowed('statistics'), decided: window.kelisim && window.kelisim.state().decided,
  categories: window.kelisim && window.kelisim.state().categories };</script>`;

test('window.kelisim answers from the stored decision right after the tag: first visit, then a returning visitor', async () => {
  const url = inlinePage(basic, `${PROBE}<script src="/own.js"></script></head><body><p>x</p></body></html>`);
  const { page, close } = await openPage(browser);
  await page.goto(url);
  // A first visit: nothing decided, nothing optional allowed (the engine, from kelisim-first-<lang>.js, starts in a task
  // of its own right after: whether it has answered yet, the required category only).
  const first = await page.evaluate(() => window.__probe);
  assert.ok([0, 1].includes(first.categories.length) && first.categories.every((c) => c === 'necessary'), String(first.categories));
  assert.deepEqual(
    { ...first, categories: undefined },
    {
      kelisim: 'object',
      analytics: false,
      statistics: false,
      decided: false,
      categories: undefined,
    },
  );
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await engineCached(page);
  await page.reload();
  assert.deepEqual(await page.evaluate(() => window.__probe), {
    kelisim: 'object',
    analytics: true,
    statistics: true,
    decided: true,
    categories: ['necessary', 'analytics'],
  });
  // kelisimReady keeps its meaning: it resolves once everything is up, to the same object.
  assert.equal(await page.evaluate(() => window.kelisimReady.then((k) => k === window.kelisim)), true);
  // A returning visitor who rejected: decided, nothing optional.
  await page.evaluate(() => window.kelisim.rejectAll());
  await page.reload();
  assert.deepEqual(await page.evaluate(() => window.__probe), {
    kelisim: 'object',
    analytics: false,
    statistics: false,
    decided: true,
    categories: ['necessary'],
  });
  await close();
});

test('returning visitor: allowed gated scripts start as the parser reaches them, in document order', async () => {
  const url = inlinePage(
    basic,
    `
<script type="text/plain" data-category="analytics">(window.__order = window.__order || []).push('gated-inline-1');</script>
<script>window.__seenByNext = (window.__order || []).slice();</script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script>window.__afterStats = (window.__ran || []).slice();</script>
<script type="text/plain" data-category="analytics" src="/order.js"></script>
<script type="text/plain" data-service="ads" src="http://ads.test:{{PORT}}/ads.js"></script>
<script src="/slow.js?ms=700"></script>
<script>window.__ranBeforeSlowEnded = (window.__ran || []).slice();</script>
<script src="/own.js"></script></head><body></body></html>`,
  );
  const { page, close } = await openPage(browser);
  await page.goto(url);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await engineCached(page);
  const before = server.log.length;
  await page.reload();
  await page.waitForFunction(() => window.__ownRan === true);
  // The gated inline script ran before the next script of the page was parsed.
  assert.deepEqual(await page.evaluate(() => window.__seenByNext), ['gated-inline-1']);
  // The gated external script was requested while the parser still waited for slow.js.
  const log = server.log.slice(before);
  const stats = log.findIndex((r) => r.host === 'stats.test');
  const slow = log.findIndex((r) => r.path === '/slow.js');
  assert.ok(stats >= 0 && slow >= 0, 'both requested');
  assert.ok(log[stats].time < log[slow].time + 600, 'stats.js requested before slow.js was answered');
  assert.deepEqual(await page.evaluate(() => window.__ranBeforeSlowEnded), ['stats/stats.js']);
  // Run where it stands, as its markup would have without the gate: the parser waited for it.
  assert.deepEqual(await page.evaluate(() => window.__afterStats), ['stats/stats.js']);
  assert.deepEqual(await page.evaluate(() => window.__order), ['gated-inline-1', 'external-1']);
  assert.equal(
    log.some((r) => r.host === 'ads.test'),
    false,
    'marketing stays blocked',
  );
  await close();
});

test('returning visitor: allowed gated scripts the parser did not insert (document.write, a script) run once each, in order', async () => {
  const url = inlinePage(
    basic,
    `
<script>document.write('<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/written.js"><' + '/script>');</script>
<script>
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.setAttribute('data-category', 'analytics');
  s.src = 'http://stats.test:{{PORT}}/appended.js';
  document.head.appendChild(s);
</script>
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/parsed.js"></script>
<script type="text/plain" data-category="analytics" data-type="module" src="/module.js"></script>
<script src="/own.js"></script></head><body><p>x</p></body></html>`,
  );
  const { page, close } = await openPage(browser);
  await page.goto(url);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.accept(['analytics']));
  await engineCached(page);
  const before = server.log.length;
  await page.reload();
  await kelisimSettled(page);
  await page.waitForFunction(() => (window.__ran || []).length >= 3);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__ran), ['stats/written.js', 'stats/appended.js', 'stats/parsed.js']);
  const asked = server.log
    .slice(before)
    .filter((r) => r.host === 'stats.test')
    .map((r) => r.path);
  assert.deepEqual(asked.sort(), ['/appended.js', '/parsed.js', '/written.js'], 'each asked for once');
  // The classic ones the page ran last time were preloaded as it started; a module is not an `as=script` preload.
  const preloaded = await page.evaluate(() => [...document.querySelectorAll('link[rel=preload]')].map((l) => l.href.replace(/^.*\//, '')));
  assert.deepEqual(preloaded.sort(), ['appended.js', 'parsed.js', 'written.js']);
  await page.waitForFunction(() => (window.__log || []).includes('module:object'));
  await close();
});

test("autoBlock: unmarked third-party tags in the page's HTML never run before a decision or after a rejection; allowed ones run in order", async () => {
  const html = `
<script src="http://stats.test:{{PORT}}/tag-1.js"></script>
<script>window.__after1 = (window.__ran || []).slice();</script>
<script src="http://ads.test:{{PORT}}/pixel.js"></script>
<script src="http://cdn.test:{{PORT}}/lib.js"></script>
<script src="http://stats.test:{{PORT}}/tag-2.js"></script>
<script src="/own.js"></script></head><body>
<iframe id="video" width="300" height="150" src="http://video.test:{{PORT}}/frame/unmarked"></iframe>
</body></html>`;
  const url = inlinePage(withAutoBlock(basic), html);
  const { page, close } = await openPage(browser);
  const frameLoaded = () => page.frames().some((f) => f.url().includes('video.test'));
  const ran = () => page.evaluate(() => window.__ran || []);

  // First page view (no engine in the browser yet): held until the engine answers "no".
  await page.goto(url);
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await ran(), ['cdn/lib.js'], 'only the host no service names ran');
  assert.equal(frameLoaded(), false);
  assert.equal(await page.evaluate(() => document.getElementById('video').getAttribute('src')), 'about:blank');

  // After "reject all", with the engine starting synchronously.
  await page.evaluate(() => window.kelisim.rejectAll());
  await engineCached(page);
  await page.reload();
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await ran(), ['cdn/lib.js']);
  assert.equal(frameLoaded(), false);

  // After accepting analytics and embedded: those run, in document order; marketing does not.
  await page.evaluate(() => window.kelisim.accept(['analytics', 'embedded']));
  await page.reload();
  await page.waitForFunction(() => (window.__ran || []).length >= 3);
  await page.waitForTimeout(200);
  assert.deepEqual(await ran(), ['stats/tag-1.js', 'cdn/lib.js', 'stats/tag-2.js']);
  // Allowed at once, the first tag ran as a normal parser-blocking script.
  assert.deepEqual(await page.evaluate(() => window.__after1), ['stats/tag-1.js']);
  await page.waitForFunction(() => document.getElementById('video').contentDocument === null || true);
  assert.ok(await page.waitForFunction(() => document.getElementById('video').getAttribute('src')?.includes('video.test')));
  await close();
});

// The parser may end a task right after a shadow host's start tag, before its
// template: kelisim then sees the host without its root, and what the parser
// puts in that root before kelisim looks again can run (a known gap, README;
// the test after the next pins it down with a page sent in two pieces). An
// observer of the trees kelisim's own watches notes each host it saw without
// its root, at the same checkpoints as kelisim's.
const PAUSES = `<script>window.__paused = [];
new MutationObserver(function (records, mo) {
  records.forEach(function (r) { r.addedNodes.forEach(function (n) {
    if (n.id !== 'host' && n.id !== 'inner') return;
    if (!n.shadowRoot) window.__paused.push(n.id); else mo.observe(n.shadowRoot, { childList: true, subtree: true });
  }); });
}).observe(document.documentElement, { childList: true, subtree: true });</script>`;

test("autoBlock: unmarked tags inside declarative shadow roots of the page's HTML (nested too) are held like the rest", async () => {
  const html = `${PAUSES}</head><body>
<div id="host"><template shadowrootmode="open"><p>in a shadow root</p>
<script src="http://stats.test:{{PORT}}/shadow-1.js"></script>
<iframe width="300" height="150" src="http://video.test:{{PORT}}/frame/shadow"></iframe>
<span id="inner"><template shadowrootmode="open"><script src="http://stats.test:{{PORT}}/shadow-2.js"></script></template></span>
<script src="http://cdn.test:{{PORT}}/shadow-lib.js"></script>
</template></div>
<script src="/own.js"></script>
</body></html>`;
  const url = inlinePage(withAutoBlock(basic), html);
  const { page, close } = await openPage(browser);
  const ran = () => page.evaluate(() => window.__ran || []);
  const frameSrc = () => page.evaluate(() => document.getElementById('host').shadowRoot.querySelector('iframe').getAttribute('src'));
  const frameLoaded = () => page.frames().some((f) => f.url().includes('video.test'));
  // Only the host no service names ran, and what a root the parser paused before held (the outer one holds the inner).
  const onlyAllowed = async (when) => {
    const paused = await page.evaluate(() => window.__paused);
    const gap = { host: ['stats/shadow-1.js', 'stats/shadow-2.js'], inner: ['stats/shadow-2.js'] };
    const extra = (await ran()).filter((x) => x !== 'cdn/shadow-lib.js' && !paused.some((id) => gap[id].includes(x)));
    assert.deepEqual(extra, [], `${when} (the parser paused before the template of: ${paused.join(', ') || 'none'})`);
    assert.ok((await ran()).includes('cdn/shadow-lib.js'));
  };

  // First page view: held until the engine answers "no".
  await page.goto(url);
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  await onlyAllowed('before a decision');
  assert.equal(await frameSrc(), 'about:blank');
  assert.equal(frameLoaded(), false);

  // After "reject all", with the engine starting synchronously.
  await page.evaluate(() => window.kelisim.rejectAll());
  await engineCached(page);
  await page.reload();
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  await onlyAllowed('after reject all');
  assert.equal(frameLoaded(), false);

  // Accepted: they run, in document order, and the frame loads.
  await page.evaluate(() => window.kelisim.accept(['analytics', 'embedded']));
  await page.reload();
  await page.waitForFunction(() => (window.__ran || []).length >= 3);
  await page.waitForTimeout(200);
  assert.deepEqual(await ran(), ['stats/shadow-1.js', 'stats/shadow-2.js', 'cdn/shadow-lib.js']);
  await page.waitForFunction(() =>
    document.getElementById('host').shadowRoot.querySelector('iframe').getAttribute('src')?.includes('video.test'),
  );
  await close();
});

/**
 * A page sent in two pieces, the first ending with a shadow host's start tag
 * (`<span id="late">`), the second with its template (`root`) once the page
 * has seen the host without a root (its parser then waits for bytes): the
 * parser attaches that root in a task after the one that made the host.
 */
function pausedPage(root, pageScript = '') {
  const id = Math.random().toString(36).slice(2);
  let seen;
  server.routes[`/late-seen-${id}`] = (req, res) => {
    seen?.();
    res.writeHead(204);
    res.end();
  };
  server.routes[`/late-${id}.html`] = (req, res) => {
    const port = new URL(server.origin).port;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.write(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="application/json" id="kelisim-config">${JSON.stringify(withAutoBlock(basic))}</script>
<script src="/kelisim/kelisim.js"></script>
<script>window.__paused = [];
new MutationObserver(function (records) {
  records.forEach(function (r) { r.addedNodes.forEach(function (n) {
    if (n.id === 'late' && !n.shadowRoot) { window.__paused.push(n.id); fetch('/late-seen-${id}'); }
  }); });
}).observe(document.documentElement, { childList: true, subtree: true });</script>
<script>${pageScript}</script>
</head><body><p>the page</p><span id="late">`);
    new Promise((resolve) => {
      seen = resolve;
      setTimeout(resolve, 5000);
    }).then(() => res.end(`<template shadowrootmode="open">${root.replaceAll('{{PORT}}', port)}</template></span></body></html>`));
  };
  return `${server.origin}/late-${id}.html`;
}

test('a declarative root the parser attached after a pause: its frame is held, its marked script runs once allowed', async () => {
  const url = pausedPage(
    '<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/late-marked.js"></script>' +
      '<iframe width="300" height="150" src="http://video.test:{{PORT}}/frame/late"></iframe>',
    // A page script that would hide the elements the parser has open from a walk through the page's own getters.
    `for (const c of [Element, DocumentFragment, Document]) Object.defineProperty(c.prototype, 'lastElementChild', { get: () => null });`,
  );
  const { page, close } = await openPage(browser);
  const ran = () => page.evaluate(() => window.__ran || []);
  const frameLoaded = () => page.frames().some((f) => f.url().includes('video.test'));
  await page.goto(url);
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__paused), ['late'], 'the parser paused between the host and its template');
  assert.deepEqual(await ran(), []);
  assert.equal(frameLoaded(), false);
  assert.equal(
    await page.evaluate(() => document.getElementById('late').shadowRoot.querySelector('iframe').getAttribute('src')),
    'about:blank',
  );

  await page.evaluate(() => window.kelisim.acceptAll());
  await page.waitForFunction(() => (window.__ran || []).length >= 1);
  assert.deepEqual(await ran(), ['stats/late-marked.js']);
  await page.waitForFunction(() => document.getElementById('late').shadowRoot.querySelector('iframe[src*="video.test"]'));
  await close();
});

// Not closed: what the parser puts in such a root before kelisim looks again
// (here an unmarked script, the root's first content) is not seen in time.
test(
  'known gap: an unmarked script in a declarative root the parser attached after a pause',
  { todo: 'not closable by a page script: no record, no event reaches a page script before the parser runs it' },
  async () => {
    const url = pausedPage('<script src="http://stats.test:{{PORT}}/late-unmarked.js"></script>');
    const { page, close } = await openPage(browser);
    try {
      await page.goto(url);
      await kelisimSettled(page);
      await page.waitForTimeout(300);
      assert.deepEqual(await page.evaluate(() => window.__paused), ['late']);
      assert.deepEqual(await page.evaluate(() => window.__ran || []), []);
    } finally {
      await close();
    }
  },
);

// Not closed: kelisim runs in the page's own realm. A script of the page that
// runs before markup kelisim must hold can redefine what kelisim reads there
// (here the records its observer of the parser gets, as an empty list).
test(
  "known gap: a page script that redefines the DOM's own getters before unmarked tags",
  { todo: 'not closable by a page script: kelisim reads the page through the same realm' },
  async () => {
    const url = inlinePage(
      withAutoBlock(basic),
      `<script>Object.defineProperty(MutationRecord.prototype, 'addedNodes', { get() { return []; } });</script>
<script src="http://stats.test:{{PORT}}/tag-1.js"></script></head><body><p>x</p></body></html>`,
    );
    const { page, close } = await openPage(browser);
    try {
      await page.goto(url);
      await kelisimSettled(page);
      await page.waitForTimeout(300);
      assert.deepEqual(await page.evaluate(() => window.__ran || []), []);
    } finally {
      await close();
    }
  },
);

test('marked tags inside shadow roots (declarative, nested, closed ones a script attached) wait for consent, then run in document order', async () => {
  const gated = (name) => `<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/${name}.js"></script>`;
  const html = `</head><body>
${gated('doc-1')}
<div id="host"><template shadowrootmode="open"><p>a card</p>
${gated('shadow-1')}
<iframe data-category="embedded" data-src="http://video.test:{{PORT}}/frame/shadow" width="300" height="150"></iframe>
<span><template shadowrootmode="open">${gated('shadow-2')}</template></span>
</template><p>the host's own child</p></div>
<div id="widget"></div>
<script>
  // A closed root a script attaches: out of the page's reach, not of kelisim's.
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.setAttribute('data-category', 'analytics');
  s.src = 'http://stats.test:{{PORT}}/closed.js';
  document.getElementById('widget').attachShadow({ mode: 'closed' }).append(s);
</script>
${gated('doc-2')}
<script src="/own.js"></script>
</body></html>`;
  const url = inlinePage(basic, html);
  const { page, close } = await openPage(browser);
  const ran = () => page.evaluate(() => window.__ran || []);
  const frameLoaded = () => page.frames().some((f) => f.url().includes('video.test'));
  // Playwright's CSS reaches into open shadow roots: the frame's placeholder is in the host's, the placeholder's box in one of its own.
  const placeholders = () => page.locator('#host [data-kelisim="placeholder"]').count();

  // First page view: nothing marked runs; the frame in the shadow root gets its placeholder.
  await page.goto(url);
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await ran(), []);
  assert.equal(frameLoaded(), false);
  await page.waitForFunction(() => document.getElementById('host').shadowRoot.querySelector('iframe').hidden);
  assert.equal(await placeholders(), 1, 'the gated frame inside the shadow root has a placeholder');

  // "Accept all" on this page: the five scripts run in the page's order, the frame loads.
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.waitForFunction(() => (window.__ran || []).length >= 5);
  await page.waitForFunction(() => document.getElementById('host').shadowRoot.querySelector('iframe[src*="video.test"]'));
  await page.waitForTimeout(200);
  assert.deepEqual(await ran(), ['stats/doc-1.js', 'stats/shadow-1.js', 'stats/shadow-2.js', 'stats/closed.js', 'stats/doc-2.js']);
  assert.equal(await placeholders(), 0);

  // The next page view, the engine starting synchronously: the same, as the parser goes.
  await engineCached(page);
  await page.reload();
  await page.waitForFunction(() => (window.__ran || []).length >= 5);
  await page.waitForTimeout(200);
  assert.deepEqual(await ran(), ['stats/doc-1.js', 'stats/shadow-1.js', 'stats/shadow-2.js', 'stats/closed.js', 'stats/doc-2.js']);
  await page.waitForFunction(() => document.getElementById('host').shadowRoot.querySelector('iframe[src*="video.test"]'));

  // After "reject all": nothing marked runs again.
  await page.evaluate(() => window.kelisim.rejectAll());
  await page.reload();
  await kelisimSettled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await ran(), []);
  assert.equal(frameLoaded(), false);
  await close();
});

test('a stale stored decision never runs anything: revision bump, new service, expiry', async () => {
  const gated = `<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script type="text/plain" data-service="stats" src="http://stats.test:{{PORT}}/by-service.js"></script>
${PROBE}<script src="/own.js"></script></head><body></body></html>`;
  for (const [name, next] of [
    ['revision', { ...basic, revision: 2 }],
    ['new service', { ...basic, services: { ...basic.services, heatmap: { category: 'analytics', hosts: ['heat.test'] } } }],
    ['expiry', { ...basic, cookie: { expiresAfterDays: 1 } }],
  ]) {
    const { page, close } = await openPage(browser);
    await page.goto(inlinePage(basic, gated));
    await kelisimSettled(page);
    await page.evaluate(() => window.kelisim.acceptAll());
    await engineCached(page);
    if (name === 'expiry') await page.clock.install({ time: Date.now() + 3 * 86400 * 1000 });
    const before = server.requestsTo('stats.test').length;
    await page.goto(inlinePage(next, gated));
    await kelisimSettled(page);
    await page.waitForTimeout(300);
    const probe = await page.evaluate(() => window.__probe);
    if (name === 'new service') {
      // Earlier answers are kept: analytics stays allowed, the new service is asked about and not allowed.
      assert.equal(await page.evaluate(() => window.kelisim.isAllowed('heatmap')), false, name);
    } else {
      assert.equal(probe.analytics, false, name);
      assert.equal(server.requestsTo('stats.test').length, before, `${name}: nothing ran on the old decision`);
    }
    assert.equal(await page.locator('#kelisim-root >> [data-kelisim="banner"]').count(), 1, `${name}: asked again`);
    await close();
  }
});

test('data-config with data-config-integrity: a returning visit starts synchronously; a changed file is never taken for the cached one', async () => {
  let config = basic;
  const digest = (c) => `sha384-${createHash('sha384').update(JSON.stringify(c)).digest('base64')}`;
  server.routes['/cfg.json'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(config));
  };
  let tagDigest = digest(config);
  server.routes['/integrity.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/kelisim/kelisim.js" data-config="/cfg.json" data-config-integrity="${tagDigest}"></script>
${PROBE}<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script src="/own.js"></script></head><body></body></html>`,
    );
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/integrity.html`);
  await kelisimSettled(page);
  await page.evaluate(() => window.kelisim.acceptAll());
  await engineCached(page);
  await page.waitForFunction(() => localStorage.getItem('kelisim:config') !== null);
  const configFetches = () => server.log.filter((r) => r.path === '/cfg.json').length;
  let fetched = configFetches();
  await page.reload();
  assert.deepEqual((await page.evaluate(() => window.__probe)).decided, true, 'known while parsing');
  assert.equal((await page.evaluate(() => window.__probe)).analytics, true);
  await kelisimSettled(page);

  // The site publishes revision 2 and the tag's new digest: nothing runs on the old decision.
  config = { ...basic, revision: 2 };
  tagDigest = digest(config);
  const before = server.requestsTo('stats.test').length;
  await page.reload();
  assert.deepEqual(await page.evaluate(() => window.__probe), {
    kelisim: 'object',
    analytics: false,
    statistics: false,
    decided: false,
    categories: [],
  });
  await kelisimSettled(page);
  await page.waitForTimeout(200);
  assert.equal(server.requestsTo('stats.test').length, before);
  assert.equal(await page.locator('#kelisim-root >> [data-kelisim="banner"]').count(), 1);

  // The file changes but the tag still names the old digest: one clear error, and closed.
  await page.evaluate(() => window.kelisim.acceptAll());
  fetched = configFetches();
  config = { ...basic, revision: 3 };
  await page.addInitScript(() => {
    window.__errors = [];
    window.addEventListener('kelisim:error', (e) => window.__errors.push(e.detail.code));
  });
  await page.reload();
  const settled = await kelisimSettled(page);
  assert.equal(settled.ok, true, 'this page view started from the cached configuration');
  await page.waitForFunction(() => window.__errors.length > 0);
  assert.deepEqual(await page.evaluate(() => window.__errors), ['config-integrity'], 'the check in the background reports the mismatch');
  assert.ok(configFetches() > fetched, 'the file was fetched to check it');
  await page.waitForFunction(() => localStorage.getItem('kelisim:config') === null);
  await page.reload();
  const after = await kelisimSettled(page);
  assert.equal(after.ok, false);
  assert.equal(after.code, 'config-integrity');
  await close();
});

test('nonce-based CSP (with and without strict-dynamic): kelisim starts, shows its banner and gates', async () => {
  for (const policy of [
    "script-src 'nonce-k3l1s1m' 'wasm-unsafe-eval'",
    "script-src 'nonce-k3l1s1m' 'strict-dynamic' 'wasm-unsafe-eval'",
  ]) {
    const url = inlinePage(
      basic,
      `
<script nonce="k3l1s1m">window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));</script>
<script type="text/plain" data-category="analytics" nonce="k3l1s1m" src="http://stats.test:{{PORT}}/stats.js"></script>
<script src="/own.js" nonce="k3l1s1m"></script></head><body></body></html>`,
      { tag: '<script src="/kelisim/kelisim.js" nonce="k3l1s1m"></script>', headers: { 'content-security-policy': policy } },
    );
    const { page, close } = await openPage(browser);
    await page.goto(url);
    const settled = await kelisimSettled(page);
    assert.equal(settled.ok, true, `${policy}: ${settled.message}`);
    await page.locator('#kelisim-root >> [data-kelisim="banner"] [data-kelisim-action="accept-all"]').click();
    await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    await engineCached(page);
    await page.reload();
    assert.equal((await kelisimSettled(page)).ok, true);
    await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    assert.deepEqual(await page.evaluate(() => window.__violations), [], policy);
    await close();
  }
});

test('one engine call per event: a page start, a decision, a batch of insertions, a cookie write', async () => {
  const url = inlinePage(
    withAutoBlock(basic),
    `
<script type="text/plain" data-category="analytics" src="http://stats.test:{{PORT}}/stats.js"></script>
<script type="text/plain" data-category="analytics">window.__inline = true;</script>
<script src="/own.js"></script></head><body><p>page</p></body></html>`,
  );
  const { page, close } = await openPage(browser);
  await page.addInitScript(() => {
    window.__calls = [];
    window.__kelisimTrace = (fn) => window.__calls.push(fn);
  });
  await page.goto(url);
  await kelisimSettled(page);
  await engineCached(page);
  await page.reload();
  await kelisimSettled(page);
  const calls = () => page.evaluate(() => window.__calls.splice(0));
  // The page start is one call; each parser batch that brings gated elements is one more (here at most two).
  // The banner's texts are one more, made with the built-in table the start asked for (kept from the first view).
  const startCalls = await calls();
  assert.equal(startCalls[0], '_start');
  assert.equal(startCalls.filter((c) => c === '_texts').length, 1, startCalls.join());
  const gating = startCalls.filter((c) => c !== '_texts');
  assert.ok(gating.length <= 3 && gating.slice(1).every((c) => c === '_query'), startCalls.join());
  await page.evaluate(() => window.kelisim.acceptAll());
  await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
  // Once idle, one more call answers the next page view's start ahead (it is kept for reuse).
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 50), { timeout: 3000 })));
  assert.deepEqual(await calls(), ['_decide', '_start'], 'a decision answers its own follow-up questions');
  await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      `<div><script src="http://ads.test:${location.port}/a.js"></script>` +
        `<iframe src="http://video.test:${location.port}/frame/a"></iframe><img src="http://ads.test:${location.port}/pixel.gif"></div>`,
    );
  });
  assert.deepEqual(await calls(), ['_query'], 'one HTML insertion with several elements is one call');
  await page.evaluate(() => (document.cookie = '_st_x=1; path=/'));
  assert.deepEqual(await calls(), ['_query'], 'a cookie write is one call');
  assert.equal(await page.evaluate(() => window.kelisim.isAllowed('analytics')), true);
  assert.deepEqual(await calls(), [], 'isAllowed reads the answer at hand');
  await close();
});

test('"always allow" on a placeholder of Cookiebot markup allows what the element needs and names it', async () => {
  const url = inlinePage(
    { ...basic, ui: { reopenButton: false } },
    `<script src="/own.js"></script></head><body>
<iframe width="300" height="150" data-cookieconsent="statistics" data-src="http://video.test:{{PORT}}/frame/cb"></iframe></body></html>`,
  );
  const { page, close } = await openPage(browser);
  await page.goto(url);
  await kelisimSettled(page);
  await page.locator('#kelisim-root >> [data-kelisim="banner"] [data-kelisim-action="reject-all"]').click();
  const placeholder = page.locator('[data-kelisim="placeholder"]').first();
  await placeholder.waitFor();
  const text = await placeholder.innerText();
  assert.match(text, /analytics/i, 'the placeholder names what the content needs');
  assert.doesNotMatch(text, /from ,|from\s*$/m);
  await placeholder.locator('[data-kelisim-action="allow-service"]').click();
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src')?.includes('video.test'));
  assert.deepEqual(
    await page.evaluate(() => [window.kelisim.state().method, window.kelisim.isAllowed('statistics'), window.kelisim.isAllowed('ads')]),
    ['custom', true, false],
  );
  await close();
});
