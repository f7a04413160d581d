// The npm package's browser entry: `import { init } from 'kelisim'`.
import { boot } from './boot.js';
import { installAllGuards } from './guard-set.js';
import { pushFallbackDefault } from './consent-default.js';
export { KelisimError } from './engine.js';

/**
 * Starts kelisim on this page. `config` is an object, JSON text, or the URL of
 * a JSON file. The `.wasm` is found next to this module unless `wasmUrl` says otherwise.
 */
export function init(config, options = {}) {
  if (window.kelisimReady) return window.kelisimReady; // one kelisim per page
  pushFallbackDefault(window);
  const guards = installAllGuards(window);
  const wasmUrl = options.wasmUrl || new URL('./kelisim.wasm', import.meta.url);
  // The built-in texts beside the .wasm; written out one by one so that a
  // bundler (Vite) sees each file and emits it, as it does the .wasm.
  const texts = options.wasmUrl
    ? null
    : {
        kk: new URL('./kelisim-texts-kk.json', import.meta.url),
        ru: new URL('./kelisim-texts-ru.json', import.meta.url),
        en: new URL('./kelisim-texts-en.json', import.meta.url),
      };
  const ready = boot(window, config, { ...options, textsUrl: texts && ((lang) => texts[lang]) }, { url: wasmUrl }, guards);
  window.kelisimReady = ready;
  ready.then(
    (instance) => {
      window.kelisim = instance;
    },
    () => {},
  );
  return ready;
}
