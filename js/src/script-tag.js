// The classic <script> tag: kelisim.js, with kelisim-first-<lang>.js, kelisim-app.js
// and kelisim.wasm beside it. An inline <script type="application/json"
// id="kelisim-config"> before it, or <script src="/kelisim/kelisim.js"
// data-config="/consent.json" data-config-integrity="sha384-…">.
//
// This file runs synchronously, before anything else on the page. When the
// engine's bytes are in this browser's storage from an earlier page view (and
// the configuration is inline, or cached under the digest the tag declares),
// the engine is compiled and started right here: the visitor's decision is
// known while the parser is still in <head>, allowed tags start as the parser
// reaches them, and window.kelisim answers at once. Otherwise (a first page
// view) everything third-party is held until the engine answers: with the
// configuration inline it comes in kelisim-first-<lang>.js (with the UI and texts),
// a parser-blocking script written right after this one; else it loads in
// parallel with the configuration. The UI
// (kelisim-app.js, pinned by the digest built into this file) loads only when
// something is to be shown.
import { KelisimError, reportError } from './errors.js';
import { configText } from './config-source.js';
import { DONE } from './guards.js';
import { installAllGuards } from './guard-set.js';
import { pushFallbackDefault } from './consent-default.js';
import { compileWasm } from './wasm-fetch.js';
import {
  cachedConfig,
  cachedModule,
  cachedTexts,
  compileCachedModule,
  forgetConfig,
  hasModule,
  storeConfig,
  storeModule,
  storeTexts,
} from './wasm-cache.js';
import { readMemo, reusingEngine } from './answer-memo.js';
import { textsLoader } from './texts-fetch.js';
import { likelyTexts } from './texts-guess.js';
import { trustedHTML, trustedScriptURL } from './trusted-types.js';
import { instantiateCoreSync, loadCore } from './core-loader.js';
import { Engine } from './engine.js';
import { createBrowserInstance } from './runtime.js';
import { createFacade } from './facade.js';
import { cookiebotHint, createCookiebot } from './cookiebot.js';

/* global __KELISIM_APP_INTEGRITY__, __KELISIM_FIRST__, __KELISIM_WASM_ID__, __KELISIM_TEXTS_ID__, __KELISIM_TEXTS_LANGS__ */
const tag = document.currentScript;
// Everything runs in a microtask right after this script's own evaluation:
// still before the parser goes on (the tag is still document.currentScript,
// and document.write still writes right after it, in Chromium, Firefox and
// WebKit), but no longer under this file's top-level function. Where DevTools
// watches the network (Lighthouse, Playwright, a developer's open DevTools),
// every request records the script stack that started it, and a frame of a
// function compiled without its source positions (the browser's default)
// makes the browser parse that function again: under this file's top-level
// function, the first request (the first file's document.write, or a
// returning visitor's allowed script) reparsed the whole 60 KB file, 11-40 ms
// of the page's main thread in Chromium. A browser without DevTools wrote the
// same tag in 0.4-2.8 ms either way.
if (typeof queueMicrotask === 'function') queueMicrotask(() => main(window, tag));
else main(window, tag);

function main(win, script) {
  const doc = win.document;
  if (win.kelisimReady) return; // loaded twice: the first copy is in charge
  const data = script ? script.dataset : {};
  const base = script && script.src ? script.src : win.location.href;
  const nonce = script ? script.nonce || script.getAttribute('nonce') || '' : '';
  const inline = doc.getElementById('kelisim-config');
  const configUrl = data.config ? new URL(data.config, win.location.href) : null;
  const integrity = data.configIntegrity || '';
  // Cookiebot's tag attributes keep their meaning: data-culture is the language, data-blockingmode goes to the engine.
  const options = { language: data.language || data.culture, ui: data.ui !== 'false', tag: { blockingMode: data.blockingmode || '' } };

  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  win.kelisimReady = ready;
  ready.catch(() => {}); // reported once already; a page without its own handler sees no second copy
  const mark = (name) => win.performance && win.performance.mark && win.performance.mark(name);
  // Kept for the next page view once this one has shown what it shows: storage
  // calls are synchronous round trips to the browser process, kept off the way to the banner.
  const later = (fn) =>
    ready.then(
      () => idle(win, fn),
      () => {},
    );
  const fail = (err) => {
    guards.fail();
    rejectReady(reportError(win, err));
  };

  // kelisim-app.js (the UI), loaded once, with the tag's nonce for nonce-based CSPs.
  let app = null;
  const loadUI = () =>
    (app =
      app ||
      new Promise((resolve, reject) => {
        const el = doc.createElement('script');
        el.setAttribute(DONE, '');
        if (nonce) el.nonce = nonce;
        el.integrity = __KELISIM_APP_INTEGRITY__;
        el.fetchPriority = 'high'; // the banner waits for it, not the page's images
        el.kelisimHandoff = resolve;
        const where = new URL('kelisim-app.js', base).href;
        el.addEventListener('error', () =>
          reject(
            reportError(
              win,
              new KelisimError(
                'app-load',
                `kelisim: cannot load kelisim-app.js from ${where} (missing, or not the file this kelisim.js was built with)`,
              ),
            ),
          ),
        );
        try {
          el.src = trustedScriptURL(win, where);
        } catch (err) {
          // Trusted Types required, and the page's CSP does not allow kelisim's policy.
          reject(
            reportError(
              win,
              new KelisimError(
                'app-load',
                `kelisim: cannot load kelisim-app.js from ${where}: ${err.message} (a page that requires Trusted Types must allow the policy "kelisim")`,
              ),
            ),
          );
          return;
        }
        (doc.head || doc.documentElement).appendChild(el);
      }));

  // The built-in texts the engine asks for when something is shown: from this
  // browser's storage when an earlier page view kept them, else beside kelisim.js.
  const loadTexts = textsLoader(win, base, { get: (lang) => cachedTexts(win, __KELISIM_TEXTS_ID__, lang) });
  const keepTexts = (lang, text) => storeTexts(win, __KELISIM_TEXTS_ID__, lang, text);

  /** The engine over the network, compiled as it arrives; its bytes kept for the next page view. */
  const loadWasm = (url) => compileWasm(url, (bytes) => later(() => storeModule(win, __KELISIM_WASM_ID__, bytes)));

  // What this browser kept from earlier page views (localStorage only).
  const textNow = configUrl || inline ? (inline && !configUrl ? inline.textContent : cachedConfig(win, configUrl, integrity)) : undefined;
  // The engine's answer from an earlier page view, when it may hold for this one: the engine then loads only when a question needs it.
  const memo = textNow !== undefined && hasModule(win, __KELISIM_WASM_ID__) ? readMemo(win, __KELISIM_WASM_ID__, textNow) : null;
  const moduleNow = textNow !== undefined && !memo ? cachedModule(win, __KELISIM_WASM_ID__) : null;
  // A first page view: its downloads start before anything else here, the
  // guards included (nothing else runs until this script ends).
  // A first page view with the configuration inline, from a tag the parser
  // waits for: the engine, the UI and the texts (of the language the banner
  // will most likely be in) come in one parser-blocking script written right
  // after this one, so the engine answers (and the banner is drawn) right
  // after it, without waiting for the page's parse. Otherwise they download
  // in parallel.
  let parsed;
  const config = () => (parsed === undefined ? (parsed = inline && !configUrl ? parseInline(inline) : null) : parsed);
  const likely = () => likelyTexts(config(), options.language, doc, win.navigator, __KELISIM_TEXTS_LANGS__);
  const first = inline && !configUrl && !memo && !moduleNow && options.ui ? writeFirst(likely()) : null;
  const loads = (configUrl || inline) && !memo && !moduleNow && !first ? startLoads() : null;

  const guards = installAllGuards(win);
  const facade = createFacade(win);
  win.kelisim = facade.instance;
  // A Cookiebot site's scripts look for window.Cookiebot right after the tag: made now, it answers "no response" until the engine is up.
  const cookiebot = cookiebotHint(script, inline) ? createCookiebot(win) : null;

  /**
   * Writes kelisim-first-<lang>.js (pinned by the digest built into this
   * file, with the tag's nonce) right after this script, when this script is
   * one the parser waits for: the parser then runs it next, before any markup
   * after the tag. Returns its element, or null where it cannot be written (an
   * async or inserted tag, a document already parsed, Trusted Types).
   */
  function writeFirst(lang) {
    // Only while the parser waits for this script: else the write would replace the page.
    if (!script || script.async || script.defer || doc.readyState !== 'loading' || !script.parentNode || doc.currentScript !== script)
      return null;
    const src = new URL(`kelisim-first-${lang}.js`, base).href;
    const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    try {
      doc.write(
        trustedHTML(
          win,
          `<script src="${attr(src)}" integrity="${__KELISIM_FIRST__[lang]}"${nonce ? ` nonce="${attr(nonce)}"` : ''}></` + 'script>',
        ),
      );
    } catch {
      return null; // e.g. a page that requires Trusted Types and does not allow kelisim's policy
    }
    const el = script.nextElementSibling;
    if (!el || el.localName !== 'script' || el.src !== src) return null; // the write was ignored
    el.setAttribute(DONE, '');
    return el;
  }

  /**
   * A first page view's downloads: the engine (compiled as it arrives), the
   * configuration, and, since a first page view most likely shows the banner,
   * the UI and the built-in texts in the language the page names (a head
   * start only: the engine picks the language and names its file). The UI's
   * and the texts' start in the next task, once the parser has gone on: they
   * still arrive long before the engine has answered.
   */
  function startLoads() {
    const wasmUrl = new URL('kelisim.wasm', base);
    const wasm = loadWasm(wasmUrl);
    const text = configUrl ? configText(configUrl, win.location.href, integrity) : Promise.resolve(inline.textContent);
    wasm.catch(() => {}); // reported where it is awaited
    text.catch(() => {});
    if (options.ui)
      win.setTimeout(() => {
        loadUI().catch(() => {});
        const lang = likely();
        // Not when this browser kept that file (a returning visitor whose engine is not stored yet).
        if (cachedTexts(win, __KELISIM_TEXTS_ID__, lang) === undefined) loadTexts.ahead(lang);
      });
    return { wasmUrl, wasm, text };
  }

  /**
   * The engine is up (or an answer it gave on an earlier page view is, with
   * the engine loaded when a question needs it): start the page, then say so
   * once the banner (if any) is shown.
   */
  function run(text, memo, load, pushDefault, warm) {
    const engine = reusingEngine(win, { buildId: __KELISIM_WASM_ID__, configText: text, memo, load, warm, idle: (fn) => idle(win, fn) });
    const instance = createBrowserInstance(engine, {
      ...options,
      window: win,
      guards,
      loadUI,
      loadTexts,
      keepTexts,
      pushDefault,
      cookiebot,
      nonce,
    });
    facade.become(instance);
    mark('kelisim:ready');
    // A UI that cannot load was reported by loadUI; the engine keeps gating.
    instance._shown.then(() => {
      instance._emit('ready', instance.state());
      resolveReady(facade.instance);
    }, rejectReady);
  }

  if (!configUrl && !inline) {
    pushFallbackDefault(win);
    guards.watchParser(false);
    fail(
      new KelisimError(
        'no-config',
        'kelisim: no configuration: add data-config="/consent.json" to the script tag or a <script type="application/json" id="kelisim-config"> before it',
      ),
    );
    return;
  }
  if (memo || moduleNow) {
    // The synchronous start: the engine answers before the parser goes on.
    let core = null;
    try {
      core = moduleNow && instantiateCoreSync(moduleNow);
    } catch {
      core = null; // tried again below, over the network, where a real failure is reported
    }
    // Made ready once the page is idle, before the engine is first asked:
    // compiled off the main thread (from the network when the kept bytes did
    // not compile: they were dropped, and are kept afresh for the next page
    // view), then, in an idle moment of its own, instantiated and given the
    // configuration. The browser compiles a function's code when it first runs,
    // so that first configuration is most of the engine's cost on a page
    // view: without it, the first question would pay it in the same task.
    let warmed = null;
    let made = null;
    let asked = false; // load() ran: the engine is up, or its failure reported
    const warm = () =>
      core || warmed || made || asked
        ? Promise.resolve()
        : compileCachedModule(win, __KELISIM_WASM_ID__)
            .then((module) => module || loadWasm(new URL('kelisim.wasm', base)))
            .then(
              (module) =>
                new Promise((resolve) =>
                  idle(win, () => {
                    try {
                      if (!asked) made = configured(instantiateCoreSync(module), textNow);
                    } catch {
                      warmed = module; // instantiated again when asked, where a failure is reported
                    }
                    resolve();
                  }),
                ),
            );
    const load = () => {
      asked = true;
      if (made) return made;
      try {
        const module = core ? null : warmed || cachedModule(win, __KELISIM_WASM_ID__);
        if (!core && !module) throw new KelisimError('wasm-load', "kelisim: cannot compile its engine from this browser's storage");
        return new Engine(core || instantiateCoreSync(module), textNow);
      } catch (err) {
        fail(err); // everything held stays held
        throw err;
      }
    };
    if (memo || core) {
      guards.watchParser(true);
      try {
        run(textNow, memo, load, true, warm);
      } catch (err) {
        pushFallbackDefault(win);
        fail(err);
        return;
      }
      // The file behind data-config may have changed while the tag kept the
      // old digest: check it once the page is idle, so that the next page view
      // does not start from a configuration the site no longer serves.
      if (configUrl) {
        idle(win, () =>
          configText(configUrl, win.location.href, integrity).catch((err) => {
            forgetConfig(win);
            reportError(win, err);
          }),
        );
      }
      return;
    }
  }

  // The first page view: hold, load (started above), then start.
  pushFallbackDefault(win);
  const c = config();
  guards.watchParser(data.blockingmode === 'auto' || Boolean(c && c.blocking && c.blocking.autoBlock === true));
  if (first) {
    let settled = false;
    // kelisim-first-<lang>.js hands over what it carries, as soon as the parser has run it.
    first.kelisimHandoff = ({ createUI, bytes, texts }) => {
      if (settled || doc.currentScript !== first) return;
      settled = true;
      mark('kelisim:loaded');
      let showUI;
      app = new Promise((resolve) => (showUI = () => resolve(createUI)));
      loadTexts.provide(texts);
      const t = inline.textContent;
      let core;
      try {
        core = instantiateCoreSync(new WebAssembly.Module(bytes));
      } catch (err) {
        const cause = err instanceof KelisimError ? err.message.replace(/^kelisim: cannot start its engine: /, '') : err && err.message;
        fail(new KelisimError('wasm-load', `kelisim: cannot load its engine (kelisim.wasm, carried by ${first.src}): ${cause}`));
        return;
      }
      // Three tasks, none of them long (one was 50-65 ms on a busy 2-CPU machine):
      // the engine compiled and given the configuration here (the browser
      // compiles the code a call first runs: half of the engine's first page
      // start), its page start next, then the banner.
      let engine;
      try {
        engine = configured(core, t);
      } catch (err) {
        fail(err); // an engine that aborted: everything held stays held, reported once
        return;
      }
      soon(win, () => {
        try {
          run(t, null, () => engine, false);
        } catch (err) {
          fail(err);
          return;
        }
        soon(win, showUI);
        later(() => storeModule(win, __KELISIM_WASM_ID__, bytes));
      });
    };
    /** The same files over the network, once, when the first file did not hand them over. */
    const overNetwork = (why) => () => {
      if (settled) return;
      settled = true;
      win.console.warn(`kelisim: ${why}: loading its files one by one`);
      startPage(startLoads());
    };
    // Not loaded (missing, another build's, refused by a CSP).
    first.addEventListener('error', overNetwork(`cannot load ${first.src} (missing, or not the file this kelisim.js was built with)`));
    // Loaded and run, but nothing handed over (it threw: a page's own btoa, a proxy that re-encoded it).
    first.addEventListener('load', overNetwork(`${first.src} ran without handing over its files`));
    return;
  }
  startPage(loads || startLoads());

  function startPage({ wasmUrl, wasm, text }) {
    Promise.all([loadCore({ url: wasmUrl, module: wasm }), text])
      .then(([core, t]) => {
        mark('kelisim:loaded');
        run(t, null, () => new Engine(core, t), false);
        if (configUrl && integrity) later(() => storeConfig(win, configUrl, integrity, t)); // checked by the browser against the digest
      })
      .catch(fail);
  }
}

/**
 * `fn` in a task of its own, ahead of the parser's next chunk, where the
 * browser can be asked for that (scheduler.postTask); elsewhere now: a plain
 * timer would run after the parse, and the banner matters more than the split.
 */
function soon(win, fn) {
  const s = win.scheduler;
  if (s && s.postTask) s.postTask(fn, { priority: 'user-blocking' });
  else fn();
}

/**
 * The engine bound to `text`, which it has been given already. What it
 * answers is not read here: its first question answers for an invalid one.
 */
function configured(core, text) {
  const engine = new Engine(core, text);
  engine.configure();
  return engine;
}

function idle(win, fn) {
  if (win.requestIdleCallback) win.requestIdleCallback(fn, { timeout: 2000 });
  else win.setTimeout(fn, 200);
}

/**
 * The inline configuration, parsed only to know what to do before the engine
 * is up (whether to hold unmarked tags, which texts to download): null when
 * it is not JSON (the engine then reports it).
 */
function parseInline(inline) {
  try {
    const c = JSON.parse(inline.textContent);
    return c && typeof c === 'object' ? c : null;
  } catch {
    return null;
  }
}
