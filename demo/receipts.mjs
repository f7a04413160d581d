// The reference consent-receipts endpoint (SPEC §6), the server side a site can
// copy: POST /consent-receipts stores each decision kelisim reports, once per
// (id, sequence), and answers with the consent cookie re-set by the server;
// /receipts and /receipts.json list what was stored. See demo/README.md,
// "The receipts endpoint". Node ≥ 20; the consent cookie it re-sets is worded
// by kelisim's engine (its Node entry in js/dist, `make build`).

import fsp from 'node:fs/promises';
import path from 'node:path';
import net from 'node:net';
import { readBody, sendJson } from './http.mjs';
import { loadEngine } from '../js/dist/node.mjs';

const RECEIPT_BODY_LIMIT = 16 * 1024;

/**
 * The endpoint's routes over one store.
 * @param {{ dataDir: string, configFile: string, csp?: boolean }} options
 *   `dataDir`: where receipts.jsonl goes; `configFile`: the site's kelisim
 *   configuration, read for the consent cookie's name, scope and lifetime;
 *   `csp: false` leaves the Content-Security-Policy header off the /receipts page.
 */
export function createReceiptsEndpoint({ dataDir, configFile, csp = true }) {
  const store = new ReceiptStore(dataDir);
  return {
    /** POST /consent-receipts; `hostInfo` is the request's { hostname, port }. */
    post: (req, res, hostInfo) => handleReceiptPost(store, configFile, req, res, hostInfo),
    /** GET /receipts: an HTML table, newest first. */
    page: (req, res) => sendReceiptsPage(store, csp, req, res),
    /** GET /receipts.json: every stored receipt, oldest first. */
    json: async (req, res) => sendJson(res, 200, await store.readAll()),
  };
}

const RECEIPT_METHODS = ['accept-all', 'reject-all', 'custom', 'api'];

/** Returns null for a valid receipt, else [field, problem]. */
export function validateReceipt(r) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return ['receipt', 'must be a JSON object'];
  const isName = (s) => typeof s === 'string' && s.length > 0 && s.length <= 100;
  if (typeof r.id !== 'string' || !/^[A-Za-z0-9_.:-]{1,128}$/.test(r.id))
    return ['id', 'must be a string of 1–128 letters, digits, "-", "_", ".", ":"'];
  if (!Number.isSafeInteger(r.sequence) || r.sequence < 0) return ['sequence', 'must be a non-negative integer'];
  if (!Number.isSafeInteger(r.revision) || r.revision < 0) return ['revision', 'must be a non-negative integer'];
  const ts = typeof r.timestamp === 'string' || typeof r.timestamp === 'number' ? new Date(r.timestamp) : null;
  if (!ts || Number.isNaN(ts.getTime()) || (typeof r.timestamp === 'string' && r.timestamp.length > 40))
    return ['timestamp', 'must be an ISO 8601 date-time or a time in milliseconds'];
  if (!RECEIPT_METHODS.includes(r.method)) return ['method', `must be one of ${RECEIPT_METHODS.join(', ')}`];
  if (!Array.isArray(r.accepted) || r.accepted.length > 200 || !r.accepted.every(isName))
    return ['accepted', 'must be an array of category and service names'];
  if (!Array.isArray(r.rejected) || r.rejected.length > 200 || !r.rejected.every(isName))
    return ['rejected', 'must be an array of category and service names'];
  if (typeof r.language !== 'string' || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(r.language))
    return ['language', 'must be a language tag'];
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

// The site's configuration, read for the consent cookie's domain; the engine
// itself (kelisim's Node entry) is loaded once per configuration text.
let engineCache = { text: null, engine: null };
async function siteEngine(configFile) {
  const text = await fsp.readFile(configFile, 'utf8');
  if (engineCache.text !== text) engineCache = { text, engine: await loadEngine(text), domain: JSON.parse(text).cookie?.domain };
  return engineCache;
}

// The consent cookie re-set from the server, so that browsers which cap
// script-set cookies keep the decision. The engine reads the stored decision
// and words the cookie (value, Path, SameSite, Secure and the lifetime that
// decision has left); only the domain is the server's to choose.
async function consentCookieHeader(req, hostInfo, configFile) {
  let site;
  try {
    site = await siteEngine(configFile);
  } catch {
    return null; // no usable configuration: nothing to re-set
  }
  const answer = site.engine.start({
    cookieHeader: req.headers.cookie || '',
    now: Date.now(),
    https: Boolean(req.socket && req.socket.encrypted),
  });
  if (!answer.state.decided) return null; // only a valid, current decision is echoed back
  const c = answer.cookie;
  let s = `${c.name}=${c.value}; ${c.attributes}`;
  // Same scope as the script-set cookie, or the browser would keep two of them.
  // "auto" is approximated as the last two labels (kz.meest.test → meest.test);
  // IP addresses and localhost names get a host-only cookie.
  if (site.domain === 'auto') {
    const labels = hostInfo && !net.isIP(hostInfo.hostname) ? hostInfo.hostname.split('.') : [];
    if (labels.length >= 2 && labels[labels.length - 1] !== 'localhost') s += `; Domain=${labels.slice(-2).join('.')}`;
  } else if (typeof site.domain === 'string' && /^[a-z0-9.-]+$/i.test(site.domain)) {
    s += `; Domain=${site.domain}`;
  }
  return s;
}

async function handleReceiptPost(store, configFile, req, res, hostInfo) {
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
  await store.add(stored);

  const setCookie = await consentCookieHeader(req, hostInfo, configFile);
  res.writeHead(204, setCookie ? { 'Set-Cookie': setCookie } : {});
  res.end();
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

async function sendReceiptsPage(store, csp, req, res) {
  const receipts = (await store.readAll()).reverse();
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
    ...(csp ? { 'Content-Security-Policy': "default-src 'self'; style-src 'self'; script-src 'none'" } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
