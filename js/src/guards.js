// Installed synchronously when kelisim starts, before any other script can
// insert anything: scripts and iframes that other scripts add, and writes to
// document.cookie, are held until the engine has answered (fail closed), then
// released or dropped by the engine's verdict. The guards only carry out
// answers; `decider` (the engine) gives them.
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
  const cookieDesc = proto(win.Document, 'cookie');
  const innerHTML = proto(win.Element, 'innerHTML');
  const outerHTML = proto(win.Element, 'outerHTML');
  const insertAdjacentHTML = win.Element.prototype.insertAdjacentHTML;
  const write = doc.write;
  const writeln = doc.writeln;

  /** null until the engine answers: then { autoBlock, cookieGuard, urls(list) -> bool[], cookies(list) -> bool[], debug } */
  let decider = null;
  let failed = false;
  const heldScripts = new Set();
  const heldFrames = new Set();
  let heldCookies = [];
  const reported = new Set();

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
    const href = absolute(url);
    if (!crossOrigin(href)) return false;
    if (failed || !decider) return true; // not ready (or never will be): fail closed
    if (!decider.autoBlock) return false;
    return !decider.urls([href])[0];
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

  // <script>.src = … / setAttribute('src', …): a held script gets a type the
  // browser does not run, so it is neither fetched nor executed wherever it is inserted.
  Object.defineProperty(win.HTMLScriptElement.prototype, 'src', {
    configurable: true,
    enumerable: true,
    get() {
      return scriptSrc.get.call(this);
    },
    set(value) {
      if (!ownOrDone(this) && mustHold(String(value))) holdScript(this);
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
      if (this.hasAttribute(HELD)) this.__kelisimType = String(value);
      else scriptType.set.call(this, value);
    },
  });
  Object.defineProperty(win.HTMLIFrameElement.prototype, 'src', {
    configurable: true,
    enumerable: true,
    get() {
      return frameSrc.get.call(this);
    },
    set(value) {
      if (!ownOrDone(this) && mustHold(String(value))) holdFrame(this, String(value));
      else frameSrc.set.call(this, value);
    },
  });
  win.Element.prototype.setAttribute = function kelisimSetAttribute(name, value) {
    const n = String(name).toLowerCase();
    if (this instanceof win.HTMLScriptElement && !ownOrDone(this)) {
      if (n === 'src' && mustHold(String(value))) holdScript(this);
      if (n === 'type' && this.hasAttribute(HELD)) {
        this.__kelisimType = String(value);
        return undefined;
      }
    }
    if (n === 'src' && this instanceof win.HTMLIFrameElement && !ownOrDone(this) && mustHold(String(value))) {
      holdFrame(this, String(value));
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };

  /** Neutralises blocked iframes/scripts in markup before the browser sees it. */
  function sanitize(html) {
    if (typeof html !== 'string' || !RISKY_HTML.test(html)) return html;
    const t = doc.createElement('template');
    innerHTML.set.call(t, html);
    let changed = false;
    for (const el of t.content.querySelectorAll('iframe[src],frame[src],embed[src],script[src]')) {
      const url = getAttribute.call(el, 'src');
      if (!mustHold(url)) continue;
      changed = true;
      setAttribute.call(el, HELD, '');
      if (el.localName === 'script') {
        setAttribute.call(el, 'data-type', getAttribute.call(el, 'type') || '');
        setAttribute.call(el, 'type', BLOCKED_TYPE);
      } else {
        setAttribute.call(el, 'data-src', url);
        el.removeAttribute('src');
      }
    }
    for (const el of t.content.querySelectorAll('object[data]')) {
      if (!mustHold(getAttribute.call(el, 'data'))) continue;
      changed = true;
      setAttribute.call(el, HELD, '');
      setAttribute.call(el, 'data-src', getAttribute.call(el, 'data'));
      el.removeAttribute('data');
    }
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

  // document.cookie writes: held until ready, then dropped when the cookie
  // belongs to a service that is not allowed.
  const cookieName = (s) => {
    const first = String(s).split(';', 1)[0];
    const eq = first.indexOf('=');
    return eq < 0 ? '' : first.slice(0, eq).trim();
  };
  const isDeletion = (s) => /;\s*(max-age\s*=\s*(0|-)|expires\s*=\s*thu,\s*01\s+jan\s+1970)/i.test(String(s));
  Object.defineProperty(doc, 'cookie', {
    configurable: true,
    enumerable: true,
    get() {
      return cookieDesc.get.call(doc);
    },
    set(value) {
      const s = String(value);
      if (failed || isDeletion(s)) return cookieDesc.set.call(doc, s);
      if (!decider) {
        heldCookies.push(s);
        return undefined;
      }
      if (!decider.cookieGuard) return cookieDesc.set.call(doc, s);
      const name = cookieName(s);
      if (!name || decider.cookies([name])[0]) return cookieDesc.set.call(doc, s);
      if (decider.debug && !reported.has(name)) {
        reported.add(name);
        win.console.info(`kelisim: dropped the cookie "${name}": its service is not allowed`);
      }
      return undefined;
    },
  });

  // Tags in the page's own HTML: the parser inserts them without any setter,
  // so an observer holds them; its callbacks run before the parser executes a
  // script it has just inserted. `holdUnknown`: hold every third-party one
  // while the engine is not up (the site asked for auto-blocking).
  let holdUnknown = false;
  function candidate(el) {
    if (el.hasAttribute(OWN) || el.hasAttribute(HELD)) return false;
    if (el.localName === 'script') return el.hasAttribute('src') && RUNNABLE.test((getAttribute.call(el, 'type') || '').trim());
    return (el.localName === 'iframe' || el.localName === 'frame') && el.hasAttribute('src');
  }
  function holdParsed(found) {
    const els = found.filter((el) => crossOrigin(absolute(getAttribute.call(el, 'src'))));
    if (!els.length) return;
    let hold;
    if (failed || !decider) hold = els.map(() => failed || holdUnknown);
    else if (!decider.autoBlock) return;
    else hold = decider.urls(els.map((el) => absolute(getAttribute.call(el, 'src')))).map((ok) => !ok);
    els.forEach((el, i) => {
      if (!hold[i]) return;
      const url = getAttribute.call(el, 'src');
      if (el.localName === 'script') holdScript(el);
      else {
        holdFrame(el, url);
        el.removeAttribute('src');
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

  /** Releases what is now allowed; called when the engine is ready and after each decision. */
  function release() {
    if (!decider) return;
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
    if (!urls.length) return;
    const ok = decider.autoBlock ? decider.urls(urls) : urls.map(() => true);
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
      setAttribute.call(el, OWN, '');
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
    /** The engine answers from now on. */
    ready(d) {
      decider = d;
      const pending = heldCookies;
      heldCookies = [];
      for (const s of pending) doc.cookie = s; // through the guard, now decided
      release();
    },
    release,
    /** The engine will never answer: cookies pass, third-party scripts and frames stay held. */
    fail() {
      failed = true;
      const pending = heldCookies;
      heldCookies = [];
      for (const s of pending) cookieDesc.set.call(doc, s);
    },
    /** Writes a cookie past the guard (kelisim's own cookie and deletions). */
    setCookie(s) {
      cookieDesc.set.call(doc, s);
    },
  };
}
