// kelisim-first-<lang>.js: a first page view's engine, UI and one language's built-in texts in one
// parser-blocking script. kelisim.js writes it (pinned by its digest, with the
// tag's nonce) when the configuration is inline and nothing is kept from an
// earlier page view, and takes it over through the script element; nothing is
// put on the page's globals.
import assets from 'kelisim-first-assets';
import { createUI } from './ui.js';

(function first(doc) {
  const handoff = doc.currentScript && doc.currentScript.kelisimHandoff;
  if (!handoff) return; // loaded by something other than kelisim.js
  handoff({ createUI, bytes: bytesOf(assets.wasm), texts: assets.texts });
})(document);

/**
 * The engine's bytes from their one-character-per-byte string: through the
 * browser's own base64 (btoa, Uint8Array.fromBase64: under a millisecond)
 * where it has both, else one character at a time (2-8 ms).
 */
function bytesOf(s) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(btoa(s));
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}
