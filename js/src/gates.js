// Gated elements (SPEC §2 markup): collected as the parser or other scripts
// add them, asked about in one engine call per batch, and activated when the
// engine allows them — scripts strictly in document order — or given a
// placeholder (media) until then. The engine decides; this only moves
// elements.
import { DONE } from './guards.js';
import { trustedScript, trustedScriptURL } from './trusted-types.js';

export const GATED = [
  'script[type="text/plain"][data-category]',
  'script[type="text/plain"][data-service]',
  'script[type="text/plain"][data-cookieconsent]',
  '[data-src][data-category]',
  '[data-src][data-service]',
  '[data-src][data-cookieconsent]',
  '[data-cookieblock-src][data-cookieconsent]', // Cookiebot's iframe markup, unchanged
].join(',');
const MEDIA = new Set(['iframe', 'img', 'video', 'audio', 'embed', 'object', 'source', 'picture']);

export function gateOf(el) {
  return {
    category: el.getAttribute('data-category') || '',
    service: el.getAttribute('data-service') || '',
    cookieconsent: el.getAttribute('data-cookieconsent') || '',
  };
}

/** Whether a gated script with a source runs in document order (not async, not a module). */
const ordered = (el) => !el.hasAttribute('async') && el.getAttribute('data-type') !== 'module';

/** Replaces a gated script with a live copy; resolves once it ran (or failed) when later scripts must wait for it. */
function activateScript(doc, old) {
  const s = doc.createElement('script');
  for (const a of Array.from(old.attributes)) {
    if (a.name !== 'type' && a.name !== 'data-type' && a.name !== 'data-src' && a.name !== 'src') s.setAttribute(a.name, a.value);
  }
  s.setAttribute(DONE, ''); // before src: the auto-block guard lets kelisim's own activations through
  const type = old.getAttribute('data-type');
  if (type) s.setAttribute('type', type);
  if (old.nonce) s.nonce = old.nonce; // the attribute reads empty after parsing; the property keeps it
  const src = old.getAttribute('data-src') || old.getAttribute('src');
  let done = Promise.resolve();
  if (src) {
    if (ordered(old)) {
      // Not async: the browser runs it after the ordered scripts inserted
      // before it (all downloading at once), as it would have run them in
      // the markup; inline scripts behind it wait for its load event.
      // Written as a plain <script src>, the browser would have fetched it
      // first (parser-blocking, high priority); inserted by script it would
      // queue behind the page's images. It keeps the priority its markup meant.
      s.async = false;
      if (!old.hasAttribute('defer') && !old.hasAttribute('fetchpriority')) s.fetchPriority = 'high';
      done = new Promise((resolve) => {
        s.addEventListener('load', resolve, { once: true });
        s.addEventListener('error', resolve, { once: true });
      });
    }
    s.src = trustedScriptURL(doc.defaultView, src);
  } else {
    s.textContent = trustedScript(doc.defaultView, old.textContent);
  }
  old.replaceWith(s);
  return done;
}

function activateMedia(el) {
  const src = el.getAttribute('data-src') || el.getAttribute('data-cookieblock-src');
  el.setAttribute(DONE, '');
  el.removeAttribute('data-src');
  el.removeAttribute('data-cookieblock-src');
  const srcset = el.getAttribute('data-srcset');
  if (srcset) el.setAttribute('srcset', srcset);
  // An <embed>'s src and an <object>'s data load plugins: script URLs to Trusted Types.
  const sink = el.localName === 'object' || el.localName === 'embed';
  el.setAttribute(el.localName === 'object' ? 'data' : 'src', sink ? trustedScriptURL(el.ownerDocument.defaultView, src) : src);
  if (el.localName === 'video' || el.localName === 'audio') el.load();
}

/** Whether the parser has finished this element (something follows it, or parsing is over). */
function complete(doc, el) {
  if (doc.readyState !== 'loading') return true;
  // Out of a shadow root through its host: the parser finishes the host's shadow tree before what follows the host.
  for (let n = el; n && n !== doc.documentElement; n = n.parentNode || n.host) if (n.nextSibling) return true;
  return false;
}

/** `el`, then the host of its shadow root, that host's host, … up to a node of the document's own tree. */
function hostChain(el) {
  const chain = [el];
  for (let root = el.getRootNode(); root.host; root = root.host.getRootNode()) chain.unshift(root.host);
  return chain;
}
/**
 * Document order, a shadow root's content taken as standing where its host
 * is (before the host's own children): nodes of two trees are compared
 * through the hosts that bring them into one.
 */
function byDocumentOrder(a, b) {
  if (a.getRootNode() === b.getRootNode()) return a.compareDocumentPosition(b) & 4 ? -1 : 1; // 4: b follows a
  const pa = hostChain(a);
  const pb = hostChain(b);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  if (i === pa.length) return -1; // a is a host b's tree hangs from
  if (i === pb.length) return 1;
  return pa[i].compareDocumentPosition(pb[i]) & 4 ? -1 : 1;
}

/**
 * Asks for scripts the parser will run (`list`: { src, crossorigin,
 * integrity }) now, as the preload scanner would have for plain tags: a
 * <link rel=preload> each, with the tag's nonce.
 */
export function preloadScripts(doc, list, nonce) {
  const head = doc.head || doc.documentElement;
  for (const { src, crossorigin, integrity } of list) {
    if (!/^https?:/.test(src)) continue;
    // Marked as kelisim's own, as an activated gated script is: a gate the
    // engine allowed lets its URL through, whatever its host (a page that
    // writes this list could as well write that gated markup).
    const link = doc.createElement('link');
    link.setAttribute(DONE, '');
    link.rel = 'preload';
    link.as = 'script';
    if (typeof crossorigin === 'string') link.setAttribute('crossorigin', crossorigin);
    if (integrity) link.integrity = integrity;
    if (nonce) link.nonce = nonce;
    link.fetchPriority = 'high'; // as a plain script's: a preload inserted by script would wait behind the page's images
    link.href = src;
    head.appendChild(link);
  }
}

/** What is kept of an allowed gated script that runs, for the next view of the page. */
const scriptInfo = (doc, el, src) => ({
  src: new URL(src, doc.baseURI).href,
  gate: gateOf(el),
  crossorigin: el.getAttribute('crossorigin'),
  integrity: el.getAttribute('integrity') || '',
});

/**
 * `ask(gates)`: the engine's answers (bool[]) for these gates, in one call.
 * `placeholders`: { place(el, info), remove(el) } (the UI). `allow(gate)`:
 * "always allow" on a placeholder. `nonce`: kelisim's tag's. `ran(info)`:
 * an allowed gated script with a source runs (scriptInfo). `shadowRoots()`:
 * the shadow roots the guards watch, searched as the document is.
 */
export function createGates({ win, doc, ask, placeholders, allow, nonce = '', ran: onRun = () => {}, shadowRoots }) {
  const pending = new Set();
  // Allowed gated scripts the parser is about to run (made runnable in
  // place), until it has passed them; and which of them ran.
  const inPlace = new Set();
  const ran = new WeakSet();
  // Scripts the engine did not allow when the parser inserted them: not
  // asked again once the parser has passed them, unless a decision came since.
  let denied = new WeakSet();
  const placed = new WeakSet();
  let activation = Promise.resolve(); // settles once every script activated so far has run
  let busy = 0; // steps on that chain not yet settled
  let queued = 0; // elements on that chain not yet activated
  /** `step` after everything activated before it (a script that later ones wait for: once it ran). */
  function chain(step) {
    busy++;
    const done = () => busy--;
    activation = activation.then(step).then(done, done);
  }
  let scheduled = false;

  /** The gated elements in `node` (an element, or a shadow root) join the waiting list. */
  function collect(node) {
    if (node.nodeType !== 1 && node.nodeType !== 11) return;
    if (node.nodeType === 1 && node.matches(GATED) && !node.hasAttribute(DONE)) pending.add(node);
    for (const el of node.querySelectorAll(GATED)) if (!el.hasAttribute(DONE)) pending.add(el);
  }
  /** The whole page: the document and the shadow roots the guards watch in it. */
  function collectAll() {
    collect(doc.documentElement);
    for (const root of shadowRoots()) collect(root);
  }

  /** The waiting elements the parser has finished, in document order, taken off the waiting list. */
  function takeReady() {
    const els = [...pending].filter((el) => el.isConnected && !el.hasAttribute(DONE) && complete(doc, el)).sort(byDocumentOrder);
    for (const el of els) pending.delete(el);
    return els;
  }

  function activateOne(el) {
    placeholders.remove(el);
    if (el.localName === 'script') {
      const src = el.getAttribute('data-src') || el.getAttribute('src');
      if (src && el.getAttribute('data-type') !== 'module') onRun(scriptInfo(doc, el, src)); // a module is no `as=script` preload
      const done = activateScript(doc, el);
      chain(() => done);
      return done;
    }
    activateMedia(el);
    return Promise.resolve();
  }

  /**
   * A gated script with a source, neither async, deferred nor a module, that
   * the parser has just inserted (a script's end tag lets observers run
   * before the parser prepares it), allowed now: made runnable where it
   * stands, the parser fetches and runs it as it would have the markup
   * without the gate, blocking the parsing behind it, rather than running a
   * copy once the page's parsing, layout and paint leave the main thread
   * free. Only while nothing activated before it is still to run (it would
   * overtake it); behind a nonce on kelisim's tag only scripts with a nonce
   * (under 'strict-dynamic' a parser's script without one is refused, a
   * copy kelisim inserts is not).
   */
  function runInPlace() {
    if (inPlace.size) checkInPlace(); // one the parser passed without running it goes first
    if (doc.readyState !== 'loading' || busy || queued) return;
    const els = [...pending].filter(
      (el) =>
        el.localName === 'script' &&
        (el.getAttribute('data-src') || el.getAttribute('src')) &&
        ordered(el) &&
        !el.hasAttribute('defer') &&
        (!nonce || el.nonce) &&
        el.isConnected &&
        !el.hasAttribute(DONE) &&
        !complete(doc, el),
    );
    if (!els.length) return;
    const open = ask(els.map(gateOf));
    els.forEach((el, i) => {
      if (!open[i]) {
        denied.add(el);
        return;
      }
      const src = el.getAttribute('data-src');
      el.setAttribute(DONE, ''); // before src: the auto-block guard lets kelisim's own activations through
      try {
        if (src) el.setAttribute('src', trustedScriptURL(win, src));
      } catch {
        // Trusted Types enforced without kelisim's policy: left as it is, to the copy.
        el.removeAttribute(DONE);
        return;
      }
      pending.delete(el);
      inPlace.add(el);
      const seen = () => ran.add(el);
      el.addEventListener('load', seen, { once: true });
      el.addEventListener('error', seen, { once: true });
      onRun(scriptInfo(doc, el, src || el.getAttribute('src')));
      const type = el.getAttribute('data-type');
      if (type) el.setAttribute('type', type);
      else el.removeAttribute('type');
    });
  }
  /**
   * Those the parser has passed: a parser's script that blocks it has run (or
   * failed) by then. One that did not was past preparing already (written by
   * document.write, inserted by a script): a copy runs, in order.
   */
  function checkInPlace() {
    for (const el of inPlace) {
      if (!complete(doc, el)) continue;
      inPlace.delete(el);
      if (ran.has(el) || !el.isConnected) continue;
      queued++;
      chain(() => {
        queued--;
        return el.isConnected ? activateOne(el) : undefined;
      });
    }
  }

  /** One engine call for every element waiting; scripts run strictly in document order. */
  function processPending() {
    scheduled = false;
    if (inPlace.size) checkInPlace();
    const els = takeReady();
    if (!els.length) return activation;
    const toAsk = els.filter((el) => !denied.has(el));
    const answers = toAsk.length ? ask(toAsk.map(gateOf)) : [];
    return applyGates(
      els,
      els.map((el) => !denied.has(el) && answers[toAsk.indexOf(el)]),
    );
  }
  function applyGates(els, open) {
    els.forEach((el, i) => {
      if (open[i]) {
        // With nothing ahead of it, a script's download starts at once: it
        // cannot run before the current task ends (inline code waits a
        // microtask, as everything behind another script does).
        // An ordered one starts at once behind other ordered ones still
        // loading: the browser keeps their order.
        const live = () => el.isConnected && !el.hasAttribute(DONE);
        const src = el.localName === 'script' && (el.getAttribute('data-src') || el.getAttribute('src'));
        if (src && (!busy || (!queued && ordered(el)))) {
          if (live()) activateOne(el);
        } else {
          queued++;
          chain(() => {
            queued--;
            return live() ? activateOne(el) : undefined;
          });
        }
      } else if (MEDIA.has(el.localName) && !placed.has(el)) {
        placed.add(el);
        placeholders.place(el, {
          gate: gateOf(el),
          onLoadOnce: () => activateOne(el),
          // The engine keeps the current decision and adds what this element needs.
          onAllow: () => allow(gateOf(el)),
        });
      }
    });
    return activation;
  }
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    win.queueMicrotask(processPending);
  }
  function rescan() {
    collectAll();
    return processPending();
  }

  /** A decision came: what was denied earlier is asked again. */
  const anew =
    (fn) =>
    (...args) => {
      denied = new WeakSet();
      return fn(...args);
    };
  return {
    collect,
    collectAll,
    takeReady: anew(takeReady),
    /** Applies answers already at hand (the start's, a decision's) to these elements. */
    apply: anew(applyGates),
    /** Asks about what waits, after the current task; an allowed script the parser is about to run, now. */
    schedule() {
      if (pending.size) runInPlace();
      if (pending.size || inPlace.size) schedule();
    },
    /** Asks about what waits now; resolves once the scripts it activates have run. */
    settle: processPending,
    rescan: anew(rescan),
  };
}
