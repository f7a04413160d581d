// The browser benchmark (make bench): one generated shop page, served from a
// loopback server to headless Chromium, with no consent manager (the
// baseline), kelisim, and three peers from npm. Each contestant gates the same
// three stand-ins (analytics, marketing, a video embed) served on their own
// host names. Contestants run interleaved, round after round; medians and
// p25–p75 go to bench/RESULTS.md. How each figure is taken: bench/README.md.
import http from 'node:http';
import http2 from 'node:http2';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../web-test/harness.mjs';
import { SITE_ASSETS, pageHtml } from './site.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const require = createRequire(import.meta.url);

const ROUNDS = Number(process.env.BENCH_ROUNDS || 15);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS || 600); // after banner/load: CLS, long tasks, script time
const VISIT_TIMEOUT_MS = 10000;
const RESULTS = process.env.BENCH_RESULTS || path.join(here, 'RESULTS.md');
const ENGINE_JSON = process.env.BENCH_ENGINE_JSON || path.join(root, 'build-bench', 'engine_bench.json');
const VIEWPORT = { width: 1280, height: 800 };
const STANDIN_HOSTS = ['analytics.test', 'marketing.test', 'video.test'];
const INITIAL_MEMORY = 1048576; // -sINITIAL_MEMORY in CMakeLists.txt

const dist = path.join(root, 'js', 'dist');
for (const f of ['kelisim.js', 'kelisim-app.js', 'kelisim.wasm']) {
  if (!existsSync(path.join(dist, f))) {
    console.error(`bench: js/dist/${f} is missing: run make build first`);
    process.exit(1);
  }
}
const pkgDir = (name) => path.dirname(require.resolve(`${name}/package.json`));
const pkgVersion = (name) => JSON.parse(readFileSync(path.join(pkgDir(name), 'package.json'), 'utf8')).version;

// ---------------------------------------------------------------- contestants
// Each: the markup its documentation asks for (head / the gated stand-ins /
// the embed / end of body), where its banner is, and its "accept all" button.
const standin = (port) => ({
  analytics: `http://analytics.test:${port}/a.js`,
  marketing: `http://marketing.test:${port}/m.js`,
  video: `http://video.test:${port}/embed`,
});
const IFRAME_ATTRS = 'width="560" height="315" title="Product video"';
const KELISIM_CONFIG_FILE = path.join(here, 'contestants/kelisim/consent.json');
const KELISIM_CONFIG = readFileSync(KELISIM_CONFIG_FILE, 'utf8');
const KELISIM_CONFIG_INTEGRITY = `sha384-${createHash('sha384').update(readFileSync(KELISIM_CONFIG_FILE)).digest('base64')}`;
const KELISIM_FILES = {
  '/kelisim/kelisim.js': path.join(dist, 'kelisim.js'),
  '/kelisim/kelisim-app.js': path.join(dist, 'kelisim-app.js'),
  '/kelisim/kelisim.wasm': path.join(dist, 'kelisim.wasm'),
  '/kelisim/kelisim-texts-kk.json': path.join(dist, 'kelisim-texts-kk.json'),
  '/kelisim/kelisim-texts-ru.json': path.join(dist, 'kelisim-texts-ru.json'),
  '/kelisim/kelisim-texts-en.json': path.join(dist, 'kelisim-texts-en.json'),
  ...Object.fromEntries(['kk', 'ru', 'en'].map((l) => [`/kelisim/kelisim-first-${l}.js`, path.join(dist, `kelisim-first-${l}.js`)])),
  '/consent.json': KELISIM_CONFIG_FILE,
};
const KELISIM_GATED = (p) =>
  `<script type="text/plain" data-category="analytics" src="${standin(p).analytics}"></script>\n` +
  `<script type="text/plain" data-category="marketing" src="${standin(p).marketing}"></script>`;

const CONTESTANTS = [
  {
    id: 'baseline',
    label: 'baseline (no consent manager)',
    head: (p) => `<script async src="${standin(p).analytics}"></script>\n<script async src="${standin(p).marketing}"></script>`,
    embed: (p) => `<iframe src="${standin(p).video}" ${IFRAME_ATTRS}></iframe>`,
    files: {},
  },
  {
    // The README's quick start, as written there: the configuration inline.
    id: 'kelisim',
    label: 'kelisim (quick start: inline configuration)',
    head: (p) =>
      `<script type="application/json" id="kelisim-config">${KELISIM_CONFIG}</script>\n` +
      `<script src="/kelisim/kelisim.js"></script>\n` +
      KELISIM_GATED(p),
    embed: (p) => `<iframe data-category="embedded" data-service="video" data-src="${standin(p).video}" ${IFRAME_ATTRS}></iframe>`,
    files: KELISIM_FILES,
    banner: { host: '#kelisim-root', selector: '[data-kelisim="banner"]' },
    accept: '[data-kelisim-action="accept-all"]',
    openPreferences: () => window.kelisim.showPreferences(),
    cached: true,
  },
  {
    // The configuration from a URL, pinned by its digest (the README's other setup).
    id: 'kelisim-url',
    label: 'kelisim (data-config + integrity)',
    head: (p) =>
      `<script src="/kelisim/kelisim.js" data-config="/consent.json" data-config-integrity="${KELISIM_CONFIG_INTEGRITY}"></script>\n` +
      KELISIM_GATED(p),
    embed: (p) => `<iframe data-category="embedded" data-service="video" data-src="${standin(p).video}" ${IFRAME_ATTRS}></iframe>`,
    files: KELISIM_FILES,
    banner: { host: '#kelisim-root', selector: '[data-kelisim="banner"]' },
    accept: '[data-kelisim-action="accept-all"]',
    openPreferences: () => window.kelisim.showPreferences(),
    cached: true,
  },
  {
    id: 'vanilla-cookieconsent',
    label: `vanilla-cookieconsent ${pkgVersion('vanilla-cookieconsent')}`,
    head: (p) =>
      `<link rel="stylesheet" href="/cm/vcc/cookieconsent.css">\n` +
      `<script type="text/plain" data-category="analytics" src="${standin(p).analytics}"></script>\n` +
      `<script type="text/plain" data-category="marketing" src="${standin(p).marketing}"></script>`,
    embed: (p) =>
      `<iframe id="product-video" data-src="${standin(p).video}" ${IFRAME_ATTRS}></iframe>\n` +
      `<script type="text/plain" data-category="embedded">var v = document.getElementById('product-video'); v.src = v.dataset.src;</script>`,
    bodyEnd: () => `<script type="module" src="/cm/vcc/cookieconsent-config.js"></script>`,
    files: {
      '/cm/vcc/cookieconsent.css': path.join(pkgDir('vanilla-cookieconsent'), 'dist/cookieconsent.css'),
      '/cm/vcc/cookieconsent.umd.js': path.join(pkgDir('vanilla-cookieconsent'), 'dist/cookieconsent.umd.js'),
      '/cm/vcc/cookieconsent-config.js': path.join(here, 'contestants/vanilla-cookieconsent/cookieconsent-config.js'),
    },
    banner: { selector: '#cc-main .cm' },
    accept: '#cc-main .cm [data-role="all"]',
    openPreferences: () => window.CookieConsent.showPreferences(),
  },
  {
    id: 'klaro',
    label: `Klaro ${pkgVersion('klaro')}`,
    head: (p) =>
      `<script defer src="/cm/klaro/config.js"></script>\n<script defer src="/cm/klaro/klaro.js"></script>\n` +
      `<script type="text/plain" data-type="text/javascript" data-name="analytics" data-src="${standin(p).analytics}"></script>\n` +
      `<script type="text/plain" data-type="text/javascript" data-name="marketing" data-src="${standin(p).marketing}"></script>`,
    embed: (p) => `<iframe data-name="video" data-src="${standin(p).video}" ${IFRAME_ATTRS}></iframe>`,
    files: {
      '/cm/klaro/config.js': path.join(here, 'contestants/klaro/config.js'),
      '/cm/klaro/klaro.js': path.join(pkgDir('klaro'), 'dist/klaro.js'),
    },
    banner: { selector: '.klaro .cookie-notice:not(.cookie-notice-hidden)' },
    accept: '.klaro .cookie-notice .cm-btn-success',
    openPreferences: () => window.klaro.show(),
  },
  {
    id: 'orejime',
    label: `Orejime ${pkgVersion('orejime')}`,
    head: (p) =>
      `<link rel="stylesheet" href="/cm/orejime/orejime-standard.css">\n` +
      `<script src="/cm/orejime/config.js"></script>\n<script src="/cm/orejime/orejime-standard-en.js"></script>\n` +
      `<template data-purpose="analytics"><script src="${standin(p).analytics}"></script></template>\n` +
      `<template data-purpose="marketing"><script src="${standin(p).marketing}"></script></template>`,
    embed: (p) => `<template data-purpose="video"><iframe src="${standin(p).video}" ${IFRAME_ATTRS}></iframe></template>`,
    files: {
      '/cm/orejime/orejime-standard.css': path.join(pkgDir('orejime'), 'dist/orejime-standard.css'),
      '/cm/orejime/config.js': path.join(here, 'contestants/orejime/config.js'),
      '/cm/orejime/orejime-standard-en.js': path.join(pkgDir('orejime'), 'dist/orejime-standard-en.js'),
    },
    banner: { selector: '.orejime-Banner' },
    accept: '.orejime-Banner-saveButton',
    openPreferences: () => window.orejime.prompt(),
  },
];
// BENCH_AB_DIST=<the js/dist of another build>: that build beside this one
// as "kelisim-b", set up as the quick start, so that two builds are compared
// in the same run (BENCH_CONTESTANTS=kelisim,kelisim-b with BENCH_ONLY=timings).
if (process.env.BENCH_AB_DIST) {
  const other = path.resolve(process.env.BENCH_AB_DIST);
  const a = CONTESTANTS.find((c) => c.id === 'kelisim');
  CONTESTANTS.splice(CONTESTANTS.indexOf(a) + 1, 0, {
    ...a,
    id: 'kelisim-b',
    label: `kelisim (quick start, the build in ${other})`,
    head: (p) => a.head(p).replace('/kelisim/kelisim.js', '/kelisim-b/kelisim.js'),
    // Every kelisim file of that build (its set of files may differ from this one's).
    files: {
      ...Object.fromEntries(Object.entries(KELISIM_FILES).filter(([url]) => !url.startsWith('/kelisim/'))),
      ...Object.fromEntries(
        readdirSync(other)
          .filter((f) => /^kelisim.*\.(js|json|wasm)$/.test(f))
          .map((f) => [`/kelisim-b/${f}`, path.join(other, f)]),
      ),
    },
  });
}
const PEER = 'vanilla-cookieconsent';
const byId = Object.fromEntries(CONTESTANTS.map((c) => [c.id, c]));

// --------------------------------------------------------------------- server
// site.test serves the pages, the shared assets and every contestant's files;
// any other *.test host is a stand-in third party. Bodies are kept so the byte
// figures are computed from exactly what was sent.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const FILES = new Map(); // path -> Buffer (read once, at start: the files do not change during a run)
for (const c of CONTESTANTS) for (const [p, f] of Object.entries(c.files)) FILES.set(p, readFileSync(f));
for (const [p, body] of Object.entries(SITE_ASSETS)) FILES.set(p, body);
const served = new Map(); // "host/path" -> Buffer
// The timed rounds serve everything uncompressed and uncacheable, as before.
// The visit-type bytes and the slow-4G run serve as a site would: brotli
// (Content-Encoding: br, quality 11) and, for the consent managers' own
// files, Cache-Control: max-age=3600 (so a warm HTTP cache can be measured).
const serving = { compress: false, cache: false };
const hits = []; // every request the server answered: { host, path }
const brotliBodies = new Map();
const brotliOf = (buf) => {
  const key = buf.toString('base64');
  if (!brotliBodies.has(key))
    brotliBodies.set(
      key,
      zlib.brotliCompressSync(buf, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
      }),
    );
  return brotliBodies.get(key);
};

function standinBody(host, url) {
  const name = host.split('.')[0];
  if (url.pathname.endsWith('.js')) {
    // Records when it executes (navigation-relative) and sets a cookie, as a tag would.
    const cookie = name === 'analytics' ? '_bench_an' : '_bench_mk';
    return [
      'text/javascript',
      `window.__benchMark && window.__benchMark(${JSON.stringify(name)});\ndocument.cookie = "${cookie}=1; path=/; max-age=3600";\n`,
    ];
  }
  if (url.pathname === '/embed') {
    return [
      'text/html',
      `<!doctype html><html><body style="margin:0;background:#222;color:#eee;font:16px sans-serif;display:grid;place-items:center;height:100vh">Product video</body></html>`,
    ];
  }
  return null;
}

function startServer() {
  const server = http.createServer((req, res) => answer(req, res, server.address().port));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * The same site over HTTP/2 (TLS, a certificate made for *.test now; the
 * browser is told to accept it), for BENCH_ONLY=slow-h2: what most sites
 * serve, where one connection carries every request by priority instead of
 * HTTP/1.1's six per host.
 */
function startH2Server() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kelisim-bench-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=site.test',
      '-addext',
      'subjectAltName=DNS:*.test',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const server = http2.createSecureServer(
    { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')), allowHTTP1: true },
    (req, res) => answer(req, res, server.address().port),
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function answer(req, res, port) {
  const authority = req.headers.host || req.headers[':authority'] || '';
  const host = authority.split(':')[0].toLowerCase();
  const url = new URL(req.url, `http://${authority}`);
  hits.push({ host, path: url.pathname });
  const send = (type, body) => {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    served.set(`${host}${url.pathname}`, buf);
    const own = host === 'site.test' && CONTESTANTS.some((c) => c.files[url.pathname]);
    const headers = {
      'content-type': type,
      'cache-control': serving.cache && own ? 'max-age=3600' : 'no-store',
      'access-control-allow-origin': '*',
    };
    const br = serving.compress && !type.startsWith('image/') && /\bbr\b/.test(req.headers['accept-encoding'] || '');
    if (br) headers['content-encoding'] = 'br';
    res.writeHead(200, headers);
    res.end(br ? brotliOf(buf) : buf);
  };
  if (host !== 'site.test') {
    const r = standinBody(host, url);
    if (r) return send(...r);
  } else {
    const page = /^\/p\/([a-z-]+)\/$/.exec(url.pathname);
    if (page && byId[page[1]]) return send(TYPES['.html'], pageHtml(byId[page[1]], port));
    if (FILES.has(url.pathname)) return send(TYPES[path.extname(url.pathname)] || 'application/octet-stream', FILES.get(url.pathname));
    if (url.pathname === '/privacy') return send(TYPES['.html'], '<!doctype html><title>Privacy</title><p>Privacy policy.');
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

// ----------------------------------------------------------- in-page probes
// Installed before any page script. Times are performance.now(), i.e.
// milliseconds since navigation start. The banner is looked for once per
// animation frame: a banner is "visible" in the first frame that paints it
// (non-empty box in the viewport, not hidden, opacity not 0).
function probe({ banner, patience = 8000 }) {
  if (window.top !== window) return;
  const B = (window.__bench = { marks: {}, shifts: [], longtasks: [], bannerAt: null, clickAt: null, memories: [] });
  const waiters = {};
  window.__benchMark = (name) => {
    if (name in B.marks) return;
    B.marks[name] = performance.now();
    for (const f of waiters[name] || []) f(B.marks[name]);
  };
  B.when = (name, timeout) =>
    name in B.marks
      ? Promise.resolve(B.marks[name])
      : new Promise((resolve) => {
          (waiters[name] = waiters[name] || []).push(resolve);
          setTimeout(() => resolve(null), timeout);
        });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) B.longtasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  // Long animation frames (over 50 ms, Chromium): which scripts they ran, for BENCH_ONLY=timings.
  B.frames = [];
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries())
        B.frames.push(
          e.scripts.map((x) => ({
            // The invoker without its origin (the port changes from run to run).
            what: `${x.invokerType} ${String(x.invoker).replace(/^https?:\/\/[^/]*\/(.*\/)?/, '')}`,
            ms: x.duration,
            forced: x.forcedStyleAndLayoutDuration,
          })),
        );
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // another engine, or a Chromium without them
  }
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) B.shifts.push([e.startTime, e.value]);
  }).observe({ type: 'layout-shift', buffered: true });
  // The page's first contentful paint, among the marks (the page's own content, or a banner, whichever paints first).
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name === 'first-contentful-paint' && !('firstPaint' in B.marks)) B.marks.firstPaint = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  addEventListener(
    'click',
    () => {
      if (B.clickAt === null) B.clickAt = performance.now();
    },
    true,
  );
  addEventListener('kelisim:ready', () => window.__benchMark('ready'));
  // The engine's linear memory: kept from whatever instance the page creates.
  for (const fn of ['instantiate', 'instantiateStreaming']) {
    const orig = WebAssembly[fn];
    if (!orig) continue;
    WebAssembly[fn] = function (...args) {
      window.__benchMark('wasmCalled');
      return orig.apply(this, args).then((r) => {
        window.__benchMark('wasmInstantiated');
        const inst = r instanceof WebAssembly.Instance ? r : r.instance;
        for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) B.memories.push(v);
        return r;
      });
    };
  }
  // kelisim instantiates a compiled module synchronously.
  WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
    construct(target, args, newTarget) {
      window.__benchMark('wasmCalled');
      const inst = Reflect.construct(target, args, newTarget);
      window.__benchMark('wasmInstantiated');
      for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) B.memories.push(v);
      return inst;
    },
  });
  const find = () => {
    if (!banner) return null;
    const scope = banner.host ? document.querySelector(banner.host)?.shadowRoot : document;
    return scope ? scope.querySelector(banner.selector) : null;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return (
      r.width > 0 &&
      r.height > 0 &&
      r.bottom > 0 &&
      r.right > 0 &&
      r.top < innerHeight &&
      r.left < innerWidth &&
      el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    );
  };
  B.bannerSeen = new Promise((resolve) => {
    if (!banner) return resolve(null);
    const tick = () => {
      const el = find();
      if (el && visible(el)) {
        B.bannerAt = performance.now();
        resolve(B.bannerAt);
      } else if (performance.now() < patience) requestAnimationFrame(tick);
      else resolve(null);
    };
    requestAnimationFrame(tick);
  });
}

// In-page: navigation milestones and when each same-origin file finished arriving.
function timeline() {
  const nav = performance.getEntriesByType('navigation')[0];
  const files = {};
  for (const e of performance.getEntriesByType('resource')) {
    const u = new URL(e.name);
    if (u.origin === location.origin) files[u.pathname] = e.responseEnd;
  }
  const m = window.__bench.marks;
  return {
    html: nav.responseEnd,
    dcl: nav.domContentLoadedEventEnd || null,
    load: nav.loadEventStart || null,
    ready: m.ready ?? null,
    wasmCalled: m.wasmCalled ?? null,
    wasmInstantiated: m.wasmInstantiated ?? null,
    files,
  };
}

// Largest session window of layout shifts (gap < 1 s, window < 5 s): the CLS definition.
function cls(shifts) {
  let best = 0,
    cur = 0,
    start = -Infinity,
    last = -Infinity;
  for (const [t, v] of shifts) {
    if (t - last > 1000 || t - start > 5000) {
      start = t;
      cur = 0;
    }
    cur += v;
    last = t;
    best = Math.max(best, cur);
  }
  return best;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const metricsOf = async (cdp) => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const hostOf = (u) => {
  try {
    return new URL(u).hostname;
  } catch {
    return '';
  }
};

async function openVisit(browser, c, port, storageState) {
  const context = await browser.newContext({ viewport: VIEWPORT, storageState });
  await context.addInitScript(probe, { banner: c.banner || null });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (PROFILING) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const url = `http://site.test:${port}/p/${c.id}/`;
  return { context, page, cdp, requests, errors, url };
}

const waitFor = async (cond, ms) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(20);
  return cond();
};

/** In the page: its User Timing marks, when kelisim's files and the stand-in scripts were asked for and arrived, and DOMContentLoaded. */
function pageMarks() {
  return Object.fromEntries([
    ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
    ...Object.entries(window.__bench ? window.__bench.marks : {}).map(([k, t]) => [`probe:${k}`, t]),
    ...performance
      .getEntriesByType('resource')
      .filter((e) => /\/(kelisim[^/]*|consent\.json|[am]\.js)$/.test(e.name))
      .flatMap((e) => [
        [`${e.name.replace(/^.*\//, '')} asked`, e.startTime],
        [`${e.name.replace(/^.*\//, '')} arrived`, e.responseEnd],
      ]),
    ['DOMContentLoaded', performance.getEntriesByType('navigation')[0].domContentLoadedEventStart],
  ]);
}

/** First visit: banner, settle, figures; then "accept all" and the stand-ins. */
async function firstVisit(browser, c, port) {
  const v = await openVisit(browser, c, port);
  const out = { errors: v.errors };
  try {
    if (TRACING) await browser.startTracing(v.page, { categories: TRACE_CATEGORIES });
    await v.page.goto(v.url, { waitUntil: 'load', timeout: VISIT_TIMEOUT_MS });
    out.bannerMs = await v.page.evaluate(() => window.__bench.bannerSeen);
    if (TRACING) out.trace = JSON.parse(String(await browser.stopTracing()));
    await sleep(SETTLE_MS);
    const m = await metricsOf(v.cdp);
    out.timeline = await v.page.evaluate(timeline);
    // User Timing marks and kelisim's own files' arrival (BENCH_ONLY=timings prints their medians).
    out.marks = await v.page.evaluate(pageMarks);
    const snap = await v.page.evaluate(() => ({
      shifts: window.__bench.shifts,
      longtasks: window.__bench.longtasks,
      frames: window.__bench.frames,
      marks: window.__bench.marks,
      wasm: window.__bench.memories.map((mem) => mem.buffer.byteLength),
    }));
    out.scriptMs = m.ScriptDuration * 1000;
    out.taskMs = m.TaskDuration * 1000;
    if (PROFILING) out.profile = (await v.cdp.send('Profiler.stop')).profile;
    out.cls = cls(snap.shifts);
    out.longTasks = snap.longtasks.length;
    out.longFrames = snap.frames;
    out.longestTaskMs = snap.longtasks.reduce((a, [, d]) => Math.max(a, d), 0);
    out.wasmBytes = snap.wasm.length ? snap.wasm.reduce((a, b) => a + b, 0) : null;
    await v.cdp.send('HeapProfiler.collectGarbage');
    out.jsHeap = (await metricsOf(v.cdp)).JSHeapUsedSize;
    out.urls = [...new Set(v.requests)];
    out.leakedBeforeConsent = c.banner ? STANDIN_HOSTS.filter((h) => v.requests.some((u) => hostOf(u) === h)) : [];
    if (c.accept) {
      if (process.env.BENCH_ACCEPT_TRACE)
        await browser.startTracing(v.page, {
          categories: process.env.BENCH_TRACE_CATEGORIES
            ? process.env.BENCH_TRACE_CATEGORIES.split(',')
            : ['devtools.timeline', 'blink.user_timing', 'v8.execute', 'loading', 'disabled-by-default-devtools.timeline'],
        });
      await v.page.click(c.accept, { timeout: VISIT_TIMEOUT_MS });
      const ran = await v.page.evaluate(() => window.__bench.when('analytics', 5000));
      if (process.env.BENCH_ACCEPT_TRACE)
        writeFileSync(`${process.env.BENCH_ACCEPT_TRACE}.${c.id}.${Date.now()}.json`, String(await browser.stopTracing()));
      const clickAt = await v.page.evaluate(() => window.__bench.clickAt);
      out.acceptToAnalyticsMs = ran !== null && clickAt !== null ? ran - clickAt : null;
      // What came after the click (BENCH_ONLY=timings prints their medians), ms after it.
      if (clickAt !== null)
        out.acceptMarks = Object.fromEntries(
          Object.entries(await v.page.evaluate(pageMarks))
            .filter(([, t]) => t >= clickAt)
            .map(([k, t]) => [k, t - clickAt]),
        );
      await waitFor(() => STANDIN_HOSTS.every((h) => v.requests.some((u) => hostOf(u) === h)), 3000);
      out.loadedAfterAccept = STANDIN_HOSTS.filter((h) => v.requests.some((u) => hostOf(u) === h));
      // A visitor who comes back has stayed on the page longer than this: kelisim has kept its engine and its answer by then.
      if (c.cached)
        await v.page.waitForFunction(
          () => localStorage.getItem('kelisim:wasm') !== null && localStorage.getItem('kelisim:answer') !== null,
          null,
          { timeout: 5000 },
        );
      out.state = await v.context.storageState();
    } else {
      out.analyticsMs = await v.page.evaluate(() => window.__bench.when('analytics', 5000));
    }
  } catch (err) {
    out.failed = String(err.message || err).split('\n')[0];
  } finally {
    await v.context.close();
  }
  return out;
}

/** Returning visitor who accepted: navigation start -> analytics stand-in executing. */
async function returningVisit(browser, c, port, state) {
  const v = await openVisit(browser, c, port, state);
  const out = { errors: v.errors };
  try {
    if (TRACING) await browser.startTracing(v.page, { categories: TRACE_CATEGORIES });
    await v.page.goto(v.url, { waitUntil: 'load', timeout: VISIT_TIMEOUT_MS });
    out.analyticsMs = await v.page.evaluate(() => window.__bench.when('analytics', 5000));
    if (TRACING) out.trace = JSON.parse(String(await browser.stopTracing()));
    out.marks = await v.page.evaluate(pageMarks);
    await waitFor(() => STANDIN_HOSTS.every((h) => v.requests.some((u) => hostOf(u) === h)), 3000);
    await sleep(150);
    out.loaded = STANDIN_HOSTS.filter((h) => v.requests.some((u) => hostOf(u) === h));
    out.timeline = await v.page.evaluate(timeline);
    out.bannerShown = c.banner ? await v.page.evaluate(() => window.__bench.bannerAt !== null) : false;
    out.scriptMs = (await metricsOf(v.cdp)).ScriptDuration * 1000;
    if (PROFILING) out.profile = (await v.cdp.send('Profiler.stop')).profile;
  } catch (err) {
    out.failed = String(err.message || err).split('\n')[0];
  } finally {
    await v.context.close();
  }
  return out;
}

// ---------------------------------------------------------------- statistics
function quantile(sorted, q) {
  if (!sorted.length) return null;
  const i = (sorted.length - 1) * q,
    lo = Math.floor(i),
    hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}
function summary(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? { n: v.length, p25: quantile(v, 0.25), median: quantile(v, 0.5), p75: quantile(v, 0.75) } : null;
}

const compressed = new Map();
function sizes(buf) {
  const key = buf;
  if (!compressed.has(key)) {
    compressed.set(key, {
      raw: buf.length,
      gzip: zlib.gzipSync(buf, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(buf, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
      }).length,
    });
  }
  return compressed.get(key);
}
/** Bytes of the given first-visit URLs: the contestant's own files, and the whole page. */
function byteFigures(c, urls) {
  const own = { files: [], raw: 0, gzip: 0, brotli: 0 };
  const page = { raw: 0, gzip: 0, brotli: 0, requests: 0 };
  for (const u of urls) {
    const x = new URL(u);
    const buf = served.get(`${x.hostname}${x.pathname}`);
    if (!buf) continue;
    const s = sizes(buf);
    page.requests += 1;
    for (const k of ['raw', 'gzip', 'brotli']) page[k] += s[k];
    if (x.hostname === 'site.test' && c.files[x.pathname]) {
      own.files.push({ path: x.pathname, ...s });
      for (const k of ['raw', 'gzip', 'brotli']) own[k] += s[k];
    }
  }
  return { own, page };
}

function timelineSummary(c, tls, ends) {
  const got = tls.filter(Boolean);
  const own = (tl) => {
    const t = Object.entries(tl.files)
      .filter(([p]) => c.files[p])
      .map(([, x]) => x);
    return t.length ? Math.max(...t) : null;
  };
  const perFile = {};
  for (const p of Object.keys(c.files)) perFile[p] = summary(got.map((tl) => tl.files[p] ?? null));
  return {
    html: summary(got.map((tl) => tl.html)),
    own: summary(got.map(own)),
    perFile,
    wasmCalled: summary(got.map((tl) => tl.wasmCalled)),
    wasmInstantiated: summary(got.map((tl) => tl.wasmInstantiated)),
    dcl: summary(got.map((tl) => tl.dcl)),
    load: summary(got.map((tl) => tl.load)),
    ready: summary(got.map((tl) => tl.ready)),
    end: summary(ends),
  };
}

// --------------------------------------------------------------------- report
const fmtMs = (x) => (x === null || x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const fmtKB = (b) => `${(b / 1024).toFixed(1)} KB`;
const fmtRange = (s, f = fmtMs) => (s ? `${f(s.median)} [${f(s.p25)}–${f(s.p75)}]` : '–');
const ratio = (a, b) => (a === null || b === null || a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);

function report({ results, engine, chromiumVersion, bytes, started, elapsedS, load }) {
  const ids = CONTESTANTS.map((c) => c.id);
  const med = (id, key) => results[id][key]?.median ?? null;
  const L = [];
  L.push('# kelisim benchmark results', '');
  L.push(
    `Generated by \`make bench\` (bench/run.mjs) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${elapsedS.toFixed(0)} s.`,
  );
  L.push(
    `Chromium ${chromiumVersion} (headless, ${os.cpus().length} CPU${os.cpus().length > 1 ? 's' : ''}: ${os.cpus()[0]?.model.trim() || 'unknown'}), ` +
      `playwright-core ${pkgVersion('playwright-core')}, Node ${process.version}. ${ROUNDS} rounds, contestants interleaved ` +
      `(${ids.join(' → ')}, repeated) after one discarded warm-up round; loopback server, no throttling, cold HTTP cache ` +
      `(a fresh browser context for every visit), viewport ${VIEWPORT.width}×${VIEWPORT.height}.`,
  );
  const busy = Math.max(load.start, load.end) > os.cpus().length;
  L.push(
    `Load average (1 min) at start / end: ${load.start.toFixed(2)} / ${load.end.toFixed(2)}${busy ? ' — the machine was busy with other work, so absolute times are inflated and noisier; compare contestants, not runs' : ''}.`,
  );
  L.push('Figures: median [p25–p75]. Ratios compare medians. Method and caveats: bench/README.md.', '');

  L.push('## Native engine', '');
  if (engine) {
    L.push(
      `40-service configuration (${engine.configBytes} bytes), ${engine.iterations} iterations after a warm-up, median [p25–p75] per call:`,
      '',
    );
    L.push('| operation | µs |', '|---|---|');
    const r = (s) => `${s.median.toFixed(1)} [${s.p25.toFixed(1)}–${s.p75.toFixed(1)}]`;
    L.push(
      `| **parse + decode + decide all services** (api_start + api_query, configuration cache defeated) | **${r(engine.pageStartUs)}** (target ≤ ${engine.targetUs}: ${engine.pageStartUs.median <= engine.targetUs ? 'met' : 'missed'}) |`,
    );
    L.push(`| parse + validate only (api_validate) | ${r(engine.parseOnlyUs)} |`);
    if (engine.startCachedUs) L.push(`| page start, configuration cached (api_start) | ${r(engine.startCachedUs)} |`);
    if (engine.textsCachedUs) L.push(`| banner texts, configuration cached (api_texts) | ${r(engine.textsCachedUs)} |`);
    L.push(`| decode + decide all, configuration cached (api_query) | ${r(engine.queryCachedUs)} |`);
    L.push(`| accept-all decision, configuration cached (api_decide) | ${r(engine.decideCachedUs)} |`, '');
  } else {
    L.push(
      `No native figures: ${path.relative(root, ENGINE_JSON)} is missing (make bench builds and runs build-bench/kelisim_engine_bench first).`,
      '',
    );
  }

  L.push('## Bytes a first visit downloads', '');
  L.push(
    'The contestant\'s own files (script, style, configuration, wasm), each compressed on its own, then summed; "whole page" adds the page, its CSS and images (and, for the baseline, the ungated stand-ins).',
    '',
  );
  L.push(
    '| contestant | own files | raw | gzip -9 | brotli | brotli ×vcc | whole page, brotli | whole page ×baseline |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const id of ids) {
    const b = bytes[id];
    if (!b) {
      L.push(`| ${byId[id].label} | – | – | – | – | – | – | – |`);
      continue;
    }
    const files = b.own.files.map((f) => `${path.basename(f.path)} ${fmtKB(f.brotli)}`).join(', ') || '–';
    L.push(
      `| ${byId[id].label} | ${files} | ${fmtKB(b.own.raw)} | ${fmtKB(b.own.gzip)} | ${fmtKB(b.own.brotli)} | ${id === 'baseline' ? '–' : ratio(b.own.brotli, bytes[PEER]?.own.brotli)} | ${fmtKB(b.page.brotli)} (${b.page.requests} requests) | ${ratio(b.page.brotli, bytes.baseline?.page.brotli)} |`,
    );
  }
  L.push('');

  const rows = [
    ['bannerMs', 'first visit: navigation start → banner visible (ms)', fmtMs],
    ['scriptMs', 'first visit: main-thread script time, CDP ScriptDuration (ms)', fmtMs],
    ['longTasks', 'first visit: long tasks (count)', (x) => x.toFixed(0)],
    ['longestTaskMs', 'first visit: longest task (ms, 0 = none over 50 ms)', fmtMs],
    ['cls', 'first visit: cumulative layout shift', (x) => x.toFixed(3)],
    ['returnAnalyticsMs', 'returning visitor who accepted: navigation start → analytics executing (ms)', fmtMs],
    ['acceptToAnalyticsMs', 'accept click → analytics executing (ms)', fmtMs],
    ['returnScriptMs', 'returning visitor: main-thread script time (ms)', fmtMs],
    ['wasmKB', 'wasm linear memory after init (KiB)', (x) => x.toFixed(0)],
    ['jsHeapKB', 'first visit: JS heap used after GC (KiB)', (x) => x.toFixed(0)],
  ];
  L.push('## Timings and other figures', '');
  L.push(`| figure | ${ids.map((id) => byId[id].label).join(' | ')} |`, `|---|${ids.map(() => '---').join('|')}|`);
  for (const [key, label, f] of rows) L.push(`| ${label} | ${ids.map((id) => fmtRange(results[id][key], f)).join(' | ')} |`);
  L.push(
    '',
    "Wasm memory is the `buffer.byteLength` of the `WebAssembly.Memory` the page's instance exports, captured by wrapping `WebAssembly.instantiate*` and the `WebAssembly.Instance` constructor " +
      `before any page script (performance.measureUserAgentSpecificMemory needs cross-origin isolation and does not isolate wasm); the configured -sINITIAL_MEMORY is ${INITIAL_MEMORY / 1024} KiB.`,
    '',
  );

  L.push('## Where the time goes (medians, ms from navigation start)', '');
  L.push(
    '| contestant | visit | page HTML arrived | own files arrived | DOMContentLoaded | load | kelisim ready | banner visible / analytics executing |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const id of ids) {
    for (const [visit, label] of [
      ['first', 'first'],
      ['back', 'returning'],
    ]) {
      const t = results[id].timeline[visit];
      const m = (x) => fmtMs(x?.median ?? null);
      L.push(`| ${byId[id].label} | ${label} | ${m(t.html)} | ${m(t.own)} | ${m(t.dcl)} | ${m(t.load)} | ${m(t.ready)} | ${m(t.end)} |`);
    }
  }
  L.push('');
  for (const [visit, label] of [
    ['first', 'First visit'],
    ['back', 'Returning visit'],
  ]) {
    const t = results.kelisim.timeline[visit];
    const m = (x) => fmtMs(x?.median ?? null);
    L.push(
      `${label}, kelisim step by step (medians): ${Object.entries(t.perFile)
        .map(([p, x]) => `${path.basename(p)} arrived ${m(x)}`)
        .join(', ')}; ` +
        `kelisim.wasm instantiation called ${m(t.wasmCalled)}, instance ready ${m(t.wasmInstantiated)}; kelisim:ready ${m(t.ready)}; ${visit === 'first' ? 'banner visible' : 'analytics executing'} ${m(t.end)}.`,
      '',
    );
  }
  L.push('The first-visit "end" column is the banner (the baseline\'s first visit has none); "load" waits for every image.', '');

  L.push('## Ratios (medians)', '');
  L.push(
    `| figure | ${ids
      .filter((id) => id !== 'baseline')
      .map((id) => `${byId[id].label} ×vcc | ×baseline`)
      .join(' | ')} |`,
  );
  L.push(
    `|---|${ids
      .filter((id) => id !== 'baseline')
      .map(() => '---|---')
      .join('|')}|`,
  );
  for (const [key, label] of rows) {
    if (['longTasks', 'longestTaskMs', 'cls', 'wasmKB'].includes(key)) continue;
    const delta = (id) => {
      const a = med(id, key),
        b = med('baseline', key);
      if (a === null || b === null || !key.endsWith('Ms')) return '';
      return ` (${a >= b ? '+' : '−'}${fmtMs(Math.abs(a - b))} ms)`;
    };
    const cells = ids
      .filter((id) => id !== 'baseline')
      .map((id) => `${ratio(med(id, key), med(PEER, key))} | ${ratio(med(id, key), med('baseline', key))}${delta(id)}`);
    L.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  L.push(
    '',
    'Against the baseline, times also show the difference. Long tasks and CLS are absolute (the baseline has none); see the table above.',
    '',
  );

  // Goals for kelisim (goals to steer by, not test assertions).
  const k = (key) => med('kelisim', key);
  const peersBanner = ids
    .filter((id) => !['baseline', 'kelisim', 'kelisim-b', 'kelisim-url'].includes(id))
    .map((id) => med(id, 'bannerMs'))
    .filter((x) => x !== null);
  const fastestPeer = peersBanner.length ? Math.min(...peersBanner) : null;
  const kb = bytes.kelisim?.own.brotli ?? null;
  const goals = [
    [
      'returning visitor analytics ≤ 1.0× vanilla-cookieconsent',
      `${fmtMs(k('returnAnalyticsMs'))} ms vs ${fmtMs(med(PEER, 'returnAnalyticsMs'))} ms (${ratio(k('returnAnalyticsMs'), med(PEER, 'returnAnalyticsMs'))})`,
      k('returnAnalyticsMs') !== null && k('returnAnalyticsMs') <= med(PEER, 'returnAnalyticsMs'),
    ],
    [
      'returning visitor analytics ≤ baseline + 10 ms',
      `${fmtMs(k('returnAnalyticsMs'))} ms vs ${fmtMs(med('baseline', 'returnAnalyticsMs'))} + 10 ms (${k('returnAnalyticsMs') !== null ? `+${fmtMs(k('returnAnalyticsMs') - med('baseline', 'returnAnalyticsMs'))} ms` : '–'})`,
      k('returnAnalyticsMs') !== null && k('returnAnalyticsMs') <= med('baseline', 'returnAnalyticsMs') + 10,
    ],
    [
      "accept click → analytics ≤ vanilla-cookieconsent's",
      `${fmtMs(k('acceptToAnalyticsMs'))} ms vs ${fmtMs(med(PEER, 'acceptToAnalyticsMs'))} ms (${ratio(k('acceptToAnalyticsMs'), med(PEER, 'acceptToAnalyticsMs'))})`,
      k('acceptToAnalyticsMs') !== null && k('acceptToAnalyticsMs') <= med(PEER, 'acceptToAnalyticsMs'),
    ],
    [
      'first visit banner visible ≤ 1.0× fastest peer',
      `${fmtMs(k('bannerMs'))} ms vs ${fmtMs(fastestPeer)} ms (${ratio(k('bannerMs'), fastestPeer)})`,
      k('bannerMs') !== null && fastestPeer !== null && k('bannerMs') <= fastestPeer,
    ],
    ['bytes of a first visit (brotli, all own files) ≤ 45 KB', kb === null ? '–' : fmtKB(kb), kb !== null && kb <= 45 * 1024],
    [
      "main-thread script time ≤ vanilla-cookieconsent's",
      `${fmtMs(k('scriptMs'))} ms vs ${fmtMs(med(PEER, 'scriptMs'))} ms (${ratio(k('scriptMs'), med(PEER, 'scriptMs'))})`,
      k('scriptMs') !== null && k('scriptMs') <= med(PEER, 'scriptMs'),
    ],
    [
      'no long task',
      `long tasks in ${results.kelisim.roundsWithLongTask} of ${results.kelisim.checks.rounds} rounds; longest ${fmtMs(results.kelisim.longestTaskMax)} ms`,
      results.kelisim.longTasksMax === 0,
    ],
    [
      'CLS 0',
      `${results.kelisim.clsMax === undefined ? '–' : results.kelisim.clsMax.toFixed(3)} at most in any round`,
      results.kelisim.clsMax === 0,
    ],
    ['wasm memory ≤ 1 MiB', k('wasmKB') === null ? '–' : `${k('wasmKB').toFixed(0)} KiB`, k('wasmKB') !== null && k('wasmKB') <= 1024],
  ];
  if (engine)
    goals.push([
      'native: parse + decode + decide 40 services ≤ 0.2 ms',
      `${(engine.pageStartUs.median / 1000).toFixed(3)} ms`,
      engine.pageStartUs.median <= engine.targetUs,
    ]);
  L.push('## kelisim against its goals', '');
  L.push('| goal | kelisim | met |', '|---|---|---|');
  for (const [g, v, ok] of goals) L.push(`| ${g} | ${v} | ${ok ? 'yes' : '**no**'} |`);
  L.push('');

  L.push('## Checks (each contestant really gated the stand-ins)', '');
  L.push(
    '| contestant | rounds measured | stand-ins blocked before consent | all three after accept | returning: no banner, all three | page errors |',
    '|---|---|---|---|---|---|',
  );
  for (const id of ids) {
    const ck = results[id].checks;
    const cell = (x) => (byId[id].banner ? `${x}/${ck.rounds}` : 'n/a');
    L.push(
      `| ${byId[id].label} | ${ck.rounds - ck.failed}/${ck.rounds}${ck.failedMsg ? ` (${ck.failedMsg})` : ''} | ${cell(ck.blocked)} | ${cell(ck.afterAccept)} | ${cell(ck.returning)} | ${
        ck.errors.length
          ? ck.errors
              .slice(0, 2)
              .map((e) => `\`${e.slice(0, 80)}\``)
              .join('; ')
          : 'none'
      } |`,
    );
  }
  L.push('');
  return L.join('\n');
}

// ----------------------------------------------------------------------- main
// ------------------------------------------------ bytes per visit, slow 4G
// What each kind of visit sends over the network (the server's own log: a
// file the HTTP cache answered never reaches it), and the first visit's banner
// under a slow mobile network, where bytes show up as time.
const SLOW_ROUNDS = Number(process.env.BENCH_SLOW_ROUNDS || 5);
// CDP Network.emulateNetworkConditions: 400 ms added round trip, 400 kbit/s
// (50,000 bytes/s) down and up; the server sends brotli, as a site would.
const SLOW_4G = { offline: false, latency: 400, downloadThroughput: 50000, uploadThroughput: 50000 };
const SLOW_CONTESTANTS = (process.env.BENCH_SLOW_CONTESTANTS || 'kelisim,kelisim-url,vanilla-cookieconsent,orejime,klaro').split(',');
const SLOW_TIMEOUT_MS = 60000;

/** The contestant's own files the server sent since hits[from]: [{ path, brotli }]. */
function ownSince(c, from) {
  return hits
    .slice(from)
    .filter((h) => h.host === 'site.test' && c.files[h.path])
    .map((h) => ({ path: h.path, brotli: sizes(FILES.get(h.path)).brotli }));
}
const total = (files) => files.reduce((a, f) => a + f.brotli, 0);

/** One visitor: first visit (banner), accept, back with a warm HTTP cache, preferences; then back in a fresh HTTP cache. */
async function visitBytes(browser, c, port) {
  const out = {};
  const url = `http://site.test:${port}/p/${c.id}/`;
  const settle = async (page) => {
    await page.waitForLoadState('load');
    await page.evaluate(() => new Promise((r) => (window.requestIdleCallback || setTimeout)(() => setTimeout(r, 1200))));
  };
  const openPreferences = async (page) => {
    const from = hits.length;
    try {
      await page.evaluate(c.openPreferences);
      await sleep(800);
      return ownSince(c, from);
    } catch (err) {
      return null; // no such API in this version: reported as –
    }
  };
  let context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(probe, { banner: c.banner || null });
  let page = await context.newPage();
  try {
    let from = hits.length;
    await page.goto(url, { waitUntil: 'load', timeout: VISIT_TIMEOUT_MS });
    await page.evaluate(() => window.__bench.bannerSeen);
    await settle(page);
    out.first = ownSince(c, from);
    await page.click(c.accept, { timeout: VISIT_TIMEOUT_MS });
    await page.evaluate(() => window.__bench.when('analytics', 5000));
    if (c.cached)
      await page.waitForFunction(
        () => localStorage.getItem('kelisim:wasm') !== null && localStorage.getItem('kelisim:answer') !== null,
        null,
        { timeout: 5000 },
      );
    await sleep(300);
    const state = await context.storageState();
    from = hits.length;
    await page.goto(url, { waitUntil: 'load', timeout: VISIT_TIMEOUT_MS });
    await settle(page);
    out.warm = ownSince(c, from);
    out.warmPreferences = await openPreferences(page);
    await context.close();
    context = await browser.newContext({ viewport: VIEWPORT, storageState: state });
    await context.addInitScript(probe, { banner: c.banner || null });
    page = await context.newPage();
    from = hits.length;
    await page.goto(url, { waitUntil: 'load', timeout: VISIT_TIMEOUT_MS });
    await settle(page);
    out.fresh = ownSince(c, from);
    out.freshPreferences = await openPreferences(page);
  } catch (err) {
    out.failed = String(err.message || err).split('\n')[0];
  } finally {
    await context.close();
  }
  return out;
}

/** First visit under slow 4G: navigation start -> banner visible (`scheme` https: the HTTP/2 server). */
async function slowFirstVisit(browser, c, port, scheme = 'http') {
  const context = await browser.newContext({ viewport: VIEWPORT, ignoreHTTPSErrors: scheme === 'https' });
  await context.addInitScript(probe, { banner: c.banner || null, patience: SLOW_TIMEOUT_MS });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await page.goto(`${scheme}://site.test:${port}/p/${c.id}/`, { waitUntil: 'commit', timeout: SLOW_TIMEOUT_MS });
    await page.waitForFunction(() => window.__bench && window.__bench.bannerSeen, null, { timeout: SLOW_TIMEOUT_MS });
    const seen = await page.evaluate(() => window.__bench.bannerSeen);
    if (process.env.BENCH_SLOW_DEBUG)
      console.error(
        c.id,
        seen,
        'first contentful paint',
        await page.evaluate(() => Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1)),
        await page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map((e) => `${e.name.split('/').pop()} ${e.nextHopProtocol} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`)
            .join(' | '),
        ),
      );
    return seen;
  } catch {
    return null;
  } finally {
    await context.close();
  }
}

async function visitsAndSlow4G(browser, port) {
  serving.compress = true;
  serving.cache = true;
  const bytes = {};
  try {
    for (const c of CONTESTANTS.filter((x) => x.banner)) bytes[c.id] = await visitBytes(browser, c, port);
    serving.cache = false;
    const slow = Object.fromEntries(SLOW_CONTESTANTS.map((id) => [id, []]));
    for (let round = 0; round < SLOW_ROUNDS; round++) {
      for (const id of SLOW_CONTESTANTS) slow[id].push(await slowFirstVisit(browser, byId[id], port));
      process.stdout.write(`\rbench: slow 4G round ${round + 1}/${SLOW_ROUNDS}`);
    }
    process.stdout.write('\n');
    return { bytes, slow };
  } finally {
    serving.compress = false;
    serving.cache = false;
  }
}

/** BENCH_ONLY=slow-h2: slow-4G first banners over HTTP/1.1 and HTTP/2 in the same run, medians and ×vcc. */
async function slowOverBoth(browser, port, h2port) {
  serving.compress = true;
  const runs = { 'HTTP/1.1': {}, 'HTTP/2': {} };
  for (const r of Object.values(runs)) for (const id of SLOW_CONTESTANTS) r[id] = [];
  for (let round = 0; round < SLOW_ROUNDS; round++) {
    for (const id of SLOW_CONTESTANTS) {
      runs['HTTP/1.1'][id].push(await slowFirstVisit(browser, byId[id], port));
      runs['HTTP/2'][id].push(await slowFirstVisit(browser, byId[id], h2port, 'https'));
    }
    process.stdout.write(`\rbench: slow 4G over HTTP/1.1 and HTTP/2, round ${round + 1}/${SLOW_ROUNDS}`);
  }
  process.stdout.write('\n');
  for (const [protocol, r] of Object.entries(runs)) {
    const peer = summary(r[PEER] || []); // null when vanilla-cookieconsent is not among BENCH_SLOW_CONTESTANTS
    console.log(`\nslow 4G, first visit: navigation start -> banner visible, ${protocol} (median [p25-p75] ms, x vanilla-cookieconsent)`);
    for (const id of SLOW_CONTESTANTS) {
      const m = summary(r[id]);
      const cell = m ? `${m.median.toFixed(0)} [${m.p25.toFixed(0)}-${m.p75.toFixed(0)}]` : '-';
      console.log(`  ${byId[id].label.padEnd(50)} ${cell.padStart(20)}  ${m && peer ? `${(m.median / peer.median).toFixed(2)}x` : ''}`);
    }
  }
}

function visitsSection({ bytes, slow }) {
  const fmtFiles = (files) =>
    files === null || files === undefined
      ? '–'
      : files.length
        ? `**${fmtKB(total(files))}** (${files.map((f) => `${path.basename(f.path)} ${fmtKB(f.brotli)}`).join(', ')})`
        : '**0 KB** (nothing)';
  const lines = [
    '<!-- visits:start -->',
    '## Bytes per visit type',
    '',
    `What each visit sends over the network: the contestant's own files the server sent (brotli sizes, quality 11, each file on its own), counted from the server's log, so a file the HTTP cache answered counts nothing. Served as a site would: brotli-encoded, the consent managers' files with \`Cache-Control: max-age=3600\`. One visitor per contestant: a first visit (banner shown), "accept all", the same page again in the same browser (warm HTTP cache), "open preferences" there, then the page in a new browser profile that keeps only cookies and localStorage (fresh HTTP cache: what a visitor whose cache was evicted pays; kelisim's engine and texts then still come from localStorage), and "open preferences" there.`,
    '',
    '| contestant | first visit (banner) | returning, not asked: fresh HTTP cache | returning, not asked: warm HTTP cache | open preferences later (fresh cache / warm cache) |',
    '|---|---|---|---|---|',
  ];
  for (const c of CONTESTANTS.filter((x) => bytes[x.id])) {
    const b = bytes[c.id];
    if (b.failed) {
      lines.push(`| ${c.label} | failed: ${b.failed} | | | |`);
      continue;
    }
    lines.push(
      `| ${c.label} | ${fmtFiles(b.first)} | ${fmtFiles(b.fresh)} | ${fmtFiles(b.warm)} | ${fmtFiles(b.freshPreferences)} / ${fmtFiles(b.warmPreferences)} |`,
    );
  }
  const med = (id) => summary(slow[id] || []);
  const peer = med(PEER);
  lines.push(
    '',
    `## Slow 4G: first visit, navigation start → banner visible`,
    '',
    `Chromium's network emulation (CDP \`Network.emulateNetworkConditions\`): ${SLOW_4G.latency} ms added round-trip latency, ${(SLOW_4G.downloadThroughput * 8) / 1000} kbit/s down and ${(SLOW_4G.uploadThroughput * 8) / 1000} kbit/s up; brotli-encoded responses, cold cache, the whole page (its ~400 KB of images compete for the same link). ${SLOW_ROUNDS} rounds, contestants interleaved; median [p25–p75], ratio of medians.`,
    '',
    '| contestant | banner visible (ms) | ×vanilla-cookieconsent | rounds with a banner |',
    '|---|---|---|---|',
  );
  for (const id of SLOW_CONTESTANTS) {
    const m = med(id);
    lines.push(
      `| ${byId[id].label} | ${fmtRange(m)} | ${m && peer ? ratio(m.median, peer.median) : '–'} | ${(slow[id] || []).filter((x) => typeof x === 'number').length}/${(slow[id] || []).length} |`,
    );
  }
  // Each shipped file beside its budget (bench/budgets.json, checked by js/test/size.test.mjs).
  const budgets = JSON.parse(readFileSync(path.join(here, 'budgets.json'), 'utf8')).brotli;
  lines.push(
    '',
    "kelisim's files and their budgets (brotli bytes; `js/test/size.test.mjs` fails the build past a budget):",
    '',
    '| file | brotli bytes | budget | headroom |',
    '|---|--:|--:|--:|',
    ...Object.entries(budgets).map(([file, budget]) => {
      const n = sizes(readFileSync(path.join(dist, file))).brotli;
      return `| ${file} | ${n} | ${budget} | ${(((budget - n) / n) * 100).toFixed(1)} % |`;
    }),
  );
  const k = bytes.kelisim && !bytes.kelisim.failed ? bytes.kelisim : null;
  const km = med('kelisim');
  lines.push(
    '',
    '| goal | kelisim (quick start) | met |',
    '|---|---|---|',
    k
      ? `| returning visit, not asked, fresh HTTP cache ≤ 40 KB | ${fmtKB(total(k.fresh))} | ${total(k.fresh) <= 40 * 1024 ? 'yes' : '**no**'} |`
      : '| returning ≤ 40 KB | – | – |',
    k
      ? `| first visit with the banner ≤ 45 KB | ${fmtKB(total(k.first))} | ${total(k.first) <= 45 * 1024 ? 'yes' : '**no**'} |`
      : '| first visit ≤ 45 KB | – | – |',
    km && peer
      ? `| slow 4G: banner visible ≤ 1.0× vanilla-cookieconsent | ${fmtMs(km.median)} ms vs ${fmtMs(peer.median)} ms (${ratio(km.median, peer.median)}) | ${km.median <= peer.median ? 'yes' : '**no**'} |`
      : '| slow 4G ≤ 1.0× vcc | – | – |',
    '<!-- visits:end -->',
  );
  return lines.join('\n');
}

/** Puts the section between its markers in RESULTS.md (appended when absent). */
function writeSection(section) {
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  const re = /<!-- visits:start -->[\s\S]*<!-- visits:end -->/;
  if (re.test(text)) writeFileSync(RESULTS, text.replace(re, section));
  else {
    const at = text.indexOf('<!-- wasm-size:start -->');
    writeFileSync(RESULTS, at >= 0 ? `${text.slice(0, at)}${section}\n\n${text.slice(at)}` : `${text.trimEnd()}\n\n${section}\n`);
  }
}

// ------------------------------------------------------------- profiling
const PROFILING = process.env.BENCH_ONLY === 'profile';
const TRACING = PROFILING && process.env.BENCH_TRACE === '1';
// BENCH_TRACE_CATEGORIES=a,b: other trace categories (e.g. toplevel, for the tasks themselves), here and for BENCH_ACCEPT_TRACE.
const TRACE_CATEGORIES = (process.env.BENCH_TRACE_CATEGORIES || 'devtools.timeline,blink.user_timing,v8.execute,loading').split(',');

/** The main thread's tasks of a returning visit, from navigation start to analytics: what held the page up. */
function mainThreadTasks(trace) {
  const events = trace.traceEvents || trace;
  const main = events.find(
    (e) =>
      e.name === 'thread_name' &&
      e.args &&
      e.args.name === 'CrRendererMain' &&
      // The page's own renderer, not an embedded frame's (site isolation gives a frame its own process).
      events.some((x) => x.pid === e.pid && x.name === 'ParseHTML' && /^https?:\/\/site\.test/.test(x.args?.beginData?.url || '')),
  );
  if (!main) return [];
  const nav = events.find((e) => e.pid === main.pid && e.name === 'navigationStart');
  const t0 = nav ? nav.ts : 0;
  const rows = [];
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !(e.dur > 1000)) continue;
    if (
      ![
        'ParseHTML',
        'EvaluateScript',
        'FunctionCall',
        'v8.compile',
        'TimerFire',
        'EventDispatch',
        'FireAnimationFrame',
        'Layout',
        'UpdateLayoutTree',
        'Paint',
        'v8.compileModule',
        'v8.wasm.compiledModule',
        'RunMicrotasks',
        'XHRReadyStateChange',
        'ResourceReceivedData',
        'v8.run',
        'MajorGC',
        'MinorGC',
        'ParseAuthorStyleSheet',
        'Decode Image',
        'Commit',
      ].includes(e.name)
    )
      continue;
    const d = e.args && e.args.data ? e.args.data : e.args || {};
    const what = d.url ? d.url.replace(/^.*\//, '') + (d.startLine !== undefined ? `:${d.startLine}` : '') : d.functionName || d.type || '';
    rows.push([((e.ts - t0) / 1000).toFixed(1), (e.dur / 1000).toFixed(1), e.name, what]);
  }
  return rows.sort((a, b) => a[0] - b[0]);
}

// kelisim.wasm's function names (the symbol map the wasm build writes beside its glue), for "wasm-function[N]".
const WASM_SYMBOLS = (() => {
  const file = path.join(root, 'build-wasm', 'out', 'kelisim-core.mjs.symbols');
  if (!PROFILING || !existsSync(file)) return new Map();
  return new Map(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [
        l.slice(0, l.indexOf(':')),
        l.slice(l.indexOf(':') + 1).replace(/\\([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
      ]),
  );
})();
const frameKey = (f) => {
  const file = f.url ? f.url.replace(/^.*\//, '') : '';
  const wasm = /^wasm-function\[(\d+)\]$/.exec(f.functionName || '');
  if (wasm && WASM_SYMBOLS.has(wasm[1])) return `wasm ${WASM_SYMBOLS.get(wasm[1]).slice(0, 110)}`;
  return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
};
/** Self time (ms, mean per round) per function of a CPU profile, keyed "name file:line", with the callers it was sampled under. */
function selfTimes(profile, into) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n);
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const key = frameKey(node.callFrame);
    const ms = (profile.timeDeltas[i] || 0) / 1000 / ROUNDS;
    const row = into.get(key) || { ms: 0, callers: new Map() };
    row.ms += ms;
    const up = parent.get(id);
    const caller = up ? frameKey(up.callFrame) : '(root)';
    row.callers.set(caller, (row.callers.get(caller) || 0) + ms);
    into.set(key, row);
  });
}

async function profileVisits(browser, port) {
  const c = byId[process.env.BENCH_CONTESTANT || 'kelisim'];
  const first = new Map();
  const back = new Map();
  const script = { first: [], back: [] };
  for (let round = 0; round <= ROUNDS; round++) {
    const f = await firstVisit(browser, c, port);
    const b = f.state ? await returningVisit(browser, c, port, f.state) : { failed: 'no first visit' };
    if (f.failed || b.failed) throw new Error(f.failed || b.failed);
    if (round === 0) continue; // warm-up
    // BENCH_TRACE_FILE=prefix: each round's trace and CPU profile, for a closer look (e.g. self time before analytics ran).
    if (process.env.BENCH_TRACE_FILE)
      for (const [k, v] of Object.entries({ first: f, back: b }))
        writeFileSync(`${process.env.BENCH_TRACE_FILE}.${k}.${round}.json`, JSON.stringify({ trace: v.trace, profile: v.profile }));
    if (TRACING && round === 1) {
      console.log('\nfirst visit, main-thread events over 1 ms (start ms, duration ms, event, what):');
      for (const r of mainThreadTasks(f.trace)) console.log(r.join('  '));
      console.log('\nreturning visit, main-thread events over 1 ms (start ms, duration ms, event, what):');
      for (const r of mainThreadTasks(b.trace)) console.log(r.join('  '));
    }
    selfTimes(f.profile, first);
    selfTimes(b.profile, back);
    script.first.push(f.scriptMs);
    script.back.push(b.scriptMs);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const [name, times, ms] of [
    ['first visit (to the banner, settled)', first, script.first],
    ['returning visit (to analytics, settled)', back, script.back],
  ]) {
    console.log(`\n${c.id}, ${name}: ScriptDuration median ${median(ms).toFixed(1)} ms; self time per function, mean of ${ROUNDS} rounds`);
    const rows = [...times].filter(([k]) => k !== '(idle) ').sort((a, b) => b[1].ms - a[1].ms);
    for (const [k, { ms: t, callers }] of rows.slice(0, Number(process.env.BENCH_TOP || 30))) {
      const top = [...callers].sort((a, b) => b[1] - a[1]).slice(0, 2);
      console.log(`${t.toFixed(2).padStart(8)} ms  ${k}   <- ${top.map(([c, m]) => `${c} (${m.toFixed(1)})`).join(', ')}`);
    }
  }
}

async function quickTimings(browser, port) {
  const ids = (process.env.BENCH_CONTESTANTS || 'baseline,kelisim,kelisim-url,vanilla-cookieconsent').split(',');
  const rows = Object.fromEntries(ids.map((id) => [id, { banner: [], script: [], back: [], accept: [], long: [], longest: [] }]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const id of ids) {
      const c = byId[id];
      const f = await firstVisit(browser, c, port);
      const b = f.failed || (c.accept && !f.state) ? { failed: 'no first visit' } : await returningVisit(browser, c, port, f.state);
      if (f.failed || b.failed) throw new Error(`${id}: ${f.failed || b.failed}`);
      if (round === 0) continue; // warm-up
      rows[id].banner.push(f.bannerMs);
      rows[id].script.push(f.scriptMs);
      rows[id].accept.push(f.acceptToAnalyticsMs);
      rows[id].back.push(b.analyticsMs);
      rows[id].long.push(f.longTasks);
      rows[id].longest.push(f.longestTaskMs);
      rows[id].frames = [...(rows[id].frames || []), f.longFrames || []];
      rows[id].marks = [...(rows[id].marks || []), f.marks];
      rows[id].backMarks = [...(rows[id].backMarks || []), b.marks];
      rows[id].acceptMarks = [...(rows[id].acceptMarks || []), f.acceptMarks || {}];
    }
  }
  const median = (xs) => {
    const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
    return v.length ? v[v.length >> 1].toFixed(1) : '–';
  };
  console.log(`medians of ${ROUNDS} rounds: first banner, first-visit script, accept -> analytics, returning analytics (ms)`);
  for (const id of ids) {
    const r = rows[id];
    for (const [visit, marks] of [
      ['first visit', r.marks],
      ['returning visit', r.backMarks],
      ['after the accept click (ms after it)', r.acceptMarks],
    ]) {
      const names = [...new Set(marks.flatMap(Object.keys))];
      const at = names.map((k) => [k, median(marks.map((m) => m[k]))]).sort((a, b) => a[1] - b[1]);
      console.log(`${id} ${visit}, medians: ${at.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    // The scripts that ran in the first visit's frames over 50 ms: in how many
    // rounds, and their median time in such a frame (forced style and layout in it).
    const ran = new Map();
    r.frames.forEach((frames) => {
      for (const x of frames.flat()) {
        const e = ran.get(x.what) || { rounds: new Set(), ms: [], forced: [] };
        e.rounds.add(frames);
        e.ms.push(x.ms);
        e.forced.push(x.forced);
        ran.set(x.what, e);
      }
    });
    if (ran.size)
      console.log(
        `${id} first visit, scripts in frames over 50 ms (rounds, median ms, forced style and layout): ` +
          [...ran]
            .sort((a, b) => b[1].rounds.size - a[1].rounds.size)
            .map(([what, e]) => `${what} ${e.rounds.size}x ${median(e.ms)} (${median(e.forced)})`)
            .join('; '),
      );
    console.log(
      `${id.padEnd(24)} ${median(r.banner).padStart(7)} ${median(r.script).padStart(7)} ${median(r.accept).padStart(7)} ${median(r.back).padStart(7)}` +
        `   first visit: long tasks in ${r.long.filter((n) => n > 0).length} of ${r.long.length} rounds, longest ${Math.max(0, ...r.longest)} ms`,
    );
  }
  // Round by round, each contestant against the first: the rounds share the
  // machine's state, so their differences vary less than two medians do.
  const first = rows[ids[0]];
  const quartiles = (xs) => {
    const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    const at = (q) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
    return v.length ? `${at(0.5).toFixed(1)} [${at(0.25).toFixed(1)}..${at(0.75).toFixed(1)}]` : '–';
  };
  for (const id of ids.slice(1)) {
    const r = rows[id];
    const diff = (k) => quartiles(r[k].map((x, i) => (typeof x === 'number' && typeof first[k][i] === 'number' ? x - first[k][i] : null)));
    console.log(
      `${id} minus ${ids[0]}, round by round, median [p25..p75]: first banner ${diff('banner')}, first-visit script ${diff('script')}, accept -> analytics ${diff('accept')}, returning analytics ${diff('back')}`,
    );
  }
}

async function main() {
  const started = new Date();
  const t0 = Date.now();
  const load = { start: os.loadavg()[0] };
  const server = await startServer();
  const port = server.address().port;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const chromiumVersion = browser.version();
  const raw = Object.fromEntries(CONTESTANTS.map((c) => [c.id, []]));
  const bytes = {};
  // BENCH_ONLY=profile: where kelisim's main-thread time goes (sampled), first and returning visits; printed only.
  if (PROFILING) {
    try {
      await profileVisits(browser, port);
    } finally {
      await browser.close();
      server.close();
    }
    return;
  }
  // BENCH_ONLY=timings: the headline timings of some contestants (BENCH_CONTESTANTS), printed only; for trying a change.
  if (process.env.BENCH_ONLY === 'timings') {
    try {
      await quickTimings(browser, port);
    } finally {
      await browser.close();
      server.close();
    }
    return;
  }
  // BENCH_ONLY=slow-h2: the slow-4G first visit over HTTP/1.1 and over HTTP/2, interleaved; printed only.
  if (process.env.BENCH_ONLY === 'slow-h2') {
    const h2 = await startH2Server();
    try {
      await slowOverBoth(browser, port, h2.address().port);
    } finally {
      await browser.close();
      server.close();
      h2.close();
    }
    return;
  }
  // BENCH_ONLY=visits: only the bytes per visit type and the slow-4G run (a section of RESULTS.md).
  if (process.env.BENCH_ONLY === 'visits') {
    try {
      const section = visitsSection(await visitsAndSlow4G(browser, port));
      writeSection(section);
      console.log(section);
    } finally {
      await browser.close();
      server.close();
    }
    return;
  }
  console.log(`bench: Chromium ${chromiumVersion}, ${ROUNDS} rounds + 1 warm-up, ${CONTESTANTS.length} contestants`);
  let visits = null;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      for (const c of CONTESTANTS) {
        const first = await firstVisit(browser, c, port);
        const back =
          first.failed || (c.accept && !first.state) ? { failed: 'no first visit' } : await returningVisit(browser, c, port, first.state);
        if (round === 0) continue; // warm-up
        raw[c.id].push({ first, back });
        if (!bytes[c.id] && first.urls) bytes[c.id] = byteFigures(c, first.urls);
      }
      if (round > 0) process.stdout.write(`\rbench: round ${round}/${ROUNDS}`);
    }
    process.stdout.write('\n');
    visits = await visitsAndSlow4G(browser, port);
  } finally {
    await browser.close();
    server.close();
  }

  const results = {};
  for (const c of CONTESTANTS) {
    const rs = raw[c.id];
    const col = (f) => rs.map(f);
    const errors = [...new Set(rs.flatMap((r) => [...(r.first.errors || []), ...(r.back.errors || [])]))];
    const failedMsgs = rs.map((r) => r.first.failed || r.back.failed).filter(Boolean);
    results[c.id] = {
      bannerMs: summary(col((r) => r.first.bannerMs)),
      scriptMs: summary(col((r) => r.first.scriptMs)),
      longTasks: summary(col((r) => r.first.longTasks)),
      longTasksMax: Math.max(...col((r) => r.first.longTasks ?? -1)),
      longestTaskMs: summary(col((r) => r.first.longestTaskMs)),
      longestTaskMax: Math.max(0, ...col((r) => r.first.longestTaskMs ?? 0)),
      roundsWithLongTask: rs.filter((r) => r.first.longTasks > 0).length,
      cls: summary(col((r) => r.first.cls)),
      clsMax: Math.max(...col((r) => r.first.cls ?? -1)),
      returnAnalyticsMs: summary(col((r) => r.back.analyticsMs)),
      acceptToAnalyticsMs: summary(col((r) => r.first.acceptToAnalyticsMs)),
      returnScriptMs: summary(col((r) => r.back.scriptMs)),
      wasmKB: summary(col((r) => (r.first.wasmBytes == null ? null : r.first.wasmBytes / 1024))),
      jsHeapKB: summary(col((r) => r.first.jsHeap / 1024)),
      timeline: {
        first: timelineSummary(
          c,
          col((r) => r.first.timeline),
          col((r) => r.first.bannerMs),
        ),
        back: timelineSummary(
          c,
          col((r) => r.back.timeline),
          col((r) => r.back.analyticsMs),
        ),
      },
      checks: {
        rounds: rs.length,
        failed: rs.filter((r) => r.first.failed || r.back.failed).length,
        failedMsg: failedMsgs[0],
        blocked: rs.filter((r) => r.first.leakedBeforeConsent && r.first.leakedBeforeConsent.length === 0).length,
        afterAccept: rs.filter((r) => r.first.loadedAfterAccept?.length === STANDIN_HOSTS.length).length,
        returning: rs.filter((r) => r.back.loaded?.length === STANDIN_HOSTS.length && !r.back.bannerShown).length,
        errors,
      },
    };
  }
  load.end = os.loadavg()[0];
  const engine = existsSync(ENGINE_JSON) ? JSON.parse(readFileSync(ENGINE_JSON, 'utf8')) : null;
  const md = report({ results, engine, chromiumVersion, bytes, started, elapsedS: (Date.now() - t0) / 1000, load });
  const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  const kept = /<!-- wasm-size:start -->[\s\S]*<!-- wasm-size:end -->/.exec(previous); // rewritten by bench/wasm-size.mjs next
  writeFileSync(RESULTS, `${md}\n\n${visitsSection(visits)}\n${kept ? `\n${kept[0]}\n` : ''}`);
  if (process.env.BENCH_RAW)
    writeFileSync(
      process.env.BENCH_RAW,
      JSON.stringify({ raw, bytes }, (k, v) => (k === 'state' || k === 'urls' ? undefined : v), 1),
    );
  console.log(md);
  console.log(`\nbench: wrote ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
