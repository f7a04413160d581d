// kelisim.js picks which kelisim-first-<lang>.js a first visit downloads
// before the engine is up (src/texts-guess.js). It is only a guess (the
// engine names the texts it needs, and others are fetched then), but a wrong
// one costs a first banner a round trip: across the language settings a site
// and a visitor may have, it must name the texts the engine asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine } from '../dist/node.mjs';
import { likelyTexts } from '../src/texts-guess.js';

const basic = JSON.parse(readFileSync(new URL('../../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
const BUILTINS = ['en', 'kk', 'ru'];

const languageSettings = [
  undefined,
  { default: 'kk' },
  { default: 'ru', autoDetect: 'browser' },
  { default: 'kk', autoDetect: 'off' },
  { default: 'kk', autoDetect: false },
  { default: 'en', autoDetect: true },
  { default: 'kk', translations: { kk: {}, ru: {} } },
  { default: 'ru', translations: { ru: {}, de: { 'banner.title': 'Cookies' } } },
  { default: 'de', translations: { de: { 'banner.title': 'Cookies' }, fr: { 'banner.title': 'Cookies' } } },
  { default: 'kk-KZ', translations: { 'kk-KZ': { 'banner.title': 'Cookie' }, 'ru-RU': { 'banner.title': 'Cookie' } } },
  { default: 'kk', translations: { kk: {}, 'ru-RU': { 'banner.title': 'Cookie' } } },
];
const visitors = [
  { explicit: '', documentLanguage: '', browserLanguages: [] },
  { explicit: '', documentLanguage: 'ru', browserLanguages: ['en-US', 'en'] },
  { explicit: '', documentLanguage: 'kk-KZ', browserLanguages: ['ru-RU'] },
  { explicit: '', documentLanguage: 'de', browserLanguages: ['ru_RU', 'kk'] },
  { explicit: '', documentLanguage: 'RU', browserLanguages: ['fr-CA', 'fr'] },
  { explicit: 'kk', documentLanguage: 'ru', browserLanguages: ['en'] },
  { explicit: 'ru-RU', documentLanguage: '', browserLanguages: [] },
  { explicit: 'xx', documentLanguage: 'en-GB', browserLanguages: ['kk'] },
  { explicit: '', documentLanguage: 'en-a-bbb', browserLanguages: [] },
  { explicit: '', documentLanguage: '', browserLanguages: ['de-DE', 'ru'] },
];

test('the first file named before the engine is up holds the texts the engine asks for', async () => {
  let cases = 0;
  for (const language of languageSettings) {
    const config = language === undefined ? basic : { ...basic, language };
    const engine = await loadEngine(config);
    for (const v of visitors) {
      const asked = engine.texts({
        cookieHeader: '',
        now: Date.now(),
        language: v.explicit,
        documentLanguage: v.documentLanguage,
        browserLanguages: v.browserLanguages,
      }).needTexts;
      const doc = { documentElement: { lang: v.documentLanguage } };
      const guess = likelyTexts(config, v.explicit, doc, { languages: v.browserLanguages }, BUILTINS);
      // The engine asks for no built-in texts when the configuration's own cover the banner.
      if (asked) assert.equal(guess, asked, `${JSON.stringify(language)} ${JSON.stringify(v)}`);
      cases += asked ? 1 : 0;
    }
  }
  assert.ok(cases > 90, `${cases} cases where the engine asked for built-in texts`);
});

test('without the configuration at hand (data-config), the guess follows the page and the browser', () => {
  const doc = (lang) => ({ documentElement: { lang } });
  assert.equal(likelyTexts(null, '', doc('kk'), { languages: ['ru'] }, BUILTINS), 'kk');
  assert.equal(likelyTexts(null, 'ru', doc('kk'), { languages: [] }, BUILTINS), 'ru');
  assert.equal(likelyTexts(null, '', doc(''), { languages: ['de', 'ru-RU'] }, BUILTINS), 'ru');
  assert.equal(likelyTexts(null, '', doc('de'), { languages: [] }, BUILTINS), 'en');
});
