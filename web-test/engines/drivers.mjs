// One thin interface over three browser engines, so that every scenario is
// written once:
//   chromium — Debian's Chromium, playwright-core (CDP)
//   firefox  — Debian's Firefox ESR, puppeteer-core over WebDriver BiDi
//   webkit   — WebKitGTK's MiniBrowser under Xvfb, WebKitWebDriver driven by
//              selenium-webdriver (classic WebDriver)
// All three send their HTTP traffic through the engines' proxy (proxy.mjs).
//
//   const engine = await startEngine('webkit', { proxyPort });
//   const session = await engine.newSession();   // a fresh cookie jar and a first tab
//   const page = session.page;                   // session.newPage() opens another tab
//   await page.goto(url); await page.click('[data-kelisim-action="accept-all"]');
//   await page.evaluate((arg) => …, arg); await page.waitFor((arg) => …, arg);
//   await page.cookies(); await page.press('Tab'); await page.probe();
//
// Selectors are CSS, looked up in the document and then in every open shadow
// root (kelisim's UI lives in shadow roots); a selector matches inside one root.
// Every call into a driver has a time limit; a browser that stops answering is
// marked broken and started afresh before the next scenario.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createRequire } from 'node:module';
import { chromium as playwrightChromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../harness.mjs';

const require = createRequire(import.meta.url);
const { WebDriver, Capabilities, Key } = require('selenium-webdriver');
const { Executor, HttpClient } = require('selenium-webdriver/http');

export const ENGINES = ['chromium', 'firefox', 'webkit'];
export const BINARIES = {
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
  firefox: process.env.FIREFOX || '/usr/bin/firefox-esr',
  webkit: process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  webkitDriver: process.env.WEBKIT_WEBDRIVER || '/usr/bin/WebKitWebDriver',
};
/** Longest a single driver call may take before the browser counts as hung. */
export const CALL_TIMEOUT = Number(process.env.ENGINE_CALL_TIMEOUT || 20000);
const START_TIMEOUT = 45000;
const VIEWPORT = { width: 1280, height: 800 };

export class DriverTimeout extends Error {}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects when `promise` has not settled within `ms`. */
function within(promise, ms, label) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new DriverTimeout(`${label}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Whether the browser would send cookie `c` with a request to `url` (RFC 6265
 * domain and path match). The drivers list cookies differently (the whole
 * jar, or those of the current URL); this makes the answer the same.
 */
function cookieApplies(c, url) {
  const u = new URL(url);
  const host = u.hostname;
  const domain = String(c.domain || '').replace(/^\./, '');
  if (host !== domain && !host.endsWith(`.${domain}`)) return false;
  const p = c.path || '/';
  return u.pathname === p || (u.pathname.startsWith(p) && (p.endsWith('/') || u.pathname[p.length] === '/'));
}

// ---------------------------------------------------------------------------
// In-page helpers. Each is serialised on its own (no closures), and runs with
// the driver's own script evaluation, which a page's CSP does not restrict.

/** The first element matching `selector` in the document or an open shadow root. */
function deepFind(selector) {
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    const hit = roots[i].querySelector(selector);
    if (hit) return hit;
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  return null;
}

/**
 * Scrolls `el` to the middle of the viewport and says what a click at its
 * centre would hit: null when `el` itself (or something inside it), else a
 * description of what covers it. The same check for every driver (WebDriver
 * makes it, puppeteer does not).
 */
function clickTarget(el) {
  el.scrollIntoView({ block: 'center', inline: 'center' });
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return 'it has no size';
  const x = r.left + r.width / 2;
  const y = r.top + r.height / 2;
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  for (let n = hit; n; n = n.parentNode || n.host) if (n === el) return null;
  return hit
    ? `it is covered by <${hit.localName}${hit.getAttribute('data-kelisim') ? ` data-kelisim="${hit.getAttribute('data-kelisim')}"` : ''}${hit.id ? ` id="${hit.id}"` : ''}>`
    : 'it is outside the viewport';
}

/** Facts about the elements matching `selector` (searched as deepFind does). */
function deepQuery({ selector, op, value }) {
  const roots = [document];
  const all = [];
  for (let i = 0; i < roots.length; i++) {
    all.push(...roots[i].querySelectorAll(selector));
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  const el = all[0] || null;
  const visible = (e) => {
    if (!e || !e.isConnected || e.getClientRects().length === 0) return false;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    return typeof e.checkVisibility === 'function' ? e.checkVisibility({ opacityProperty: false, visibilityProperty: true }) : true;
  };
  switch (op) {
    case 'count':
      return all.length;
    case 'visible':
      return visible(el);
    case 'text':
      return el ? el.textContent : null;
    case 'texts':
      return all.map((e) => e.textContent);
    case 'checked':
      return el ? el.checked : null;
    case 'attribute':
      return el ? el.getAttribute(value) : null;
    case 'focus':
      if (!el) throw new Error(`no element matches ${selector}`);
      el.focus();
      return true;
    default:
      throw new Error(`unknown query ${op}`);
  }
}

/** What has focus, looking through shadow roots. */
function deepFocused() {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a || a === document.body || a === document.documentElement)
    return { key: null, tag: a ? a.localName : null, inDialog: false, inBanner: false };
  const key =
    a.getAttribute('data-kelisim-action') ||
    (a.getAttribute('data-kelisim-category') && `category:${a.getAttribute('data-kelisim-category')}`) ||
    (a.getAttribute('data-kelisim-service') && `service:${a.getAttribute('data-kelisim-service')}`) ||
    a.getAttribute('data-kelisim') ||
    a.id ||
    a.localName;
  return {
    key,
    tag: a.localName,
    inDialog: !!(a.closest && a.closest('[data-kelisim="preferences"]')),
    inBanner: !!(a.closest && a.closest('[data-kelisim="banner"]')),
    outline: getComputedStyle(a).outlineStyle,
  };
}

/** Whether `selector` is visible / attached / detached (searched as deepFind does). */
function deepState({ selector, state }) {
  const roots = [document];
  let el = null;
  for (let i = 0; i < roots.length && !el; i++) {
    el = roots[i].querySelector(selector);
    for (const e of roots[i].querySelectorAll('*')) if (e.shadowRoot) roots.push(e.shadowRoot);
  }
  if (state === 'detached') return !el;
  if (state === 'attached') return !!el;
  return !!el && el.isConnected && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
}

function readProbe() {
  const p = window.__probe;
  return p
    ? {
        errors: p.errors.slice(),
        consoleErrors: p.consoleErrors.slice(),
        violations: p.violations.slice(),
        kelisimErrors: p.kelisimErrors.slice(),
      }
    : null;
}

// ---------------------------------------------------------------------------

/**
 * The interface a scenario sees. Subclasses implement the `_` methods; the
 * public ones add time limits and the shared conveniences.
 */
class Page {
  constructor(engine) {
    this.engine = engine;
  }

  _call(label, fn, ms = CALL_TIMEOUT) {
    return this.engine.call(label, fn, ms);
  }

  goto(url) {
    return this._call(`goto ${url}`, () => this._goto(url), 30000);
  }
  reload() {
    return this._call('reload', () => this._reload(), 30000);
  }
  url() {
    return this._call('url', () => this._url());
  }
  /** Runs `fn(arg)` in the page; awaits a returned promise. Return JSON values (not DOM nodes); undefined comes back as null. */
  async evaluate(fn, arg = null) {
    const v = await this._call(`evaluate ${String(fn).slice(0, 60)}`, () => this._evaluate(fn, arg));
    return v === undefined ? null : v;
  }
  /**
   * A trusted click (the driver's own input) on the first match of `selector`,
   * scrolled to the middle of the viewport; fails when something covers it.
   */
  click(selector) {
    return this._call(`click ${selector}`, () => this._click(selector));
  }
  /** Presses a key or a chord: 'Tab', 'Shift+Tab', 'Enter', 'Space', 'Escape'. */
  press(keys) {
    return this._call(`press ${keys}`, () => this._press(keys.split('+')));
  }
  /** Cookies the browser holds for the current page's URL: [{ name, value, domain, path, expires }]. */
  async cookies() {
    const [all, url] = await this._call('cookies', () => Promise.all([this._cookies(), this._url()]));
    return all
      .filter((c) => cookieApplies(c, url))
      .map(({ name, value, domain, path, expires }) => ({ name, value, domain, path, expires }));
  }
  async cookieNames() {
    return (await this.cookies()).map((c) => c.name).sort();
  }

  query(selector, op, value) {
    return this.evaluate(deepQuery, { selector, op, value });
  }
  count(selector) {
    return this.query(selector, 'count');
  }
  visible(selector) {
    return this.query(selector, 'visible');
  }
  text(selector) {
    return this.query(selector, 'text');
  }
  texts(selector) {
    return this.query(selector, 'texts');
  }
  checked(selector) {
    return this.query(selector, 'checked');
  }
  attribute(selector, name) {
    return this.query(selector, 'attribute', name);
  }
  focus(selector) {
    return this.query(selector, 'focus');
  }
  focused() {
    return this.evaluate(deepFocused);
  }
  /** What the proxy's probe recorded in this document: { errors, consoleErrors, violations, kelisimErrors }. */
  probe() {
    return this.evaluate(readProbe);
  }
  /** kelisim's start: { ok, state } or { ok: false, code, message }. */
  settled() {
    return this.evaluate(() =>
      window.kelisimReady.then(
        (k) => ({ ok: true, state: k.state() }),
        (e) => ({ ok: false, code: e.code, message: e.message }),
      ),
    );
  }
  sleep(ms) {
    return sleep(ms);
  }

  /**
   * Polls `fn(arg)` in the page until it returns something truthy; returns it.
   * Errors while the page navigates count as "not yet".
   */
  async waitFor(fn, arg = null, { timeout = 5000, interval = 50, message } = {}) {
    const end = Date.now() + timeout;
    let last;
    let lastError;
    for (;;) {
      try {
        last = await this.evaluate(fn, arg);
        lastError = undefined;
        if (last) return last;
      } catch (err) {
        if (err instanceof DriverTimeout) throw err;
        lastError = err;
      }
      if (Date.now() > end) {
        const why = lastError ? `last error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`;
        throw new Error(`${message || `waitFor ${String(fn).slice(0, 80)}`}: not within ${timeout} ms (${why})`);
      }
      await sleep(interval);
    }
  }
  /** Waits until `selector` is visible ('visible'), present ('attached') or gone ('detached'). */
  waitForSelector(selector, { state = 'visible', timeout = 5000 } = {}) {
    return this.waitFor(deepState, { selector, state }, { timeout, message: `${selector} ${state}` });
  }
}

// ---------------------------------------------------------------------------
// Engines. Each has start(), newSession() and close(); `call` runs a driver
// call with a time limit and marks the engine broken when it hangs.

class Engine {
  constructor(name, { proxyPort }) {
    this.name = name;
    this.proxyPort = proxyPort;
    this.broken = false;
    this.version = null;
  }

  async call(label, fn, ms = CALL_TIMEOUT) {
    try {
      return await within(Promise.resolve().then(fn), ms, `${this.name}: ${label}`);
    } catch (err) {
      if (err instanceof DriverTimeout) this.broken = true;
      throw err;
    }
  }

  /** Starts the browser, retrying a start that fails or hangs (not the tests). */
  async start(attempts = 3) {
    const problems = [];
    for (let i = 1; i <= attempts; i++) {
      try {
        await within(this._start(), START_TIMEOUT, `${this.name}: start`);
        this.broken = false;
        return;
      } catch (err) {
        problems.push(`attempt ${i}: ${err.message}`);
        await this.kill().catch(() => {});
      }
    }
    throw new Error(`${this.name} could not start (${BINARIES[this.name]}):\n  ${problems.join('\n  ')}`);
  }

  /** A fresh session (cookies and storage of its own) with one tab open. */
  async newSession() {
    if (this.broken) {
      await this.kill().catch(() => {});
      await this.start();
    }
    try {
      return await this.call('new session', () => this._newSession(), START_TIMEOUT);
    } catch (err) {
      // The browser may have died under us: one fresh start, then one more try.
      await this.kill().catch(() => {});
      await this.start();
      return this.call('new session', () => this._newSession(), START_TIMEOUT);
    }
  }

  async close() {
    try {
      await within(this._close(), 15000, `${this.name}: close`);
    } catch {
      await this.kill().catch(() => {});
    }
  }
}

// --- Chromium: playwright-core --------------------------------------------

class ChromiumPage extends Page {
  constructor(engine, page) {
    super(engine);
    this.page = page;
  }
  _goto(url) {
    return this.page.goto(url, { waitUntil: 'load' });
  }
  _reload() {
    return this.page.reload({ waitUntil: 'load' });
  }
  _url() {
    return this.page.url();
  }
  _evaluate(fn, arg) {
    return this.page.evaluate(fn, arg);
  }
  async _click(selector) {
    const handle = await this.page.evaluateHandle(deepFind, selector);
    const el = handle.asElement();
    if (!el) throw new Error(`no element matches ${selector}`);
    const covered = await el.evaluate(clickTarget);
    if (covered) throw new Error(`cannot click ${selector}: ${covered}`);
    await el.click({ timeout: CALL_TIMEOUT - 2000 });
    await handle.dispose();
  }
  _press(keys) {
    return this.page.keyboard.press(keys.join('+'));
  }
  async _cookies() {
    return this.page.context().cookies();
  }
}

class ChromiumEngine extends Engine {
  async _start() {
    const args = CHROMIUM_ARGS.filter((a) => !a.startsWith('--host-resolver-rules')).concat([
      `--proxy-server=http://127.0.0.1:${this.proxyPort}`,
    ]);
    this.browser = await playwrightChromium.launch({ executablePath: BINARIES.chromium, args, timeout: START_TIMEOUT });
    this.version = this.browser.version();
  }
  async _newSession() {
    const context = await this.browser.newContext({ viewport: VIEWPORT });
    const open = async () => new ChromiumPage(this, await context.newPage());
    const page = await open();
    return { page, newPage: () => this.call('new tab', open), close: () => this.call('close session', () => context.close()) };
  }
  _close() {
    return this.browser.close();
  }
  async kill() {
    const b = this.browser;
    this.browser = null;
    if (b) await within(b.close(), 5000, 'close').catch(() => {});
  }
}

// --- Firefox: puppeteer-core over WebDriver BiDi ----------------------------

class FirefoxPage extends Page {
  constructor(engine, page) {
    super(engine);
    this.page = page;
  }
  _goto(url) {
    return this.page.goto(url, { waitUntil: 'load', timeout: 30000 });
  }
  _reload() {
    return this.page.reload({ waitUntil: 'load', timeout: 30000 });
  }
  _url() {
    return this.page.url();
  }
  _evaluate(fn, arg) {
    return this.page.evaluate(fn, arg);
  }
  async _click(selector) {
    const handle = await this.page.evaluateHandle(deepFind, selector);
    const el = handle.asElement();
    if (!el) throw new Error(`no element matches ${selector}`);
    const covered = await el.evaluate(clickTarget);
    if (covered) throw new Error(`cannot click ${selector}: ${covered}`);
    await el.click();
    await handle.dispose();
  }
  async _press(keys) {
    const mods = keys.slice(0, -1);
    const key = keys[keys.length - 1];
    for (const m of mods) await this.page.keyboard.down(m);
    await this.page.keyboard.press(key === 'Space' ? ' ' : key);
    for (const m of mods.reverse()) await this.page.keyboard.up(m);
  }
  async _cookies() {
    return this.page.browserContext().cookies();
  }
}

class FirefoxEngine extends Engine {
  async _start() {
    this.browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: BINARIES.firefox,
      headless: true,
      timeout: START_TIMEOUT,
      defaultViewport: VIEWPORT,
      extraPrefsFirefox: {
        // all traffic through the engines' proxy, loopback included
        'network.proxy.type': 1,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': this.proxyPort,
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': true,
        'dom.security.https_first': false,
        'dom.security.https_only_mode': false,
        'browser.tabs.remote.autostart': true,
      },
    });
    this.version = await this.browser.version();
  }
  async _newSession() {
    const context = await this.browser.createBrowserContext();
    const open = async () => new FirefoxPage(this, await context.newPage());
    const page = await open();
    return { page, newPage: () => this.call('new tab', open), close: () => this.call('close session', () => context.close()) };
  }
  _close() {
    return this.browser.close();
  }
  async kill() {
    const b = this.browser;
    this.browser = null;
    if (!b) return;
    const proc = b.process();
    await within(b.close(), 5000, 'close').catch(() => {});
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
  }
}

// --- WebKit: WebKitWebDriver + MiniBrowser under Xvfb, selenium-webdriver -----

const KEYS = { Tab: Key.TAB, Enter: Key.ENTER, Space: Key.SPACE, Escape: Key.ESCAPE, Shift: Key.SHIFT };

class WebKitPage extends Page {
  constructor(engine, session, handle) {
    super(engine);
    this.session = session;
    this.handle = handle;
  }
  /** One command at a time per session, in this page's window. */
  _in(fn) {
    return this.session.serial(async () => {
      if (this.session.current !== this.handle) {
        await this.session.driver.switchTo().window(this.handle);
        this.session.current = this.handle;
      }
      return fn(this.session.driver);
    });
  }
  _goto(url) {
    return this._in((d) => d.get(url));
  }
  _reload() {
    return this._in((d) => d.navigate().refresh());
  }
  _url() {
    return this._in((d) => d.getCurrentUrl());
  }
  async _evaluate(fn, arg) {
    const script = `var done = arguments[arguments.length - 1]; var arg = arguments[0];
Promise.resolve().then(function () { return (${String(fn)})(arg); }).then(
  function (v) { done({ ok: true, value: v === undefined ? null : v }); },
  function (e) { done({ ok: false, error: String(e && e.message || e) }); });`;
    const r = await this._in((d) => d.executeAsyncScript(script, arg));
    if (!r || !r.ok) throw new Error(`evaluate: ${r ? r.error : 'no answer'}`);
    return r.value;
  }
  async _click(selector) {
    await this._in(async (d) => {
      const el = await d.executeScript(`return (${String(deepFind)})(arguments[0]);`, selector);
      if (!el) throw new Error(`no element matches ${selector}`);
      const covered = await d.executeScript(`return (${String(clickTarget)})(arguments[0]);`, el);
      if (covered) throw new Error(`cannot click ${selector}: ${covered}`);
      await el.click();
    });
  }
  _press(keys) {
    return this._in(async (d) => {
      const mods = keys.slice(0, -1).map((k) => KEYS[k]);
      let a = d.actions();
      for (const m of mods) a = a.keyDown(m);
      a = a.sendKeys(KEYS[keys[keys.length - 1]] || keys[keys.length - 1]);
      for (const m of mods.reverse()) a = a.keyUp(m);
      await a.perform();
    });
  }
  async _cookies() {
    const list = await this._in((d) => d.manage().getCookies());
    return list.map(({ name, value, domain, path, expiry }) => ({ name, value, domain, path, expires: expiry ?? -1 }));
  }
}

class WebKitEngine extends Engine {
  async _start() {
    if (!this.display) this.display = await startXvfb();
    const port = await freePort();
    // detached: its own process group, so a hung driver goes with its MiniBrowser
    this.driverProcess = track(
      spawn(BINARIES.webkitDriver, [`--port=${port}`, '--host=127.0.0.1'], {
        env: {
          ...process.env,
          DISPLAY: `:${this.display.number}`,
          GDK_BACKEND: 'x11',
          WEBKIT_DISABLE_COMPOSITING_MODE: '1',
          LIBGL_ALWAYS_SOFTWARE: '1',
        },
        stdio: 'ignore',
        detached: true,
      }),
      true,
    );
    this.driverUrl = `http://127.0.0.1:${port}`;
    const end = Date.now() + 10000;
    for (;;) {
      if (this.driverProcess.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${this.driverProcess.exitCode}`);
      const ok = await fetch(`${this.driverUrl}/status`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > end) throw new Error('WebKitWebDriver did not answer /status');
      await sleep(100);
    }
    // A first session checks that MiniBrowser itself starts, and reads the version.
    const probe = await this._driver();
    this.version = (await probe.getCapabilities()).get('browserVersion');
    await probe.quit();
  }
  async _driver() {
    const caps = new Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: BINARIES.webkit, args: ['--automation'] },
      proxy: { proxyType: 'manual', httpProxy: `127.0.0.1:${this.proxyPort}` },
      pageLoadStrategy: 'normal',
    });
    const driver = await WebDriver.createSession(new Executor(new HttpClient(this.driverUrl)), caps);
    await driver.getSession(); // createSession resolves lazily
    await driver.manage().setTimeouts({ script: CALL_TIMEOUT, pageLoad: 30000, implicit: 0 });
    await driver
      .manage()
      .window()
      .setRect({ x: 0, y: 0, ...VIEWPORT })
      .catch(() => {});
    return driver;
  }
  async _newSession() {
    // WebKitWebDriver drives one MiniBrowser per session: a new session is a
    // fresh browser with an ephemeral data store.
    const driver = await this._driver();
    let chain = Promise.resolve();
    const session = {
      driver,
      current: await driver.getWindowHandle(),
      serial(fn) {
        const run = chain.then(fn, fn);
        chain = run.catch(() => {});
        return run;
      },
    };
    const page = new WebKitPage(this, session, session.current);
    return {
      page,
      newPage: () =>
        this.call('new tab', () =>
          session.serial(async () => {
            await driver.switchTo().newWindow('tab');
            session.current = await driver.getWindowHandle();
            return new WebKitPage(this, session, session.current);
          }),
        ),
      close: () => this.call('close session', () => driver.quit()),
    };
  }
  async _close() {
    await this.kill();
  }
  async kill() {
    const p = this.driverProcess;
    this.driverProcess = null;
    if (p && p.exitCode === null) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  async close() {
    await this.kill();
    if (this.display) {
      try {
        process.kill(this.display.process.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      this.display = null;
    }
  }
}

// Processes started here, killed if the test process ends without closing them.
const children = new Set();
process.on('exit', () => {
  for (const { pid, group } of children) {
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
function track(proc, group = false) {
  const entry = { pid: proc.pid, group };
  children.add(entry);
  proc.on('exit', () => children.delete(entry));
  return proc;
}

/** Xvfb on a display number it picks itself (-displayfd). */
async function startXvfb() {
  const proc = track(
    spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp', '-noreset'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    }),
  );
  const number = await within(
    new Promise((resolve, reject) => {
      let text = '';
      proc.stdio[3].on('data', (d) => {
        text += d;
        if (text.includes('\n')) resolve(text.trim());
      });
      proc.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
      proc.on('error', reject);
    }),
    10000,
    'Xvfb',
  );
  return { number, process: proc };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const CLASSES = { chromium: ChromiumEngine, firefox: FirefoxEngine, webkit: WebKitEngine };

/** Starts `name` (one of ENGINES) with its traffic through the proxy on `proxyPort`. */
export async function startEngine(name, { proxyPort }) {
  const Cls = CLASSES[name];
  if (!Cls) throw new Error(`unknown engine ${name}`);
  const engine = new Cls(name, { proxyPort });
  await engine.start();
  return engine;
}
