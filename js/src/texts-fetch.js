// Fetching the built-in texts the engine asks for: kelisim-texts-<lang>.json,
// same-origin, beside kelisim.js (or the npm package's kelisim.wasm). The
// engine checks what arrives; this file only moves bytes.
import { ownFetch } from './own-fetch.js';
import { KelisimError } from './errors.js';

/**
 * The loader the runtime calls with the language the engine named. `base`:
 * the URL the file is found beside, or `(lang) => URL` (a bundler's asset).
 * `(lang, fresh) => Promise<{ text, cached }>`. `cache` (optional) is
 * `{ get(lang), put(lang, text) }`; `fresh` skips it.
 */
export function textsLoader(win, base, cache) {
  const early = new Map(); // language -> the response of a fetch started before the engine named it
  const urlOf = (lang) =>
    typeof base === 'function' ? new URL(String(base(lang)), win.location.href).href : new URL(`kelisim-texts-${lang}.json`, base).href;
  const request = (url) =>
    ownFetch(url, { credentials: 'same-origin', priority: 'high' }).catch((err) => ({
      ok: false,
      status: err && err.message ? err.message : 'network error',
    })); // the banner waits for it
  const load = async (lang, fresh) => {
    const cached = !fresh && cache ? cache.get(lang) : undefined;
    if (cached !== undefined) return { text: cached, cached: true };
    const file = `kelisim-texts-${lang}.json`;
    const url = urlOf(lang);
    const ahead = !fresh && early.get(lang);
    early.delete(lang);
    const response = await (ahead || request(url));
    if (!response.ok) {
      throw new KelisimError(
        'texts-load',
        `kelisim: cannot load its texts (${file}) from ${url}: ${typeof response.status === 'number' ? `HTTP ${response.status}` : response.status}`,
      );
    }
    return { text: await response.text(), cached: false };
  };
  /**
   * Starts fetching a language's file while the engine is still loading, so
   * that a first banner does not wait for one more round trip. Only a head
   * start: the engine names the file it needs, and a file it does not name
   * is never read.
   */
  load.ahead = (lang) => {
    if (!early.has(lang)) early.set(lang, request(urlOf(lang)));
  };
  /** The files' text when it came another way (kelisim-first-<lang>.js): read as if fetched, and checked and kept the same way. */
  load.provide = (texts) => {
    for (const [lang, text] of Object.entries(texts)) early.set(lang, Promise.resolve({ ok: true, text: () => Promise.resolve(text) }));
  };
  return load;
}
