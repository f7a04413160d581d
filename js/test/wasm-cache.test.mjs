// The engine's bytes kept in localStorage (src/wasm-cache.js): bytes that do
// not give an engine are dropped, so that the next download keeps good ones;
// a copy another tab wrote in the meantime is never dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cachedModule, compileCachedModule, hasModule, storeModule } from '../src/wasm-cache.js';

const wasm = readFileSync(new URL('../dist/kelisim.wasm', import.meta.url));
const ID = 'build-1';

function fakeWindow() {
  const items = new Map();
  const localStorage = {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
  return { localStorage, items };
}

test('good bytes are kept once and compile, synchronously and off the main thread', async () => {
  const win = fakeWindow();
  storeModule(win, ID, wasm);
  assert.equal(hasModule(win, ID), true);
  assert.equal(hasModule(win, 'build-2'), false, 'another build never uses them');
  assert.ok(cachedModule(win, ID) instanceof WebAssembly.Module);
  assert.ok((await compileCachedModule(win, ID)) instanceof WebAssembly.Module);
  const kept = win.items.get('kelisim:wasm');
  storeModule(win, ID, new Uint8Array([0, 97, 115, 109]));
  assert.equal(win.items.get('kelisim:wasm'), kept, 'an entry of this build is not written twice');
});

for (const [what, body] of [
  ['not base64', '!!not base64!!'],
  ['base64 of bytes that are not WebAssembly', Buffer.from('\0asm but nothing after').toString('base64')],
]) {
  test(`damaged bytes (${what}) are dropped, and the next download is kept`, async () => {
    for (const compile of [(win) => cachedModule(win, ID), (win) => compileCachedModule(win, ID)]) {
      const win = fakeWindow();
      win.items.set('kelisim:wasm', `${ID}:${body}`);
      assert.equal(await compile(win), null);
      assert.equal(hasModule(win, ID), false, 'dropped');
      storeModule(win, ID, wasm);
      assert.ok(cachedModule(win, ID) instanceof WebAssembly.Module, 'kept afresh');
    }
  });
}

test('a copy another tab wrote while damaged bytes were compiling is not dropped', async () => {
  const win = fakeWindow();
  win.items.set('kelisim:wasm', `${ID}:${Buffer.from('\0asm damaged').toString('base64')}`);
  const compiling = compileCachedModule(win, ID);
  const fresh = `${ID}:${wasm.toString('base64')}`;
  win.items.set('kelisim:wasm', fresh); // the other tab, before the compile fails
  assert.equal(await compiling, null);
  assert.equal(win.items.get('kelisim:wasm'), fresh);
});

test('no storage, or storage that throws on access: nothing kept, nothing compiled', async () => {
  const blocked = {};
  Object.defineProperty(blocked, 'localStorage', {
    get() {
      throw new Error('SecurityError');
    },
  });
  for (const win of [{}, blocked]) {
    assert.equal(hasModule(win, ID), false);
    assert.equal(cachedModule(win, ID), null);
    assert.equal(await compileCachedModule(win, ID), null);
    storeModule(win, ID, wasm); // does not throw
  }
});
