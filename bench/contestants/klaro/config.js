// Klaro 0.7.22, configured as its annotated dist/config.js describes: a global
// klaroConfig read by klaro.js (which carries its own CSS). The stand-ins are
// <script type="text/plain" data-name="…" data-src="…"> tags and an
// <iframe data-name="video" data-src="…">, as its README shows.
var klaroConfig = {
  version: 1,
  elementID: 'klaro',
  storageMethod: 'cookie',
  cookieName: 'klaro',
  cookieExpiresAfterDays: 365,
  default: false,
  mustConsent: false,
  acceptAll: true,
  hideDeclineAll: false,
  translations: {
    zz: { privacyPolicyUrl: '/privacy' },
    en: {
      consentNotice: {
        description:
          'Some cookies keep the shop working; others measure visits, show relevant offers or load videos. Choose what you allow.',
      },
      purposes: { analytics: 'Analytics', marketing: 'Marketing', embedded: 'Embedded content' },
      analytics: { description: 'Counts visits to improve the shop.' },
      marketing: { description: 'Shows offers that fit your interests.' },
      video: { description: 'Videos from another site.' },
    },
  },
  services: [
    { name: 'analytics', title: 'Analytics', purposes: ['analytics'], cookies: [/^_bench_an/] },
    { name: 'marketing', title: 'Marketing', purposes: ['marketing'], cookies: [/^_bench_mk/] },
    { name: 'video', title: 'Video', purposes: ['embedded'] },
  ],
};
