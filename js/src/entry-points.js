// The engine's entry points as JavaScript functions of strings, over the
// plain C interface of wasm/binding.cpp: each argument is written as UTF-8
// into a buffer the engine hands out, the entry point is called by number,
// and its answer read back. Shared by the browser, Node and the scanner.
const ENTRIES = ['_validate', '_configure', '_start', '_decide', '_query', '_texts', '_scan'];

/** `module`: the instantiated Emscripten module (its exports and HEAPU8). Null when it has no such interface. */
export function entryPoints(module) {
  if (!module || typeof module._kelisim_call !== 'function') return null;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const core = {};
  ENTRIES.forEach((name, entry) => {
    core[name] = (...texts) => {
      texts.forEach((text, i) => {
        const bytes = encoder.encode(String(text));
        const at = module._kelisim_arg(i, bytes.length);
        module.HEAPU8.set(bytes, at); // read after the call above: it may have grown the memory
      });
      const length = module._kelisim_call(entry);
      const at = module._kelisim_out();
      return decoder.decode(module.HEAPU8.subarray(at, at + length));
    };
  });
  return core;
}
