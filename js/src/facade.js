// window.kelisim exists as soon as kelisim.js has run. When the engine could
// start synchronously it is the running instance at once; on a first page
// view it answers "nothing decided, nothing allowed" until the engine is up,
// keeps the listeners it is given, and then forwards everything to it.
import { KelisimError } from './errors.js';
import { checkEvent } from './events.js';

const METHODS = ['acceptAll', 'rejectAll', 'accept', 'allowService', 'showBanner', 'showPreferences', 'hide', 'reset', 'setLanguage'];

export function createFacade() {
  let impl = null;
  const early = []; // [name, fn, { off }] registered before the engine was up
  const undecided = () => ({ decided: false, categories: [], services: [], revision: 0, id: '', created: '', updated: '', method: null });
  const instance = {
    get language() {
      return impl ? impl.language : '';
    },
    isAllowed: (name) => (impl ? impl.isAllowed(name) : false),
    state: () => (impl ? impl.state() : undecided()),
    on(name, fn) {
      if (impl) return impl.on(name, fn);
      checkEvent(name);
      const entry = [name, fn, { off: null }];
      early.push(entry);
      return () => {
        const i = early.indexOf(entry);
        if (i >= 0) early.splice(i, 1);
        if (entry[2].off) entry[2].off();
      };
    },
  };
  for (const name of METHODS) {
    instance[name] = (...args) => {
      if (!impl) throw new KelisimError('not-ready', `kelisim: ${name}() works once kelisimReady has resolved`);
      return impl[name](...args);
    };
  }
  return {
    instance,
    /** From now on the running instance answers. */
    become(real) {
      impl = real;
      for (const entry of early) entry[2].off = real.on(entry[0], entry[1]);
    },
  };
}
