// Loads the WebAssembly engine: asynchronously from a URL or bytes, or
// synchronously from a module compiled already. The engine itself (its
// entry points over JSON text) is engine.js.
import createKelisimCore from 'kelisim-core';
import { KelisimError } from './errors.js';
import { compileWasm } from './wasm-fetch.js';
import { entryPoints } from './entry-points.js';

let cached = null;
let cachedKey = null;

/**
 * Loads the engine once per page (or per wasm source in Node).
 * `source` is `{ url }` (fetched, streaming compile), `{ url, module }` (compiled
 * already) or `{ bytes }` (Node).
 */
export function loadCore(source) {
  const key = source.bytes ? 'bytes' : String(source.url);
  if (!cached || cachedKey !== key) {
    cachedKey = key;
    cached = instantiateCore(source).catch((err) => {
      cached = null; // a later init may try again (e.g. after the network returns)
      throw err;
    });
  }
  return cached;
}

function instantiateCore(source) {
  const where = source.bytes ? 'the given bytes' : String(source.url);
  return new Promise((resolve, reject) => {
    const fail = (cause) =>
      reject(
        new KelisimError(
          'wasm-load',
          `kelisim: cannot load its engine (kelisim.wasm) from ${where}: ${cause && cause.message ? cause.message : cause}`,
        ),
      );
    createKelisimCore({
      instantiateWasm(imports, receive) {
        compile(source, imports).then((r) => receive(r.instance, r.module), fail);
        return {};
      },
      // Given so the glue never derives a URL from import.meta (absent in CommonJS).
      locateFile: (file) => file,
      onAbort: fail,
      print() {},
      printErr() {},
    }).then((module) => {
      const core = entryPoints(module);
      if (core) resolve(core);
      else fail(new Error('no entry points (not this build of kelisim.wasm)'));
    }, fail);
  });
}

/**
 * The engine from a module compiled already, instantiated synchronously: the
 * glue finishes its start-up within this call when the instance is handed
 * over at once. Throws when it could not.
 */
export function instantiateCoreSync(module) {
  let failure = null;
  const core = {
    instantiateWasm(imports, receive) {
      try {
        receive(new WebAssembly.Instance(module, imports), module);
      } catch (err) {
        failure = err;
      }
      return {};
    },
    locateFile: (file) => file,
    onAbort: (what) => {
      failure = failure || new Error(String(what));
    },
    print() {},
    printErr() {},
  };
  createKelisimCore(core).catch(() => {}); // settles only after this call; the result is read from `core`
  const entries = failure ? null : entryPoints(core);
  if (!entries) {
    throw new KelisimError(
      'wasm-load',
      `kelisim: cannot start its engine: ${failure && failure.message ? failure.message : 'no entry points'}`,
    );
  }
  return entries;
}

async function compile(source, imports) {
  if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
  if (source.bytes) return WebAssembly.instantiate(source.bytes, imports);
  // `module`: compiled by the script-tag loader while the rest of kelisim was downloading.
  const module = await (source.module || compileWasm(source.url));
  return { instance: await WebAssembly.instantiate(module, imports), module };
}
