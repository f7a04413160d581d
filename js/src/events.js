// kelisim's public events: `kelisim.on(name, fn)` listeners and the same
// event on window as `kelisim:<name>` (detail: what the listener gets).
import { KelisimError } from './errors.js';

export const EVENTS = ['ready', 'consent', 'change', 'error'];

/** Throws the error an unknown event name gets. */
export function checkEvent(name) {
  if (!EVENTS.includes(name)) throw new KelisimError('invalid-argument', `kelisim: unknown event "${name}" (${EVENTS.join(', ')})`);
}

/** `state()`: what a `ready` listener added after the fact is called with. */
export function createEvents(win, state) {
  const listeners = Object.fromEntries(EVENTS.map((name) => [name, new Set()]));
  let ready = false;
  return {
    emit(name, detail) {
      if (name === 'ready') ready = true;
      for (const fn of listeners[name]) {
        try {
          fn(detail);
        } catch (err) {
          // A listener's error is its own: reported as uncaught, the others still run.
          win.setTimeout(() => {
            throw err;
          });
        }
      }
      win.dispatchEvent(new win.CustomEvent(`kelisim:${name}`, { detail }));
    },
    on(name, fn) {
      checkEvent(name);
      listeners[name].add(fn);
      if (name === 'ready' && ready) win.queueMicrotask(() => fn(state()));
      return () => listeners[name].delete(fn);
    },
  };
}
