// kelisim-first.js: a first page view's engine, UI and built-in texts in one
// parser-blocking script. kelisim.js writes it (pinned by its digest, with the
// tag's nonce) when the configuration is inline and nothing is kept from an
// earlier page view, and takes it over through the script element; nothing is
// put on the page's globals.
import assets from 'kelisim-first-assets';
import { createUI } from './ui.js';

(function first(doc) {
  const handoff = doc.currentScript && doc.currentScript.kelisimHandoff;
  if (!handoff) return; // loaded by something other than kelisim.js
  const s = assets.wasm;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  handoff({ createUI, bytes, texts: assets.texts });
})(document);
