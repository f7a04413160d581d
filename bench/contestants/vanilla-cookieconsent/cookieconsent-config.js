// vanilla-cookieconsent 3.1.0 as its documentation's "Getting started" sets it
// up: a module script that imports the UMD build, then CookieConsent.run().
// The three stand-ins are <script type="text/plain" data-category="…"> tags
// (its "manage scripts" page); the embed is such a script that gives the
// iframe its src, since the core has no iframe blocking of its own.
import './cookieconsent.umd.js';

CookieConsent.run({
  // Documented option (default true): Chromium under automation reports
  // navigator.webdriver, which would otherwise be taken for a bot (no banner).
  hideFromBots: false,
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: { autoClear: { cookies: [{ name: /^_bench_an/ }] } },
    marketing: { autoClear: { cookies: [{ name: /^_bench_mk/ }] } },
    embedded: {},
  },
  language: {
    default: 'en',
    translations: {
      en: {
        consentModal: {
          title: 'We use cookies',
          description:
            'Some of them keep the shop working; others measure visits, show relevant offers or load videos. Choose what you allow.',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          showPreferencesBtn: 'Manage preferences',
        },
        preferencesModal: {
          title: 'Cookie preferences',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          savePreferencesBtn: 'Save preferences',
          closeIconLabel: 'Close',
          sections: [
            { title: 'Strictly necessary', description: 'Needed for the cart and sign-in.', linkedCategory: 'necessary' },
            { title: 'Analytics', description: 'Counts visits to improve the shop.', linkedCategory: 'analytics' },
            { title: 'Marketing', description: 'Shows offers that fit your interests.', linkedCategory: 'marketing' },
            { title: 'Embedded content', description: 'Videos from another site.', linkedCategory: 'embedded' },
            { title: 'More information', description: 'See our <a href="/privacy">privacy policy</a>.' },
          ],
        },
      },
    },
  },
});
