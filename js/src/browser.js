// The npm package's browser entry: `import { init } from 'kelisim'`.
import { boot, pushConsentDefault } from './boot.js';

export { KelisimError } from './engine.js';

/**
 * Starts kelisim on this page. `config` is an object, JSON text, or the URL of
 * a JSON file. The `.wasm` is found next to this module unless `wasmUrl` says otherwise.
 */
export function init(config, options = {}) {
  pushConsentDefault(window, typeof config === 'object' ? config : undefined);
  const wasmUrl = options.wasmUrl || new URL('./kelisim.wasm', import.meta.url);
  const ready = boot(window, config, options, wasmUrl);
  window.kelisimReady = ready;
  ready.then((instance) => {
    window.kelisim = instance;
  }, () => {});
  return ready;
}
