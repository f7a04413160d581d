// compat.cookiebot: a window.Cookiebot that answers like Cookiebot's, so a
// site's existing `Cookiebot.consent.statistics` checks and Cookiebot events
// keep working. Cookiebot's names map to categories through `aliases`; the
// engine answers each one.
const NAMES = ['necessary', 'preferences', 'statistics', 'marketing'];

export function installCookiebot(win, instance, ask) {
  const cb = {
    consent: { necessary: true, preferences: false, statistics: false, marketing: false, method: null, stamp: '0' },
    consented: false,
    declined: false,
    hasResponse: false,
    doNotTrack: win.navigator.globalPrivacyControl === true,
    show: () => instance.showBanner(),
    hide: () => instance.hide(),
    renew: () => instance.showPreferences(),
    withdraw: () => instance.rejectAll(),
    submitCustomConsent: (preferences, statistics, marketing) => {
      const picked = [];
      if (preferences) picked.push('preferences');
      if (statistics) picked.push('statistics');
      if (marketing) picked.push('marketing');
      instance.accept(picked);
    },
    runScripts: () => {},
  };
  function refresh() {
    const s = instance.state();
    const allowed = ask(NAMES);
    NAMES.forEach((n, i) => (cb.consent[n] = allowed[i]));
    cb.consent.method =
      s.method === 'accept-all' || s.method === 'reject-all' || s.method === 'custom' ? 'explicit' : s.method ? 'implied' : null;
    cb.consent.stamp = s.decided ? s.id : '0';
    cb.hasResponse = s.decided;
    cb.consented = s.decided && allowed.slice(1).some(Boolean);
    cb.declined = s.decided && !cb.consented;
  }
  function fire() {
    refresh();
    const names = ['CookiebotOnConsentReady', cb.consented ? 'CookiebotOnAccept' : cb.declined ? 'CookiebotOnDecline' : null];
    for (const name of names) {
      if (!name) continue;
      win.dispatchEvent(new win.Event(name));
      const callback = win[name.replace('CookiebotOn', 'CookiebotCallback_On')];
      if (typeof callback === 'function') callback();
    }
  }
  refresh();
  win.Cookiebot = cb;
  return { refresh, fire };
}
