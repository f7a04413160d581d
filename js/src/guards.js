// Installed synchronously when kelisim starts, before any other script can
// insert anything: scripts and iframes that other scripts add are held until
// the engine has answered (fail closed), then released or dropped by the
// engine's verdict. The guards only carry out answers; `decider` (the
// engine) gives them. Cookies and storage: guard-jar.js; requests that
// scripts make themselves: guard-network.js.
const HELD = 'data-kelisim-held';
const BLOCKED_TYPE = 'javascript/blocked';
/** Marks elements kelisim itself activates or inserts: the guards let them through. */
export const DONE = 'data-kelisim-done';
const OWN = DONE;
const RUNNABLE = /^(|module|(text|application)\/(x-)?(java|ecma)script|text\/jscript|text\/livescript)$/i;
const RISKY_HTML = /<\s*(iframe|frame|embed|object|script)\b/i;

export function installGuards(win) {
  const doc = win.document;
  const origin = win.location.origin;
  const proto = (ctor, key) => Object.getOwnPropertyDescriptor(ctor.prototype, key);
  const setAttribute = win.Element.prototype.setAttribute;
  const getAttribute = win.Element.prototype.getAttribute;
  const scriptSrc = proto(win.HTMLScriptElement, 'src');
  const scriptType = proto(win.HTMLScriptElement, 'type');
  const frameSrc = proto(win.HTMLIFrameElement, 'src');
  const innerHTML = proto(win.Element, 'innerHTML');
  const outerHTML = proto(win.Element, 'outerHTML');
  const insertAdjacentHTML = win.Element.prototype.insertAdjacentHTML;
  const write = doc.write;
  const writeln = doc.writeln;

  /** null until the engine answers: then { autoBlock, urls(list) -> bool[] } */
  let decider = null;
  let failed = false;
  const heldScripts = new Set();
  const heldFrames = new Set();

  const absolute = (url) => {
    try {
      return new URL(url, doc.baseURI).href;
    } catch {
      return '';
    }
  };
  const crossOrigin = (href) => {
    if (!href) return false;
    const u = new URL(href);
    return (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && u.origin !== origin;
  };
  /** Whether a URL must be kept from loading now. */
  function mustHold(url) {
    return mustHoldAll([url])[0];
  }
  /** Which of these URLs to keep from loading now: one engine call for the lot. */
  function mustHoldAll(list) {
    const hrefs = list.map(absolute);
    const out = hrefs.map((href) => crossOrigin(href));
    if (failed || !decider) return out; // not ready (or never will be): every third party is held
    if (!decider.autoBlock) return out.map(() => false);
    const ask = [...new Set(hrefs.filter((href, i) => out[i] && !answered.has(href)))];
    if (ask.length) {
      decider.urls(ask).forEach((ok, i) => answered.set(ask[i], ok));
      if (!forgetting) {
        forgetting = true;
        win.setTimeout(forget); // answers hold for this task only: the next one may follow a decision
      }
    }
    return hrefs.map((href, i) => out[i] && !answered.get(href));
  }
  // The engine's answers within one task: an element checked while its HTML
  // was sanitized is not asked about again when the observer sees it inserted.
  const answered = new Map();
  let forgetting = false;
  function forget() {
    answered.clear();
    forgetting = false;
  }

  function holdScript(el) {
    if (!el.hasAttribute(HELD)) el.__kelisimType = getAttribute.call(el, 'type');
    setAttribute.call(el, HELD, '');
    setAttribute.call(el, 'type', BLOCKED_TYPE);
    heldScripts.add(el);
  }
  function holdFrame(el, url) {
    setAttribute.call(el, HELD, '');
    setAttribute.call(el, 'data-src', url);
    heldFrames.add(el);
  }
  const ownOrDone = (el) => el.hasAttribute(OWN);
  // Cookiebot's data-cookieconsent="ignore": the site says the tag needs no
  // consent (a tag manager that applies Consent Mode itself, say). It runs,
  // and so do the tags it inserts while it runs; those are marked as let
  // through, so that nothing holds them later.
  const ignored = (el) => Boolean(el) && (getAttribute.call(el, 'data-cookieconsent') || '').trim().toLowerCase() === 'ignore';
  const fromIgnored = () => ignored(doc.currentScript);
  function passes(el) {
    if (ownOrDone(el) || ignored(el)) return true;
    if (!fromIgnored()) return false;
    setAttribute.call(el, OWN, '');
    return true;
  }

  const runnable = (type) => RUNNABLE.test(type == null ? '' : String(type).trim());
  /** A script's src is set: it is held when the browser would run it and the URL must wait. */
  function onScriptSrc(el, url) {
    const type = el.hasAttribute(HELD) ? el.__kelisimType : getAttribute.call(el, 'type');
    if (runnable(type) && mustHold(url) && !passes(el)) holdScript(el);
  }
  /**
   * A script's type is set; true when the guard keeps the new type aside (the
   * script stays held). A script marked up to wait for consent (type="text/plain"
   * with data-category or data-cookieconsent) is no script the browser runs,
   * even when its src came first: it is let go, and the runtime's gates decide
   * about it. One made runnable with a src that must wait is held.
   */
  function onScriptType(el, value) {
    if (el.hasAttribute(HELD)) {
      if (runnable(value)) {
        el.__kelisimType = String(value);
        return true;
      }
      heldScripts.delete(el);
      el.removeAttribute(HELD);
      el.__kelisimType = undefined;
      return false;
    }
    if (runnable(value) && !ownOrDone(el) && el.hasAttribute('src') && mustHold(getAttribute.call(el, 'src')) && !passes(el)) {
      holdScript(el);
      el.__kelisimType = String(value);
      return true;
    }
    return false;
  }

  // <script>.src = … / setAttribute('src', …): a held script gets a type the
  // browser does not run, so it is neither fetched nor executed wherever it is inserted.
  Object.defineProperty(win.HTMLScriptElement.prototype, 'src', {
    configurable: true,
    enumerable: true,
    get() {
      return scriptSrc.get.call(this);
    },
    set(value) {
      if (!ownOrDone(this)) onScriptSrc(this, String(value));
      scriptSrc.set.call(this, value);
    },
  });
  Object.defineProperty(win.HTMLScriptElement.prototype, 'type', {
    configurable: true,
    enumerable: true,
    get() {
      return scriptType.get.call(this);
    },
    set(value) {
      if (!onScriptType(this, value)) scriptType.set.call(this, value);
    },
  });
  Object.defineProperty(win.HTMLIFrameElement.prototype, 'src', {
    configurable: true,
    enumerable: true,
    get() {
      return frameSrc.get.call(this);
    },
    set(value) {
      if (!ownOrDone(this) && mustHold(String(value)) && !passes(this)) holdFrame(this, String(value));
      else frameSrc.set.call(this, value);
    },
  });
  win.Element.prototype.setAttribute = function kelisimSetAttribute(name, value) {
    const n = String(name).toLowerCase();
    if (this instanceof win.HTMLScriptElement && !ownOrDone(this)) {
      if (n === 'src') onScriptSrc(this, String(value));
      if (n === 'type' && onScriptType(this, value)) return undefined;
    }
    if (n === 'src' && this instanceof win.HTMLIFrameElement && !ownOrDone(this) && mustHold(String(value)) && !passes(this)) {
      holdFrame(this, String(value));
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };

  /** Neutralises blocked iframes/scripts in markup before the browser sees it. */
  function sanitize(html) {
    if (typeof html !== 'string' || !RISKY_HTML.test(html) || fromIgnored()) return html;
    const t = doc.createElement('template');
    innerHTML.set.call(t, html);
    let changed = false;
    // Scripts of a type the browser does not run (text/plain waiting for consent) are the runtime's.
    const loaders = [...t.content.querySelectorAll('iframe[src],frame[src],embed[src],script[src]')].filter(
      (el) => el.localName !== 'script' || runnable(getAttribute.call(el, 'type')),
    );
    const objects = [...t.content.querySelectorAll('object[data]')];
    const hold = mustHoldAll([...loaders.map((el) => getAttribute.call(el, 'src')), ...objects.map((el) => getAttribute.call(el, 'data'))]);
    loaders.forEach((el, i) => {
      const url = getAttribute.call(el, 'src');
      if (!hold[i]) return;
      changed = true;
      setAttribute.call(el, HELD, '');
      if (el.localName === 'script') {
        setAttribute.call(el, 'data-type', getAttribute.call(el, 'type') || '');
        setAttribute.call(el, 'type', BLOCKED_TYPE);
      } else {
        setAttribute.call(el, 'data-src', url);
        el.removeAttribute('src');
      }
    });
    objects.forEach((el, i) => {
      if (!hold[loaders.length + i]) return;
      changed = true;
      setAttribute.call(el, HELD, '');
      setAttribute.call(el, 'data-src', getAttribute.call(el, 'data'));
      el.removeAttribute('data');
    });
    return changed ? innerHTML.get.call(t) : html;
  }
  Object.defineProperty(win.Element.prototype, 'innerHTML', {
    configurable: true,
    enumerable: true,
    get() {
      return innerHTML.get.call(this);
    },
    set(value) {
      innerHTML.set.call(this, sanitize(value));
    },
  });
  Object.defineProperty(win.Element.prototype, 'outerHTML', {
    configurable: true,
    enumerable: true,
    get() {
      return outerHTML.get.call(this);
    },
    set(value) {
      outerHTML.set.call(this, sanitize(value));
    },
  });
  win.Element.prototype.insertAdjacentHTML = function kelisimInsertAdjacentHTML(pos, html) {
    return insertAdjacentHTML.call(this, pos, sanitize(html));
  };
  doc.write = function kelisimWrite(...parts) {
    return write.call(doc, sanitize(parts.join('')));
  };
  doc.writeln = function kelisimWriteln(...parts) {
    return writeln.call(doc, sanitize(parts.join('')));
  };

  // Tags in the page's own HTML: the parser inserts them without any setter,
  // so an observer holds them; its callbacks run before the parser executes a
  // script it has just inserted. `holdUnknown`: hold every third-party one
  // while the engine is not up (the site asked for auto-blocking).
  let holdUnknown = false;
  function candidate(el) {
    if (el.hasAttribute(OWN) || el.hasAttribute(HELD) || ignored(el)) return false;
    if (el.localName === 'script') return el.hasAttribute('src') && RUNNABLE.test((getAttribute.call(el, 'type') || '').trim());
    return (el.localName === 'iframe' || el.localName === 'frame') && el.hasAttribute('src');
  }
  function holdParsed(found) {
    const els = found.filter((el) => crossOrigin(absolute(getAttribute.call(el, 'src'))));
    if (!els.length) return;
    const hold = failed || decider ? mustHoldAll(els.map((el) => getAttribute.call(el, 'src'))) : els.map(() => holdUnknown);
    els.forEach((el, i) => {
      if (!hold[i]) return;
      const url = getAttribute.call(el, 'src');
      if (el.localName === 'script') holdScript(el);
      else {
        // Removing src would not stop the navigation the parser started;
        // a new one to about:blank replaces it.
        holdFrame(el, url);
        setAttribute.call(el, 'src', 'about:blank');
      }
    });
  }
  function watchParser(holdWhileUnknown) {
    holdUnknown = holdWhileUnknown;
    new win.MutationObserver((records) => {
      const found = new Set(); // an element may come both as an added node and inside an added parent
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          if (candidate(n)) found.add(n);
          if (n.firstElementChild)
            for (const el of n.querySelectorAll('script[src],iframe[src],frame[src]')) if (candidate(el)) found.add(el);
        }
      }
      if (found.size) holdParsed([...found]);
    }).observe(doc.documentElement, { childList: true, subtree: true });
  }

  /**
   * What is held now: its URLs, and `release(answers)` that lets through
   * those the engine allowed (answers in the same order; asked when omitted).
   */
  function held() {
    forget(); // a decision follows: earlier answers no longer hold
    const scripts = [...heldScripts];
    const frames = [...heldFrames];
    const allScripts = [...doc.querySelectorAll(`script[${HELD}]`)].filter((s) => !heldScripts.has(s));
    scripts.push(...allScripts);
    const frameEls = [
      ...frames,
      ...[...doc.querySelectorAll(`[${HELD}][data-src]`)].filter((f) => f.localName !== 'script' && !heldFrames.has(f)),
    ];
    const urls = [
      ...scripts.map((s) => absolute(scriptSrc.get.call(s))),
      ...frameEls.map((f) => absolute(getAttribute.call(f, 'data-src'))),
    ];
    return { urls, release: (answers) => releaseHeld(scripts, frameEls, urls, answers) };
  }

  /** Releases what is now allowed; called when the engine is ready. */
  function release() {
    if (decider) held().release();
  }

  function releaseHeld(scripts, frameEls, urls, answers) {
    if (!decider || !urls.length) return;
    const ok = !decider.autoBlock ? urls.map(() => true) : answers || decider.urls(urls);
    scripts.forEach((el, i) => {
      if (!ok[i]) return;
      heldScripts.delete(el);
      const type = el.__kelisimType != null ? el.__kelisimType : getAttribute.call(el, 'data-type');
      el.removeAttribute(HELD);
      const parent = el.parentNode;
      const next = el.nextSibling;
      // Re-inserting with a runnable type makes the browser prepare it again.
      if (parent) el.remove();
      if (type) setAttribute.call(el, 'type', type);
      else el.removeAttribute('type');
      // One that waits for consent by its markup (type="text/plain") is not
      // marked done: re-inserted, it reaches the runtime's gates.
      if (runnable(type)) setAttribute.call(el, OWN, '');
      if (parent) parent.insertBefore(el, next);
    });
    frameEls.forEach((el, i) => {
      if (!ok[scripts.length + i]) return;
      heldFrames.delete(el);
      const url = getAttribute.call(el, 'data-src');
      el.removeAttribute(HELD);
      el.removeAttribute('data-src');
      setAttribute.call(el, OWN, '');
      if (el.localName === 'object') setAttribute.call(el, 'data', url);
      else setAttribute.call(el, 'src', url);
    });
  }

  return {
    watchParser,
    held,
    /** The engine answers from now on. */
    ready(d) {
      decider = d;
      release();
    },
    release,
    /** The engine will never answer: third-party scripts and frames stay held. */
    fail() {
      failed = true;
    },
  };
}
