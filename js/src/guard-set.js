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
