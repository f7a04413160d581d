// The shim's own loader of kelisim.wasm (src/entry-points.js), where a real
// engine cannot be made to fail: an instance that aborted answers nothing more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryPoints, wasmImports } from '../src/entry-points.js';

test('an engine that aborted answers nothing more: its state may be anything', () => {
  const abi = { module: 'm', abort: 'a', grow: 'g', memory: 'mem', ctors: 'c', arg: 'x', call: 'y', out: 'z' };
  let instance = null;
  const imports = wasmImports(abi, () => instance);
  let calls = 0;
  instance = {
    exports: {
      mem: new WebAssembly.Memory({ initial: 1 }),
      c() {},
      x: () => 0,
      // The first call aborts inside the engine, as an allocation it cannot make would.
      y: () => (++calls === 1 ? imports.m.a() : 2),
      z: () => 0,
    },
  };
  const core = entryPoints(instance, abi);
  assert.throws(() => core._start('{}'), /kelisim\.wasm aborted$/);
  assert.throws(() => core._start('{}'), /aborted earlier/);
  assert.throws(() => core._decide('{}'), /aborted earlier/);
  assert.equal(calls, 1, 'the engine was not called again');
});

test('the loader grows the memory the engine asks for, and says when it cannot', () => {
  const abi = { module: 'm', abort: 'a', grow: 'g', memory: 'mem', ctors: 'c', arg: 'x', call: 'y', out: 'z' };
  const mem = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const imports = wasmImports(abi, () => ({ exports: { mem } }));
  assert.equal(imports.m.g(2 * 65536), 1);
  assert.ok(mem.buffer.byteLength >= 2 * 65536);
  // More than the maximum: the exact size is tried too, then refused.
  assert.equal(imports.m.g(5 * 65536), 0);
  assert.equal(imports.m.g(4 * 65536), 1);
  assert.equal(mem.buffer.byteLength, 4 * 65536);
});
