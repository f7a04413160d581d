// Browser test harness: one loopback server playing the site (`site.test`)
// and any number of third parties (`<name>.test`), and Debian's Chromium
// driven by playwright-core. Every request the server sees is logged, so tests
// can assert what left the browser.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const MOUNTS = [
  ['/kelisim/', path.join(root, 'js', 'dist')],
  ['/fixtures/', path.join(root, 'tests', 'fixtures')],
  ['/', path.join(here, 'pages')],
];

async function sendFile(res, file, port, extraHeaders) {
  let body = await readFile(file);
  const type = TYPES[path.extname(file)] || 'application/octet-stream';
  if (type.startsWith('text/html')) body = Buffer.from(body.toString('utf8').replaceAll('{{PORT}}', String(port)));
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...extraHeaders });
  res.end(body);
}

/**
 * Third parties answer with a script that records itself in `window.__ran`
 * and sets the cookies named in `?cookies=a,b` (`?delay=ms`: answered that much later); `/frame` answers an HTML page,
 * `/pixel` a 1x1 image.
 */
function thirdParty(req, res, host, url) {
  const name = host.split('.')[0];
  const delay = Number(url.searchParams.get('delay') || 0); // ms before answering
  if (delay > 0) {
    url.searchParams.delete('delay');
    setTimeout(() => thirdParty(req, res, host, url), delay);
    return;
  }
  if (url.pathname.endsWith('.js')) {
    const cookies = (url.searchParams.get('cookies') || '').split(',').filter(Boolean);
    const tag = `${name}${url.pathname}`;
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    // Each stand-in also notes the Consent Mode commands it found when it ran.
    res.end(
      `(window.__ran = window.__ran || []).push(${JSON.stringify(tag)});\n` +
        `(window.__seen = window.__seen || {})[${JSON.stringify(tag)}] = (window.dataLayer || []).map(function (e) { return e && e[0] === 'consent' ? e[0] + ':' + e[1] + ':' + (e[2] && e[2].analytics_storage) : e && e.event; });\n` +
        cookies.map((c) => `document.cookie = ${JSON.stringify(`${c}=${name}; path=/; max-age=3600`)};`).join('\n'),
    );
    return;
  }
  if (url.pathname.startsWith('/frame')) {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(`<!doctype html><title>${name}</title><p>${name} frame</p>`);
    return;
  }
  if (url.pathname.startsWith('/events')) {
    // An EventSource stream: one message, and a long retry so it does not reconnect during a test.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    res.end(`retry: 60000\ndata: ${name}\n\n`);
    return;
  }
  if (url.pathname.startsWith('/pixel')) {
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    res.end(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
    return;
  }
  res.writeHead(204, { 'access-control-allow-origin': '*' });
  res.end();
}

/** Starts the loopback server. `routes` may override paths: { '/x': (req, res) => … }. */
export async function startServer({ routes = {}, headers = {} } = {}) {
  const log = [];
  const server = http.createServer(async (req, res) => {
    const host = (req.headers.host || '').split(':')[0].toLowerCase();
    const url = new URL(req.url, `http://${req.headers.host}`);
    let body = '';
    for await (const chunk of req) body += chunk;
    log.push({ host, path: url.pathname, search: url.search, method: req.method, body, time: Date.now() });
    try {
      if (host !== 'site.test' && host !== '127.0.0.1' && host !== 'localhost' && !host.endsWith('.site.test'))
        return thirdParty(req, res, host, url);
      if (routes[url.pathname]) return await routes[url.pathname](req, res, body, url);
      if (url.pathname === '/consent-receipts' && req.method === 'POST') {
        res.writeHead(204);
        return res.end();
      }
      for (const [prefix, dir] of MOUNTS) {
        if (!url.pathname.startsWith(prefix)) continue;
        const file = path.normalize(path.join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
        if (!file.startsWith(dir)) break;
        const st = await stat(file).catch(() => null);
        if (!st || !st.isFile()) continue;
        return await sendFile(res, file, server.address().port, path.extname(file) === '.html' ? headers : {});
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } catch (err) {
      res.writeHead(500);
      res.end(String(err));
    }
  });
  // WebSocket stand-in on every host: the handshake is logged like a request,
  // then the server sends one text message ("<host name>") and keeps the socket open.
  const sockets = new Set();
  server.on('upgrade', (req, socket) => {
    const host = (req.headers.host || '').split(':')[0].toLowerCase();
    const url = new URL(req.url, `http://${req.headers.host}`);
    log.push({ host, path: url.pathname, search: url.search, method: 'GET', body: '', time: Date.now(), upgrade: true });
    const key = req.headers['sec-websocket-key'];
    if (!key) return socket.destroy();
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const text = Buffer.from(host.split('.')[0]);
    socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text]));
    socket.on('error', () => {});
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    port,
    log,
    /** Per-test routes on the site host: path -> (req, res, body, url) => … */
    routes,
    /** Answers an HTML page, with {{PORT}} filled in. */
    html: (res, text, extraHeaders = {}) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers, ...extraHeaders });
      res.end(text.replaceAll('{{PORT}}', String(port)));
    },
    /** Answers a file from js/dist (e.g. to serve kelisim.js from another folder). */
    dist: (res, name) => sendFile(res, path.join(root, 'js', 'dist', name), port, {}),
    origin: `http://site.test:${port}`,
    /** Requests the server received for `host` (e.g. 'stats.test'). */
    requestsTo: (host) => log.filter((r) => r.host === host),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  };
}

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A fresh context and page; collects page errors, console errors and every
 * request the browser made.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  const consoleErrors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  return { context, page, requests, errors, consoleErrors, close: () => context.close() };
}

/** Waits until kelisim is ready (resolves the instance's state) or failed (the error). */
export function kelisimSettled(page) {
  return page.evaluate(() =>
    window.kelisimReady.then(
      (k) => ({ ok: true, state: k.state() }),
      (e) => ({ ok: false, code: e.code, message: e.message }),
    ),
  );
}

export const shadow = (sel) => `#kelisim-root >> ${sel}`;
