// The classic <script> tag: kelisim.js, with kelisim-app.js and kelisim.wasm
// beside it. <script src="/kelisim/kelisim.js" data-config="/consent.json">, or
// an inline <script type="application/json" id="kelisim-config"> before it.
//
// This file is the small part that must run synchronously, before anything
// else on the page: the Consent Mode default, the guards, and the start of
// every download kelisim needs (the engine, the configuration, the rest of
// kelisim). The rest arrives as kelisim-app.js, loaded with the integrity
// digest built into this file, so a site that pins kelisim.js with SRI pins
// both. The parser is held only for this file.
import { KelisimError, reportError } from './errors.js';
import { configText, inlineConfig } from './config-source.js';
import { installGuards } from './guards.js';
import { pushConsentDefault } from './consent-default.js';
import { compileWasm } from './wasm-fetch.js';

/* global __KELISIM_APP_INTEGRITY__ */
(function main(win) {
  const doc = win.document;
  const script = doc.currentScript;
  const inline = doc.getElementById('kelisim-config');
  const inlineText = inline ? inline.textContent : undefined;
  if (win.kelisimReady) return; // loaded twice: the first copy is in charge
  const data = script ? script.dataset : {};
  const defaultKnewConfig = pushConsentDefault(win, data.config ? undefined : inlineText);
  const guards = installGuards(win);
  const base = script && script.src ? script.src : win.location.href;
  const config = data.config || (inline ? inlineConfig(inlineText) : undefined);
  const options = { language: data.language, ui: data.ui !== 'false', defaultKnewConfig };

  const ready = new Promise((resolve, reject) => {
    const fail = (err) => {
      guards.fail();
      reject(reportError(win, err));
    };
    if (!config) {
      fail(new KelisimError('no-config', 'kelisim: no configuration: add data-config="/consent.json" to the script tag or a <script type="application/json" id="kelisim-config"> before it'));
      return;
    }
    const wasmUrl = new URL('kelisim.wasm', base);
    const early = compileWasm(wasmUrl); // compiles while kelisim-app.js downloads
    const configPromise = configText(config, win.location.href).then(inlineConfig);
    // Their failures are reported by the app, which owns both promises now.
    early.catch(() => {});
    configPromise.catch(() => {});
    const app = doc.createElement('script');
    app.setAttribute('data-kelisim-done', ''); // kelisim's own: the guards let it through
    app.integrity = __KELISIM_APP_INTEGRITY__;
    app.kelisimHandoff = { win, config: configPromise, options, wasm: { url: wasmUrl, module: early }, guards, resolve, reject };
    app.addEventListener('error', () => fail(new KelisimError('app-load', `kelisim: cannot load kelisim-app.js from ${new URL('kelisim-app.js', base)} (missing, or not the file this kelisim.js was built with)`)));
    app.src = new URL('kelisim-app.js', base).href;
    (doc.head || doc.documentElement).appendChild(app);
  });
  win.kelisimReady = ready;
  // Reported once already; a page without its own handler sees no second, unhandled copy.
  ready.then((instance) => {
    win.kelisim = instance;
  }, () => {});
})(window);
