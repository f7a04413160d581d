// The Node entry: `init(config, { ui: false, cookie: 'kelisim=…' })` answers
// isAllowed()/state() for a request's Cookie header (server-side rendering).
import { readFileSync } from 'node:fs';
import { loadCore } from './core-loader.js';
import { Engine, KelisimError, configText } from './engine.js';

export { KelisimError };

function wasmBytes(options) {
  if (options.wasmBinary) return options.wasmBinary;
  // Both module formats ship beside kelisim.wasm.
  // import.meta.url first: `node -e` defines a global __dirname even for ES modules.
  const file = import.meta.url ? new URL('./kelisim.wasm', import.meta.url) : `${__dirname}/kelisim.wasm`;
  return readFileSync(file);
}

/** An engine for Node callers (also used by kelisim/testing). */
export async function loadEngine(config, options = {}) {
  let bytes;
  try {
    bytes = wasmBytes(options);
  } catch (err) {
    throw new KelisimError('wasm-load', `kelisim: cannot load its engine (kelisim.wasm): ${err.message}`);
  }
  const [core, text] = await Promise.all([loadCore({ bytes }), configText(config, options.baseUrl)]);
  const engine = new Engine(core, text);
  engine.start({ cookieHeader: '', now: Date.now() }); // throws the engine's own error for an invalid configuration
  return engine;
}

/** A read-only instance without a DOM, for one Cookie header. */
export async function init(config, options = {}) {
  const engine = await loadEngine(config, options);
  const cookieHeader = String(options.cookie || '');
  const request = (extra) => ({ cookieHeader, now: Date.now(), ...extra });
  const start = engine.start(request({ language: options.language }));
  const unsupported = (what) => () => {
    throw new KelisimError('unsupported', `kelisim: ${what}() needs a browser; in Node the instance only reads a decision`);
  };
  return {
    language: start.language,
    isAllowed: (name) => Object.prototype.hasOwnProperty.call(start.allowed, String(name)) && start.allowed[String(name)] === true,
    state: () => JSON.parse(JSON.stringify(start.state)),
    acceptAll: unsupported('acceptAll'),
    rejectAll: unsupported('rejectAll'),
    accept: unsupported('accept'),
    allowService: unsupported('allowService'),
    showBanner: unsupported('showBanner'),
    showPreferences: unsupported('showPreferences'),
    hide: unsupported('hide'),
    reset: unsupported('reset'),
    on: () => () => {},
    setLanguage: unsupported('setLanguage'),
  };
}
