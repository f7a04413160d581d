// The kelisim demo server: the Dala Express site, the stand-ins for its third
// parties (each on a host name of its own), the built kelisim files and the
// reference consent-receipts endpoint (receipts.mjs, SPEC §6). Node ≥ 20,
// built-ins only.
//
//   node demo/server.mjs            → http://127.0.0.1:8080/  (PORT, HOST override)
//   import { startDemoServer } from './demo/server.mjs'   (tests)

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import net from 'node:net';
import crypto from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCookies, readBody, sendJson, sendText } from './http.mjs';
import { createReceiptsEndpoint } from './receipts.mjs';

export { validateReceipt } from './receipts.mjs';

const DEMO_DIR = path.dirname(fileURLToPath(import.meta.url));
const SITE_DIR = path.join(DEMO_DIR, 'site');
const STANDINS_DIR = path.join(DEMO_DIR, 'standins');
const KELISIM_DIST_DIR = fileURLToPath(new URL('../js/dist/', import.meta.url));
const DEFAULT_DATA_DIR = path.join(DEMO_DIR, 'data');
const SITE_CONFIG_FILE = path.join(SITE_DIR, 'consent.json');

const LANGUAGES = ['kk', 'ru', 'en'];
const DEFAULT_LANGUAGE = 'kk';
const BEACON_BODY_LIMIT = 16 * 1024;
const REQUEST_LOG_LIMIT = 20000;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// Every stand-in answers only the paths listed here (no directory serving, so
// nothing outside its folder can be reached). A string names a file in
// demo/standins/<name>/; a function handles the request itself.
const STANDINS = {
  ga: {
    title: 'Google Analytics stand-in',
    routes: { '/analytics.js': 'analytics.js', '/collect': beaconHandler },
  },
  gtm: {
    title: 'Google Tag Manager stand-in',
    routes: { '/gtm.js': 'gtm.js' },
  },
  hubspot: {
    title: 'HubSpot stand-in',
    routes: { '/hs.js': 'hs.js', '/track': beaconHandler },
  },
  facebook: {
    title: 'Facebook stand-in',
    routes: { '/sdk.js': 'sdk.js', '/page': 'page.html', '/page.css': 'page.css', '/page.js': 'page.js' },
  },
  youtube: {
    title: 'YouTube stand-in',
    routes: { '/embed/*': 'embed.html', '/player.css': 'player.css', '/player.js': 'player.js' },
  },
  recaptcha: {
    title: 'reCAPTCHA stand-in',
    routes: {
      '/api.js': 'api.js',
      '/anchor': 'anchor.html',
      '/anchor.css': 'anchor.css',
      '/anchor.js': 'anchor.js',
      '/verify': recaptchaVerifyHandler,
    },
  },
};

export const STANDIN_NAMES = Object.keys(STANDINS);

/**
 * Starts the demo server.
 * @param {{ port?: number, host?: string, dataDir?: string, csp?: boolean }} [options]
 *   `port` 0 picks a free port; `dataDir` is where receipts.jsonl goes
 *   (default demo/data/); `csp: false` leaves out the Content-Security-Policy header.
 * @returns {Promise<{ url: string, port: number, close(): Promise<void>,
 *   log: Array<{ host: string, path: string, search: string, method: string, time: number }> }>}
 */
export async function startDemoServer({ port = 0, host = '127.0.0.1', dataDir = DEFAULT_DATA_DIR, csp = true } = {}) {
  const ctx = {
    log: [],
    csp,
    receipts: createReceiptsEndpoint({ dataDir: path.resolve(dataDir), configFile: SITE_CONFIG_FILE, csp }),
    captchaTokens: new Map(),
  };
  const server = http.createServer((req, res) => {
    handle(ctx, req, res).catch((err) => {
      console.error('demo server error:', err);
      if (!res.headersSent) sendText(res, 500, 'Internal server error\n');
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : net.isIPv6(host) ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}/`,
    port: actualPort,
    log: ctx.log,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function handle(ctx, req, res) {
  const hostInfo = parseHost(req.headers.host);
  let url;
  try {
    url = new URL(req.url, 'http://placeholder');
  } catch {
    return sendText(res, 400, 'Bad request\n');
  }
  ctx.log.push({
    host: hostInfo ? hostInfo.hostname : '',
    path: url.pathname,
    search: url.search,
    method: req.method,
    time: Date.now(),
  });
  if (ctx.log.length > REQUEST_LOG_LIMIT) ctx.log.splice(0, ctx.log.length - REQUEST_LOG_LIMIT);

  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('Cache-Control', 'no-store');

  if (!hostInfo) return sendText(res, 400, 'Bad Host header\n');

  const standin = standinFor(hostInfo.hostname);
  if (standin) return handleStandin(ctx, standin, req, res, url);
  return handleSite(ctx, hostInfo, req, res, url);
}

// ---------------------------------------------------------------------------
// Host names

/** Splits a Host header into hostname and port; null when it is not a plain host name or IP. */
export function parseHost(header) {
  if (typeof header !== 'string' || header.length === 0 || header.length > 255) return null;
  const value = header.toLowerCase();
  let hostname;
  let port = '';
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(value);
  if (v6) {
    if (!net.isIPv6(v6[1])) return null;
    hostname = v6[1];
    port = v6[2] || '';
  } else {
    const m = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
    if (!m) return null;
    hostname = m[1].replace(/\.$/, '');
    port = m[2] || '';
    if (!hostname) return null;
  }
  return { hostname, port };
}

function standinFor(hostname) {
  const labels = hostname.split('.');
  if (labels.length < 2) return null;
  return Object.hasOwn(STANDINS, labels[0]) ? labels[0] : null;
}

/**
 * The host suffix under which the stand-ins are reached from a page served on
 * this host: loopback addresses and *.localhost → "localhost", any other name →
 * its last label (kz.meest.test → "test"), keeping the port.
 */
export function standinSuffix({ hostname, port }) {
  let base;
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || net.isIP(hostname)) base = 'localhost';
  else base = hostname.split('.').pop();
  return port ? `${base}:${port}` : base;
}

function contentSecurityPolicy(suffix) {
  const thirdParties = `http://*.${suffix}`;
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${thirdParties}`,
    "style-src 'self'",
    `img-src 'self' data: ${thirdParties}`,
    `frame-src ${thirdParties}`,
    `connect-src 'self' ${thirdParties}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

// ---------------------------------------------------------------------------
// The site

async function handleSite(ctx, hostInfo, req, res, url) {
  const p = url.pathname;

  if (p === '/consent-receipts') return ctx.receipts.post(req, res, hostInfo);
  if (p === '/receipts') return onlyGet(req, res) && ctx.receipts.page(req, res);
  if (p === '/receipts.json') return onlyGet(req, res) && ctx.receipts.json(req, res);
  if (p === '/api/track') return onlyGet(req, res) && handleTrack(ctx, res, url);

  if (!onlyGet(req, res)) return;

  if (p === '/') return redirect(res, `/${preferredLanguage(req) || DEFAULT_LANGUAGE}/`);
  if (p === '/privacy') return redirect(res, `/${languageFromReferer(req) || preferredLanguage(req) || DEFAULT_LANGUAGE}/privacy.html`);
  if (LANGUAGES.includes(p.slice(1))) return redirect(res, `${p}/`);
  if (p === '/favicon.ico') return redirect(res, '/assets/favicon.svg');

  if (p.startsWith('/kelisim/')) {
    const file = safeJoin(KELISIM_DIST_DIR, p.slice('/kelisim/'.length));
    return sendFile(req, res, file, { cache: 'no-cache' });
  }

  let relative = p;
  if (relative.endsWith('/')) relative += 'index.html';
  const file = safeJoin(SITE_DIR, relative.slice(1));
  if (file && file.endsWith('.html')) {
    const suffix = standinSuffix(hostInfo);
    return sendFile(req, res, file, {
      rewrite: (text) => text.replaceAll('{{STANDIN_SUFFIX}}', suffix).replaceAll('{{SCHEME}}', 'http'),
      headers: ctx.csp ? { 'Content-Security-Policy': contentSecurityPolicy(suffix) } : {},
    });
  }
  return sendFile(req, res, file);
}

function onlyGet(req, res) {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.setHeader('Allow', 'GET, HEAD');
  sendText(res, 405, 'Method not allowed\n');
  return false;
}

/** The language the visitor picked earlier (the site's own `dala_lang` preference cookie). */
function preferredLanguage(req) {
  const lang = parseCookies(req.headers.cookie).get('dala_lang');
  return LANGUAGES.includes(lang) ? lang : null;
}

function languageFromReferer(req) {
  try {
    const ref = new URL(req.headers.referer);
    if (ref.host !== req.headers.host) return null;
    const first = ref.pathname.split('/')[1];
    return LANGUAGES.includes(first) ? first : null;
  } catch {
    return null;
  }
}

/** Resolves `relative` inside `root`, or null when it would leave it or names a dotfile. */
function safeJoin(root, relative) {
  let decoded;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const resolvedRoot = path.resolve(root);
  const full = path.resolve(resolvedRoot, ...segments.filter(Boolean));
  if (full !== resolvedRoot && !full.startsWith(resolvedRoot + path.sep)) return null;
  return full;
}

async function sendFile(req, res, file, { rewrite = null, headers = {}, cache = 'no-store' } = {}) {
  if (!file) return sendNotFound(res);
  let stat;
  try {
    stat = await fsp.stat(file);
  } catch {
    return sendNotFound(res);
  }
  if (stat.isDirectory()) {
    const p = new URL(req.url, 'http://placeholder').pathname;
    return p.endsWith('/') ? sendNotFound(res) : redirect(res, `${p}/`);
  }
  if (!stat.isFile()) return sendNotFound(res);
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
  let body = await fsp.readFile(file);
  if (rewrite) body = Buffer.from(rewrite(body.toString('utf8')), 'utf8');
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': cache });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendNotFound(res) {
  sendText(res, 404, 'Not found\n');
}

function redirect(res, location) {
  res.writeHead(302, { Location: location, 'Content-Length': 0 });
  res.end();
}

// ---------------------------------------------------------------------------
// Stand-ins

async function handleStandin(ctx, name, req, res, url) {
  const routes = STANDINS[name].routes;
  let target = routes[url.pathname];
  if (!target) {
    for (const [pattern, value] of Object.entries(routes)) {
      if (pattern.endsWith('/*') && url.pathname.startsWith(pattern.slice(0, -1)) && url.pathname.length > pattern.length - 1) {
        target = value;
        break;
      }
    }
  }
  if (!target) return sendNotFound(res);
  if (typeof target === 'function') return target(ctx, req, res, url);
  if (!onlyGet(req, res)) return;
  const headers = target.endsWith('.html') ? { 'Content-Security-Policy': "default-src 'self'; img-src 'self' data:" } : {};
  return sendFile(req, res, path.join(STANDINS_DIR, name, target), { headers });
}

/** Analytics beacons: accepted and dropped (the request itself shows in the log). */
async function beaconHandler(ctx, req, res) {
  await readBody(req, BEACON_BODY_LIMIT).catch(() => null);
  res.writeHead(204, { 'Access-Control-Allow-Origin': '*' });
  res.end();
}

/** The reCAPTCHA stand-in's widget asks for a token after the checkbox is ticked. */
async function recaptchaVerifyHandler(ctx, req, res) {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendText(res, 405, 'Method not allowed\n');
  }
  await readBody(req, 1024).catch(() => null);
  const now = Date.now();
  for (const [token, expires] of ctx.captchaTokens) if (expires < now) ctx.captchaTokens.delete(token);
  const token = `dx-captcha-${crypto.randomBytes(18).toString('base64url')}`;
  ctx.captchaTokens.set(token, now + 2 * 60 * 1000);
  sendJson(res, 200, { success: true, token });
}

// The site's tracking API: checks the reCAPTCHA token server-side (as a real
// site calls siteverify) and answers with a made-up route for the number.
function handleTrack(ctx, res, url) {
  const number = (url.searchParams.get('number') || '').trim().toUpperCase();
  const token = url.searchParams.get('token') || '';
  const expires = ctx.captchaTokens.get(token);
  if (!expires || expires < Date.now()) return sendJson(res, 403, { error: 'captcha' });
  ctx.captchaTokens.delete(token);
  if (!/^[A-Z0-9]{6,20}$/.test(number)) return sendJson(res, 400, { error: 'number' });

  const digest = crypto.createHash('sha256').update(number).digest();
  const cities = ['almaty', 'astana', 'shymkent', 'karaganda', 'aktobe', 'pavlodar', 'oskemen', 'atyrau'];
  const statuses = ['accepted', 'departed', 'in_transit', 'arrived', 'out_for_delivery', 'delivered'];
  const from = cities[digest[0] % cities.length];
  let to = cities[digest[1] % cities.length];
  if (to === from) to = cities[(digest[1] + 1) % cities.length];
  const steps = 2 + (digest[2] % (statuses.length - 1));
  const start = Date.now() - steps * 9 * 3600 * 1000;
  const events = [];
  for (let i = 0; i < steps; i++) {
    const status = statuses[i];
    const city = i < 2 ? from : i === 2 ? 'transit' : to;
    events.push({ status, city, time: new Date(start + i * 9 * 3600 * 1000 + digest[3 + i] * 60000).toISOString() });
  }
  sendJson(res, 200, { number, from, to, delivered: steps === statuses.length, events: events.reverse() });
}

// ---------------------------------------------------------------------------
// Run directly

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(fs.realpathSync(process.argv[1])).href === pathToFileURL(fs.realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const port = Number(process.env.PORT || 8080);
  const host = process.env.HOST || '127.0.0.1';
  const dataDir = process.env.DATA_DIR || DEFAULT_DATA_DIR;
  const demo = await startDemoServer({ port, host, dataDir });
  const p = demo.port;
  console.log(`Dala Express — kelisim demo: ${demo.url}`);
  console.log(`  stand-ins: ${STANDIN_NAMES.map((n) => `http://${n}.localhost:${p}/`).join(' ')}`);
  console.log(`  receipts:  ${demo.url}receipts  (stored in ${path.join(path.resolve(dataDir), 'receipts.jsonl')})`);
  if (!fs.existsSync(path.join(KELISIM_DIST_DIR, 'kelisim.js'))) {
    console.log('  note: js/dist/kelisim.js is missing (run `make build`); gated content stays blocked without it.');
  }
  console.log('Press Ctrl-C to stop.');
  const stop = () => demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
