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
  handoff({ createUI, bytes: bytesOf(assets.wasm, assets.swaps), texts: assets.texts });
})(document);

/**
 * The engine's bytes from their one-character-per-byte string, with the
 * build's byte swaps undone (`swaps`: pairs of bytes; js/build.mjs swapped
 * the bytes a script can only write escaped for rarer ones): through the
 * browser's own base64 (btoa, Uint8Array.fromBase64: under a millisecond)
 * where it has both, else one character at a time (2-8 ms).
 */
function bytesOf(s, swaps) {
  const table = new Uint8Array(256).map((_, i) => i);
  for (let i = 0; i < swaps.length; i += 2) {
    table[swaps[i]] = swaps[i + 1];
    table[swaps[i + 1]] = swaps[i];
  }
  const fast = typeof Uint8Array.fromBase64 === 'function';
  const bytes = fast ? Uint8Array.fromBase64(btoa(s)) : new Uint8Array(s.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = table[fast ? bytes[i] : s.charCodeAt(i)];
  return bytes;
}
