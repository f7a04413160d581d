// A fixture site for `kelisim scan`, served over HTTPS (a committed,
// throwaway self-signed certificate) with stand-ins for the catalogue's services on
// their REAL host names: the browser reaches them through
// --host-resolver-rules that map every one of those names to loopback, and
// every other name to nowhere. The site itself is https://shop.test:<port>/.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SITE = path.join(here, 'scan-site');
const DIST = path.join(here, '..', 'js', 'dist');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

const days = (n) => `max-age=${n * 86400}`;

/**
 * What each stand-in does, by host and path (a trailing "*": any path below).
 * `cookies` are written with document.cookie (in a frame: as third-party
 * cookies, SameSite=None; Secure), `local` are localStorage keys, `beacons`
 * requests it sends, `scripts` and `frames` what it inserts.
 */
const STANDINS = {
  'www.googletagmanager.com/gtag/js': {
    cookies: ['_ga=GA1.1.42.1767225600', '_ga_TEST=GS1.1.1767225600.1.0'],
    beacons: ['https://www.google-analytics.com/g/collect?v=2&tid=G-TEST'],
  },
  'www.googletagmanager.com/gtm.js': { scripts: ['https://js.hs-scripts.com/123.js', 'https://static.hotjar.com/c/hotjar-1.js?sv=6'] },
  'js.hs-scripts.com/123.js': {
    cookies: ['hubspotutk=5a1e', '__hstc=123.5a1e.1767225600'],
    beacons: ['https://track.hubspot.com/__ptq.gif?a=123'],
  },
  'static.hotjar.com/c/hotjar-1.js': {
    cookies: ['_hjSessionUser_1=eyJpZCI6IjEifQ'],
    local: ['_hjid'],
    beacons: ['https://content.hotjar.io/sessions'],
  },
  'connect.facebook.net/en_US/fbevents.js': {
    cookies: ['_fbp=fb.1.1767225600.42'],
    beacons: ['https://www.facebook.com/tr?id=1&ev=PageView'],
  },
  'mc.yandex.ru/metrika/tag.js': { cookies: ['_ym_uid=1767225600123', '_ym_d=1767225600'], local: ['_ym_uid'] },
  'www.clarity.ms/tag/abc123': { cookies: ['_clck=1a2b', '_clsk=3c4d'] },
  // Nobody knows this one: the draft must leave it to a person.
  'cdn.widgets.test/w.js': { cookies: ['wgt_session=1'], local: ['wgt-<img src=x onerror=alert(1)>'] },
  'www.google.com/recaptcha/api.js': { frames: ['https://www.google.com/recaptcha/api2/anchor?k=site-key'] },
  'snap.licdn.com/li.lms-analytics/insight.min.js': { cookies: ['li_fat_id=abc'], beacons: ['https://px.ads.linkedin.com/collect?pid=1'] },
  'analytics.tiktok.com/i18n/pixel/events.js': { cookies: ['_ttp=2a3b'] },
  'top-fwz1.mail.ru/js/code.js': { cookies: ['tmr_lvid=9f8e'] },
  'www.googleadservices.com/pagead/conversion.js': { cookies: ['_gcl_au=1.1.1767225600'] },
};
const FRAMES = {
  'www.youtube.com/embed/*': { cookies: ['YSC=q1w2', 'VISITOR_INFO1_LIVE=e3r4'], local: ['yt-remote-device-id'] },
  'www.google.com/maps/embed': {},
  'www.google.com/recaptcha/api2/anchor': { cookies: ['_GRECAPTCHA=t5y6'] },
  'player.vimeo.com/video/*': { cookies: ['vuid=pl1.u7i8'] },
};
/** Every host name the fixture uses; the browser maps these, and only these, to loopback. */
export const SCAN_HOSTS = [
  'shop.test',
  'www.googletagmanager.com',
  'www.google-analytics.com',
  'js.hs-scripts.com',
  'track.hubspot.com',
  'static.hotjar.com',
  'content.hotjar.io',
  'connect.facebook.net',
  'www.facebook.com',
  'mc.yandex.ru',
  'www.clarity.ms',
  'cdn.widgets.test',
  'www.google.com',
  'snap.licdn.com',
  'px.ads.linkedin.com',
  'analytics.tiktok.com',
  'top-fwz1.mail.ru',
  'www.googleadservices.com',
  'www.youtube.com',
  'player.vimeo.com',
];

/** Chromium flags that send the fixture's host names to loopback (and nothing anywhere else). */
export const SCAN_BROWSER_ARGS = [
  `--host-resolver-rules=${SCAN_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}, MAP * ~NOTFOUND`,
  '--ignore-certificate-errors',
];

function lookup(table, host, pathname) {
  const key = `${host}${pathname}`;
  if (table[key]) return table[key];
  for (const [pattern, value] of Object.entries(table)) if (pattern.endsWith('*') && key.startsWith(pattern.slice(0, -1))) return value;
  return null;
}

function behaviour(spec, port, thirdParty) {
  const url = (u) => u.replace(/^https:\/\/([^/]+)/, `https://$1:${port}`);
  const attrs = thirdParty ? '; SameSite=None; Secure' : '';
  return [
    ...(spec.cookies || []).map((c) => `document.cookie = ${JSON.stringify(`${c}; path=/; ${days(180)}${attrs}`)};`),
    ...(spec.local || []).map((k) => `localStorage.setItem(${JSON.stringify(k)}, '1');`),
    ...(spec.beacons || []).map(
      (b) => `fetch(${JSON.stringify(url(b))}, { mode: 'no-cors', credentials: 'include' }).catch(function () {});`,
    ),
    ...(spec.scripts || []).map(
      (s) =>
        `(function () { var s = document.createElement('script'); s.async = true; s.src = ${JSON.stringify(url(s))}; document.head.appendChild(s); })();`,
    ),
    ...(spec.frames || []).map(
      (f) =>
        `(function () { var f = document.createElement('iframe'); f.src = ${JSON.stringify(url(f))}; document.body ? document.body.appendChild(f) : document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(f); }); })();`,
    ),
  ].join('\n');
}

/** The fixture's throwaway certificate (scan-site/tls/README.md). */
function certificate() {
  return { key: readFileSync(path.join(SITE, 'tls', 'key.pem')), cert: readFileSync(path.join(SITE, 'tls', 'cert.pem')) };
}

/** Starts the fixture; resolves to { port, origin, log, close() }. */
export async function startScanSite() {
  const log = [];
  let port = 0;
  const server = https.createServer(certificate(), async (req, res) => {
    const host = (req.headers.host || '').split(':')[0].toLowerCase();
    const url = new URL(req.url, `https://${req.headers.host}`);
    log.push({ host, path: url.pathname });
    const send = (status, type, body, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*', ...headers });
      res.end(body);
    };
    try {
      if (host !== 'shop.test') {
        const spec = lookup(STANDINS, host, url.pathname);
        if (spec) return send(200, 'text/javascript', behaviour(spec, port, false));
        const frame = lookup(FRAMES, host, url.pathname);
        if (frame)
          return send(
            200,
            'text/html; charset=utf-8',
            `<!doctype html><title>${host}</title><p>${host}</p><script>\n${behaviour(frame, port, true)}\n</script>`,
          );
        return send(204, 'text/plain', '');
      }
      if (url.pathname === '/slow.html') return; // never answers: the page-timeout case
      let file;
      if (url.pathname.startsWith('/kelisim/')) file = path.join(DIST, url.pathname.slice('/kelisim/'.length));
      else file = path.join(SITE, url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname);
      file = path.normalize(file);
      if (file.startsWith(path.join(SITE, 'tls'))) return send(404, 'text/plain', 'not found');
      if (!(file.startsWith(SITE) || file.startsWith(DIST)) || !(await stat(file).catch(() => null))?.isFile())
        return send(404, 'text/plain', 'not found');
      let body = await readFile(file);
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      if (type.startsWith('text/html')) body = body.toString('utf8').replaceAll('{{PORT}}', String(port));
      // The site sits behind a CDN that sets its bot-management cookie (Open Cookie Database: Cloudflare).
      const headers = url.pathname === '/' ? { 'set-cookie': '__cf_bm=a1b2c3; Path=/; Max-Age=1800; Secure; HttpOnly; SameSite=None' } : {};
      return send(200, type, body, headers);
    } catch (err) {
      return send(500, 'text/plain', String(err));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
  return {
    port,
    origin: `https://shop.test:${port}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
