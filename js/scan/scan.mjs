// `kelisim scan`: crawls a site with Chromium, hands what it saw to the
// engine (kelisim.wasm: `_scan`), and returns one report object. The engine
// classifies, drafts and audits; this file walks pages and gathers facts.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, NavigationError, Walk, pageLinks } from './crawl.mjs';

export class ScanError extends Error {
  constructor(message, { code = 'scan-error', errors = [] } = {}) {
    super(message);
    this.code = code;
    this.errors = errors;
  }
}

const MAX_LIST = 20; // pages / writers / initiators kept per finding

function addTo(list, value) {
  if (value && !list.includes(value) && list.length < MAX_LIST) list.push(value);
}

const hostOf = (url) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const firstLine = (text) =>
  (
    String(text)
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) || ''
  ).slice(0, 300);

/**
 * Starts Chromium for one scan and connects to it. Its fresh user-data
 * directory (removed on close) holds one setting: third-party cookies are
 * let through, as most visitors' browsers do, so the scan sees what embeds
 * store on their own domains; every phase then gets a browser context of its
 * own (a clean cookie jar) in that browser. Errors say what to do.
 */
export async function startChromium({ chromium, executablePath, browserArgs, exists }) {
  if (!exists(executablePath)) {
    throw new ScanError(
      `no Chromium at ${executablePath}. Install it (Debian/Ubuntu: apt-get install chromium) ` +
        'or name another Chromium or Chrome with --chromium PATH',
      { code: 'no-browser' },
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'kelisim-scan-profile-'));
  mkdirSync(path.join(dir, 'Default'));
  writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0 } }));
  const child = spawn(
    executablePath,
    [...CHROMIUM_ARGS, ...browserArgs, `--user-data-dir=${dir}`, '--remote-debugging-port=0', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 16384) stderr += d;
  });
  let exited = null;
  const gone = new Promise((resolve) => {
    child.on('error', (error) => resolve((exited = { error })));
    child.on('exit', (code, signal) => resolve((exited = { code, signal })));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(3000)]);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const fail = async (why) => {
    await stop();
    throw new ScanError(`the browser at ${executablePath} could not start: ${why}`, { code: 'browser-start' });
  };

  const deadline = Date.now() + 30000;
  let port = null;
  while (!port) {
    if (exited) {
      await fail(firstLine(stderr) || (exited.error ? exited.error.message : `it exited (${exited.signal || `status ${exited.code}`})`));
    }
    if (Date.now() > deadline) await fail('it did not open its DevTools port within 30 s');
    try {
      const line = readFileSync(path.join(dir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
      if (/^\d+$/.test(line)) port = line;
    } catch {
      /* not written yet */
    }
    if (!port) await sleep(50);
  }
  let browser;
  try {
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  } catch (err) {
    await fail(firstLine(err.message));
  }
  return {
    browser,
    close: async () => {
      // Closing a browser Playwright connected to only disconnects: ask Chromium itself.
      await browser
        .newBrowserCDPSession()
        .then((cdp) => cdp.send('Browser.close'))
        .catch(() => {});
      await Promise.race([gone, sleep(3000)]);
      await browser.close().catch(() => {});
      await stop();
    },
  };
}

/**
 * Visits the start URLs and the same-origin pages they link to, breadth
 * first, within `maxPages` and the deadline. A start URL that cannot load
 * stops the scan; a later page that cannot load is reported and skipped.
 */
async function crawlAccept(browser, options, progress) {
  const walk = new Walk(browser, { phase: 'accept', pageTimeout: options.pageTimeout });
  await walk.open();
  const origins = new Set(options.urls.map((u) => new URL(u).origin));
  const queue = [...options.urls];
  const queued = new Set(queue);
  const visited = new Set();
  const pages = [];
  const errors = [];
  let timedOut = false;
  try {
    while (queue.length && pages.length < options.maxPages) {
      if (Date.now() > options.deadline) {
        timedOut = true;
        break;
      }
      const url = queue.shift();
      let record;
      try {
        record = await walk.visit(url);
      } catch (err) {
        if (!(err instanceof NavigationError)) throw err;
        if (options.urls.includes(url)) throw new ScanError(err.message, { code: 'unreachable' });
        errors.push({ url, message: err.message });
        progress(`[accept] ${url}: ${err.message}`);
        continue;
      }
      if (visited.has(record.finalUrl)) continue; // a redirect to a page already seen
      visited.add(record.finalUrl);
      // A start URL that redirects (http → https, example.kz → www.example.kz) names the site's real origin.
      if (options.urls.includes(url)) origins.add(new URL(record.finalUrl).origin);
      pages.push(record);
      progress(pageLine('accept', pages.length, options.maxPages, record));
      for (const link of pageLinks(record.links, origins)) {
        if (!queued.has(link)) {
          queued.add(link);
          queue.push(link);
        }
      }
    }
  } finally {
    await walk.close();
  }
  return { pages, errors, timedOut, decision: walk.decision, kelisim: walk.kelisimSeen };
}

/** Visits `urls` again in a fresh context: without a decision, or after "reject all". */
async function crawlPromise(browser, phase, urls, options, progress) {
  const walk = new Walk(browser, { phase, pageTimeout: options.pageTimeout });
  await walk.open();
  const pages = [];
  const errors = [];
  let decision = null;
  try {
    if (phase === 'rejected') {
      decision = await walk.reject(urls[0]);
      if (!decision)
        return {
          pages,
          errors: [{ url: urls[0], message: `kelisim is not on ${urls[0]} (or did not start): cannot answer "reject all"` }],
          decision,
        };
    }
    for (const [i, url] of urls.entries()) {
      if (Date.now() > options.deadline) {
        errors.push({ url, message: 'the time limit was reached before this page' });
        break;
      }
      try {
        const record = await walk.visit(url);
        pages.push(record);
        progress(pageLine(phase, i + 1, urls.length, record));
      } catch (err) {
        if (!(err instanceof NavigationError)) throw err;
        errors.push({ url, message: err.message });
        progress(`[${phase}] ${url}: ${err.message}`);
      }
    }
  } finally {
    await walk.close();
  }
  return { pages, errors, decision };
}

function pageLine(phase, n, of, r) {
  const third = new Set(r.requests.map((q) => hostOf(q.url)).filter((h) => h && h !== hostOf(r.finalUrl)));
  const bits = [`${r.requests.length} requests`, `${third.size} other hosts`, `+${r.cookies.length} cookies`];
  if (r.storage.length) bits.push(`+${r.storage.length} storage keys`);
  if (r.decision) bits.push(`${phase === 'accept' ? 'accepted' : 'rejected'} (${r.decision})`);
  return `[${phase} ${n}/${of}] ${r.finalUrl} ${r.status ?? ''} — ${bits.join(', ')} (${(r.ms / 1000).toFixed(1)} s)`;
}

/** Writers of a cookie/key: the scripts (or responses) that wrote that name. */
function writersOf(writes, kind, name) {
  return writes.filter((w) => w.kind === kind && w.name === name).map((w) => w.by);
}

/** Everything the accept phase saw, one entry per cookie / storage key / URL / mark. */
function gather(pages) {
  const cookies = new Map();
  const storage = new Map();
  const requests = new Map();
  const marks = new Map();
  for (const p of pages) {
    for (const c of p.cookies) {
      const key = `${c.name}\n${c.domain}\n${c.path}`;
      if (!cookies.has(key)) cookies.set(key, { ...c, pages: [], setBy: [] });
      const e = cookies.get(key);
      addTo(e.pages, p.finalUrl);
    }
    for (const s of p.storage) {
      const key = `${s.area}\n${s.origin}\n${s.name}`;
      if (!storage.has(key)) storage.set(key, { ...s, pages: [], setBy: [] });
      addTo(storage.get(key).pages, p.finalUrl);
    }
    for (const r of p.requests) {
      let u;
      try {
        u = new URL(r.url);
      } catch {
        continue;
      }
      if (!/^(https?|wss?):$/.test(u.protocol)) continue;
      const key = `${u.origin}${u.pathname}`;
      if (!requests.has(key))
        requests.set(key, {
          url: `${u.origin}${u.pathname}`,
          host: u.hostname,
          count: 0,
          types: [],
          pages: [],
          initiators: [],
          frames: [],
          elements: [],
        });
      const e = requests.get(key);
      e.count++;
      addTo(e.types, r.type);
      addTo(e.pages, p.finalUrl);
      addTo(e.elements, p.elements[r.url]);
      // An element in the page's HTML says more than "the page's HTML".
      if (!(p.elements[r.url] && r.initiator === p.finalUrl)) addTo(e.initiators, r.initiator);
      addTo(e.frames, r.frame);
    }
    for (const m of p.marks) {
      const key = `${m.url}\n${m.category}\n${m.service}\n${m.cookieconsent}`;
      if (!marks.has(key)) marks.set(key, { ...m, pages: [] });
      addTo(marks.get(key).pages, p.finalUrl);
    }
  }
  // Writers: a cookie written in a frame on its own host (or a parent of it) by that name.
  const writes = pages.flatMap((p) => p.writes);
  for (const c of cookies.values()) {
    const domain = c.domain.replace(/^\./, '');
    for (const w of writes) {
      if (w.kind !== 'cookie' || w.name !== c.name) continue;
      if (w.frameHost && w.frameHost !== domain && !w.frameHost.endsWith(`.${domain}`)) continue;
      addTo(c.setBy, w.by);
    }
  }
  for (const s of storage.values()) {
    const host = hostOf(s.origin);
    for (const w of writes) if (w.kind === s.area && w.name === s.name && w.frameHost === host) addTo(s.setBy, w.by);
  }
  return { cookies: [...cookies.values()], storage: [...storage.values()], requests: [...requests.values()], marks: [...marks.values()] };
}

/** A promise phase's observations, each with its page and the element or script behind it. */
function promiseFindings(pages) {
  const requests = [];
  const cookies = [];
  const storage = [];
  for (const p of pages) {
    const seen = new Set();
    for (const r of p.requests) {
      if (seen.has(r.url) || !/^(https?|wss?):/.test(r.url)) continue;
      seen.add(r.url);
      requests.push({
        url: r.url,
        page: p.finalUrl,
        type: r.type,
        element: p.elements[r.url] || null,
        initiator: r.initiator,
        frame: r.frame,
      });
    }
    for (const c of p.cookies)
      cookies.push({ name: c.name, domain: c.domain, page: p.finalUrl, setBy: writersOf(p.writes, 'cookie', c.name) });
    for (const s of p.storage)
      storage.push({ name: s.name, origin: s.origin, area: s.area, page: p.finalUrl, setBy: writersOf(p.writes, s.area, s.name) });
  }
  return { requests, cookies, storage };
}

/**
 * Runs a scan. `options`: { urls, maxPages, timeoutMs, pageTimeoutMs,
 * configText (for an audit), chromium, executablePath, browserArgs, exists,
 * engine, catalogueText, firstParty, progress }.
 */
export async function scanSite(options) {
  const started = Date.now();
  const progress = options.progress || (() => {});
  const run = { ...options, deadline: started + options.timeoutMs, pageTimeout: options.pageTimeoutMs };
  const chromium = await startChromium(options);
  let accept;
  let fresh = null;
  let rejected = null;
  try {
    accept = await crawlAccept(chromium.browser, run, progress);
    if (options.configText != null && accept.pages.length) {
      // The two checks of the promise share nothing: side by side, each in its own context.
      const urls = accept.pages.map((p) => p.finalUrl);
      [fresh, rejected] = await Promise.all([
        crawlPromise(chromium.browser, 'fresh', urls, run, progress),
        crawlPromise(chromium.browser, 'rejected', urls, run, progress),
      ]);
    }
  } finally {
    await chromium.close();
  }

  const found = gather(accept.pages);
  const siteHosts = [
    ...new Set([...accept.pages.map((p) => hostOf(p.finalUrl)), ...options.urls.map(hostOf), ...(options.firstParty || [])]),
  ];
  const promise = fresh && { fresh: promiseFindings(fresh.pages), rejected: promiseFindings(rejected.pages) };
  const request = {
    site: siteHosts,
    language: accept.pages.find((p) => p.lang)?.lang || '',
    cookies: found.cookies.map((c) => ({ name: c.name, domain: c.domain, setBy: c.setBy })),
    storage: found.storage.map((s) => ({ name: s.name, origin: s.origin, setBy: s.setBy })),
    requests: found.requests.map((r) => ({ url: r.url })),
    marks: found.marks.map((m) => ({ url: m.url, category: m.category, service: m.service, cookieconsent: m.cookieconsent })),
  };
  if (options.configText != null) {
    request.config = options.configText;
    request.now = Date.now();
    request.promise = promise;
  }
  const answer = options.engine.scan(options.catalogueText, request);
  return buildReport({ options, started, accept, fresh, rejected, found, siteHosts, promise, answer });
}

function lifetime(expires) {
  if (!(expires > 0)) return 'session';
  const days = (expires * 1000 - Date.now()) / 86400000;
  if (days >= 365) return `${+(days / 365).toFixed(1)} years`;
  if (days >= 1) return `${Math.round(days)} days`;
  const hours = days * 24;
  return hours >= 1 ? `${Math.round(hours)} hours` : `${Math.max(1, Math.round(hours * 60))} minutes`;
}

function buildReport({ options, started, accept, fresh, rejected, found, siteHosts, promise, answer }) {
  const cookies = found.cookies.map((c, i) => ({
    name: c.name,
    domain: c.domain,
    path: c.path,
    thirdParty: answer.cookies[i].thirdParty,
    lifetime: lifetime(c.expires),
    expires: c.expires > 0 ? new Date(c.expires * 1000).toISOString() : null,
    httpOnly: c.httpOnly,
    secure: c.secure,
    sameSite: c.sameSite,
    pages: c.pages,
    setBy: c.setBy,
    service: answer.cookies[i].service,
    category: answer.cookies[i].category,
    source: answer.cookies[i].source,
    about: answer.cookies[i].about || null,
  }));
  const storage = found.storage.map((s, i) => ({
    name: s.name,
    area: s.area,
    origin: s.origin,
    thirdParty: answer.storage[i].thirdParty,
    pages: s.pages,
    setBy: s.setBy,
    service: answer.storage[i].service,
    category: answer.storage[i].category,
    source: answer.storage[i].source,
    about: answer.storage[i].about || null,
  }));
  // Third-party hosts, each with the services its URLs went to.
  const hosts = new Map();
  found.requests.forEach((r, i) => {
    const v = answer.requests[i];
    if (!v.thirdParty) return;
    if (!hosts.has(r.host))
      hosts.set(r.host, { host: r.host, requests: 0, types: [], pages: [], elements: [], initiators: [], frames: [], services: [] });
    const h = hosts.get(r.host);
    h.requests += r.count;
    for (const k of ['types', 'pages', 'elements', 'frames']) for (const x of r[k]) addTo(h[k], x);
    // A host's own scripts calling home say nothing new: keep what brought it in.
    for (const x of r.initiators) if (hostOf(x) !== r.host) addTo(h.initiators, x);
    if (v.service && !h.services.some((s) => s.service === v.service))
      h.services.push({ service: v.service, category: v.category, source: v.source });
  });

  const report = {
    tool: 'kelisim scan',
    started: new Date(started).toISOString(),
    seconds: +((Date.now() - started) / 1000).toFixed(1),
    start: options.urls,
    siteHosts,
    kelisim: { found: accept.kelisim, decision: accept.decision },
    pages: accept.pages.map((p) => ({
      url: p.finalUrl,
      status: p.status,
      kelisim: p.kelisim,
      decision: p.decision,
      requests: p.requests.length,
      newCookies: p.cookies.map((c) => c.name),
      ms: p.ms,
    })),
    limits: { maxPages: options.maxPages, reachedMaxPages: accept.pages.length >= options.maxPages, timedOut: accept.timedOut },
    services: answer.services,
    cookies,
    storage,
    hosts: [...hosts.values()],
    warnings: answer.warnings,
    errors: accept.errors.map((e) => ({ phase: 'accept', ...e })),
    draft: answer.draft,
    draftErrors: answer.draftErrors,
  };
  if (answer.audit) {
    const a = answer.audit;
    const byPhase = { fresh: promise.fresh, rejected: promise.rejected };
    const list = { request: 'requests', cookie: 'cookies', storage: 'storage' };
    report.audit = {
      undeclared: a.undeclared.map((u) => {
        if (u.kind === 'cookie')
          return { kind: 'cookie', name: u.name, domain: u.domain, pages: cookies[u.index].pages, setBy: cookies[u.index].setBy };
        if (u.kind === 'storage')
          return {
            kind: 'storage',
            name: u.name,
            origin: storage[u.index].origin,
            area: storage[u.index].area,
            pages: storage[u.index].pages,
            setBy: storage[u.index].setBy,
          };
        const h = hosts.get(u.name);
        return {
          kind: 'host',
          name: u.name,
          requests: h ? h.requests : u.requests.length,
          pages: h ? h.pages : [],
          initiators: h ? h.initiators : [],
          urls: u.requests.slice(0, 5).map((i) => found.requests[i].url),
        };
      }),
      unseen: a.unseen,
      violations: a.violations.map((v) => ({ ...v, ...byPhase[v.phase][list[v.kind]][v.index], index: undefined })),
      declared: { cookies: a.cookies, storage: a.storage },
      problems: [...fresh.errors.map((e) => ({ phase: 'fresh', ...e })), ...rejected.errors.map((e) => ({ phase: 'rejected', ...e }))],
      pages: { fresh: fresh.pages.length, rejected: rejected.pages.length },
      rejectedWith: rejected.decision,
    };
  }
  return report;
}

/**
 * 0: nothing to fix; 1: the audit found something undeclared or a broken
 * promise; 2: the scan is incomplete (a page could not load).
 */
export function exitCodeOf(report) {
  if (report.errors.length) return 2;
  if (!report.audit) return 0;
  const a = report.audit;
  return a.undeclared.length || a.violations.length || a.problems.length ? 1 : 0;
}
