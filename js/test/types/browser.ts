// Type test (tsc --noEmit, moduleResolution "bundler", DOM): a site's code
// against the published declarations. `@ts-expect-error` lines must fail.
/// <reference types="kelisim/global" />
import { init, KelisimError } from 'kelisim';
import type { ChangeDetail, ConsentState, Kelisim, KelisimConfig } from 'kelisim';
import json from './consent.json';

// The whole SPEC §3 example checks, every key included.
const config = {
  revision: 3,
  policyUrl: '/privacy',
  contact: 'export.kz@meestgroup.com',
  cookie: {
    name: 'kelisim',
    domain: 'auto',
    path: '/',
    expiresAfterDays: 365,
    rejectedExpiresAfterDays: 182,
    sameSite: 'Lax',
    secure: true,
  },
  categories: {
    necessary: { required: true },
    preferences: {},
    analytics: { consentMode: ['analytics_storage'] },
    marketing: { consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'], gpc: 'deny' },
    embedded: {},
  },
  aliases: { statistics: 'analytics' },
  services: {
    'google-analytics': {
      category: 'analytics',
      cookies: ['_ga', '_ga_*', '_gid', '_gat*'],
      storage: [],
      hosts: ['www.google-analytics.com', '*.googletagmanager.com'],
    },
    youtube: { category: 'embedded', hosts: ['www.youtube.com', 'www.youtube-nocookie.com'] },
  },
  blocking: { autoBlock: true, cookieGuard: true },
  consentMode: { enabled: true, waitForUpdate: 500, adsDataRedaction: true, urlPassthrough: false },
  receipts: { endpoint: '/consent-receipts' },
  compat: { cookiebot: false },
  language: {
    default: 'kk',
    autoDetect: 'document',
    translations: {
      kk: {},
      ru: { banner: { title: 'Мы используем cookie' }, categories: { analytics: { title: 'Аналитика' } } },
      en: { 'banner.acceptAll': 'Accept all', 'placeholder.text': 'This {service} content needs your consent.' },
    },
  },
  ui: { layout: 'bar', position: 'bottom', theme: 'auto', reopenButton: true },
} satisfies KelisimConfig;

// The editor catches mistakes in a site's configuration.
const badType: KelisimConfig = {
  categories: {
    // @ts-expect-error: not one of Google's seven consent types
    analytics: { consentMode: ['analytic_storage'] },
  },
};
const badCookie: KelisimConfig = {
  categories: { necessary: { required: true } },
  // @ts-expect-error: sameSite is 'Lax' | 'Strict' | 'None'
  cookie: { sameSite: 'lax' },
};
const badService: KelisimConfig = {
  categories: { analytics: {} },
  // @ts-expect-error: a service needs its category
  services: { stats: { hosts: ['stats.example'] } },
};
const badKey: KelisimConfig = {
  categories: { analytics: {} },
  // @ts-expect-error: unknown top-level key
  autoblock: true,
};
// @ts-expect-error: categories is required
const noCategories: KelisimConfig = { revision: 1 };
void [badType, badCookie, badService, badKey, noCategories];

// A JSON file's strings are plain `string` to TypeScript: assert the type.
const fromJson = json as KelisimConfig;

async function main(): Promise<void> {
  const consent: Kelisim = await init(config, { ui: true, language: 'ru' });
  await init(fromJson, { ui: false });
  await init('/consent.json', { wasmUrl: '/static/kelisim.wasm' });
  await init(new URL('/consent.json', location.href));
  // @ts-expect-error: a number is not a configuration
  await init(42);

  const allowed: boolean = consent.isAllowed('analytics');
  const s: ConsentState = consent.state();
  const method: 'accept-all' | 'reject-all' | 'custom' | 'api' | null = s.method;
  const fields: [boolean, string[], string[], number, string, string, string] = [
    s.decided,
    s.categories,
    s.services,
    s.revision,
    s.id,
    s.created,
    s.updated,
  ];
  consent.acceptAll();
  consent.rejectAll();
  consent.accept(['analytics']);
  consent.accept(['analytics'], ['google-analytics']);
  consent.allowService('youtube');
  consent.showBanner();
  consent.showPreferences();
  consent.hide();
  consent.reset();
  const off: () => void = consent.on('change', (d: ChangeDetail) => d.accepted.concat(d.rejected));
  off();
  consent.on('error', (e) => e.errors.map((i) => `${i.path}: ${i.message}`));
  consent.on('ready', (state) => state.decided);
  // @ts-expect-error: no such event
  consent.on('accepted', () => {});
  const lang: string = consent.language;
  consent.setLanguage('kk');
  // @ts-expect-error: language is read-only; use setLanguage()
  consent.language = 'en';
  // @ts-expect-error: accept takes arrays
  consent.accept('analytics');
  void [allowed, method, fields, lang];

  try {
    await init({ categories: {} });
  } catch (err) {
    if (err instanceof KelisimError) {
      const code: string = err.code;
      const where: string[] = err.errors.map((e) => e.path);
      void [code, where];
    }
  }

  // The script tag's globals and window events (kelisim/global).
  const ready = await window.kelisimReady;
  ready?.isAllowed('marketing');
  window.kelisim?.showPreferences();
  window.addEventListener('kelisim:change', (e) => e.detail.state.categories);
  window.addEventListener('kelisim:error', (e) => e.detail.code);
}
void main;
