// Fetching and compiling kelisim.wasm: streaming when the server says
// application/wasm. Shared by the script-tag loader (which starts it before
// the rest of kelisim has arrived) and the engine.
import { ownFetch } from './own-fetch.js';

/**
 * Compiles the engine from a URL; rejects with the reason in plain words.
 * With `keep`, the bytes are also handed to it (for the next page view's
 * synchronous start) without giving up the streaming compile.
 */
export async function compileWasm(url, keep) {
  if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
  const response = await ownFetch(url, { credentials: 'same-origin', priority: 'high' }); // before the page's images
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const type = response.headers.get('content-type') || '';
  if (type.startsWith('text/html')) throw new Error('the server answered with an HTML page (a fallback route?), not the .wasm file');
  if (WebAssembly.compileStreaming && type.startsWith('application/wasm')) {
    const bytes = keep ? response.clone().arrayBuffer() : null;
    const module = await WebAssembly.compileStreaming(response);
    if (keep) bytes.then(keep, () => {}); // only bytes that compiled are kept
    return module;
  }
  const bytes = await response.arrayBuffer();
  const module = await WebAssembly.compile(bytes);
  if (keep) keep(bytes);
  return module;
}
