// Installed synchronously when kelisim starts, before any other script can
// insert anything: what other scripts add that would load a third party
// (guard-elements.js, guard-html.js), and writes to document.cookie, are held
// until the engine has answered (fail closed), then released or dropped by
// the engine's verdict. The guards only carry out answers; `decider` (the
// engine) gives them.
import { guardElements } from './guard-elements.js';

export { DONE } from './guard-elements.js';

export function installGuards(win) {
  const doc = win.document;
  const proto = (ctor, key) => Object.getOwnPropertyDescriptor(ctor.prototype, key);
  const cookieDesc = proto(win.Document, 'cookie');

  /** null until the engine answers: then { autoBlock, cookieGuard, urls(list) -> bool[], cookies(list) -> bool[], debug } */
  let decider = null;
  let failed = false;
  let heldCookies = [];
  const reported = new Set();
  const elements = guardElements(win, () => ({ decider, failed }));

  // document.cookie writes: held until ready, then dropped when the cookie
  // belongs to a service that is not allowed.
  const cookieName = (s) => {
    const first = String(s).split(';', 1)[0];
    const eq = first.indexOf('=');
    return eq < 0 ? '' : first.slice(0, eq).trim();
  };
  Object.defineProperty(doc, 'cookie', {
    configurable: true,
    enumerable: true,
    get() {
      return cookieDesc.get.call(doc);
    },
    set(value) {
      const s = String(value);
      if (failed) return cookieDesc.set.call(doc, s);
      if (!decider) {
        heldCookies.push(s);
        return undefined;
      }
      if (!decider.cookieGuard) return cookieDesc.set.call(doc, s);
      // The engine reads the write as the browser will (name, deletion or not).
      if (decider.cookieWrites([s])[0]) return cookieDesc.set.call(doc, s);
      const name = cookieName(s);
      if (decider.debug && !reported.has(name)) {
        reported.add(name);
        win.console.info(`kelisim: dropped the cookie "${name}": its service is not allowed`);
      }
      return undefined;
    },
  });

  return {
    watchParser: elements.watchParser,
    held: elements.held,
    /** The engine answers from now on. */
    ready(d) {
      decider = d;
      const pending = heldCookies;
      heldCookies = [];
      for (const s of pending) doc.cookie = s; // through the guard, now decided
      elements.release();
    },
    release: elements.release,
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
