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
  return async (lang, fresh) => {
    const cached = !fresh && cache ? cache.get(lang) : undefined;
    if (cached !== undefined) return { text: cached, cached: true };
    const file = `kelisim-texts-${lang}.json`;
    const url = typeof base === 'function' ? new URL(String(base(lang)), win.location.href).href : new URL(file, base).href;
    let response;
    try {
      response = await ownFetch(url, { credentials: 'same-origin', priority: 'high' }); // the banner waits for it
    } catch (err) {
      response = { ok: false, status: err && err.message ? err.message : 'network error' };
    }
    if (!response.ok) {
      throw new KelisimError(
        'texts-load',
        `kelisim: cannot load its texts (${file}) from ${url}: ${typeof response.status === 'number' ? `HTTP ${response.status}` : response.status}`,
      );
    }
    return { text: await response.text(), cached: false };
  };
}
