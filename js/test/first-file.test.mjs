// kelisim-first-<lang>.js carries the engine's bytes as a string (one
// character per byte, some bytes swapped for ones a script writes without an
// escape) and hands them to kelisim.js: they must be exactly kelisim.wasm's,
// by either of its two ways back to bytes, with one language's texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const dist = new URL('../dist/', import.meta.url);
const wasm = readFileSync(new URL('kelisim.wasm', dist));

/** Runs a first file as kelisim.js would have it run, and returns what it hands over. */
function handedOver(file, { fromBase64 }) {
  let got = null;
  const U8 = class extends Uint8Array {};
  if (fromBase64) U8.fromBase64 = (text) => new Uint8Array(Buffer.from(text, 'base64'));
  else U8.fromBase64 = undefined;
  const context = vm.createContext({
    Uint8Array: U8,
    btoa: (s) => Buffer.from(s, 'latin1').toString('base64'),
    document: { currentScript: { kelisimHandoff: (x) => (got = x) } },
  });
  vm.runInContext(readFileSync(new URL(file, dist), 'utf8'), context);
  return got;
}

for (const lang of ['kk', 'ru', 'en']) {
  test(`kelisim-first-${lang}.js hands over kelisim.wasm's exact bytes (browser base64 and character loop) and the ${lang} texts`, () => {
    for (const fromBase64 of [true, false]) {
      const got = handedOver(`kelisim-first-${lang}.js`, { fromBase64 });
      assert.ok(got, 'handed over');
      assert.equal(got.bytes.length, wasm.length);
      assert.ok(Buffer.from(got.bytes).equals(wasm), `the bytes differ (fromBase64: ${fromBase64})`);
      assert.deepEqual(Object.keys(got.texts), [lang]);
      assert.equal(got.texts[lang], readFileSync(new URL(`kelisim-texts-${lang}.json`, dist), 'utf8'));
      assert.equal(typeof got.createUI, 'function');
    }
  });
}

test('loaded by anything but kelisim.js (no handoff on its script element), it does nothing', () => {
  const context = vm.createContext({ Uint8Array, btoa, document: { currentScript: null } });
  assert.doesNotThrow(() => vm.runInContext(readFileSync(new URL('kelisim-first-en.js', dist), 'utf8'), context));
});
