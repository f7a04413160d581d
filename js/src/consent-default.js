// Google Consent Mode's `default`, pushed synchronously when kelisim starts,
// before the engine or any tag has loaded.

/** Pushes like gtag() does: an `arguments` object. */
export function gtagPush(win, ...args) {
  const dl = (win.dataLayer = win.dataLayer || []);
  (function () {
    dl.push(arguments);
  }).apply(null, args);
}

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
