// compat.cookiebot: a window.Cookiebot that behaves like Cookiebot's, so a
// site's plugins and scripts written for Cookiebot keep working: its
// properties and methods, its events and CookiebotCallback_On… functions, the
// cookieconsent-optin-*/-optout-* classes and the CookieConsent cookie that
// server-side code reads. Everything it says comes from the engine's answers
// (the `cookiebot` part of start and decide, `cookiebotClasses` of query):
// this file only copies them into the object, writes the cookie, shows and
// hides elements and fires events.
//
// Events, each once per occasion and never before the document is parsed:
//   page view:  CookiebotOnConsentReady (when a decision exists), CookiebotOnLoad,
//               CookiebotOnAccept | CookiebotOnDecline (when a decision exists),
//               CookiebotOnTagsExecuted (once the allowed tags have run);
//   dialog:     CookiebotOnDialogInit (before the first display on a page),
//               CookiebotOnDialogDisplay (each time kelisim's banner or dialog appears);
//   decision:   CookiebotOnConsentReady, CookiebotOnAccept | CookiebotOnDecline,
//               CookiebotOnTagsExecuted.
import { addedRoots } from './added-roots.js';
import { deleteCookieEverywhere } from './cookies.js';

const CLASSES = '[class*="cookieconsent-optin-"],[class*="cookieconsent-optout-"]';
const OPT_IN = /(^|\s)cookieconsent-optin-\S/;

/**
 * Whether kelisim.js should create window.Cookiebot before the engine is up:
 * an inline configuration says so itself (compat.cookiebot); a fetched one is
 * not known yet, so the tag tells: Cookiebot's attributes (id="Cookiebot",
 * data-cbid, data-culture, data-blockingmode). The engine has the last word.
 */
export function cookiebotHint(script, inline) {
  if (inline && !(script && script.dataset.config)) {
    try {
      const c = JSON.parse(inline.textContent);
      return Boolean(c && c.compat && c.compat.cookiebot === true);
    } catch {
      return false;
    }
  }
  return Boolean(
    script && (script.id === 'Cookiebot' || ['data-cbid', 'data-culture', 'data-blockingmode'].some((a) => script.hasAttribute(a))),
  );
}

/** The original inline `display` of each element this file shows or hides. */
const savedDisplay = new WeakMap();

function setVisible(win, el, visible) {
  const style = el.style;
  if (!style) return;
  if (!savedDisplay.has(el)) savedDisplay.set(el, [style.getPropertyValue('display'), style.getPropertyPriority('display')]);
  if (!visible) {
    style.setProperty('display', 'none', 'important');
    return;
  }
  const [value, priority] = savedDisplay.get(el);
  style.removeProperty('display');
  if (value && value !== 'none') style.setProperty('display', value, priority);
  // Opt-in content is written hidden (style="display:none", or the site's CSS): show it as a block.
  if (win.getComputedStyle(el).display === 'none') style.setProperty('display', 'block');
}

function restoreDisplay(el) {
  const [value, priority] = savedDisplay.get(el);
  el.style.removeProperty('display');
  if (value) el.style.setProperty('display', value, priority);
}

/**
 * window.Cookiebot, at once: until the engine answers (`attach`) it says
 * "no response" and keeps what it is asked to do for later; opt-in content
 * stays hidden meanwhile. Returns the controller kelisim's runtime drives.
 */
export function createCookiebot(win) {
  const doc = win.document;
  let hooks = null; // from attach(): the instance and the runtime's hooks
  let submitNames = [null, null, null];
  const waiting = [];
  const later =
    (fn) =>
    (...args) => {
      if (hooks) return fn(...args);
      waiting.push(() => fn(...args));
      return undefined;
    };

  const consent = { necessary: true, preferences: false, statistics: false, marketing: false, method: null, stamp: '0' };
  const cb = {
    consent,
    consented: false,
    declined: false,
    hasResponse: false,
    doNotTrack: false,
    consentID: '0',
    changed: false,
    // Until the engine says otherwise, the strictest reading: consent is needed.
    regulations: { gdprApplies: true, ccpaApplies: false, lgpdApplies: false },
    show: later(() => hooks.instance.showBanner()),
    hide: later(() => hooks.instance.hide()),
    // Cookiebot's dialog to change the choice: kelisim's preferences, showing the current one.
    renew: later(() => hooks.instance.showPreferences()),
    withdraw: later(() => hooks.instance.rejectAll()),
    submitCustomConsent: later((...picked) => {
      hooks.instance.accept(submitNames.filter((name, i) => name && picked[i]));
    }),
    runScripts: later(() => {
      const ran = hooks.rescan();
      if (loaded && cb.hasResponse) after(ran, 'CookiebotOnTagsExecuted');
    }),
    getScript(url, async, callback) {
      const s = doc.createElement('script');
      if (async === false) s.async = false;
      if (typeof callback === 'function') s.addEventListener('load', () => callback(), { once: true });
      s.src = String(url);
      (doc.head || doc.documentElement).appendChild(s);
      return s;
    },
  };

  // --- events -----------------------------------------------------------------
  let loaded = false; // CookiebotOnLoad has fired: later changes are announced as they happen
  let readyCalled = false;

  function dispatch(name) {
    win.dispatchEvent(new win.Event(name));
    const callback = win[name.replace('CookiebotOn', 'CookiebotCallback_On')];
    if (typeof callback === 'function') {
      try {
        callback();
      } catch (err) {
        win.setTimeout(() => {
          throw err;
        });
      }
    }
  }
  function after(promise, name) {
    Promise.resolve(promise).then(
      () => dispatch(name),
      () => dispatch(name),
    );
  }
  function answer() {
    if (cb.consented) dispatch('CookiebotOnAccept');
    else if (cb.declined) dispatch('CookiebotOnDecline');
  }

  function loadRound() {
    loaded = true;
    cb.changed = false;
    const decided = cb.hasResponse;
    if (decided) dispatch('CookiebotOnConsentReady');
    dispatch('CookiebotOnLoad');
    if (decided) answer();
    if (decided) after(hooks.settle(), 'CookiebotOnTagsExecuted');
    watchDialog();
  }

  // --- the dialog: kelisim's banner or preferences appearing -------------------
  let dialogShown = false;
  let dialogInit = false;
  let watchedRoot = null;
  function checkDialog() {
    const host = doc.getElementById('kelisim-root');
    const root = host && host.shadowRoot;
    if (root && root !== watchedRoot) {
      watchedRoot = root;
      new win.MutationObserver(checkDialog).observe(root, { childList: true });
    }
    const shown = Boolean(root && host.isConnected && root.querySelector('[data-kelisim="banner"],[data-kelisim="preferences"]'));
    if (shown && !dialogShown) {
      if (!dialogInit) {
        dialogInit = true;
        dispatch('CookiebotOnDialogInit');
      }
      dispatch('CookiebotOnDialogDisplay');
    }
    dialogShown = shown;
  }
  function watchDialog() {
    // kelisim's UI host is a child of <body>, added when something is first shown.
    if (doc.body) new win.MutationObserver(checkDialog).observe(doc.body, { childList: true });
    checkDialog();
  }

  // --- cookieconsent-optin-* / -optout-* ---------------------------------------
  const tracked = new Set();
  let queued = null;
  function applyClasses(els) {
    const list = els.filter((el) => el.isConnected);
    if (!list.length) return;
    const classes = list.map((el) => el.getAttribute('class') || '');
    // Before the engine answers: fail closed, opt-in content hidden.
    const visible = hooks ? hooks.classes(classes) : classes.map((c) => !OPT_IN.test(c));
    list.forEach((el, i) => setVisible(win, el, visible[i]));
  }
  function collect(node) {
    const found = [];
    if (node.nodeType !== 1) return found;
    if (node.matches(CLASSES)) found.push(node);
    if (node.firstElementChild) found.push(...node.querySelectorAll(CLASSES));
    return found;
  }
  function track(els) {
    const fresh = els.filter((el) => !tracked.has(el));
    for (const el of fresh) tracked.add(el);
    return fresh;
  }
  function refreshAll() {
    for (const el of tracked) if (!el.isConnected) tracked.delete(el);
    applyClasses([...tracked]);
  }
  let asked = []; // the elements whose classes go with the next engine call
  // Elements as the parser (or a script) adds them, one engine question per batch.
  const observer = new win.MutationObserver((records) => {
    const found = [];
    // Every added element is inside one of these: searched once each.
    for (const n of addedRoots(records).roots) found.push(...collect(n));
    const fresh = track(found);
    if (!fresh.length) return;
    if (!queued) {
      queued = [];
      win.queueMicrotask(() => {
        const els = queued;
        queued = null;
        applyClasses(els);
      });
    }
    queued.push(...fresh);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  applyClasses(track(collect(doc.documentElement)));

  // --- the engine's answers ----------------------------------------------------
  function writeCookie(c) {
    if (c.remove) deleteCookieEverywhere(win, hooks.setCookie, c.name);
    if (!c.write) return;
    if (hooks.cookieDomain) hooks.setCookie(`${c.name}=; Path=${hooks.cookie.path}; Max-Age=0`); // no stale host-only copy
    hooks.setCookie(`${c.name}=${c.value}; ${c.attributes}${hooks.cookieDomain ? `; Domain=${hooks.cookieDomain}` : ''}`);
  }

  const controller = {
    object: cb,
    /**
     * The engine is up with compat.cookiebot: `hooks` = { instance, setCookie,
     * cookie (kelisim's cookie options), cookieDomain, classes(list) -> bool[],
     * settle() -> Promise (the page's gated tags have run), rescan() -> Promise }.
     */
    attach(h, view, answers) {
      hooks = h;
      controller.refresh(view, answers);
      // Calls made before the engine was up, once kelisim has finished starting.
      win.queueMicrotask(() => {
        for (const call of waiting.splice(0)) call();
      });
      return controller;
    },
    /** The opt-in/opt-out elements' classes, asked in the engine call that follows (start, decision). */
    questions() {
      for (const el of tracked) if (!el.isConnected) tracked.delete(el);
      asked = [...tracked];
      return asked.length ? { cookiebotClasses: asked.map((el) => el.getAttribute('class') || '') } : {};
    },
    /** A new answer from the engine (page start, decision, another tab, reset), with the answers to questions(). */
    refresh(view, answers) {
      if (!view) return;
      Object.assign(consent, view.consent);
      cb.consented = view.consented;
      cb.declined = view.declined;
      cb.hasResponse = view.hasResponse;
      cb.doNotTrack = view.doNotTrack;
      cb.consentID = view.consentID;
      Object.assign(cb.regulations, view.regulations);
      submitNames = view.submit;
      writeCookie(view.cookie);
      if (answers && answers.length === asked.length) asked.forEach((el, i) => setVisible(win, el, answers[i]));
      else refreshAll(); // one question of its own
      asked = [];
    },
    /** kelisim is ready: the page-view events, once the document is parsed. */
    ready() {
      if (readyCalled) return;
      readyCalled = true;
      // readyState turns "interactive" before deferred scripts run, so ask the
      // navigation timing whether DOMContentLoaded itself has begun: the page's
      // own deferred listeners are attached by then.
      const nav = win.performance && win.performance.getEntriesByType ? win.performance.getEntriesByType('navigation')[0] : null;
      const parsed = nav ? nav.domContentLoadedEventStart > 0 : doc.readyState !== 'loading';
      if (parsed) loadRound();
      else doc.addEventListener('DOMContentLoaded', loadRound, { once: true });
    },
    /** A decision was applied here; `ran` settles once the tags it allows have run. */
    decided(ran) {
      if (!loaded) return; // the page-view events report it
      cb.changed = true;
      dispatch('CookiebotOnConsentReady');
      answer();
      after(ran, 'CookiebotOnTagsExecuted');
    },
    /** compat.cookiebot is off: the object made in advance goes away. */
    remove() {
      observer.disconnect();
      for (const el of tracked) if (savedDisplay.has(el)) restoreDisplay(el);
      tracked.clear();
      if (win.Cookiebot === cb) delete win.Cookiebot;
    },
  };
  win.Cookiebot = cb;
  return controller;
}

/**
 * The runtime's side: with compat.cookiebot (`start.cookiebot`), the object
 * made in advance (or a new one) follows the engine from now on; without it,
 * an object made in advance is taken away. Returns the controller or null.
 */
export function connectCookiebot(win, early, start, hooks) {
  if (!start.cookiebot) {
    if (early) early.remove();
    return null;
  }
  return (early || createCookiebot(win)).attach(hooks, start.cookiebot, start.cookiebotClasses);
}
