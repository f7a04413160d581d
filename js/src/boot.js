// Starting kelisim in a page: load the engine and the configuration in
// parallel, then hand over to the runtime. Any failure is reported once
// (console + kelisim:error) and leaves the page fail-closed: gated content
// simply stays inert.
import { Engine, KelisimError, configText, loadCore } from './engine.js';
import { createBrowserInstance, gtagPush } from './runtime.js';
import { installGuards } from './guards.js';

export { installGuards };

const DENIED = {
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
  analytics_storage: 'denied',
  functionality_storage: 'denied',
  personalization_storage: 'denied',
  security_storage: 'granted',
};

/**
 * Consent Mode's `default`, pushed synchronously before anything can load.
 * It is static (everything denied but security), so it needs no engine; only
 * the timing options are read from an inline configuration when there is one.
 * Returns whether that configuration was at hand.
 */
export function pushConsentDefault(win, inlineConfig) {
  let cm = {};
  let known = false;
  try {
    const parsed = typeof inlineConfig === 'string' ? JSON.parse(inlineConfig) : inlineConfig;
    known = Boolean(parsed && typeof parsed === 'object');
    if (known && typeof parsed.consentMode === 'object' && parsed.consentMode) cm = parsed.consentMode;
  } catch {
    // An unreadable configuration is reported by the engine later; the default stays denied.
  }
  if (cm.enabled === false) return known;
  if (typeof win.gtag !== 'function') {
    win.dataLayer = win.dataLayer || [];
    win.gtag = function gtag() {
      win.dataLayer.push(arguments);
    };
  }
  gtagPush(win, 'consent', 'default', { ...DENIED, wait_for_update: Number.isInteger(cm.waitForUpdate) ? cm.waitForUpdate : 500 });
  if (cm.adsDataRedaction === true) gtagPush(win, 'set', 'ads_data_redaction', true);
  if (cm.urlPassthrough === true) gtagPush(win, 'set', 'url_passthrough', true);
  return known; // false: the configuration is fetched later, the runtime adds its settings then
}

/** User Timing marks, so a site's own monitoring can see what kelisim costs. */
function mark(win, name) {
  if (win.performance && win.performance.mark) win.performance.mark(name);
}

function report(win, err) {
  const e = err instanceof KelisimError ? err : new KelisimError('internal', `kelisim: ${err && err.message ? err.message : err}`);
  win.console.error(e.message);
  win.dispatchEvent(new win.CustomEvent('kelisim:error', { detail: { code: e.code, message: e.message, errors: e.errors } }));
  return e;
}

/**
 * Boots kelisim in a browser window; resolves to the instance. `guards` were
 * installed synchronously by the caller; on failure they stay closed.
 */
export async function boot(win, config, options, wasmUrl, guards) {
  try {
    const [core, text] = await Promise.all([loadCore({ url: wasmUrl }), configText(config, win.location.href)]);
    mark(win, 'kelisim:loaded');
    const engine = new Engine(core, text);
    const instance = await createBrowserInstance(engine, { ...options, window: win, guards });
    mark(win, 'kelisim:ready');
    instance._emit('ready', instance.state());
    return instance;
  } catch (err) {
    guards.fail();
    throw report(win, err);
  }
}
