// The floor under any first visit that needs a download before it can act:
// on the benchmark's shop page with no consent manager, an inline script at
// the top of <head> starts a fetch() and an XMLHttpRequest for a file the
// size of kelisim.wasm, and a Worker that fetches and compiles it and posts
// the compiled module back. Printed (medians, ms from navigation start): when each
// was asked for, when the network had it all (Resource Timing), when the
// page's own JavaScript got its body, when a setTimeout(0) set at the same
// moment ran, DOMContentLoaded and the first paint. What this shows is the
// browser's scheduling, not kelisim's: a body that has arrived reaches the
// page only once the main thread has parsed (and often laid out) the page.
//
//   node bench/fetch-floor.mjs            (FLOOR_ROUNDS, default 15; CHROMIUM)
import http from 'node:http';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../web-test/harness.mjs';
import { SITE_ASSETS, pageHtml } from './site.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.FLOOR_ROUNDS || 15);
const body = readFileSync(path.join(here, '..', 'js', 'dist', 'kelisim.wasm'));

const page = pageHtml(
  {
    head: () => `<script>
performance.mark('floor:head');
fetch('/body.bin?fetch').then((r) => r.arrayBuffer()).then(() => performance.mark('floor:fetch body in JS'));
const x = new XMLHttpRequest();
x.open('GET', '/body.bin?xhr');
x.responseType = 'arraybuffer';
x.onload = () => performance.mark('floor:xhr body in JS');
x.send();
setTimeout(() => performance.mark('floor:setTimeout(0) ran'));
try {
  const w = new Worker(URL.createObjectURL(new Blob([
    'fetch(' + JSON.stringify(new URL('/body.bin?worker', location.href).href) + ').then((r) => WebAssembly.compileStreaming(r)).then((m) => postMessage(m));',
  ], { type: 'text/javascript' })));
  w.onmessage = () => performance.mark('floor:worker-compiled module in JS');
} catch (e) {}
</script>`,
    embed: () => '',
  },
  0,
);

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    return res.end(page);
  }
  if (url.pathname === '/body.bin') {
    res.setHeader('content-type', url.search === '?worker' ? 'application/wasm' : 'application/octet-stream');
    return res.end(body);
  }
  const asset = SITE_ASSETS[url.pathname];
  if (asset) {
    res.setHeader('content-type', url.pathname.endsWith('.css') ? 'text/css' : 'image/png');
    return res.end(asset);
  }
  res.statusCode = 404;
  res.end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
const rows = [];
try {
  for (let round = 0; round <= ROUNDS; round++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await context.newPage();
    await tab.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
    await tab.waitForTimeout(300);
    const row = await tab.evaluate(() => {
      const out = {};
      for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('floor:')) out[m.name.slice(6)] = m.startTime;
      for (const r of performance.getEntriesByType('resource')) {
        const kind = new URL(r.name).search.slice(1);
        if (kind) {
          out[`${kind} asked`] = r.startTime;
          out[`${kind} at the network's end`] = r.responseEnd;
        }
      }
      const nav = performance.getEntriesByType('navigation')[0];
      out.DOMContentLoaded = nav.domContentLoadedEventStart;
      const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-paint');
      if (paint) out['first paint'] = paint.startTime;
      return out;
    });
    await context.close();
    if (round > 0) rows.push(row); // the first round warms up
  }
} finally {
  await browser.close();
  server.close();
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : NaN;
};
const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
const medians = keys.map((k) => [k, median(rows.map((r) => r[k]))]).sort((a, b) => a[1] - b[1]);
console.log(`fetch floor: ${rows.length} rounds, ${body.length} bytes, Chromium ${browser.version()}; medians, ms from navigation start`);
for (const [k, v] of medians) console.log(`${v.toFixed(1).padStart(8)}  ${k}`);
const lag = (kind) => median(rows.map((r) => r[`${kind} body in JS`] - r[`${kind} at the network's end`]));
console.log(`body in JS minus the network's end, median: fetch ${lag('fetch').toFixed(1)} ms, XMLHttpRequest ${lag('xhr').toFixed(1)} ms`);
