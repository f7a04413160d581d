// The classic <script> bundle: kelisim.js with kelisim.wasm beside it.
// <script src="/kelisim/kelisim.js" data-config="/consent.json"></script>, or an
// inline <script type="application/json" id="kelisim-config"> before it.
import { KelisimError, inlineConfig } from './engine.js';
import { boot, installGuards, pushConsentDefault } from './boot.js';

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
  const ready = config
    ? boot(win, config, options, new URL('kelisim.wasm', base), guards)
    : Promise.reject(new KelisimError('no-config', 'kelisim: no configuration: add data-config="/consent.json" to the script tag or a <script type="application/json" id="kelisim-config"> before it'));
  if (!config) {
    guards.fail();
    win.console.error('kelisim: no configuration found');
    win.dispatchEvent(new win.CustomEvent('kelisim:error', { detail: { code: 'no-config', message: 'kelisim: no configuration found', errors: [] } }));
  }
  win.kelisimReady = ready;
  // Reported once by boot(); a page without its own handler sees no second, unhandled copy.
  ready.then((instance) => {
    win.kelisim = instance;
  }, () => {});
})(window);
