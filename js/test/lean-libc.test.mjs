// The shipped kelisim.wasm reads numbers and escapes control characters with
// kelisim's own strtod and snprintf (wasm/lean_libc.cpp) instead of musl's:
// the same answers through the real wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const { loadEngine } = await import(new URL('node.mjs', dist));
const config = {
  categories: { necessary: { required: true } },
  language: { default: 'en', translations: { en: { banner: { title: 'a\u0001b\u001f\u007fc' } } } },
};

test('numbers with a fraction or an exponent are read, an overflowing one is refused', async () => {
  const engine = await loadEngine(config);
  engine.configure(); // the raw entry points take the request alone, against the kept configuration
  const call = (request) => JSON.parse(engine.core._start(request));
  assert.equal(call('{"cookieHeader": "", "now": 1767225600000.75}').ok, true);
  assert.equal(call('{"cookieHeader": "", "now": 1.76722560000075e12}').state.decided, false);
  assert.deepEqual(call('{"cookieHeader": "", "now": 1e400}').error.errors, [{ path: '', message: 'the request is not a JSON object' }]);
  assert.deepEqual(call('{"cookieHeader": "", "now": -2.5e-3}').error.errors, [
    { path: 'now', message: 'expected the current time in milliseconds' },
  ]);
  const bad = await loadEngine({ ...config, revision: 2.5 }).catch((err) => err);
  assert.equal(bad.code, 'invalid-config');
  assert.match(bad.message, /revision/);
});

test('control characters in texts come back escaped and intact', async () => {
  const engine = await loadEngine(config);
  const answer = engine.texts({ language: 'en', builtinTexts: readFileSync(new URL('kelisim-texts-en.json', dist), 'utf8') });
  assert.deepEqual(answer.texts['banner.title'], [{ text: 'a\u0001b\u001f\u007fc' }]);
  engine.configure();
  assert.match(engine.core._texts('{"language": "en"}'), /"needTexts":"en"/);
});
