// A service that names the site's own host (self-hosted analytics on the
// page's host): the engine, told the page's origin, widens what the guards
// ask about to the site's own URLs, warns about it, and holds them until that
// service is allowed. kelisim's own requests (texts, receipts) still go.
// Asserted on the server (what reached the site's host) and in the page
// (whether a script ran).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

let server;
let browser;
let config;
// With the configuration's digest on the tag, a returning visit starts the engine synchronously.
const page = () =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>own host</title>
<script src="/kelisim/kelisim.js" data-config="/own-host.json" data-ui="false"
  data-config-integrity="sha384-${createHash('sha384').update(config).digest('base64')}"></script>
<script src="/own.js?static"></script></head><body><p>page</p></body></html>`;

before(async () => {
  const basic = JSON.parse(await readFile(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
  config = JSON.stringify({
    ...basic,
    blocking: { autoBlock: true, cookieGuard: true },
    services: { ...basic.services, 'self-stats': { category: 'analytics', hosts: ['shop.site.test'] } },
  });
  server = await startServer();
  server.routes['/own-host.html'] = (req, res) => server.html(res, page());
  server.routes['/own-host.json'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(config);
  };
  server.routes['/collect'] = (req, res) => res.writeHead(204).end();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const shop = () => `http://shop.site.test:${server.port}`;
const hits = (path, tag) => server.requestsTo('shop.site.test').filter((r) => r.path === path && r.search.includes(`t=${tag}`));
/** Inserts a same-origin script and fetches a same-origin URL; says what the page saw. */
const tryOwn = (p, tag) =>
  p.page.evaluate(async (tag) => {
    const s = document.createElement('script');
    s.src = `/own.js?t=${tag}`;
    document.head.appendChild(s);
    const fetched = await fetch(`/collect?t=${tag}`).then(
      (r) => String(r.status),
      (e) => e.name,
    );
    await new Promise((r) => setTimeout(r, 300));
    return { fetched, ran: window.__ownRan === true };
  }, tag);

test("a service naming the site's own host: its own URLs wait for that consent; kelisim's own requests go", async () => {
  const p = await openPage(browser);
  const warnings = [];
  p.page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  try {
    await p.page.goto(`${shop()}/own-host.html`);
    const settled = await kelisimSettled(p.page);
    assert.equal(settled.ok, true, JSON.stringify(settled));
    assert.equal(settled.state.decided, false);
    assert.ok(
      warnings.some((w) => w.includes('services.self-stats.hosts[0]') && w.includes("names this page's own host shop.site.test")),
      warnings.join('\n'),
    );
    // Before a decision: the script stays held and the request fails as a network error, without reaching the server.
    await p.page.evaluate(() => delete window.__ownRan);
    assert.deepEqual(await tryOwn(p, 'undecided'), { fetched: 'TypeError', ran: false });
    assert.equal(hits('/collect', 'undecided').length, 0);
    assert.equal(hits('/own.js', 'undecided').length, 0);

    // Reject all: still held; the receipt (kelisim's own request to the same host) is delivered.
    await p.page.evaluate(() => window.kelisim.rejectAll());
    assert.deepEqual(await tryOwn(p, 'rejected'), { fetched: 'TypeError', ran: false });
    assert.equal(hits('/collect', 'rejected').length, 0);
    const receipts = () => server.requestsTo('shop.site.test').filter((r) => r.path === '/consent-receipts' && r.method === 'POST');
    const end = Date.now() + 3000;
    while (!receipts().length && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.equal(receipts().length, 1);
    // kelisim keeps its engine and configuration for the next page view once the page is idle.
    await p.page.waitForFunction(
      () => (localStorage.getItem('kelisim:wasm') || '').length > 1000 && localStorage.getItem('kelisim:config') !== null,
    );

    // Returning visitor who rejected: the page's own static script is held too, as the parser reaches it.
    await p.page.goto(`${shop()}/own-host.html`);
    assert.equal((await kelisimSettled(p.page)).state.decided, true);
    assert.equal(await p.page.evaluate(() => window.__ownRan === true), false);

    // Accept all: the held static script runs, and the site's own URLs load.
    await p.page.evaluate(() => window.kelisim.acceptAll());
    await p.page.waitForFunction(() => window.__ownRan === true);
    await p.page.evaluate(() => delete window.__ownRan);
    assert.deepEqual(await tryOwn(p, 'accepted'), { fetched: '204', ran: true });
    assert.equal(hits('/collect', 'accepted').length, 1);
  } finally {
    await p.close();
  }
});

test('the same configuration on a host no service names: the own origin is never asked about', async () => {
  const p = await openPage(browser);
  try {
    await p.page.goto(`${server.origin}/own-host.html`);
    assert.equal((await kelisimSettled(p.page)).state.decided, false);
    assert.equal(await p.page.evaluate(() => window.__ownRan === true), true); // the static one
    await p.page.evaluate(() => delete window.__ownRan);
    const calls = await p.page.evaluate(() => {
      let n = 0;
      globalThis.__kelisimTrace = () => n++;
      const s = document.createElement('script');
      s.src = '/own.js?t=free';
      document.head.appendChild(s);
      fetch('/collect?t=free').catch(() => {});
      return n;
    });
    assert.equal(calls, 0);
    await p.page.waitForFunction(() => window.__ownRan === true);
  } finally {
    await p.close();
  }
});
