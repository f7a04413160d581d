// Builds the scanner's catalogue (dist/scan/catalogue.json): the services
// kelisim knows by name (js/scan/catalogue.json) followed by a compact form of
// the Open Cookie Database (js/scan/data/open-cookie-database.csv, Apache 2.0),
// which the engine consults only for what nothing else explains. Run by
// js/build.mjs; also importable (`buildCatalogue()`) for tests.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.join(here, 'data');

// The database's categories, as kelisim's (SPEC §3) name them.
const CATEGORY = {
  Analytics: 'analytics',
  Marketing: 'marketing',
  Functional: 'preferences',
  Personalization: 'preferences',
  Security: 'necessary',
  Necessary: 'necessary',
};

// Platforms the catalogue already knows: their rows join the catalogue entry
// (and take its category), so a finding is never split across two names.
const KNOWN_PLATFORM = {
  'Google Analytics': 'google-analytics',
  'Google Tag Manager': 'google-tag-manager',
  'Google Ads': 'google-ads',
  'Google AdSense': 'google-ads',
  'DoubleClick/Google Marketing': 'google-ads',
  'Google Maps': 'google-maps',
  'Google reCAPTCHA': 'recaptcha',
  HubSpot: 'hubspot',
  Hubspot: 'hubspot',
  Facebook: 'facebook',
  Youtube: 'youtube',
  Hotjar: 'hotjar',
  'Yandex.Metrica': 'yandex-metrica',
  TikTok: 'tiktok',
  LinkedIn: 'linkedin',
  Vimeo: 'vimeo',
};

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

// The same rules as the engine's valid_name_pattern / valid_host_pattern:
// the catalogue must pass the engine's own reading of it.
const validName = (s) => /^[\x21-\x7e]+$/.test(s) && !/[;,=]/.test(s);
const validHost = (s) => s.length <= 253 && s.split('.').every((l) => /^[a-z0-9-]{1,63}$/.test(l));

function slug(platform) {
  return (
    platform
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'unnamed'
  );
}

/** The domains a row's Domain column names ("facebook.com (3rd party)", ".bing.com or .microsoft.com"). */
function domains(text) {
  const out = [];
  for (const m of text.toLowerCase().matchAll(/[a-z0-9-]+(?:\.[a-z0-9-]+)+/g)) {
    const d = m[0].replace(/^www\./, '');
    if (validHost(d) && /\.[a-z]{2,}$/.test(d) && !out.includes(d)) out.push(d);
  }
  return out;
}

/** The description's first sentence (at most 160 characters) and how long the cookie is kept. */
function describe(description, retention) {
  let text = description.replace(/\s+/g, ' ').trim();
  const first = /^(.+?[.!?])(?:\s|$)/.exec(text);
  if (first) text = first[1];
  if (text.length > 160) text = `${text.slice(0, 159).trimEnd()}…`;
  const kept = retention.replace(/\s+/g, ' ').trim();
  return kept ? `${text}${text ? ' ' : ''}(kept: ${kept})` : text;
}

/**
 * The catalogue: `known` (js/scan/catalogue.json, parsed) plus an
 * `openCookieDatabase` section built from the CSV's rows.
 */
export function buildCatalogue(known, csvText, source) {
  const rows = parseCsv(csvText);
  const services = new Map();
  // A platform's rows in several categories become one service per category
  // (the majority keeps the plain name): a configuration service has one.
  const byPlatform = new Map();
  for (const r of rows) {
    const category = CATEGORY[r.Category];
    if (!category) continue;
    const list = byPlatform.get(r.Platform) || [];
    list.push({ ...r, category });
    byPlatform.set(r.Platform, list);
  }
  let skipped = 0;
  for (const [platform, list] of byPlatform) {
    const knownId = KNOWN_PLATFORM[platform];
    const counts = new Map();
    for (const r of list) counts.set(r.category, (counts.get(r.category) || 0) + 1);
    const majority = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    for (const r of list) {
      const id = knownId || (r.category === majority ? slug(platform) : `${slug(platform)}-${r.category}`);
      const category = knownId ? known.services[knownId].category : r.category;
      let name = r['Cookie / Data Key name'].trim();
      const where = domains(r.Domain);
      // Names that cannot be cookie names, and one- or two-letter names that
      // would claim any site's own cookie of that name, are left out.
      if (!validName(name) || (!where.length && name.length < 3)) {
        skipped++;
        continue;
      }
      if (r['Wildcard match'] === '1' && !name.endsWith('*')) name += '*';
      if (!services.has(id)) {
        services.set(id, {
          category,
          title: knownId ? known.language.translations.en.services[knownId].title : platform,
          cookies: [],
          thirdPartyCookies: [],
          hosts: [],
          about: {},
        });
      }
      const s = services.get(id);
      // A row that names a domain is a cookie on that domain: it counts only there.
      const list2 = where.length ? s.thirdPartyCookies : s.cookies;
      if (!list2.includes(name)) list2.push(name);
      for (const d of where) for (const h of [d, `*.${d}`]) if (!s.hosts.includes(h)) s.hosts.push(h);
      if (!s.about[name]) {
        const about = describe(r.Description, r['Retention period']);
        if (about) s.about[name] = about;
      }
    }
  }
  return { ...known, openCookieDatabase: { source, skipped, services: Object.fromEntries(services) } };
}

/** Writes dist/scan/: catalogue.json, the database's licence and the NOTICE. */
export function writeCatalogue(dist) {
  const out = path.join(dist, 'scan');
  mkdirSync(out, { recursive: true });
  const known = JSON.parse(readFileSync(path.join(here, 'catalogue.json'), 'utf8'));
  const csv = readFileSync(path.join(DATA, 'open-cookie-database.csv'), 'utf8');
  const source =
    'Open Cookie Database (github.com/jkwakman/Open-Cookie-Database), commit 0ee5a17fe1cb002943f89370d24fc26a4226061c, Apache-2.0';
  const catalogue = buildCatalogue(known, csv, source);
  delete catalogue.$comment;
  writeFileSync(path.join(out, 'catalogue.json'), JSON.stringify(catalogue));
  copyFileSync(path.join(DATA, 'open-cookie-database.LICENSE'), path.join(out, 'open-cookie-database.LICENSE'));
  copyFileSync(path.join(DATA, 'NOTICE'), path.join(out, 'NOTICE'));
}
