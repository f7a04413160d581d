// The demo, walked as a visitor walks it (issue 6): the Dala Express site from
// demo/server.mjs, started in-process with a temporary data folder and visited
// as http://kz.meest.test:<port>/ so that its stand-ins live on <name>.test.
// One browser context for the whole walk; each test continues where the one
// before it stopped:
//   first visit → accept all → withdraw analytics in the dialog → Russian and
//   English → the Cookiebot page → the receipt on /receipts.
// It also writes the README's screenshots to demo/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.mjs';
import { startDemoServer, STANDIN_NAMES } from '../demo/server.mjs';
import { TEXTS } from '../demo/tools/texts.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// The committed screenshots are refreshed with KELISIM_SCREENSHOTS=1; otherwise
// they go to a temporary folder so a test run leaves the tree clean.
const SCREENSHOTS =
  process.env.KELISIM_SCREENSHOTS === '1'
    ? path.join(here, '..', 'demo', 'screenshots')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'kelisim-shots-'));
const CONFIG = JSON.parse(fs.readFileSync(path.join(here, '..', 'demo', 'site', 'consent.json'), 'utf8'));
// The panel's own words (demo/site/assets/panel.js) that the test reads back.
const PANEL = {
  kk: {
    title: 'Демо-панель',
    notDecided: 'әзірге шешім жоқ',
    decided: 'шешім бар',
    allowed: 'рұқсат',
    blocked: 'бұғатталған',
    ran: 'іске қосылды',
    notRun: 'іске қосылмады',
    decision: 'Шешім',
  },
  ru: { title: 'Демо-панель', decision: 'Решение', allowed: 'разрешён', blocked: 'заблокирован' },
  en: { title: 'Demo panel', decision: 'Decision', allowed: 'allowed', blocked: 'blocked' },
};
const GA_COOKIES = ['_ga', '_ga_DEMO', '_gid'];
const HUBSPOT_COOKIES = ['hubspotutk', '__hstc', '__hssc', '__hssrc'];

let dataDir;
let demo;
let browser;
let context;
let page;
let origin;
/** Every URL the browser asked for (all pages and frames of the context). */
const requests = [];
const pageErrors = [];
const consoleErrors = [];

/** True for a stand-in's host: <name>.test, whatever the port. */
const isStandinHost = (hostname) => STANDIN_NAMES.includes(hostname.split('.')[0]);
const standinRequests = (from = 0) => requests.slice(from).filter((u) => isStandinHost(new URL(u).hostname));
const standinLog = (from = 0) => demo.log.slice(from).filter((r) => isStandinHost(r.host));
const logTo = (host, from = 0) =>
  demo.log
    .slice(from)
    .filter((r) => r.host === host)
    .map((r) => r.path);
const mark = () => ({ requests: requests.length, log: demo.log.length });

const cookieNames = async () => (await context.cookies()).map((c) => c.name).sort();
const ready = () => page.evaluate(() => window.kelisimReady.then((k) => k.state()));
const ranFlags = () => page.evaluate((names) => Object.fromEntries(names.map((n) => [n, window[`__ran_${n}`] === true])), STANDIN_NAMES);
const ranNames = () => page.evaluate(() => (window.__standins || []).map((e) => e.name));

/** What the live demo panel (demo/site/assets/panel.js) shows. */
function readPanel() {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-demo-panel]');
    if (!panel) return null;
    const text = (el) => (el ? el.textContent.trim() : null);
    const services = {};
    for (const tr of panel.querySelectorAll('#dp-services tr[data-service]')) {
      const cells = tr.querySelectorAll('td');
      services[tr.getAttribute('data-service')] = { consent: text(cells[1]), standin: text(cells[2]) };
    }
    const decision = panel.querySelector('#dp-decision');
    const dl = {};
    const dts = decision.querySelectorAll('dt');
    for (const dt of dts) {
      const dd = dt.nextElementSibling;
      const chips = Array.from(dd.querySelectorAll('.dp-chip')).map(text);
      dl[text(dt)] = chips.length ? chips : text(dd);
    }
    return {
      open: panel.classList.contains('dp-open'),
      title: text(panel.querySelector('.dp-toggle-label')),
      headings: Array.from(panel.querySelectorAll('.dp-h')).map(text),
      status: panel.getAttribute('data-kelisim-status'),
      decided: text(decision.querySelector('.dp-decided .dp-pill')),
      method: text(decision.querySelector('.dp-method')),
      decision: dl,
      services,
      cookies: Array.from(panel.querySelectorAll('#dp-cookies .dp-cookie-name')).map(text),
      receipts: Array.from(panel.querySelectorAll('#dp-receipts li')).map((li) => text(li.querySelector('.dp-method'))),
    };
  });
}

/** Polls `fn` (async) until `ok(value)`; returns the last value either way. */
async function until(fn, ok, ms = 3000) {
  const end = Date.now() + ms;
  let value = await fn();
  while (!ok(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    value = await fn();
  }
  return value;
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kelisim-demo-'));
  demo = await startDemoServer({ port: 0, host: '127.0.0.1', dataDir });
  origin = `http://kz.meest.test:${demo.port}`;
  browser = await launch();
  context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
    colorScheme: 'light',
    locale: 'kk-KZ',
    timezoneId: 'Asia/Almaty',
  });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('first visit: Kazakh banner; nothing ran, no request to any stand-in host, no tracking cookie', async () => {
  await page.goto(`${origin}/`);
  assert.equal(new URL(page.url()).pathname, '/kk/', '/ redirects to the Kazakh site');
  assert.equal(await page.locator('html').getAttribute('lang'), 'kk');
  assert.equal(await page.locator('h1').textContent(), TEXTS.kk.home.h1);
  const state = await ready();
  assert.equal(state.decided, false);
  const banner = page.locator('[data-kelisim="banner"]');
  await banner.waitFor({ state: 'visible' });
  for (const action of ['accept-all', 'reject-all', 'preferences']) {
    assert.ok(await banner.locator(`[data-kelisim-action="${action}"]`).isVisible(), `banner button ${action}`);
  }
  assert.equal(await page.evaluate(() => window.kelisim.language), 'kk');
  assert.match(await banner.innerText(), /[әғқңөұүһі]/, 'the banner speaks Kazakh');

  // The two pages whose embeds wait for consent: placeholders, nothing loaded.
  for (const p of ['media', 'tracking']) {
    await page.goto(`${origin}/kk/${p}.html`);
    await ready();
    if (p === 'media') {
      const ph = page.locator('[data-kelisim="placeholder"]');
      await until(
        () => ph.count(),
        (n) => n === 2,
      );
      assert.equal(await ph.count(), 2, 'YouTube and Facebook behind placeholders');
      const texts = await ph.allTextContents();
      assert.ok(
        texts.some((t) => t.includes(CONFIG.language.translations.kk.services.youtube.title)),
        `placeholder names YouTube: ${texts}`,
      );
      assert.ok(
        texts.some((t) => t.includes(CONFIG.language.translations.kk.services.facebook.title)),
        `placeholder names Facebook: ${texts}`,
      );
    }
  }
  await page.goto(`${origin}/kk/`);
  await ready();
  await page.locator('[data-kelisim="banner"]').waitFor({ state: 'visible' });
  await page.waitForTimeout(700); // longer than the GTM stand-in's 300 ms: nothing sneaks in late either

  assert.deepEqual(standinRequests(), [], 'the browser asked no stand-in host for anything');
  assert.deepEqual(standinLog(), [], 'the server saw no request for a stand-in host');
  assert.ok(
    demo.log.some((r) => r.host === 'kz.meest.test' && r.path === '/kelisim/kelisim.wasm'),
    'kelisim came from the site itself',
  );
  assert.deepEqual(await ranNames(), []);
  assert.deepEqual(Object.values(await ranFlags()).filter(Boolean), []);
  assert.deepEqual(await cookieNames(), [], 'no cookie at all before a decision');
  assert.equal(await page.evaluate(() => document.cookie), '');
  const fetchedReceipts = await (await fetch(`http://127.0.0.1:${demo.port}/receipts.json`)).json();
  assert.deepEqual(fetchedReceipts, []);

  const panel = await until(readPanel, (p) => p && p.status === 'ready' && p.decided !== null);
  assert.equal(panel.open, true, 'the panel is open at 1280 px');
  assert.equal(panel.title, PANEL.kk.title);
  assert.equal(panel.decided, PANEL.kk.notDecided);
  for (const name of ['google-analytics', 'google-tag-manager', 'hubspot', 'facebook', 'youtube', 'recaptcha']) {
    assert.equal(panel.services[name].consent, PANEL.kk.blocked, `${name} shown blocked`);
    assert.equal(panel.services[name].standin, PANEL.kk.notRun, `${name} shown not run`);
  }

  await page.screenshot({ path: path.join(SCREENSHOTS, 'home-kk-banner.png') });
});

test('accept all: every stand-in runs, its cookies appear, the panel shows it', async () => {
  const from = mark();
  await page.locator('[data-kelisim="banner"] [data-kelisim-action="accept-all"]').click();
  await page.waitForFunction(() => window.__ran_ga && window.__ran_gtm && window.__ran_hubspot);
  const state = await ready();
  assert.equal(state.decided, true);
  assert.equal(state.method, 'accept-all');
  assert.deepEqual([...state.categories].sort(), Object.keys(CONFIG.categories).sort());
  assert.equal(await page.locator('[data-kelisim="banner"]').count(), 0, 'the banner is gone');
  await page.locator('[data-kelisim="reopen"]').waitFor({ state: 'visible' });

  // GA saw analytics_storage granted: Consent Mode's update came first.
  const ga = await page.evaluate(() => window.__standins.find((e) => e.name === 'ga'));
  assert.equal(ga.analytics_storage, 'granted');
  // The server saw the stand-ins' scripts and beacons; GTM's late HubSpot tag ran.
  const seen = await until(
    () => ({ ga: logTo('ga.test', from.log), gtm: logTo('gtm.test', from.log), hubspot: logTo('hubspot.test', from.log) }),
    (s) => s.ga.includes('/collect') && s.hubspot.includes('/track'),
  );
  assert.deepEqual(seen, { ga: ['/analytics.js', '/collect'], gtm: ['/gtm.js'], hubspot: ['/hs.js', '/track'] });
  const names = await until(cookieNames, (n) => [...GA_COOKIES, ...HUBSPOT_COOKIES, 'kelisim'].every((c) => n.includes(c)));
  for (const c of [...GA_COOKIES, ...HUBSPOT_COOKIES, 'kelisim']) assert.ok(names.includes(c), `cookie ${c} in ${names}`);

  // Embedded content: the media page's iframes and SDK, the tracking page's reCAPTCHA.
  await page.goto(`${origin}/kk/media.html`);
  await page.waitForFunction(
    () => window.__ran_youtube && window.__ran_facebook && (window.__standins || []).filter((e) => e.name === 'facebook').length === 2,
  );
  assert.equal(await page.locator('[data-kelisim="placeholder"]').count(), 0);
  assert.ok((await cookieNames()).includes('_fbp'), 'the Facebook SDK stand-in set _fbp');
  assert.ok(requests.slice(from.requests).some((u) => u.startsWith(`http://youtube.test:${demo.port}/embed/`)));
  await page.goto(`${origin}/kk/tracking.html`);
  await page.waitForFunction(() => window.__ran_recaptcha && (window.__standins || []).filter((e) => e.name === 'recaptcha').length === 2);
  assert.ok(logTo('recaptcha.test', from.log).includes('/anchor'));

  // Back home: the panel tells the same story.
  await page.goto(`${origin}/kk/`);
  await page.waitForFunction(() => window.__ran_ga && window.__ran_hubspot);
  const panel = await until(readPanel, (p) => p && p.receipts.length === 1 && p.services.hubspot.standin.startsWith(PANEL.kk.ran));
  assert.equal(panel.decided, PANEL.kk.decided);
  assert.equal(panel.method, 'accept-all');
  for (const [name, standin] of Object.entries({
    'google-analytics': true,
    'google-tag-manager': true,
    hubspot: true,
    facebook: false,
    youtube: false,
    recaptcha: false,
  })) {
    assert.equal(panel.services[name].consent, PANEL.kk.allowed, `${name} shown allowed`);
    assert.ok(
      panel.services[name].standin.startsWith(standin ? PANEL.kk.ran : PANEL.kk.notRun),
      `${name}: ${panel.services[name].standin}`,
    );
  }
  for (const c of [...GA_COOKIES, 'hubspotutk', 'kelisim']) assert.ok(panel.cookies.includes(c), `panel lists ${c}: ${panel.cookies}`);
  assert.deepEqual(panel.receipts, ['accept-all']);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'panel-accepted.png') });
});

test('withdraw analytics in the dialog: its cookies vanish at once, the panel shows it, it stays off', async () => {
  await page.locator('[data-kelisim="reopen"]').click();
  const dialog = page.locator('[data-kelisim="preferences"]');
  await dialog.waitFor({ state: 'visible' });
  const analytics = dialog.locator('input[data-kelisim-category="analytics"]');
  assert.equal(await analytics.isChecked(), true, 'the dialog shows the current decision');
  await analytics.uncheck();
  await dialog.locator('[data-kelisim-action="save"]').click();
  await dialog.waitFor({ state: 'detached' });

  const state = await ready();
  assert.equal(state.method, 'custom');
  assert.ok(!state.categories.includes('analytics'));
  assert.ok(state.categories.includes('marketing'));
  assert.equal(
    await page.evaluate(() =>
      [
        window.kelisim.isAllowed('analytics'),
        window.kelisim.isAllowed('google-analytics'),
        window.kelisim.isAllowed('google-tag-manager'),
      ].join(),
    ),
    'false,false,false',
  );
  const names = await until(cookieNames, (n) => !GA_COOKIES.some((c) => n.includes(c)), 1000);
  for (const c of GA_COOKIES) assert.ok(!names.includes(c), `${c} deleted: ${names}`);
  for (const c of ['hubspotutk', '__hstc', 'kelisim']) assert.ok(names.includes(c), `${c} kept (marketing still allowed): ${names}`);

  const panel = await until(readPanel, (p) => p && p.method === 'custom' && p.receipts.length === 2);
  assert.equal(panel.services['google-analytics'].consent, PANEL.kk.blocked);
  assert.equal(panel.services['google-tag-manager'].consent, PANEL.kk.blocked);
  assert.equal(panel.services.hubspot.consent, PANEL.kk.allowed);
  for (const c of GA_COOKIES) assert.ok(!panel.cookies.includes(c), `panel no longer lists ${c}: ${panel.cookies}`);
  const categories = Object.values(panel.decision).find((v) => Array.isArray(v) && v.includes('necessary'));
  assert.ok(
    categories && !categories.includes('analytics') && categories.includes('marketing'),
    `panel categories: ${JSON.stringify(panel.decision)}`,
  );
  assert.deepEqual(panel.receipts, ['custom', 'accept-all'], 'newest receipt first');

  // A new page load: GA and GTM are not even asked for.
  const from = mark();
  await page.reload();
  await ready();
  await page.waitForTimeout(500);
  assert.deepEqual([...logTo('ga.test', from.log), ...logTo('gtm.test', from.log)], []);
  assert.deepEqual(await ranNames(), []);
  assert.ok(!(await cookieNames()).some((n) => GA_COOKIES.includes(n)));
});

/** The visible page and kelisim's dialog in `lang`. */
async function checkLanguage(lang) {
  assert.equal(new URL(page.url()).pathname, `/${lang}/`);
  assert.equal(await page.locator('html').getAttribute('lang'), lang);
  assert.equal(await page.locator('h1').textContent(), TEXTS[lang].home.h1);
  assert.deepEqual(await page.locator('#site-nav a').allTextContents(), Object.values(TEXTS[lang].nav));
  await ready();
  assert.equal(await page.evaluate(() => window.kelisim.language), lang);
  assert.equal(await page.locator('[data-kelisim="banner"]').count(), 0, 'decided: no banner in any language');
  const panel = await until(readPanel, (p) => p && p.status === 'ready' && p.services.hubspot.consent !== '—');
  assert.equal(panel.title, PANEL[lang].title);
  assert.equal(panel.headings[0], PANEL[lang].decision);
  assert.equal(panel.services.hubspot.consent, PANEL[lang].allowed);
  assert.equal(panel.services['google-analytics'].consent, PANEL[lang].blocked);

  // The footer's "Cookie settings" link opens kelisim's dialog in the same language.
  await page.locator(`footer a[data-kelisim-open="preferences"]`).click();
  const dialog = page.locator('[data-kelisim="preferences"]');
  await dialog.waitFor({ state: 'visible' });
  const text = await dialog.innerText();
  const t = CONFIG.language.translations[lang];
  for (const c of ['necessary', 'analytics', 'marketing', 'embedded'])
    assert.ok(text.includes(t.categories[c].title), `${lang} dialog shows "${t.categories[c].title}"`);
  for (const other of ['kk', 'ru', 'en'].filter((l) => l !== lang)) {
    assert.ok(!text.includes(CONFIG.language.translations[other].categories.embedded.title), `no ${other} text in the ${lang} dialog`);
  }
  assert.equal(await dialog.locator('input[data-kelisim-category="analytics"]').isChecked(), false);
  assert.equal(await dialog.locator('input[data-kelisim-category="marketing"]').isChecked(), true);
  await dialog.locator('[data-kelisim-action="close"]').click();
  await dialog.waitFor({ state: 'detached' });
}

test('language switch: Russian, then English (site, kelisim, panel); the choice is remembered', async () => {
  await page.locator('.langs a[data-set-lang="ru"]').click();
  await page.waitForURL(`${origin}/ru/`);
  await checkLanguage('ru');
  await page.locator('.langs a[data-set-lang="en"]').click();
  await page.waitForURL(`${origin}/en/`);
  await checkLanguage('en');
  // "Preferences" is allowed, so the site's language cookie was kept and / now leads to English.
  assert.ok((await context.cookies()).some((c) => c.name === 'dala_lang' && c.value === 'en'));
  await page.goto(`${origin}/`);
  assert.equal(new URL(page.url()).pathname, '/en/');
});

test("the Cookiebot page: window.Cookiebot and data-cookieconsent tags follow kelisim, renew() opens kelisim's dialog", async () => {
  let from = mark();
  await page.goto(`${origin}/en/cookiebot.html`);
  await ready();
  const cell = (name) => page.locator(`#cookiebot-consent [data-cb="${name}"]`).textContent();
  const table = async () =>
    Object.fromEntries(
      await Promise.all(['necessary', 'preferences', 'statistics', 'marketing', 'hasResponse'].map(async (n) => [n, await cell(n)])),
    );
  const shown = await until(table, (t) => t.hasResponse === 'true');
  assert.deepEqual(shown, { necessary: 'true', preferences: 'true', statistics: 'false', marketing: 'true', hasResponse: 'true' });
  assert.equal(await page.locator('#cookiebot-global').textContent(), 'window.Cookiebot ✓');
  // The marketing tag (HubSpot) ran, the statistics tag (GA) did not.
  await page.waitForFunction(() => window.__ran_hubspot === true);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__ran_ga === true), false);
  assert.deepEqual(logTo('ga.test', from.log), []);
  assert.ok(logTo('hubspot.test', from.log).includes('/hs.js'));
  assert.equal(await page.locator('#cookiebot-marketing-widget').isVisible(), true);
  const events = await until(
    () => page.locator('#cookiebot-events li').allTextContents(),
    (e) => e.some((x) => x.includes('CookiebotOnConsentReady')),
  );
  assert.ok(
    events.some((e) => e.includes('CookiebotOnConsentReady')),
    `events: ${events}`,
  );
  assert.ok(
    events.some((e) => e.includes('CookiebotOnAccept')),
    `a returning visitor who consented: CookiebotOnAccept on load (${events})`,
  );

  // Cookiebot.renew() brings kelisim's banner back; accepting all there is
  // seen through Cookiebot's API and event, and the statistics tag runs now.
  from = mark();
  await page.locator('#cookiebot-renew').click();
  const dialog = page.locator('[data-kelisim="preferences"]');
  await dialog.waitFor({ state: 'visible' });
  await dialog.locator('[data-kelisim-action="accept-all"]').click();
  await page.waitForFunction(() => window.__ran_ga === true);
  const after = await until(table, (t) => t.statistics === 'true');
  assert.deepEqual(after, { necessary: 'true', preferences: 'true', statistics: 'true', marketing: 'true', hasResponse: 'true' });
  assert.ok(logTo('ga.test', from.log).includes('/analytics.js'));
  const events2 = await until(
    () => page.locator('#cookiebot-events li').allTextContents(),
    (e) => e[0] && e[0].includes('CookiebotOnAccept'),
  );
  assert.ok(events2[0].includes('CookiebotOnAccept'), `newest event: ${events2}`);
  assert.equal(await page.evaluate(() => window.Cookiebot.consent.statistics), true);
  await until(cookieNames, (n) => n.includes('_ga'));
  assert.ok((await cookieNames()).includes('_ga'));
});

test('/receipts lists the receipts, under the id kelisim.state() reports', async () => {
  const state = await ready();
  assert.equal(state.method, 'accept-all');
  // Wait for the last receipt to be delivered (kelisim's queue is empty).
  await page.waitForFunction(() => !JSON.parse(localStorage.getItem('kelisim:receipts') || '[]').length);
  await page.goto(`${origin}/receipts`);
  const rows = await page
    .locator('table.receipts tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.cells).map((td) => td.textContent.trim())));
  // columns: received, timestamp, id, seq., rev., method, accepted, rejected, lang., url (newest first)
  assert.deepEqual(
    rows.map((r) => [r[2], r[3], r[5]]),
    [
      [state.id, '3', 'accept-all'],
      [state.id, '2', 'custom'],
      [state.id, '1', 'accept-all'],
    ],
  );
  assert.deepEqual(
    rows.map((r) => r[8]),
    ['en', 'kk', 'kk'],
  );
  assert.ok(rows[1][7].includes('analytics'), 'the withdrawal lists analytics as rejected');
  assert.ok(await page.getByText(state.id).first().isVisible());
  const stored = fs
    .readFileSync(path.join(dataDir, 'receipts.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    stored.map((r) => [r.id, r.sequence]),
    [
      [state.id, 1],
      [state.id, 2],
      [state.id, 3],
    ],
  );
  assert.ok(
    !JSON.stringify(stored).includes('HeadlessChrome') && !JSON.stringify(stored).includes('127.0.0.1'),
    'no user agent or IP address stored',
  );
  assert.deepEqual(pageErrors, [], 'no page errors during the walk');
  assert.deepEqual(consoleErrors, [], 'no console errors (CSP violations included) during the walk');
});
