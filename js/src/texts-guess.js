// Which built-in texts a first banner will most likely ask for, before the
// engine is up: only which file to download ahead (kelisim-first-<lang>.js,
// or kelisim-texts-<lang>.json beside the engine). The engine names the
// texts it needs; when it names others, they are fetched then, one round
// trip later. Hence a guess that follows the engine's language rules (SPEC:
// the tag's language, then <html lang> when `autoDetect` is "document", then
// the browser's languages, among the configuration's languages; else its
// default) and is allowed to be wrong.

const fold = (tag) =>
  String(tag || '')
    .toLowerCase()
    .replace(/_/g, '-');

/**
 * The built-in language (one of `builtins`) whose texts the engine will most
 * likely ask for. `config`: the configuration when it is at hand (parsed), else
 * null; `explicit`: the tag's data-language. A language matches by its tag or
 * its primary subtag (ru-RU: ru).
 */
export function likelyTexts(config, explicit, doc, nav, builtins) {
  const lang = (config && config.language) || {};
  const auto = lang.autoDetect === undefined || lang.autoDetect === true ? 'document' : lang.autoDetect;
  const offered = Object.keys(lang.translations || {}).map(fold);
  const wanted = [explicit, auto === 'document' && doc.documentElement.lang, ...(auto && auto !== 'off' ? nav.languages || [] : [])];
  const hit = wanted
    .map(fold)
    .flatMap((tag) => [tag, tag.split('-')[0]])
    .find((tag) => tag && (offered.length ? offered : builtins).includes(tag));
  return [hit, fold(lang.default)].find((l) => builtins.includes(l)) || 'en';
}
