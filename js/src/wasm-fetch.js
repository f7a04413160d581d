// Fetching and compiling kelisim.wasm: streaming when the server says
// application/wasm. Shared by the script-tag loader (which starts it before
// the rest of kelisim has arrived) and the engine.

/** Compiles the engine from a URL; rejects with the reason in plain words. */
export async function compileWasm(url) {
  if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const type = response.headers.get('content-type') || '';
  if (type.startsWith('text/html')) throw new Error('the server answered with an HTML page (a fallback route?), not the .wasm file');
  if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}
