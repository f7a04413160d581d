// The built-in texts table the engine resolves texts with: one language's
// kelisim-texts-<lang>.json, fetched only when something is shown (the engine
// names the language it needs), checked by the engine, and passed in with
// every texts request from then on.
import { KelisimError } from './errors.js';

/** `loadTexts(lang, fresh)` -> { text, cached }; `keepTexts(lang, text)` keeps a fetched copy. */
export function createTextsTable(engine, { loadTexts, keepTexts }) {
  let table = '';
  const withTable = (req) => (table ? { ...req, builtinTexts: table } : req);
  /** The engine's texts for `req`, fetching the built-in table it asks for (`needed`, or its answer's) first. */
  async function answer(req, needed) {
    let out = needed ? { needTexts: needed } : engine.texts(withTable(req));
    const lang = out.needTexts;
    if (!lang) return out;
    const file = `kelisim-texts-${lang}.json`;
    // A kept copy the engine refuses (another build's) is fetched again once.
    for (const fresh of [false, true]) {
      const got = await loadTexts(lang, fresh); // rejects naming the file
      let problem = null;
      try {
        out = engine.texts({ ...req, builtinTexts: got.text });
        if (out.needTexts) problem = `it holds the texts of another language`;
      } catch (err) {
        problem = err.message;
      }
      if (!problem) {
        table = got.text;
        if (!got.cached && keepTexts) keepTexts(lang, got.text);
        return out;
      }
      if (!got.cached) throw new KelisimError('texts-load', `kelisim: ${file} is not kelisim's built-in texts: ${problem}`);
    }
    return out; // not reached: the fresh copy returned or threw
  }
  return { withTable, answer };
}
