// Google Consent Mode's `default`, pushed synchronously when kelisim starts,
// before any tag has loaded.

/** Pushes like gtag() does: an `arguments` object. */
export function gtagPush(win, ...args) {
  const dl = (win.dataLayer = win.dataLayer || []);
  (function () {
    dl.push(arguments);
  }).apply(null, args);
}

function ensureGtag(win) {
  if (typeof win.gtag === 'function') return;
  win.dataLayer = win.dataLayer || [];
  win.gtag = function gtag() {
    win.dataLayer.push(arguments);
  };
}

/**
 * The default as the engine worded it for the configuration (`consentMode`
 * of its start answer): used whenever the engine is up before any tag runs.
 */
export function pushConsentDefault(win, consentMode) {
  if (!consentMode.enabled) return;
  ensureGtag(win);
  gtagPush(win, 'consent', 'default', consentMode.default);
  if (consentMode.adsDataRedaction) gtagPush(win, 'set', 'ads_data_redaction', true);
  if (consentMode.urlPassthrough) gtagPush(win, 'set', 'url_passthrough', true);
}

/* global __KELISIM_FALLBACK_DEFAULT__ */
/**
 * The default when the engine is not up yet (the very first page view): no
 * configuration has been read, so it is the engine's default for one that
 * grants nothing (every type but security denied, tags waiting up to 500 ms
 * for the update), taken from the engine when kelisim is built. The engine
 * adds its settings once it is up.
 */
export function pushFallbackDefault(win) {
  ensureGtag(win);
  gtagPush(win, 'consent', 'default', __KELISIM_FALLBACK_DEFAULT__);
}
