// The crawl: Chromium (through playwright-core) visits the site's pages as a
// visitor would and writes down what the browser shows: cookies, storage
// keys, every request with the script or frame behind it, and the gated
// elements of the markup. It decides nothing about consent; the engine does.

/** Chromium's flags for an unattended run, as the project's own browser tests use. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const IDLE_MS = 500; // the network counts as settled after this long without a request
const SETTLE_MAX_MS = 8000; // ... or after this long in all
const KELISIM_WAIT_MS = 5000;
const NOT_PAGES =
  /\.(pdf|zip|gz|tgz|rar|7z|png|jpe?g|gif|webp|avif|svg|ico|mp[34]|m4a|webm|mov|avi|wav|ogg|docx?|xlsx?|pptx?|csv|json|xml|txt|js|mjs|css|wasm|woff2?|ttf|exe|dmg|apk)$/i;

// Runs in every frame before the page's own scripts: notes each cookie and
// storage write with the stack that made it, so the report can say which
// script set what. kelisim's own cookie guard, installed later, wraps this.
const PROBE = `(() => {
  const log = [];
  Object.defineProperty(window, '__kelisimScanWrites', { value: log });
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookie && cookie.set && cookie.configurable) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true, enumerable: cookie.enumerable,
      get() { return cookie.get.call(this); },
      set(value) {
        try { if (log.length < 2000) log.push({ kind: 'cookie', text: String(value).slice(0, 300), stack: String(new Error().stack).slice(0, 4000) }); } catch (e) {}
        return cookie.set.call(this, value);
      },
    });
  }
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    try {
      const area = this === window.sessionStorage ? 'sessionStorage' : 'localStorage';
      if (log.length < 2000) log.push({ kind: area, text: String(key).slice(0, 300), stack: String(new Error().stack).slice(0, 4000) });
    } catch (e) {}
    return setItem.call(this, key, value);
  };
})();
//# sourceURL=kelisim-scan-probe.js`;

/** kelisim's own files: never "the script that did it". */
export function isKelisimScript(url) {
  try {
    return /\/kelisim(?:-app)?\.m?js$/.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/**
 * The script behind a write, from a V8 stack: the first script URL that is
 * not kelisim's (kelisim's cookie guard passes writes on), else kelisim's own
 * (its consent cookie, or a write it held and released).
 */
export function writerFromStack(stack) {
  let kelisim = null;
  for (const m of String(stack).matchAll(/(https?:\/\/[^\s()]+?):\d+:\d+/g)) {
    if (!isKelisimScript(m[1])) return m[1];
    kelisim = kelisim || m[1];
  }
  return kelisim;
}

/** The script behind a request, from the DevTools protocol's initiator. */
function initiatorUrl(initiator) {
  if (!initiator) return null;
  if (initiator.type === 'parser' || initiator.type === 'preload') return initiator.url ? `${initiator.url}` : null;
  for (let s = initiator.stack; s; s = s.parent) {
    for (const f of s.callFrames || []) if (f.url && !isKelisimScript(f.url)) return f.url;
  }
  return initiator.url || null;
}

function cookieName(text) {
  const eq = text.indexOf('=');
  return (eq < 0 ? '' : text.slice(0, eq)).trim();
}

/** A cookie write that deletes (Max-Age<=0 or an expiry in the past) sets nothing. */
function isDeletion(text) {
  const maxAge = /;\s*max-age\s*=\s*(-?\d+)/i.exec(text);
  if (maxAge) return Number(maxAge[1]) <= 0;
  const expires = /;\s*expires\s*=\s*([^;]+)/i.exec(text);
  return expires ? Date.parse(expires[1]) < Date.now() : false;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hostOf = (url) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

export class NavigationError extends Error {}

/**
 * One browser context walking pages: `phase` is 'accept' (a visitor who
 * accepts everything), 'fresh' (never decides) or 'rejected' (rejects all on
 * the first page). Records go to the caller through the returned object.
 */
export class Walk {
  constructor(browser, { phase, pageTimeout, log }) {
    this.browser = browser;
    this.phase = phase;
    this.pageTimeout = pageTimeout;
    this.log = log || (() => {});
    this.cookieKeys = new Set();
    this.storageKeys = new Set();
    this.decision = null; // how kelisim's decision was made: 'banner' | 'api'
    this.kelisimSeen = false;
  }

  async open() {
    this.context = await this.browser.newContext();
    await this.context.addInitScript({ content: PROBE });
    this.page = await this.context.newPage();
    this.page.setDefaultTimeout(this.pageTimeout);
    this.inflight = 0;
    this.lastActivity = Date.now();
    this.initiators = new Map();
    this.record = null;
    this.pendingHeaders = [];
    const activity = (delta) => {
      this.inflight = Math.max(0, this.inflight + delta);
      this.lastActivity = Date.now();
    };
    this.page.on('request', (req) => {
      activity(1);
      if (!this.record) return;
      // The frame a request came from; a frame's own document request is its
      // iframe element's doing (found by URL), not the frame's.
      let frame = null;
      try {
        const f = req.frame();
        if (f !== this.page.mainFrame() && req.resourceType() !== 'document') frame = f.url();
      } catch {
        /* a worker's request has no frame */
      }
      this.record.requests.push({ url: req.url(), type: req.resourceType(), frame });
    });
    this.page.on('requestfinished', () => activity(-1));
    this.page.on('requestfailed', () => activity(-1));
    this.page.on('response', (res) => {
      if (!this.record) return;
      const record = this.record;
      // Set-Cookie headers: the response that set a cookie is its writer.
      this.pendingHeaders.push(
        res.headersArray().then(
          (headers) => {
            for (const h of headers) {
              if (h.name.toLowerCase() !== 'set-cookie') continue;
              for (const line of h.value.split('\n')) {
                const name = cookieName(line);
                if (name && !isDeletion(line)) record.writes.push({ kind: 'cookie', name, by: res.url(), frameHost: hostOf(res.url()) });
              }
            }
          },
          () => {},
        ),
      );
    });
    // The initiator of each request, where the browser tells it (this page's
    // own process; out-of-process frames report their frame instead).
    try {
      const cdp = await this.context.newCDPSession(this.page);
      await cdp.send('Network.enable');
      cdp.on('Network.requestWillBeSent', (e) => {
        if (!this.initiators.has(e.request.url)) this.initiators.set(e.request.url, initiatorUrl(e.initiator));
      });
    } catch {
      /* not Chromium's protocol: the report then lacks initiators */
    }
  }

  close() {
    return this.context ? this.context.close().catch(() => {}) : Promise.resolve();
  }

  async settle() {
    const end = Date.now() + Math.min(SETTLE_MAX_MS, this.pageTimeout);
    while (Date.now() < end) {
      if (this.inflight === 0 && Date.now() - this.lastActivity >= IDLE_MS) return;
      await sleep(50);
    }
  }

  async goto(url) {
    try {
      return await this.page.goto(url, { waitUntil: 'load', timeout: this.pageTimeout });
    } catch (err) {
      this.record = null;
      const msg = String(err.message || err).split('\n')[0];
      if (/Timeout|timed out/i.test(msg)) throw new NavigationError(`${url} did not load within ${Math.round(this.pageTimeout / 1000)} s`);
      throw new NavigationError(`cannot load ${url}: ${msg.replace(/^page\.goto:\s*/, '')}`);
    }
  }

  /**
   * Visits `url` and returns what the page showed; in the 'accept' phase the
   * first page with kelisim gets "accept all". Throws NavigationError when
   * the page cannot load.
   */
  async visit(url) {
    const started = Date.now();
    const record = {
      url,
      finalUrl: url,
      status: null,
      lang: '',
      requests: [],
      writes: [],
      cookies: [],
      storage: [],
      marks: [],
      elements: {},
      links: [],
      kelisim: 'absent',
      decision: null,
    };
    this.record = record;
    const response = await this.goto(url);
    record.status = response ? response.status() : null;
    record.finalUrl = this.page.url();
    await this.settle();
    await this.kelisimState(record);
    if (this.phase === 'accept' && record.kelisim === 'ready' && !this.decision) {
      record.decision = this.decision = await this.decide('accept-all');
      await this.settle();
    }
    await this.collect(record);
    this.record = null;
    record.ms = Date.now() - started;
    return record;
  }

  /**
   * The 'rejected' phase's start: "reject all" on `url`, nothing recorded, so
   * that every page visited next is seen as after the decision. Returns how
   * the decision was made, or null when kelisim is not there to answer.
   */
  async reject(url) {
    this.record = null;
    await this.goto(url);
    await this.settle();
    const probe = { kelisim: 'absent' };
    await this.kelisimState(probe);
    if (probe.kelisim !== 'ready') return null;
    this.decision = await this.decide('reject-all');
    await this.settle();
    await Promise.all(this.pendingHeaders.splice(0));
    return this.decision;
  }

  async kelisimState(record) {
    const state = await this.page
      .evaluate(async (wait) => {
        if (!('kelisimReady' in window)) return 'absent';
        try {
          await Promise.race([window.kelisimReady, new Promise((_, reject) => setTimeout(() => reject(new Error('not ready')), wait))]);
          return 'ready';
        } catch (e) {
          return `failed: ${e && e.message ? e.message : e}`;
        }
      }, KELISIM_WAIT_MS)
      .catch(() => 'absent');
    record.kelisim = state;
    if (state !== 'absent') this.kelisimSeen = true;
  }

  /** Answers kelisim's banner as a visitor would, else through its API. */
  async decide(action) {
    const button = this.page.locator(`[data-kelisim="banner"] [data-kelisim-action="${action}"]`).first();
    if (await button.isVisible().catch(() => false)) {
      await button.click({ timeout: 5000 });
      return 'banner';
    }
    const method = action === 'accept-all' ? 'acceptAll' : 'rejectAll';
    const done = await this.page
      .evaluate((m) => {
        const k = window.kelisim;
        if (!k || typeof k[m] !== 'function') return false;
        k[m]();
        return true;
      }, method)
      .catch(() => false);
    return done ? 'api' : null;
  }

  async collect(record) {
    const page = this.page;
    await Promise.all(this.pendingHeaders.splice(0));
    const main = await page
      .evaluate(() => {
        const abs = (v) => {
          try {
            return v ? new URL(v, document.baseURI).href : '';
          } catch {
            return '';
          }
        };
        const marks = [];
        // The elements kelisim gates (SPEC §2); other elements may carry data-service for their own reasons.
        const gated = ':is(script, iframe, img, video, audio, embed, object):is([data-category], [data-service], [data-cookieconsent])';
        for (const el of document.querySelectorAll(gated)) {
          marks.push({
            tag: el.tagName.toLowerCase(),
            url: abs(el.getAttribute('data-src') || el.getAttribute('data-cookieblock-src') || el.getAttribute('src') || ''),
            category: el.getAttribute('data-category') || '',
            service: el.getAttribute('data-service') || '',
            cookieconsent: el.getAttribute('data-cookieconsent') || '',
          });
        }
        const elements = {};
        for (const el of document.querySelectorAll(
          'script[src], iframe[src], frame[src], img[src], embed[src], video[src], audio[src], source[src], object[data], link[href]',
        )) {
          const url = abs(el.getAttribute('src') || el.getAttribute('data') || el.getAttribute('href'));
          if (!url || elements[url]) continue;
          const html = el.outerHTML;
          const open = html.slice(0, html.indexOf('>') + 1) || `<${el.tagName.toLowerCase()}>`;
          elements[url] = open.length > 300 ? `${open.slice(0, 299)}…` : open;
        }
        const links = [];
        for (const a of document.querySelectorAll('a[href]')) if (!a.hasAttribute('download')) links.push(a.href);
        return { marks, elements, links, lang: document.documentElement.lang || '', title: document.title || '' };
      })
      .catch(() => ({ marks: [], elements: {}, links: [], lang: '', title: '' }));
    Object.assign(record, main);

    for (const frame of page.frames()) {
      const seen = await frame
        .evaluate(() => {
          const out = {
            origin: location.origin,
            href: location.href,
            writes: (window.__kelisimScanWrites || []).splice(0),
            local: [],
            session: [],
          };
          try {
            out.local = Object.keys(localStorage);
            out.session = Object.keys(sessionStorage);
          } catch {
            /* storage off in this frame */
          }
          return out;
        })
        .catch(() => null);
      if (!seen) continue;
      for (const w of seen.writes) {
        const name = w.kind === 'cookie' ? cookieName(w.text) : w.text;
        if (!name || (w.kind === 'cookie' && isDeletion(w.text))) continue;
        record.writes.push({ kind: w.kind, name, by: writerFromStack(w.stack) || seen.href, frameHost: hostOf(seen.href) });
      }
      if (!seen.origin || seen.origin === 'null') continue;
      for (const [area, keys] of [
        ['localStorage', seen.local],
        ['sessionStorage', seen.session],
      ]) {
        for (const name of keys) {
          const key = `${area}\n${seen.origin}\n${name}`;
          if (this.storageKeys.has(key)) continue;
          this.storageKeys.add(key);
          record.storage.push({ name, area, origin: seen.origin });
        }
      }
    }

    for (const c of await this.context.cookies()) {
      const key = `${c.name}\n${c.domain}\n${c.path}`;
      if (this.cookieKeys.has(key)) continue;
      this.cookieKeys.add(key);
      record.cookies.push({
        name: c.name,
        domain: c.domain,
        path: c.path,
        expires: c.expires,
        httpOnly: c.httpOnly,
        secure: c.secure,
        sameSite: c.sameSite,
      });
    }
    for (const r of record.requests) r.initiator = this.initiators.get(r.url) || null;
  }
}

/** The pages to visit next: same origin as a start URL, no fragment, no files. */
export function pageLinks(links, origins) {
  const out = [];
  for (const href of links) {
    let u;
    try {
      u = new URL(href);
    } catch {
      continue;
    }
    if (!/^https?:$/.test(u.protocol) || !origins.has(u.origin) || NOT_PAGES.test(u.pathname)) continue;
    u.hash = '';
    if (!out.includes(u.href)) out.push(u.href);
  }
  return out;
}
