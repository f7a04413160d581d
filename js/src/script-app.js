// The rest of the script-tag bundle (kelisim-app.js): the consent UI. kelisim.js
// loads it, pinned by its digest, when something is to be shown, and takes it
// over through the script element; nothing is put on the page's globals.
import { createUI } from './ui.js';

(function app(doc) {
  const handoff = doc.currentScript && doc.currentScript.kelisimHandoff;
  if (handoff) handoff(createUI); // otherwise loaded by something other than kelisim.js
})(document);
