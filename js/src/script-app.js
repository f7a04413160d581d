// The rest of the script-tag bundle (kelisim-app.js): the engine glue, the
// runtime and the UI. kelisim.js loads it and hands over through the script
// element; nothing is put on the page's globals.
import { boot } from './boot.js';

(function app(doc) {
  const handoff = doc.currentScript && doc.currentScript.kelisimHandoff;
  if (!handoff) return; // loaded by something other than kelisim.js
  const { win, config, options, wasm, guards, resolve, reject } = handoff;
  boot(win, config, options, wasm, guards).then(resolve, reject);
})(document);
