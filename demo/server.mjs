// The kelisim demo server: the Dala Express site, the stand-ins for its third
// parties (each on a host name of its own), the built kelisim files and the
// reference consent-receipts endpoint (SPEC §6). Node ≥ 20, built-ins only.
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

const DEMO_DIR = path.dirname(fileURLToPath(import.meta.url));
const SITE_DIR = path.join(DEMO_DIR, 'site');
const STANDINS_DIR = path.join(DEMO_DIR, 'standins');
const KELISIM_DIST_DIR = fileURLToPath(new URL('../js/dist/', import.meta.url));
const DEFAULT_DATA_DIR = path.join(DEMO_DIR, 'data');
const SITE_CONFIG_FILE = path.join(SITE_DIR, 'consent.json');

const LANGUAGES = ['kk', 'ru', 'en'];
const DEFAULT_LANGUAGE = 'kk';
const RECEIPT_BODY_LIMIT = 16 * 1024;
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
    receipts: new ReceiptStore(path.resolve(dataDir)),
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

  if (p === '/consent-receipts') return handleReceiptPost(ctx, req, res);
  if (p === '/receipts') return onlyGet(req, res) && sendReceiptsPage(ctx, req, res);
  if (p === '/receipts.json') return onlyGet(req, res) && sendReceiptsJson(ctx, req, res);
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

function parseCookies(header) {
  const out = new Map();
  if (typeof header !== 'string') return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
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

function sendText(res, status, text, headers = {}) {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

function sendJson(res, status, value, headers = {}) {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
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
  await readBody(req, RECEIPT_BODY_LIMIT).catch(() => null);
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
// Receipts (SPEC §6)

const RECEIPT_METHODS = ['accept-all', 'reject-all', 'custom', 'api'];

/** Returns null for a valid receipt, else [field, problem]. */
export function validateReceipt(r) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return ['receipt', 'must be a JSON object'];
  const isName = (s) => typeof s === 'string' && s.length > 0 && s.length <= 100;
  if (typeof r.id !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(r.id)) return ['id', 'must be a string of 1–128 letters, digits, "-", "_", ".", ":"'];
  if (!Number.isSafeInteger(r.sequence) || r.sequence < 0) return ['sequence', 'must be a non-negative integer'];
  if (!Number.isSafeInteger(r.revision) || r.revision < 0) return ['revision', 'must be a non-negative integer'];
  const ts = typeof r.timestamp === 'string' || typeof r.timestamp === 'number' ? new Date(r.timestamp) : null;
  if (!ts || Number.isNaN(ts.getTime()) || (typeof r.timestamp === 'string' && r.timestamp.length > 40)) return ['timestamp', 'must be an ISO 8601 date-time or a time in milliseconds'];
  if (!RECEIPT_METHODS.includes(r.method)) return ['method', `must be one of ${RECEIPT_METHODS.join(', ')}`];
  if (!Array.isArray(r.accepted) || r.accepted.length > 200 || !r.accepted.every(isName)) return ['accepted', 'must be an array of category and service names'];
  if (!Array.isArray(r.rejected) || r.rejected.length > 200 || !r.rejected.every(isName)) return ['rejected', 'must be an array of category and service names'];
  if (typeof r.language !== 'string' || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(r.language)) return ['language', 'must be a language tag'];
  if (typeof r.url !== 'string' || r.url.length > 2048) return ['url', 'must be a string of at most 2048 characters'];
  return null;
}

class ReceiptStore {
  constructor(dataDir) {
    this.dataDir = dataDir;
    this.file = path.join(dataDir, 'receipts.jsonl');
    this.seen = null; // "id\nsequence" of every stored receipt, loaded on first use
    this.queue = Promise.resolve();
  }

  async readAll() {
    let text;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return [];
      throw err;
    }
    const out = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // A torn last line (the process died mid-write) is skipped, not fatal.
      }
    }
    return out;
  }

  /** Appends the receipt unless (id, sequence) is already stored; true when stored. */
  add(receipt) {
    const run = async () => {
      if (!this.seen) this.seen = new Set((await this.readAll()).map((r) => `${r.id}\n${r.sequence}`));
      const key = `${receipt.id}\n${receipt.sequence}`;
      if (this.seen.has(key)) return false;
      await fsp.mkdir(this.dataDir, { recursive: true });
      await fsp.appendFile(this.file, `${JSON.stringify(receipt)}\n`, 'utf8');
      this.seen.add(key);
      return true;
    };
    const result = this.queue.then(run);
    this.queue = result.catch(() => {});
    return result;
  }
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      return reject(Object.assign(new Error('too large'), { code: 'TOO_LARGE' }));
    }
    const chunks = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(Object.assign(new Error('too large'), { code: 'TOO_LARGE' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => failed || resolve(Buffer.concat(chunks)));
    req.on('error', (err) => failed || reject(err));
  });
}

async function readSiteCookieConfig() {
  try {
    const config = JSON.parse(await fsp.readFile(SITE_CONFIG_FILE, 'utf8'));
    return { cookie: config.cookie || {}, categories: config.categories || {} };
  } catch {
    return { cookie: {}, categories: {} };
  }
}

// The consent cookie as the site's configuration writes it, re-set from the
// server so that browsers which cap script-set cookies keep the decision.
async function consentCookieHeader(req, hostInfo, receipt) {
  const { cookie, categories } = await readSiteCookieConfig();
  const name = typeof cookie.name === 'string' && /^[A-Za-z0-9_-]+$/.test(cookie.name) ? cookie.name : 'kelisim';
  const value = parseCookies(req.headers.cookie).get(name);
  // Only a value made of cookie-safe characters is echoed back.
  if (!value || value.length > 3000 || !/^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/.test(value)) return null;

  const optional = Object.entries(categories).filter(([, c]) => !(c && c.required)).map(([n]) => n);
  const allRejected = optional.length > 0 && optional.every((n) => receipt.rejected.includes(n));
  const days = allRejected ? (cookie.rejectedExpiresAfterDays ?? 182) : (cookie.expiresAfterDays ?? 365);
  const parts = [`${name}=${value}`, `Path=${typeof cookie.path === 'string' && /^\/[\x21-\x3A\x3C-\x7E]*$/.test(cookie.path) ? cookie.path : '/'}`, `Max-Age=${Math.round(days * 86400)}`];

  // Same scope as the script-set cookie, or the browser would keep two of them.
  // "auto" is approximated as the last two labels (kz.meest.test → meest.test);
  // IP addresses and localhost names get a host-only cookie.
  if (cookie.domain === 'auto') {
    const labels = hostInfo && !net.isIP(hostInfo.hostname) ? hostInfo.hostname.split('.') : [];
    if (labels.length >= 2 && labels[labels.length - 1] !== 'localhost') parts.push(`Domain=${labels.slice(-2).join('.')}`);
  } else if (typeof cookie.domain === 'string' && /^[a-z0-9.-]+$/i.test(cookie.domain)) {
    parts.push(`Domain=${cookie.domain}`);
  }
  const sameSite = ['Strict', 'Lax', 'None'].includes(cookie.sameSite) ? cookie.sameSite : 'Lax';
  parts.push(`SameSite=${sameSite}`);
  if (cookie.secure === true || sameSite === 'None') parts.push('Secure');
  return parts.join('; ');
}

async function handleReceiptPost(ctx, req, res) {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, { error: 'method not allowed', field: null });
  }
  let body;
  try {
    body = await readBody(req, RECEIPT_BODY_LIMIT);
  } catch (err) {
    if (err.code === 'TOO_LARGE') return sendJson(res, 413, { error: 'body larger than 16 KB', field: null }, { Connection: 'close' });
    throw err;
  }
  let receipt;
  try {
    receipt = JSON.parse(body.toString('utf8'));
  } catch {
    return sendJson(res, 400, { error: 'body: not valid JSON', field: 'body' });
  }
  const problem = validateReceipt(receipt);
  if (problem) return sendJson(res, 400, { error: `${problem[0]}: ${problem[1]}`, field: problem[0] });

  // Only the receipt's own fields are kept: no IP address, no user agent.
  const stored = {
    id: receipt.id,
    sequence: receipt.sequence,
    revision: receipt.revision,
    timestamp: receipt.timestamp,
    method: receipt.method,
    accepted: receipt.accepted,
    rejected: receipt.rejected,
    language: receipt.language,
    url: receipt.url,
    received: new Date().toISOString(),
  };
  await ctx.receipts.add(stored);

  const setCookie = await consentCookieHeader(req, parseHost(req.headers.host), receipt);
  res.writeHead(204, setCookie ? { 'Set-Cookie': setCookie } : {});
  res.end();
}

async function sendReceiptsJson(ctx, req, res) {
  sendJson(res, 200, await ctx.receipts.readAll());
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

async function sendReceiptsPage(ctx, req, res) {
  const receipts = (await ctx.receipts.readAll()).reverse();
  const list = (v) => (Array.isArray(v) ? v.map((x) => `<code>${escapeHtml(x)}</code>`).join(' ') : '');
  const rows = receipts
    .map(
      (r) => `<tr>
  <td>${escapeHtml(r.received || '')}</td>
  <td>${escapeHtml(r.timestamp ?? '')}</td>
  <td><code>${escapeHtml(r.id ?? '')}</code></td>
  <td>${escapeHtml(r.sequence ?? '')}</td>
  <td>${escapeHtml(r.revision ?? '')}</td>
  <td><span class="method method-${escapeHtml(r.method ?? '')}">${escapeHtml(r.method ?? '')}</span></td>
  <td>${list(r.accepted)}</td>
  <td>${list(r.rejected)}</td>
  <td>${escapeHtml(r.language ?? '')}</td>
  <td class="url">${escapeHtml(r.url ?? '')}</td>
</tr>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Consent receipts — Dala Express demo</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body class="receipts-page">
<main class="container">
  <p><a href="/">← Dala Express demo</a></p>
  <h1>Consent receipts</h1>
  <p class="lead">What the reference endpoint <code>POST /consent-receipts</code> received, newest first.
  Each line of <code>receipts.jsonl</code> in the demo's data folder is one decision; duplicates
  (same <code>id</code> and <code>sequence</code>) are dropped, and no IP address or user agent is stored.
  Also as <a href="/receipts.json">JSON</a>.</p>
  <p class="muted">${receipts.length} receipt${receipts.length === 1 ? '' : 's'}.</p>
  <div class="table-wrap">
  <table class="receipts">
    <thead><tr><th>received</th><th>timestamp</th><th>id</th><th>seq.</th><th>rev.</th><th>method</th><th>accepted</th><th>rejected</th><th>lang.</th><th>url</th></tr></thead>
    <tbody>
${rows || '<tr><td colspan="10" class="empty">No receipts yet: make a choice in the cookie banner.</td></tr>'}
    </tbody>
  </table>
  </div>
</main>
</body>
</html>
`;
  const body = Buffer.from(html, 'utf8');
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
    ...(ctx.csp ? { 'Content-Security-Policy': "default-src 'self'; style-src 'self'; script-src 'none'" } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
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
