// The built-in texts' files in js/dist are exactly what their one source
// (wasm/texts/builtin-texts.json) gives, and the engine resolves with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinTextFiles } from '../texts.mjs';

const source = readFileSync(new URL('../../wasm/texts/builtin-texts.json', import.meta.url), 'utf8');
const dist = new URL('../dist/', import.meta.url);

test('js/dist holds one file per built-in language, generated from wasm/texts/builtin-texts.json', () => {
  const files = builtinTextFiles(source);
  assert.deepEqual(Object.keys(files).sort(), ['kelisim-texts-en.json', 'kelisim-texts-kk.json', 'kelisim-texts-ru.json']);
  assert.deepEqual(
    readdirSync(dist)
      .filter((f) => f.startsWith('kelisim-texts-'))
      .sort(),
    Object.keys(files).sort(),
  );
  for (const [name, text] of Object.entries(files)) assert.equal(readFileSync(new URL(name, dist), 'utf8'), text, name);
  const kk = JSON.parse(files['kelisim-texts-kk.json']);
  assert.equal(kk.language, 'kk');
  assert.equal(kk.texts['banner.acceptAll'], JSON.parse(source)['banner.acceptAll'].kk);
  assert.equal(Object.keys(kk.texts).length, Object.keys(JSON.parse(source)).length);
});

test('the source keeps every text in kk, ru and en, non-empty', () => {
  for (const [key, t] of Object.entries(JSON.parse(source))) {
    assert.deepEqual(Object.keys(t), ['kk', 'ru', 'en'], key);
    for (const [lang, text] of Object.entries(t)) assert.ok(typeof text === 'string' && text.trim() === text && text, `${key} ${lang}`);
  }
});
