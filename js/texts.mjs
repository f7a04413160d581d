// The built-in texts' files: wasm/texts/builtin-texts.json holds every text
// with its kk/ru/en versions side by side; each language becomes
// kelisim-texts-<lang>.json, {"language": "kk", "texts": {key: text}}, the
// table the engine takes as `builtinTexts` (kelisim/texts.hpp).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file text of each built-in language, by file name, from the source's text. */
export function builtinTextFiles(sourceText) {
  const source = JSON.parse(sourceText);
  const languages = Object.keys(Object.values(source)[0]);
  return Object.fromEntries(
    languages.map((language) => {
      const texts = Object.fromEntries(Object.entries(source).map(([key, t]) => [key, t[language]]));
      return [`kelisim-texts-${language}.json`, JSON.stringify({ language, texts })];
    }),
  );
}

/** Writes the files into `dir`; returns their names. */
export function writeBuiltinTexts(sourcePath, dir) {
  const files = builtinTextFiles(readFileSync(sourcePath, 'utf8'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return Object.keys(files);
}
