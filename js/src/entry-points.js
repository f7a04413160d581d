// The engine's entry points as JavaScript functions of strings, over the
// plain C interface of wasm/binding.cpp: each argument is written as UTF-8
// into a buffer the engine hands out, the entry point is called by number,
// and its answer read back. Shared by the browser, Node and the scanner.
//
// No Emscripten JavaScript runs: kelisim.wasm needs two imports (abort, and
// more linear memory for its allocator) and exports its memory, its static
// constructors and three functions. `abi` names them as the link named them
// (js/build.mjs reads the names from the link's output).
const ENTRIES = ['_validate', '_configure', '_start', '_decide', '_query', '_texts', '_scan'];

// Instances that aborted (out of memory, a failed invariant): their state
// may be anything, so they answer nothing more.
const aborted = new WeakSet();

/** The imports of kelisim.wasm; `instance()` is the instance they serve, once made. */
export function wasmImports(abi, instance) {
  return {
    [abi.module]: {
      [abi.abort]() {
        const i = instance();
        if (i) aborted.add(i);
        throw new WebAssembly.RuntimeError('kelisim.wasm aborted');
      },
      // The allocator asks for at least `size` bytes of memory: a fifth more
      // is taken when the browser allows it, so that growing stays rare.
      [abi.grow](size) {
        const memory = instance().exports[abi.memory];
        const have = memory.buffer.byteLength;
        for (const want of [Math.max(size >>> 0, have * 1.2), size >>> 0]) {
          try {
            memory.grow(Math.ceil((want - have) / 65536));
            return 1;
          } catch {
            // too much for this browser: the exact size, then give up
          }
        }
        return 0;
      },
    },
  };
}

/** Instantiates a compiled kelisim.wasm at once. */
export function instantiateSync(module, abi) {
  let instance = null;
  instance = new WebAssembly.Instance(
    module,
    wasmImports(abi, () => instance),
  );
  return instance;
}

/** Instantiates kelisim.wasm from its bytes or a compiled module. */
export async function instantiate(source, abi) {
  let instance = null;
  const r = await WebAssembly.instantiate(
    source,
    wasmImports(abi, () => instance),
  );
  instance = r.instance || r;
  return instance;
}

/**
 * The entry points of a new instance, after its static constructors ran.
 * Null when it has no such interface (not a kelisim.wasm of this build).
 */
export function entryPoints(instance, abi) {
  const x = instance.exports;
  const arg = x[abi.arg];
  const call = x[abi.call];
  const out = x[abi.out];
  const memory = x[abi.memory];
  if (![arg, call, out, x[abi.ctors]].every((f) => typeof f === 'function') || !(memory instanceof WebAssembly.Memory)) return null;
  x[abi.ctors]();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const core = {};
  ENTRIES.forEach((name, entry) => {
    core[name] = (...texts) => {
      if (aborted.has(instance)) throw new WebAssembly.RuntimeError('kelisim.wasm aborted earlier: it answers nothing more');
      texts.forEach((text, i) => {
        const bytes = encoder.encode(String(text));
        const at = arg(i, bytes.length);
        new Uint8Array(memory.buffer, at, bytes.length).set(bytes); // after the call above: it may have grown the memory
      });
      const length = call(entry);
      return decoder.decode(new Uint8Array(memory.buffer, out(), length));
    };
  });
  return core;
}
