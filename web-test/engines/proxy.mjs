// The one way into the loopback servers for every engine: a small HTTP proxy.
// Every browser is told to send all its HTTP traffic here; whatever the host
// name (`site.test`, `stats.test`, `kz.meest.test`, …), the request goes to
// 127.0.0.1 on the port of its URL. So the same `.test` host names work in
// Chromium, Firefox and WebKit without touching name resolution.
//
// On the way it
//  - logs every request (host, path, method, body) — what left the browser;
//  - puts the probe script (probe.js) first in every HTML page, so that page
//    errors, console errors, CSP violations and kelisim:error events are
//    recorded the same way in every engine (classic WebDriver reports none).
import http from 'node:http';
import { readFileSync } from 'node:fs';

export const PROBE_PATH = '/__engines-probe.js';
const PROBE = readFileSync(new URL('./probe.js', import.meta.url));
const HOP_BY_HOP = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
];

const PROBE_TAG = `<script src="${PROBE_PATH}"></script>`;

/** Puts `<script src="/__engines-probe.js">` before anything else the page runs. */
function withProbe(html) {
  const head = html.match(/<head(\s[^>]*)?>/i);
  if (head) return html.slice(0, head.index + head[0].length) + PROBE_TAG + html.slice(head.index + head[0].length);
  const doctype = html.match(/^\s*<!doctype[^>]*>/i);
  const at = doctype ? doctype[0].length : 0;
  return html.slice(0, at) + PROBE_TAG + html.slice(at);
}

export async function startProxy() {
  const log = [];
  const server = http.createServer(async (req, res) => {
    let url;
    try {
      url = new URL(req.url); // a proxy request carries the absolute URL
    } catch {
      res.writeHead(400);
      return res.end('not a proxy request');
    }
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const entry = {
      host: url.hostname,
      port: Number(url.port || 80),
      path: url.pathname,
      search: url.search,
      method: req.method,
      body: body.toString('utf8'),
      time: Date.now(),
      status: null,
      setCookies: [],
    };
    if (url.pathname === PROBE_PATH) {
      // the harness's own script: not part of what the page asked for
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(PROBE);
    }
    log.push(entry);
    if (url.protocol !== 'http:' || !url.port) {
      // Only the loopback servers are reachable; anything else (a browser's
      // own background traffic) gets an answer at once and goes nowhere.
      entry.status = 502;
      res.writeHead(502, { 'content-type': 'text/plain' });
      return res.end('only http://<name>:<port> on loopback');
    }
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    delete headers['accept-encoding']; // plain bodies, so HTML can get the probe
    delete headers['transfer-encoding'];
    if (body.length || req.headers['content-length']) headers['content-length'] = String(body.length);
    const upstream = http.request(
      { host: '127.0.0.1', port: url.port, method: req.method, path: url.pathname + url.search, headers, agent: false },
      (up) => {
        entry.status = up.statusCode;
        entry.setCookies = [].concat(up.headers['set-cookie'] || []);
        const out = { ...up.headers };
        for (const h of HOP_BY_HOP) delete out[h];
        const isHtml =
          /^text\/html/i.test(String(up.headers['content-type'] || '')) && req.method === 'GET' && !up.headers['content-encoding'];
        if (!isHtml) {
          res.writeHead(up.statusCode, up.statusMessage, out);
          up.pipe(res);
          return;
        }
        if (up.headers['x-test-pieces']) {
          // A page its server sends in pieces (a test of what the parser does
          // between them) goes on in pieces: the probe goes in once its head
          // has come, the rest as it comes.
          delete out['transfer-encoding'];
          delete out['content-length'];
          res.writeHead(up.statusCode, up.statusMessage, out);
          let first = Buffer.alloc(0);
          let sent = false;
          up.on('data', (c) => {
            if (sent) return res.write(c);
            first = Buffer.concat([first, c]);
            const head = first.toString('latin1').match(/<head(\s[^>]*)?>/i);
            if (!head) return;
            const at = head.index + head[0].length;
            res.write(Buffer.concat([first.subarray(0, at), Buffer.from(PROBE_TAG), first.subarray(at)]));
            sent = true;
          });
          up.on('end', () => res.end(sent ? undefined : withProbe(first.toString('utf8'))));
          return;
        }
        const parts = [];
        up.on('data', (c) => parts.push(c));
        up.on('end', () => {
          const text = withProbe(Buffer.concat(parts).toString('utf8'));
          delete out['transfer-encoding'];
          out['content-length'] = String(Buffer.byteLength(text));
          res.writeHead(up.statusCode, up.statusMessage, out);
          res.end(text);
        });
      },
    );
    upstream.on('error', (err) => {
      entry.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
    upstream.end(body);
  });
  // CONNECT (https) and upgrades are not offered: everything here is plain http.
  server.on('connect', (req, socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    log,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
