// Elements that load a URL (scripts, frames, objects, images, links, media),
// however page code gets them to the browser: a URL set by any property or
// attribute path, a node inserted by any DOM method, HTML parsed by any sink
// (guard-html.js), and the same in every same-origin frame of the page. What
// must wait is held before the browser sees it: a script gets a type the
// browser does not run, any other element's URL attributes wait as
// data-kelisim-<name>. The engine answers which URLs are allowed
// (`decider.urls`); these guards only hold and release.
import { guardHtml } from './guard-html.js';
import { addedRoots } from './added-roots.js';

const HELD = 'data-kelisim-held';
const KEEP = 'data-kelisim-'; // + the attribute's name: where a held URL waits
const BLOCKED_TYPE = 'javascript/blocked';
/** Marks elements kelisim itself activates or inserts: the guards let them through. */
export const DONE = 'data-kelisim-done';
const RUNNABLE = /^(|module|(text|application)\/(x-)?(java|ecma)script|text\/javascript1\.[0-5]|text\/jscript|text\/livescript)$/i;
const SVG = 'http://www.w3.org/2000/svg';
const XLINK = 'http://www.w3.org/1999/xlink';
/** The URL attributes of each element kind that loads something (a script's: src, or href for SVG's). */
const URLS = {
  __proto__: null,
  script: ['src', 'href'],
  iframe: ['src', 'srcdoc'],
  frame: ['src'],
  embed: ['src'],
  object: ['data'],
  img: ['src', 'srcset'],
  link: ['href', 'imagesrcset'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  input: ['src'], // type="image"
  // SVG: an image, a filter's image (a <use> of another origin's file is
  // refused before it is asked for).
  image: ['href'],
  feImage: ['href'],
};
// The legacy background attribute loads an image. These common elements
// load only through it: looked at when they have attributes.
const BY_ATTRIBUTE = /^(body|table|thead|tbody|tfoot|tr|td|th)$/;
for (const kind of 'body table thead tbody tfoot tr td th'.split(' ')) URLS[kind] = ['background'];
// Frames are also looked for without a URL: their window gets the guards.
const SELECTOR = `${Object.keys(URLS)
  .flatMap((t) => URLS[t].map((a) => `${t}[*|${a}]`))
  .join()},iframe,frame,[${HELD}]`;
/** Whose content (srcdoc, or a data:, blob: or javascript: URL) is read for the hosts it names. */
const FRAMES = /^(iframe|frame|object|embed)$/;
const INLINE = /^(data|blob|javascript):/i;

/**
 * Whether a URL (a URL object) is one only the engine can answer for. Until
 * it is up (`scope` unset), those of every other origin: nothing is known
 * yet. Then those of the scope its answer names: "none" (no auto-blocking),
 * "cross-origin", or "all" (a service names the site's own host).
 */
export const asked = (scope, u, origin) =>
  scope !== 'none' && /^(https?|wss?):$/.test(u.protocol) && (scope === 'all' || u.origin !== origin);

/**
 * `state()` gives { decider, failed }: the engine's answers once it is up
 * ({ urlScope, urls(list) -> bool[] }), and whether it never will be.
 */
export function guardElements(win, state, onRealm) {
  const doc = win.document;
  const origin = win.location.origin;
  const E = win.Element.prototype;
  const { getAttribute, getAttributeNS, setAttribute, removeAttribute, removeAttributeNS, hasAttribute, hasAttributes } = E;
  const { insertBefore, removeChild } = win.Node.prototype;
  const XHR = win.XMLHttpRequest;
  const held = new Set();
  // Held scripts that would have run in document order (parser-made, not
  // async): the browser makes them async once it has passed them by, so
  // they are marked (an attribute, which markup written or parsed again
  // keeps) and put back in its ordered list (async = false) when released.
  const scriptAsync = Object.getOwnPropertyDescriptor(win.HTMLScriptElement.prototype, 'async');
  const ORDER = `${KEEP}in-order`;
  const htmlScript = (el) => el.namespaceURI === 'http://www.w3.org/1999/xhtml';
  const { compareDocumentPosition: position, getRootNode } = win.Node.prototype;
  const attr = (el, name) => getAttribute.call(el, name) ?? (name === 'href' ? getAttributeNS.call(el, XLINK, 'href') : null);
  const has = (el, name) => hasAttribute.call(el, name);
  const set = (el, name, value) => setAttribute.call(el, name, value);
  const unset = (el, name) => removeAttribute.call(el, name);

  const absolute = (url) => {
    try {
      return new URL(url, doc.baseURI).href;
    } catch {
      return '';
    }
  };
  /** Which URLs only the engine can answer for, now (see `asked`). */
  function askable() {
    const { decider, failed } = state();
    return (href) => Boolean(href) && asked(decider && !failed && decider.urlScope, new URL(href), origin);
  }
  /** Which of these URLs to keep from loading now: one engine call for the lot. */
  function mustHoldAll(list) {
    const { decider, failed } = state();
    const hrefs = list.map(absolute);
    const out = hrefs.map(askable());
    if (failed || !decider) return out; // not ready (or never will be): every third party is held
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

  // Cookiebot's data-cookieconsent="ignore": the site says the tag needs no
  // consent (a tag manager that applies Consent Mode itself, say). It runs,
  // and so do the tags it inserts while it runs; those are marked as let
  // through, so that nothing holds them later.
  const ignored = (el) => Boolean(el) && (getAttribute.call(el, 'data-cookieconsent') || '').trim().toLowerCase() === 'ignore';
  const fromIgnored = () => ignored(doc.currentScript);
  function passes(el) {
    if (has(el, DONE) || ignored(el)) return true;
    if (!fromIgnored()) return false;
    set(el, DONE, '');
    return true;
  }
  const runnable = (type) => RUNNABLE.test(type == null ? '' : String(type).trim());
  const scriptUrl = (el) => (el.namespaceURI === SVG ? 'href' : 'src');

  /** The hosts that inline frame content names: srcdoc, or the text behind a data:, blob: or javascript: URL. */
  const named = (text) => text.replace(/\\\//g, '/').match(/(https?:)?\/\/[^\s"'`<>()\\,;]+/gi) || [];
  function inside(url) {
    try {
      if (/^blob:/i.test(url)) {
        // Read now: a page may revoke the blob as soon as the frame has it.
        const x = new XHR();
        x.open('GET', url, false);
        x.send();
        return x.responseText;
      }
      const body = /^data:/i.test(url) ? url.slice(url.indexOf(',') + 1) : url;
      if (/^data:[^,]*;base64,/i.test(url)) return win.atob(body);
      return body.replace(/%([0-9a-f]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16)));
    } catch {
      return url;
    }
  }
  /** The URLs one attribute value makes an element load. */
  function urlsIn(kind, name, value) {
    const v = String(value).trim();
    if (/srcset$/.test(name)) return v.split(',').map((c) => c.trim().split(/\s+/)[0]);
    if (name === 'srcdoc') return named(v);
    return FRAMES.test(kind) && INLINE.test(v) ? named(inside(v)) : [v];
  }
  /** What this element loads (`kept`: what it would load once released). */
  function sources(el, kept) {
    const kind = el.localName;
    if (kind === 'script') {
      const url = attr(el, scriptUrl(el));
      return url != null && (kept || runnable(getAttribute.call(el, 'type'))) ? [url] : [];
    }
    return URLS[kind].flatMap((name) => {
      const v = kept ? getAttribute.call(el, KEEP + name) : attr(el, name);
      return v == null ? [] : urlsIn(kind, name, v);
    });
  }

  function hold(el) {
    if (el.localName === 'script') {
      // Only HTML scripts have an order (SVG ones run as they come). Markup
      // parsed inert first (guard-html.js), in a document without a window,
      // is judged by its attribute: its engine may call it async.
      if (htmlScript(el) && !has(el, 'async') && (el.ownerDocument.defaultView === null || !scriptAsync.get.call(el))) set(el, ORDER, '');
      set(el, `${KEEP}type`, getAttribute.call(el, 'type') || '');
      set(el, 'type', BLOCKED_TYPE);
    } else {
      for (const name of URLS[el.localName]) {
        const v = attr(el, name);
        if (v == null) continue;
        set(el, KEEP + name, v);
        unset(el, name);
        if (name === 'href') removeAttributeNS.call(el, XLINK, 'href'); // released as a plain href
      }
    }
    set(el, HELD, '');
    held.add(el);
  }
  /** Lets a held element load what it waited for. */
  function free(el) {
    held.delete(el);
    unset(el, HELD);
    const kind = el.localName;
    const parent = el.parentNode;
    const next = el.nextSibling;
    // Re-inserted, a script is prepared again, a link processed again.
    const again = parent && (kind === 'script' || kind === 'link');
    if (again) removeChild.call(parent, el);
    if (kind === 'script') {
      const type = getAttribute.call(el, `${KEEP}type`);
      unset(el, `${KEEP}type`);
      if (type) set(el, 'type', type);
      else unset(el, 'type');
      // One that waits for consent by its markup (type="text/plain") is not
      // marked done: re-inserted, it reaches the runtime's gates.
      if (runnable(type)) set(el, DONE, '');
      if (has(el, ORDER)) {
        unset(el, ORDER);
        if (htmlScript(el)) scriptAsync.set.call(el, false); // a page may have put the mark on any script
      }
    } else {
      set(el, DONE, '');
      // A frame held on its way from a srcdoc (guardNavigation) goes where it was sent.
      if (getAttribute.call(el, `${KEEP}srcdoc`) == null) unset(el, 'srcdoc');
      for (const name of URLS[kind]) {
        const v = getAttribute.call(el, KEEP + name);
        if (v == null) continue;
        unset(el, KEEP + name);
        try {
          set(el, name, v);
        } catch {
          // Refused by the page's Trusted Types (an <iframe>'s srcdoc, an <embed>'s src given as a
          // string): as the browser would have refused it when the page set it.
        }
      }
      if (kind === 'source' && parent && parent.load) parent.load(); // its media element chose a source already
    }
    if (again) insertBefore.call(parent, el, next);
  }

  /**
   * An attribute of `el` is being set; true when the guard keeps the value
   * aside (the element is, or now becomes, held).
   */
  function onAttr(el, name, value) {
    const kind = el.localName;
    if (!URLS[kind] || has(el, DONE)) return false;
    if (kind === 'script') {
      if (name === 'type') return onScriptType(el, value);
      if (
        name === scriptUrl(el) &&
        !has(el, HELD) &&
        runnable(getAttribute.call(el, 'type')) &&
        mustHoldAll([String(value)])[0] &&
        !passes(el)
      )
        hold(el); // held by its type: the URL is set as asked
      return false;
    }
    if (!URLS[kind].includes(name)) return false;
    if (!has(el, HELD)) {
      if (!mustHoldAll(urlsIn(kind, name, value)).includes(true) || passes(el)) return false;
      hold(el);
    }
    set(el, KEEP + name, String(value));
    return true;
  }
  /**
   * A script's type is set; true when the guard keeps the new type aside (the
   * script stays held). A script marked up to wait for consent (type="text/plain"
   * with data-category or data-cookieconsent) is no script the browser runs,
   * even when its src came first: it is let go, and the runtime's gates decide
   * about it. One made runnable with a src that must wait is held.
   */
  function onScriptType(el, value) {
    if (has(el, HELD)) {
      if (runnable(value)) {
        set(el, `${KEEP}type`, String(value));
        return true;
      }
      held.delete(el);
      unset(el, HELD);
      unset(el, `${KEEP}type`);
      return false;
    }
    const url = attr(el, scriptUrl(el));
    if (!runnable(value) || url == null || !mustHoldAll([url])[0] || passes(el)) return false;
    hold(el);
    set(el, `${KEEP}type`, String(value));
    return true;
  }

  /** Every loading element in these nodes; `deep`: inside templates and open shadow roots too. */
  function collect(nodes, deep, out = []) {
    for (const n of nodes) {
      if (!n || !n.nodeType) continue;
      if (n.nodeType === 1 && URLS[n.localName]) out.push(n);
      // A shadow host may have no children of its own: what it shows is in its shadow root.
      if (deep && n.nodeType === 1) collect([n.content, n.shadowRoot].filter(Boolean), deep, out);
      if (!n.firstElementChild) continue;
      // In an HTML document the selector's SVG names match HTML elements of any case too (<feimage>): not ours.
      for (const el of n.querySelectorAll(SELECTOR)) if (URLS[el.localName]) out.push(el);
      if (deep) for (const el of n.querySelectorAll('*')) collect([el.content, el.shadowRoot].filter(Boolean), deep, out);
    }
    return out;
  }
  /**
   * Nodes are about to reach a document (or to be imported into one): what
   * they would load is asked about in one engine call and held when it must
   * wait; what waited and is now allowed goes. Returns the loading elements,
   * with `changed` the number held or let go.
   */
  function check(nodes, deep) {
    const els = collect(nodes, deep);
    els.changed = 0;
    const todo = [];
    const urls = [];
    for (const el of els) {
      if (has(el, DONE)) continue;
      const list = sources(el, has(el, HELD));
      if (list.length) todo.push([el, urls.length, urls.push(...list)]);
    }
    if (!todo.length) return els;
    const answers = mustHoldAll(urls);
    for (const [el, from, to] of todo) {
      const must = answers.slice(from, to).includes(true);
      if (has(el, HELD) ? must : !must || passes(el)) {
        if (must && has(el, HELD)) held.add(el); // made from held markup: known from now on, for the next decision
        continue;
      }
      if (must) hold(el);
      else free(el);
      els.changed++;
    }
    return els;
  }
  /** Guards the window of each same-origin frame among these elements, before its own scripts run. */
  function guardFrames(els) {
    for (const el of els) if (el.localName === 'iframe' || el.localName === 'frame') guardRealm(sameOriginWindow(el));
  }
  // A frame's document is null, without an exception, when it is another
  // origin's; its window would throw on every touch (and Chromium logs each
  // such attempt to the console, which costs more than the whole check).
  const frameDocument = (ctor) => Object.getOwnPropertyDescriptor(win[ctor].prototype, 'contentDocument').get;
  const iframeDoc = frameDocument('HTMLIFrameElement');
  const frameDoc = frameDocument('HTMLFrameElement');
  const sameOriginWindow = (el) => {
    try {
      const d = (el.localName === 'frame' ? frameDoc : iframeDoc).call(el);
      return d && d.defaultView;
    } catch {
      return null; // not a frame after all
    }
  };

  // --- the patches, the same functions in every same-origin window -----------
  const patches = [];
  function method(ctor, key, wrap, isStatic) {
    const c = win[ctor];
    const target = c && (isStatic ? c : c.prototype);
    const f = target && target[key];
    if (typeof f === 'function')
      patches.push([ctor, key, { value: wrap(f), writable: true, enumerable: true, configurable: true }, isStatic]);
  }
  function setter(ctor, key, wrap) {
    const c = win[ctor];
    const d = c && Object.getOwnPropertyDescriptor(c.prototype, key);
    if (d && d.set) patches.push([ctor, key, { get: d.get, set: wrap(d.set, key), enumerable: true, configurable: true }]);
  }

  // URL properties, attribute methods, and an attribute node's own value.
  for (const line of [
    'HTMLScriptElement src type',
    'HTMLIFrameElement src srcdoc',
    'HTMLFrameElement src',
    'HTMLEmbedElement src',
    'HTMLObjectElement data',
    'HTMLImageElement src srcset',
    'HTMLLinkElement href imageSrcset',
    'HTMLSourceElement src srcset',
    'HTMLMediaElement src',
    'HTMLVideoElement poster',
    'HTMLTrackElement src',
    'HTMLInputElement src',
    'HTMLBodyElement background', // a table's has no property
  ]) {
    const [ctor, ...keys] = line.split(' ');
    for (const key of keys)
      setter(
        ctor,
        key,
        (s, name) =>
          function kelisimUrl(value) {
            if (!onAttr(this, name.toLowerCase(), value)) s.call(this, value);
          },
      );
  }
  const lower = (name) => String(name).toLowerCase().split(':').pop();
  const local = (ns, name) => (!ns || ns === XLINK ? String(name).split(':').pop() : '');
  const nameOf = (a) => local(a.namespaceURI, a.localName);
  method(
    'Element',
    'setAttribute',
    (f) =>
      function kelisimSetAttribute(name, value) {
        return onAttr(this, lower(name), value) ? undefined : f.call(this, name, value);
      },
  );
  method(
    'Element',
    'setAttributeNS',
    (f) =>
      function kelisimSetAttributeNS(ns, name, value) {
        return onAttr(this, local(ns, name), value) ? undefined : f.call(this, ns, name, value);
      },
  );
  const attach = (f, owner) =>
    function kelisimSetAttributeNode(a) {
      const el = owner(this);
      return el && a && a.nodeType === 2 && onAttr(el, nameOf(a), a.value) ? null : f.call(this, a);
    };
  // A NamedNodeMap, and an SVG element's href (an SVGAnimatedString whose
  // baseVal sets the attribute), do not say whose they are: the getter that
  // hands them out tells.
  const owners = new WeakMap();
  for (const [ctor, key] of [
    ['Element', 'attributes'],
    ['SVGImageElement', 'href'],
    ['SVGFEImageElement', 'href'],
  ]) {
    const c = win[ctor];
    const d = c && Object.getOwnPropertyDescriptor(c.prototype, key);
    if (d && d.get)
      patches.push([
        ctor,
        key,
        {
          get() {
            const value = d.get.call(this);
            owners.set(value, this);
            return value;
          },
          enumerable: true,
          configurable: true,
        },
      ]);
  }
  setter(
    'SVGAnimatedString',
    'baseVal',
    (s) =>
      function kelisimBaseVal(value) {
        const el = owners.get(this);
        if (!(el && onAttr(el, 'href', value))) s.call(this, value);
      },
  );
  for (const key of ['setAttributeNode', 'setAttributeNodeNS']) method('Element', key, (f) => attach(f, (el) => el));
  for (const key of ['setNamedItem', 'setNamedItemNS']) method('NamedNodeMap', key, (f) => attach(f, (map) => owners.get(map)));
  for (const [ctor, key] of [
    ['Attr', 'value'],
    ['Node', 'nodeValue'],
    ['Node', 'textContent'],
  ])
    setter(
      ctor,
      key,
      (s) =>
        function kelisimAttrValue(value) {
          if (!(this.nodeType === 2 && this.ownerElement && onAttr(this.ownerElement, nameOf(this), value))) s.call(this, value);
        },
    );

  // Insertions: what a call would connect is checked (and held) first; the
  // frames it connected get the guards in their windows at once.
  const insert = (f, first) =>
    function kelisimInsert(...args) {
      const els = check(
        first ? [args[0]] : args,
        args.some((n) => n && n.ownerDocument && n.ownerDocument !== (this.ownerDocument || this)),
      );
      const out = f.apply(this, args);
      guardFrames(els);
      return out;
    };
  for (const key of ['appendChild', 'insertBefore', 'replaceChild']) method('Node', key, (f) => insert(f, true));
  for (const [ctor, keys] of [
    ['Element', 'append prepend before after replaceWith replaceChildren insertAdjacentElement'],
    ['CharacterData', 'before after replaceWith'],
    ['DocumentType', 'before after replaceWith'],
    ['DocumentFragment', 'append prepend replaceChildren'],
    ['Document', 'append prepend replaceChildren'],
    ['Range', 'insertNode surroundContents'],
  ])
    for (const key of keys.split(' ')) method(ctor, key, (f) => insert(f, false));
  setter('Document', 'body', (s) => insert(s, true));
  // Another document's nodes taken in: checked deep, before an image among them starts loading.
  for (const key of ['importNode', 'adoptNode'])
    method(
      'Document',
      key,
      (f) =>
        function kelisimImport(node, ...rest) {
          check([node], true);
          return f.call(this, node, ...rest);
        },
    );

  // The elements a sink made from cleaned markup are new ones: its held ones are known from now on.
  const adopt = (node) => {
    for (const el of collect([node], true)) if (has(el, HELD)) held.add(el);
  };
  guardHtml({ win, method, setter, check, guardFrames, fromIgnored, adopt });

  // A same-origin frame navigated by script (contentWindow.location = url,
  // window.open(url, name)): where the browser lets the navigation be
  // cancelled (the Navigation API), one that must wait is held on the frame.
  function guardNavigation(w) {
    if (w === win || !w.navigation) return;
    w.navigation.addEventListener('navigate', (e) => {
      const f = w.frameElement;
      const url = e.destination.url;
      if (!f || e.userInitiated || !e.cancelable || !mustHoldAll([url])[0] || passes(f)) return;
      e.preventDefault();
      set(f, `${KEEP}src`, url);
      set(f, HELD, '');
      held.add(f);
    });
  }

  // A frame's window as page code reaches it (an about:blank frame's load
  // event runs inside the insertion, before the insertion guard is done).
  for (const ctor of ['HTMLIFrameElement', 'HTMLFrameElement'])
    for (const key of ['contentWindow', 'contentDocument']) {
      const d = Object.getOwnPropertyDescriptor(win[ctor].prototype, key);
      patches.push([
        ctor,
        key,
        {
          get() {
            const out = d.get.call(this);
            guardRealm(key === 'contentWindow' ? sameOriginWindow(this) : out && out.defaultView);
            return out;
          },
          enumerable: true,
          configurable: true,
        },
      ]);
    }

  // A shadow root a script attaches (closed ones too) is watched from then on (see watchShadow below).
  method(
    'Element',
    'attachShadow',
    (f) =>
      function kelisimAttachShadow(...args) {
        const root = f.apply(this, args);
        attached.set(this, root);
        watchRoot(root);
        return root;
      },
  );

  const mark = patches[0][2].set;
  /** Puts the guards into a window of this page (this one, or a same-origin frame's). */
  function guardRealm(w) {
    try {
      if (!w || Object.getOwnPropertyDescriptor(w.HTMLScriptElement.prototype, 'src').set === mark) return;
    } catch {
      return; // another origin's: its own business
    }
    for (const [ctor, key, d, isStatic] of patches) {
      const c = w[ctor];
      if (c) Object.defineProperty(isStatic ? c : c.prototype, key, d);
    }
    guardNavigation(w);
    realms.push(w);
    if (w !== win && onRealm) onRealm(w); // the cookie, storage and network guards of that realm
    // new Audio(url) sets its src inside the constructor.
    const NativeAudio = w.Audio;
    if (NativeAudio) {
      w.Audio = function Audio(src) {
        const a = new NativeAudio();
        if (src !== undefined) a.src = src;
        return a;
      };
      w.Audio.prototype = NativeAudio.prototype;
    }
  }
  const realms = [];
  guardRealm(win);

  // Tags in the page's own HTML: the parser inserts them without any setter,
  // so an observer holds them; its callbacks run before the parser executes a
  // script it has just inserted. `holdUnknown`: hold every third-party one
  // while the engine is not up (the site asked for auto-blocking).
  let holdUnknown = false;
  function holdParsed(els) {
    const { decider, failed } = state();
    // Without the engine's answer, what only fetches (images, stylesheets,
    // media) is left alone: the preload scanner has most likely asked for it
    // already, and holding it would only break the page's look.
    const todo = els.filter(
      (el) => !has(el, DONE) && !has(el, HELD) && !ignored(el) && (decider || FRAMES.test(el.localName) || el.localName === 'script'),
    );
    const inScope = askable();
    const urls = todo.map((el) => sources(el).map(absolute).filter(inScope));
    const ask = urls.flat();
    const answers = failed || decider ? mustHoldAll(ask) : ask.map(() => holdUnknown);
    let i = 0;
    todo.forEach((el, k) => {
      if (!answers.slice(i, (i += urls[k].length)).includes(true)) return;
      hold(el);
      if (el.localName !== 'iframe' && el.localName !== 'frame') return;
      // Removing src would not stop the navigation the parser started, nor
      // would a new one to about:blank once the browser commits the first
      // (another process runs a cross-site frame, its commit does not wait
      // for this page's parser): taken out of the document, the frame and its
      // navigation are gone, and put back it starts as about:blank.
      set(el, 'src', 'about:blank');
      const parent = el.parentNode;
      if (!parent) return;
      const next = el.nextSibling;
      removeChild.call(parent, el);
      insertBefore.call(parent, el, next);
    });
  }
  /** From now on, tags the parser inserts are held as the engine answers (`holdWhileUnknown`: also before it can). */
  function watchParser(holdWhileUnknown) {
    holdUnknown = holdWhileUnknown;
    parsing = true;
  }
  // One observer for everything kelisim looks at as nodes arrive (the
  // parser's tags, frames, the runtime's gated elements): the browser builds
  // records for every insertion once per subtree observer.
  let parsing = false;
  const watchers = [];
  const WATCH = { childList: true, subtree: true };
  // A shadow root the parser attached (a declarative one in the page's HTML,
  // <template shadowrootmode="open">) gets what the parser goes on to put in
  // it without a record for an observer of the document: from the batch that
  // brings its host (a script's end tag lets observers run first), it is
  // watched too, and what it holds already counts as added. A closed one is
  // out of any script's reach: a known gap (README).
  // A root a script attaches (Element.attachShadow, closed ones too) is
  // watched from then on, so that the runtime's gates find marked markup in
  // it as they do in the document.
  const shadowOf = Object.getOwnPropertyDescriptor(win.Element.prototype, 'shadowRoot').get;
  const attached = new WeakMap(); // host -> the root a script attached to it
  const rootOf = (el) => shadowOf.call(el) || attached.get(el);
  const watched = new WeakSet();
  // Every root watched, weakly: a root whose host is gone is not kept alive for this.
  const shadows = new Set();
  function watchRoot(root) {
    if (watched.has(root)) return false;
    watched.add(root);
    shadows.add(typeof win.WeakRef === 'function' ? new win.WeakRef(root) : { deref: () => root });
    observer.observe(root, WATCH);
    return true;
  }
  /** Watches `el`'s shadow root and those nested in it, once each; what they hold goes into `found`, each root into `added`. */
  function watchShadow(el, found, added) {
    const shadow = rootOf(el);
    if (!shadow || !watchRoot(shadow)) return;
    added.push(shadow);
    for (const x of collect([shadow], true)) found.add(x);
    for (const inner of shadow.querySelectorAll('*')) watchShadow(inner, found, added);
  }
  // The parser attaches a declarative root when it reaches the template, and
  // it may pause between a host's start tag and that template: the elements it
  // had open when a batch ended are looked at again with the next batch, and
  // once more when it has finished. What a root attached so late held before
  // that look (an unmarked script may have run) is a known gap (README).
  // The browser's own getters: a page script that redefines them cannot hide a host.
  const getter = (ctor, key) => Object.getOwnPropertyDescriptor(win[ctor].prototype, key).get;
  const lastOf = getter('Element', 'lastElementChild');
  const lastInRoot = getter('DocumentFragment', 'lastElementChild');
  const readyState = getter('Document', 'readyState');
  const rootElement = getter('Document', 'documentElement');
  let open = [];
  function stillOpen() {
    const out = [];
    const walk = (el) => {
      for (; el; el = lastOf.call(el)) {
        const shadow = rootOf(el);
        if (!shadow) out.push(el);
        else if (watched.has(shadow)) walk(lastInRoot.call(shadow));
      }
    };
    if (readyState.call(doc) === 'loading') walk(rootElement.call(doc));
    return out;
  }
  function batch(records) {
    const { roots, inner } = addedRoots(records);
    const found = new Set(collect(roots)); // an element may come both as an added node and inside an added parent
    for (const el of inner) if (URLS[el.localName] && (!BY_ATTRIBUTE.test(el.localName) || hasAttributes.call(el))) found.add(el);
    const added = [];
    for (const list of [roots, inner, open]) for (const el of list) watchShadow(el, found, added);
    open = stillOpen();
    for (const el of found) if (has(el, HELD)) held.add(el); // held markup the parser made
    if (found.size) {
      if (parsing) holdParsed([...found]);
      guardFrames(found);
    }
    for (const fn of watchers) fn(added.length ? roots.concat(added) : roots);
  }
  const observer = new win.MutationObserver(batch);
  observer.observe(doc.documentElement, WATCH);
  doc.addEventListener('readystatechange', () => open.length && batch(observer.takeRecords()));
  // A same-origin document that replaced a frame's first one has a window of its own.
  doc.addEventListener('load', (e) => e.target.localName === 'iframe' && guardFrames([e.target]), true);

  /**
   * What is held now: its URLs, and `release(answers)` that lets through
   * those the engine allowed (answers in the same order; asked when omitted).
   */
  function heldNow() {
    forget(); // a decision follows: earlier answers no longer hold
    // Every held element is in `held`: held here, or made from held markup
    // and seen by a check, by the page's observer, or after an HTML sink
    // (guard-html.js). Held markup a frame's parser made (its document.write)
    // is looked for in the guarded documents by the browser's own selector
    // matching: a walk of every element, into templates and shadow roots,
    // took 25 ms a decision on a page of 20,000 elements.
    const found = realms.flatMap((w) => {
      try {
        return [...w.document.querySelectorAll(`[${HELD}]`)];
      } catch {
        return []; // navigated to another origin since
      }
    });
    // In document order within each tree (a document, a shadow root, a
    // fragment): released scripts join the browser's ordered list in the
    // order the markup meant. Nodes of different trees have no order that
    // holds from one sort step to the next, so trees are never compared.
    const trees = new Map();
    for (const el of new Set([...held, ...found])) {
      if (!has(el, HELD)) continue;
      const root = getRootNode.call(el);
      if (!trees.has(root)) trees.set(root, []);
      trees.get(root).push(el);
    }
    const els = [...trees.values()].flatMap((list) => list.sort((a, b) => (position.call(a, b) & 4 ? -1 : 1)));
    const inScope = askable();
    const lists = els.map((el) => sources(el, true).map(absolute).filter(inScope));
    const urls = lists.flat();
    return {
      urls,
      release(answers) {
        const { decider } = state();
        if (!decider || !els.length) return;
        const ok = answers || (urls.length ? decider.urls(urls) : []);
        let i = 0;
        els.forEach((el, k) => {
          if (!ok.slice(i, (i += lists[k].length)).includes(false)) free(el);
        });
      },
    };
  }

  return {
    watchParser,
    /**
     * `fn(roots)` with each batch of insertions the page's observer sees: the
     * added subtrees' highest nodes (every added element is in one), and the
     * shadow roots first seen in it (what the parser put there came with no record).
     */
    onAdded: (fn) => watchers.push(fn),
    /** The shadow roots the observer watches (open ones the parser made, any a script attached) whose host is in a document now. */
    shadowRoots() {
      const out = [];
      for (const ref of shadows) {
        const root = ref.deref();
        if (!root) shadows.delete(ref);
        else if (root.host.isConnected) out.push(root);
      }
      return out;
    },
    held: heldNow,
    /** Releases what is now allowed; called when the engine answers. */
    release() {
      if (state().decider) heldNow().release();
    },
  };
}
