// What lets a returning visitor's page start without waiting: the engine's
// bytes and a fetched configuration, kept in localStorage after the first page
// view, so that kelisim.js can compile and run the engine synchronously while
// the parser is still in <head>. Only bytes are kept here: every answer is
// computed afresh by the engine from the cookie and the configuration.
//
// The bytes are keyed by the build (a wasm from another kelisim version is
// never used); a configuration by its URL and the integrity digest the page's
// tag declares (data-config-integrity), so a changed consent.json is never
// mistaken for the cached one. localStorage is writable by the page's own
// scripts, which can equally write the consent cookie: this adds nothing an
// attacker running script on the site could not already do.
import { setOwnItem } from './guard-jar.js';
const WASM_KEY = 'kelisim:wasm';
const CONFIG_KEY = 'kelisim:config';
const TEXTS_KEY = 'kelisim:texts';

const storage = (win) => {
  try {
    return win.localStorage;
  } catch {
    return null; // storage disabled (privacy settings, sandboxed frame)
  }
};

function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toBase64(bytes) {
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * This build's cached engine: `{ bytes, drop }`, or null (none, another
 * build). Bytes that do not give an engine are dropped (`drop()`; here when
 * they are not base64): the engine then comes over the network and is kept
 * afresh, when this browser lets it compile at all.
 */
function cached(win, buildId) {
  const store = storage(win);
  const entry = store && store.getItem(WASM_KEY);
  if (!entry || !entry.startsWith(`${buildId}:`) || typeof WebAssembly !== 'object') return null;
  const drop = () => {
    if (store.getItem(WASM_KEY) === entry) store.removeItem(WASM_KEY); // not another tab's fresh copy
    return null;
  };
  try {
    return { bytes: fromBase64(entry.slice(buildId.length + 1)), drop };
  } catch {
    return drop();
  }
}

/** The compiled engine from this build's cached bytes, or null (none, another build, damaged, or compiling refused). */
export function cachedModule(win, buildId) {
  const kept = cached(win, buildId);
  try {
    return kept && new WebAssembly.Module(kept.bytes);
  } catch {
    // Damaged bytes, or a CSP without 'wasm-unsafe-eval' (then the network
    // copy does not compile either, and is reported): dropped either way.
    return kept.drop();
  }
}

/**
 * Compiles this build's cached engine off the main thread (WebAssembly.compile);
 * resolves to null when there are none or they do not compile (dropped).
 */
export function compileCachedModule(win, buildId) {
  const kept = cached(win, buildId);
  return kept ? WebAssembly.compile(kept.bytes).catch(kept.drop) : Promise.resolve(null);
}

/** Whether this build's engine bytes are kept (without compiling them). */
export function hasModule(win, buildId) {
  const store = storage(win);
  const entry = store && store.getItem(WASM_KEY);
  return Boolean(entry && entry.startsWith(`${buildId}:`));
}

/** Keeps this build's engine bytes for the next page view. */
export function storeModule(win, buildId, bytes) {
  const store = storage(win);
  if (!store || (store.getItem(WASM_KEY) || '').startsWith(`${buildId}:`)) return;
  try {
    setOwnItem(store, WASM_KEY, `${buildId}:${toBase64(new Uint8Array(bytes))}`);
  } catch {
    // Over quota: the next page view loads the engine over the network again.
  }
}

/** The cached text of the configuration at `url` with `integrity`, or undefined. */
export function cachedConfig(win, url, integrity) {
  const store = storage(win);
  if (!store || !integrity) return undefined;
  try {
    const entry = JSON.parse(store.getItem(CONFIG_KEY) || 'null');
    if (entry && entry.url === String(url) && entry.integrity === integrity && typeof entry.text === 'string') return entry.text;
  } catch {
    // Unreadable: as if absent.
  }
  return undefined;
}

/** Keeps a configuration the browser fetched and checked against `integrity`. */
export function storeConfig(win, url, integrity, text) {
  const store = storage(win);
  if (!store || !integrity) return;
  try {
    setOwnItem(store, CONFIG_KEY, JSON.stringify({ url: String(url), integrity, text }));
  } catch {
    // Over quota: fetched again next time.
  }
}

/** Drops the cached configuration (its file no longer matches the tag's digest). */
export function forgetConfig(win) {
  const store = storage(win);
  if (store) store.removeItem(CONFIG_KEY);
}

/** This build's cached built-in texts of `lang` (kelisim-texts-<lang>.json), or undefined. */
export function cachedTexts(win, buildId, lang) {
  const store = storage(win);
  const entry = store && store.getItem(TEXTS_KEY);
  const prefix = `${buildId}:${lang}:`;
  return entry && entry.startsWith(prefix) ? entry.slice(prefix.length) : undefined;
}

/** Keeps one language's built-in texts (the engine accepted them) for the next page view. */
export function storeTexts(win, buildId, lang, text) {
  const store = storage(win);
  if (!store) return;
  try {
    store.setItem(TEXTS_KEY, `${buildId}:${lang}:${text}`);
  } catch {
    // Over quota: fetched again when next needed.
  }
}
