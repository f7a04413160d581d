// Installed synchronously when kelisim starts, before any other script can
// insert anything: what other scripts add that would load a third party
// (guard-elements.js, guard-html.js) is held until the engine has answered
// (fail closed), then released or dropped by the engine's verdict. The
// guards only carry out answers; `decider` (the engine) gives them. Cookies
// and storage: guard-jar.js; requests that scripts make themselves:
// guard-network.js; all of them together: guard-set.js.
import { guardElements } from './guard-elements.js';

export { DONE } from './guard-elements.js';

/** `onRealm(win)`: called with each same-origin frame's window the element guard reaches, as it guards it. */
export function installGuards(win, onRealm) {
  /** null until the engine answers: then { urlScope, urls(list) -> bool[], debug } */
  let decider = null;
  let failed = false;
  const elements = guardElements(win, () => ({ decider, failed }), onRealm);

  return {
    watchParser: elements.watchParser,
    onAdded: elements.onAdded,
    shadowRoots: elements.shadowRoots,
    held: elements.held,
    /** The engine answers from now on. */
    ready(d) {
      decider = d;
      elements.release();
    },
    release: elements.release,
    /** The engine will never answer: third-party scripts and frames stay held. */
    fail() {
      failed = true;
    },
  };
}
