// Loads the WebAssembly engine: asynchronously from a URL or bytes, or
// synchronously from a module compiled already. The engine itself (its
// entry points over JSON text) is engine.js.
import abi from 'kelisim-core';
import { KelisimError } from './errors.js';
import { compileWasm } from './wasm-fetch.js';
import { entryPoints, instantiate, instantiateSync } from './entry-points.js';

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

async function instantiateCore(source) {
  try {
    if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
    // `module`: compiled by the script-tag loader while the rest of kelisim was downloading.
    // A compiled module is instantiated in the same task: an asynchronous
    // instantiation would wait behind the parser and the page's first layout.
    const instance = source.bytes
      ? await instantiate(source.bytes, abi)
      : instantiateSync(await (source.module || compileWasm(source.url)), abi);
    const core = entryPoints(instance, abi);
    if (!core) throw new Error('no entry points (not this build of kelisim.wasm)');
    return core;
  } catch (cause) {
    const where = source.bytes ? 'the given bytes' : String(source.url);
    throw new KelisimError(
      'wasm-load',
      `kelisim: cannot load its engine (kelisim.wasm) from ${where}: ${cause && cause.message ? cause.message : cause}`,
    );
  }
}

/** The engine from a module compiled already, instantiated synchronously. Throws when it could not. */
export function instantiateCoreSync(module) {
  let entries = null;
  let failure = null;
  try {
    entries = entryPoints(instantiateSync(module, abi), abi);
  } catch (err) {
    failure = err;
  }
  if (!entries) {
    throw new KelisimError(
      'wasm-load',
      `kelisim: cannot start its engine: ${failure && failure.message ? failure.message : 'no entry points'}`,
    );
  }
  return entries;
}
