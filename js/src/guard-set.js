// Every guard kelisim installs when it starts, as one object for the runtime:
// the element guard (guards.js), the jar guard (cookies and storage) and the
// network guard. `installInRealm(win)` guards another same-origin realm (a
// frame's window) with the same engine.
import { installGuards } from './guards.js';
import { installJarGuard } from './guard-jar.js';
import { installNetworkGuard } from './guard-network.js';

export function installAllGuards(win) {
  // A frame the element guard reaches is guarded for cookies, storage and requests too.
  let inRealm = null;
  const elements = installGuards(win, (w) => inRealm && inRealm(w));
  const jar = installJarGuard(win);
  const network = installNetworkGuard(win);
  inRealm = installInRealm;
  function installInRealm(w) {
    let same = false;
    try {
      same = Boolean(w && w.document); // reading a cross-origin frame's document throws: it shares no jar with the page
    } catch {
      same = false;
    }
    if (!same) return;
    jar.realm(w);
    network.realm(w);
  }
  watchFrames(win, installInRealm);
  return {
    ...elements,
    installInRealm,
    setCookie: jar.setCookie,
    held() {
      network.forget();
      return elements.held();
    },
    release() {
      network.forget();
      elements.release();
    },
    ready(d) {
      jar.ready(d);
      network.ready(d);
      elements.ready(d);
    },
    fail() {
      elements.fail();
      jar.fail();
      network.fail();
    },
  };
}

/**
 * Same-origin frames (about:blank, srcdoc, the site's own pages) have their
 * own fetch, Storage and Document: each is guarded as soon as a script can
 * reach it (contentWindow, contentDocument) and once inserted, before a srcdoc
 * or same-origin document replaces the initial one in the same window.
 */
function watchFrames(win, install) {
  const proto = win.HTMLIFrameElement.prototype;
  for (const key of ['contentWindow', 'contentDocument']) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    Object.defineProperty(proto, key, {
      configurable: true,
      enumerable: d.enumerable,
      get() {
        const v = d.get.call(this);
        if (v) install(key === 'contentWindow' ? v : v.defaultView);
        return v;
      },
    });
  }
  const framesIn = (n) => (n.localName === 'iframe' ? [n] : n.firstElementChild ? n.querySelectorAll('iframe') : []);
  new win.MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) for (const f of framesIn(n)) void f.contentWindow;
  }).observe(win.document, { childList: true, subtree: true });
  win.document.addEventListener('load', (e) => e.target.localName === 'iframe' && void e.target.contentWindow, true);
}
