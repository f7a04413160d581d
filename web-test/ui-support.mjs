// Shared pieces of the UI browser tests: a server that serves the UI test
// page with any <html lang> and any configuration variant (optionally under
// the strict CSP), page instrumentation (CSP violations, layout shifts) and
// helpers that look through the UI's shadow roots.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer } from './harness.mjs';
import { readFileSync } from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const AXE = path.join(here, '..', 'node_modules', 'axe-core', 'axe.min.js');
// The committed screenshots are refreshed with KELISIM_SCREENSHOTS=1; otherwise
// a test run writes them to a temporary folder and leaves the tree clean.
export const SCREENSHOTS =
  process.env.KELISIM_SCREENSHOTS === '1' ? path.join(here, 'screenshots') : path.join(tmpdir(), 'kelisim-screenshots');
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
export const BASE_CONFIG = JSON.parse(await readFile(path.join(here, 'pages', 'ui-config.json'), 'utf8'));

const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Deep merge of plain objects; `undefined` deletes a key. */
export function merged(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over || {})) {
    if (v === undefined) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object') out[k] = merged(base[k], v);
    else out[k] = v;
  }
  return out;
}

/**
 * The loopback server plus `url({ lang, config })`: the UI test page with that
 * <html lang> (`null` leaves it out) and BASE_CONFIG merged with `config`.
 * `csp: true` sends the strict policy with the page.
 */
export async function startUiServer({ csp = false } = {}) {
  const configs = new Map();
  const headers = csp ? { 'content-security-policy': STRICT_CSP } : {};
  const template = await readFile(path.join(here, 'pages', 'ui-page.html'), 'utf8');
  let server;
  server = await startServer({
    headers,
    routes: {
      '/ui-page.html': (req, res) => {
        const q = new URL(req.url, 'http://site.test').searchParams;
        let html = template
          .replaceAll('{{PORT}}', String(server.port))
          .replace('{{CONFIG}}', attr(`/ui-variant.json?name=${q.get('config')}`));
        html = q.has('lang') ? html.replace('{{LANG}}', attr(q.get('lang'))) : html.replace(' lang="{{LANG}}"', '');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
        res.end(html);
      },
      '/ui-variant.json': (req, res) => {
        const name = new URL(req.url, 'http://site.test').searchParams.get('name');
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(configs.get(name)));
      },
    },
  });
  server.url = ({ lang = 'kk', config = {} } = {}) => {
    const name = String(configs.size);
    configs.set(name, merged(BASE_CONFIG, config));
    const q = new URLSearchParams({ config: name });
    if (lang !== null) q.set('lang', lang);
    return `${server.origin}/ui-page.html?${q}`;
  };
  return server;
}

/**
 * Records CSP violations (window.__csp) and every layout shift
 * (window.__shifts, with or without recent input); `gpc` fakes
 * navigator.globalPrivacyControl.
 */
export async function instrument(page, { gpc = false } = {}) {
  await page.addInitScript((gpcOn) => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
    if (gpcOn) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
  }, gpc);
}

/** Waits for kelisim to be ready (throws on a start error). */
export async function ready(page) {
  const r = await page.evaluate(() =>
    window.kelisimReady.then(
      (k) => ({ ok: true, state: k.state() }),
      (e) => ({ ok: false, message: e.message }),
    ),
  );
  if (!r.ok) throw new Error(`kelisim failed to start: ${r.message}`);
  return r.state;
}

/** What has focus, looking through shadow roots: an action, a toggle, an id or a tag. */
export function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return null;
    const inDialog = !!(a.closest && a.closest('[data-kelisim="preferences"]'));
    const key =
      a.getAttribute('data-kelisim-action') ||
      (a.getAttribute('data-kelisim-category') && `category:${a.getAttribute('data-kelisim-category')}`) ||
      (a.getAttribute('data-kelisim-service') && `service:${a.getAttribute('data-kelisim-service')}`) ||
      a.getAttribute('data-kelisim') ||
      a.id ||
      a.localName;
    return { key, inDialog, tag: a.localName, outline: getComputedStyle(a).outlineStyle };
  });
}

/** Runs axe-core over the whole page (open shadow roots included); returns the violations. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary}`),
    }));
  });
}

/** The built-in texts the tests look for, from their one source (wasm/texts/builtin-texts.json). */
const BUILTIN = JSON.parse(readFileSync(new URL('../wasm/texts/builtin-texts.json', import.meta.url), 'utf8'));
const builtin = (lang) => ({
  title: BUILTIN['banner.title'][lang],
  accept: BUILTIN['banner.acceptAll'][lang],
  reject: BUILTIN['banner.rejectAll'][lang],
  prefs: BUILTIN['preferences.title'][lang],
  loadOnce: BUILTIN['placeholder.loadOnce'][lang],
  close: BUILTIN['preferences.close'][lang],
});
export const TEXTS = {
  kk: {
    ...builtin('kk'),
    // Parts of longer notices, as a visitor would look for them.
    revision: 'Соңғы кіруіңізден бері cookie саясатымыз өзгерді',
    newItems: 'Сізден әлі сұралмаған жаңа қызметтер қосылды',
    expired: 'Алдыңғы таңдауыңыздың мерзімі аяқталды',
    gpc: 'Global Privacy Control',
  },
  ru: builtin('ru'),
  en: builtin('en'),
};

export const sel = {
  banner: '[data-kelisim="banner"]',
  prefs: '[data-kelisim="preferences"]',
  reopen: '[data-kelisim="reopen"]',
  placeholder: '[data-kelisim="placeholder"]',
  action: (a, within = '') => `${within} [data-kelisim-action="${a}"]`.trim(),
};
