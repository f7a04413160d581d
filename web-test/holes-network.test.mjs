// Issue 13, "blocking without holes": every way first-party page code can
// reach a tracker's host or write its cookies and storage, tried before the
// engine has answered (a first visit), before any decision, after "reject
// all" and after "accept all". Asserted where it counts: on the server (what
// reached the stand-in hosts) and in the browser's real cookie jar and storage.
// A font host no service names and the site's own CDN host are the controls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

let server;
let browser;
const page = (extraHead = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>holes</title>
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json" data-ui="false"></script>
<script src="/holes-net.js"></script>${extraHead}</head><body><p>page</p></body></html>`;

before(async () => {
  server = await startServer();
  server.routes['/holes.html'] = (req, res, body, url) =>
    server.html(res, page(), url.searchParams.has('set') ? { 'set-cookie': ['_st=server; Path=/', 'own_server=1; Path=/'] } : {});
  server.routes['/cdn.txt'] = (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    res.end('cdn');
  };
  // A first-party endpoint that sets a tracker's cookie from the server.
  server.routes['/set-st'] = (req, res) => {
    res.writeHead(204, { 'set-cookie': ['_st=again; Path=/; Max-Age=3600'] });
    res.end();
  };
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const tracker = (tag) => `http://stats.test:${server.port}/x?t=${tag}`;
const fonts = (tag) => `http://fonts.test:${server.port}/x?t=${tag}`;
const cdn = (tag) => `http://cdn.site.test:${server.port}/cdn.txt?t=${tag}`;
const hits = (host, tag) => server.requestsTo(host).filter((r) => r.search.includes(`t=${tag}`));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, ms = 4000) {
  const end = Date.now() + ms;
  while (!fn() && Date.now() < end) await sleep(50);
  return fn();
}
let serial = 0;

/** The page opened on a first visit, with `path` run right away (before the engine answers) on `args`. */
async function firstVisit(path, args) {
  const p = await openPage(browser);
  const q = new URLSearchParams({ early: path });
  for (const a of args) q.append('arg', a);
  // The Cookie Store API exists only in secure contexts: localhost is one.
  const origin = path === 'cookieStore' ? `http://localhost:${server.port}` : server.origin;
  await p.page.goto(`${origin}/holes.html?${q}`);
  const settled = await kelisimSettled(p.page);
  assert.equal(settled.ok, true, JSON.stringify(settled));
  assert.equal(settled.state.decided, false);
  p.early = await p.page.evaluate(() => window.__early);
  return p;
}
const run = (p, path, arg) => p.page.evaluate(([path, arg]) => window.holes.run(path, arg), [path, arg]);
const decide = (p, how) => p.page.evaluate((how) => window.kelisim[how]().method, how);

/**
 * A network path: `blocked` is what the page's code sees when the tracker is
 * refused (`early`: before the engine answered), `allowed` (a RegExp) what it
 * sees after "accept all"; `controls`: whether the control hosts are reached
 * before the engine answered (false where a call cannot wait).
 */
const NETWORK = [
  ['fetch', { early: 'TypeError', blocked: 'TypeError', allowed: /^ok$/ }],
  ['xhr', { early: 'error:4:0 loadend', blocked: 'error:4:0 loadend', allowed: /^load loadend$/ }],
  ['beacon', { early: 'true', blocked: 'false', allowed: /^true$/ }],
  ['websocket', { early: 'error close:1006 3', blocked: 'error close:1006 3', allowed: /^message:stats true$/ }],
  ['eventsource', { early: 'error:2', blocked: 'error:2', allowed: /^message:stats$/ }],
  ['ping', { early: 'clicked', blocked: 'clicked', allowed: /^clicked$/, controls: false }],
  ['form', { early: 'submitted', blocked: 'submitted', allowed: /^submitted$/ }],
  ['form-click', { early: 'clicked', blocked: 'clicked', allowed: /^clicked$/ }],
  ['window-open', { early: 'null', blocked: 'null', allowed: /^window$/, controls: false }],
  ['iframe-fetch', { early: 'TypeError', blocked: 'TypeError', allowed: /^ok$/ }],
];

for (const [path, expect] of NETWORK) {
  test(`${path}: nothing reaches the tracker before the answer, before a decision or after reject all; it does after accept all`, async () => {
    const tag = (phase) => `${path}-${phase}-${++serial}`;
    const early = tag('early');
    const p = await firstVisit(path, [tracker(early), fonts(early), cdn(early)]);
    try {
      assert.equal(p.early[0], expect.early, 'before the engine answered');
      if (expect.controls !== false) {
        assert.ok(
          await until(() => hits('fonts.test', early).length && hits('cdn.site.test', early).length),
          'controls waited, then loaded',
        );
      }
      for (const phase of ['undecided', 'rejected']) {
        if (phase === 'rejected') assert.equal(await decide(p, 'rejectAll'), 'api');
        const t = tag(phase);
        assert.equal(await run(p, path, tracker(t)), expect.blocked, phase);
        await run(p, path, fonts(t));
        await run(p, path, cdn(t));
        assert.ok(await until(() => hits('fonts.test', t).length && hits('cdn.site.test', t).length), `${phase}: controls load`);
        await sleep(300);
        assert.deepEqual(hits('stats.test', t), [], `${phase}: the tracker was reached`);
      }
      await sleep(200);
      assert.deepEqual(hits('stats.test', early), [], 'the tracker was reached before the engine answered');
      assert.equal(await decide(p, 'acceptAll'), 'api');
      const t = tag('accepted');
      assert.match(String(await run(p, path, tracker(t))), expect.allowed);
      assert.ok(await until(() => hits('stats.test', t).length), 'after accept all the request goes through');
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });
}

test('a returning visitor who accepted: the first script after the tag reaches the tracker at once; fast paths ask the engine nothing', async () => {
  const p = await openPage(browser);
  try {
    await p.page.goto(`${server.origin}/holes.html`);
    await kelisimSettled(p.page);
    await decide(p, 'acceptAll');
    // Returning: the engine answers synchronously, so nothing waits.
    const t = `returning-${++serial}`;
    await p.page.goto(
      `${server.origin}/holes.html?${new URLSearchParams([
        ['early', 'fetch'],
        ['arg', tracker(t)],
      ])}`,
    );
    assert.deepEqual(await p.page.evaluate(() => window.__early), ['ok']);
    assert.equal(hits('stats.test', t).length, 1);
    // Same origin: no engine call; a host no service names: one call per task, however many requests.
    const calls = await p.page.evaluate(
      (urls) => {
        let n = 0;
        globalThis.__kelisimTrace = () => n++;
        const counts = [];
        for (const list of urls) {
          const before = n;
          for (const u of list) fetch(u, { mode: 'no-cors' }).catch(() => {});
          counts.push(n - before);
        }
        return counts;
      },
      [
        [`${server.origin}/blank.html`, '/blank.html', '/blank.html?2'],
        [fonts('fast-1'), fonts('fast-2'), fonts('fast-3')],
      ],
    );
    assert.deepEqual(calls, [0, 1]);
  } finally {
    await p.close();
  }
});

test('an XHR aborted while it waits for the engine ends as an abort and is never sent, even once allowed', async () => {
  const t = `abort-${++serial}`;
  const p = await firstVisit('xhr-abort', [fonts(t), tracker(t)]);
  try {
    assert.deepEqual(p.early, ['abort loadend:4:0', 'abort loadend:4:0']);
    await decide(p, 'acceptAll');
    await sleep(300);
    assert.deepEqual([...hits('fonts.test', t), ...hits('stats.test', t)], []);
  } finally {
    await p.close();
  }
});

/** Jar paths: the argument is the cookie or storage key written; the controls are unlisted names. */
const JAR = [
  ['storage-setItem', '_st_ls', 'cart_ls', (p, n) => p.page.evaluate((n) => localStorage.getItem(n) !== null, n)],
  ['session-setItem', 'st_ss', 'cart_ss', (p, n) => p.page.evaluate((n) => sessionStorage.getItem(n) !== null, n)],
  ['cookieStore', '_st_cs', 'own_cs', null],
  ['prototype-cookie', '_st_proto', 'own_proto', null],
  ['iframe-cookie', '_st_frame', 'own_frame', null],
  ['srcdoc-cookie', '_st_srcdoc', 'own_srcdoc', null],
  ['max-age-twice', '_st_ma', 'own_ma', null],
  ['expires-then-max-age', '_st_ex', 'own_ex', null],
];
const inJar = async (p, name) => (await p.context.cookies()).some((c) => c.name === name);

for (const [path, name, control, stored] of JAR) {
  const present = stored || ((p, n) => inJar(p, n));
  test(`${path}: the tracker's ${name} never stays before a decision or after reject all; it does after accept all`, async () => {
    // storage keys of the stats service: st_*; its cookies: _st, _st_*
    const key = path.endsWith('setItem') ? name.replace(/^_/, '') : name;
    const p = await firstVisit(path, [key, control]);
    try {
      assert.equal(await present(p, key), false, 'written before the engine answered: not kept');
      assert.equal(await present(p, control), true, 'the control stays');
      const rounds = [
        ['undecided', false],
        ['rejectAll', false],
        ['acceptAll', true],
      ];
      for (const [how, kept] of rounds) {
        if (how !== 'undecided') await decide(p, how);
        const k = `${key}_${how}`;
        const seen = await run(p, path, k);
        if (path === 'cookieStore') assert.equal(seen, kept ? 'resolved true' : 'TypeError false', how);
        assert.equal(await present(p, k), kept, `${how}: ${k}`);
        const c = `${control}_${how}`;
        await run(p, path, c);
        assert.equal(await present(p, c), true, `${how}: control ${c}`);
      }
      assert.deepEqual(p.errors, []);
    } finally {
      await p.close();
    }
  });
}

test('page start deletes what a server or a tag set for a service not allowed; the consent cookie and unlisted ones stay', async () => {
  const p = await openPage(browser);
  try {
    // First visit: the page itself comes with Set-Cookie: _st (a first-party endpoint of a tag).
    await p.page.goto(`${server.origin}/holes.html?set=1`);
    await kelisimSettled(p.page);
    assert.equal(await inJar(p, '_st'), false, 'before any decision');
    assert.equal(await inJar(p, 'own_server'), true);
    await decide(p, 'rejectAll');
    // After reject all: the server sets it again, and a property assignment writes a storage key past setItem.
    await p.page.evaluate(async () => {
      await fetch('/set-st');
      localStorage.st_prop = '1';
      sessionStorage.st_prop = '1';
      localStorage.cart = 'keep';
    });
    assert.equal(await inJar(p, '_st'), true, 'the server set it again');
    await p.page.reload();
    await kelisimSettled(p.page);
    assert.equal(await p.page.evaluate(() => window.holes.has('_st')), false);
    assert.equal(await inJar(p, '_st'), false, 'after reject all');
    assert.deepEqual(await p.page.evaluate(() => [localStorage.st_prop, sessionStorage.st_prop, localStorage.cart]), [
      undefined,
      undefined,
      'keep',
    ]);
    assert.equal(await inJar(p, 'kelisim'), true);
    assert.equal(await inJar(p, 'own_server'), true);
    await decide(p, 'acceptAll');
    await p.page.evaluate(() => fetch('/set-st'));
    await p.page.reload();
    await kelisimSettled(p.page);
    assert.equal(await inJar(p, '_st'), true, 'after accept all it stays');
  } finally {
    await p.close();
  }
});

test('when the engine never answers: requests to other hosts fail, the own origin works, cookie and storage writes pass', async () => {
  server.routes['/holes-failed.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>no engine</title>
<script src="/kelisim/kelisim.js" data-ui="false"></script><script src="/holes-net.js"></script></head><body></body></html>`,
    );
  const p = await openPage(browser);
  try {
    await p.page.goto(`${server.origin}/holes-failed.html`);
    assert.equal((await kelisimSettled(p.page)).code, 'no-config');
    const t = `failed-${++serial}`;
    assert.equal(await run(p, 'fetch', fonts(t)), 'TypeError');
    assert.equal(await run(p, 'beacon', tracker(t)), 'false');
    assert.equal(await run(p, 'fetch', `${server.origin}/blank.html?t=${t}`), 'ok');
    assert.equal(await run(p, 'storage-setItem', 'st_failed'), 'true');
    assert.equal(await run(p, 'prototype-cookie', '_st_failed'), 'true');
    await sleep(300);
    assert.deepEqual([...hits('fonts.test', t), ...hits('stats.test', t)], []);
    assert.equal(hits('site.test', t).length, 1);
  } finally {
    await p.close();
  }
});

test('under the CSP kelisim promises to work with, refusing every path reports no violation', async () => {
  const csp = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' http://fonts.test:* ws://fonts.test:*";
  server.routes['/holes-csp.html'] = (req, res) => server.html(res, page(), { 'content-security-policy': csp });
  const p = await openPage(browser);
  try {
    await p.page.goto(`${server.origin}/holes-csp.html`);
    await kelisimSettled(p.page);
    await decide(p, 'rejectAll');
    const t = `csp-${++serial}`;
    for (const [path, expect] of NETWORK) assert.equal(await run(p, path, tracker(t)), expect.blocked, path);
    assert.equal(await run(p, 'storage-setItem', 'st_csp'), 'false');
    await sleep(300);
    assert.deepEqual(await p.page.evaluate(() => window.__violations), []);
    assert.deepEqual(hits('stats.test', t), []);
  } finally {
    await p.close();
  }
});

test('fetchLater (secure contexts): a refused one is never sent, an allowed one is', async () => {
  // 127.0.0.1 is potentially trustworthy (fetchLater needs that) and another host than localhost: here it is the tracker's.
  const config = JSON.parse(await readFile(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
  config.services.stats.hosts = ['127.0.0.1'];
  server.routes['/holes-later.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>later</title>
<script type="application/json" id="kelisim-config">${JSON.stringify(config)}</script>
<script src="/kelisim/kelisim.js" data-ui="false"></script></head><body></body></html>`,
    );
  const p = await openPage(browser);
  try {
    await p.page.goto(`http://localhost:${server.port}/holes-later.html`);
    await kelisimSettled(p.page);
    const later = (t) =>
      p.page.evaluate(
        (u) => String(fetchLater(u, { method: 'POST', activateAfter: 0 }).activated),
        `http://127.0.0.1:${server.port}/x?t=${t}`,
      );
    for (const how of ['undecided', 'rejectAll']) {
      if (how !== 'undecided') await decide(p, how);
      const t = `later-${how}-${++serial}`;
      assert.equal(await later(t), 'false');
      await sleep(500);
      assert.deepEqual(hits('127.0.0.1', t), [], how);
    }
    await decide(p, 'acceptAll');
    const t = `later-accepted-${++serial}`;
    await later(t);
    assert.ok(await until(() => hits('127.0.0.1', t).length), 'an allowed fetchLater is sent');
  } finally {
    await p.close();
  }
});

test('WebTransport (secure contexts): a refused session never opens and nothing leaves the browser; an allowed one is opened', async () => {
  // CDP reports each session the browser opens (the stand-in server speaks no HTTP/3: an opened one then fails its handshake).
  const wt = (t) => `https://ads.test:${server.port}/wt?t=${t}`;
  server.routes['/holes-wt.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>wt</title>
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json" data-ui="false"></script>
<script>
  // Before the engine has answered (the configuration is still loading): refused, it cannot wait.
  window.__early = new WebTransport(${JSON.stringify(wt('early'))}).ready.then(() => 'ready', (e) => e.name);
</script></head><body></body></html>`,
    );
  const p = await openPage(browser);
  const cdp = await p.page.context().newCDPSession(p.page);
  await cdp.send('Network.enable');
  const opened = [];
  cdp.on('Network.webTransportCreated', (e) => opened.push(e.url));
  const open = (t) =>
    p.page.evaluate(async (u) => {
      const session = new WebTransport(u);
      const ready = await session.ready.then(
        () => 'ready',
        (e) => e.name,
      );
      const closed = await session.closed.then(
        () => 'closed',
        (e) => e.name,
      );
      return `${ready} ${closed} ${session instanceof WebTransport}`;
    }, wt(t));
  try {
    await p.page.goto(`http://localhost:${server.port}/holes-wt.html`);
    assert.equal(await p.page.evaluate(() => window.__early), 'WebTransportError', JSON.stringify(p.errors));
    await kelisimSettled(p.page);
    for (const how of ['undecided', 'rejectAll']) {
      if (how !== 'undecided') await decide(p, how);
      const t = `wt-${how}-${++serial}`;
      assert.equal(await open(t), 'WebTransportError WebTransportError true', how);
      await sleep(300);
      assert.deepEqual(
        opened.filter((u) => u.includes(t)),
        [],
        `${how}: a session was opened`,
      );
    }
    assert.deepEqual(
      opened.filter((u) => u.includes('t=early')),
      [],
      'a session was opened before the engine answered',
    );
    await decide(p, 'acceptAll');
    const t = `wt-accepted-${++serial}`;
    await open(t);
    assert.ok(await until(() => opened.some((u) => u.includes(t))), 'an allowed session is opened');
  } finally {
    await p.close();
  }
});

test('a URL or key that reads differently the second time, or a Request of another realm, is judged by what the browser gets', async () => {
  const p = await openPage(browser);
  try {
    await p.page.goto(`${server.origin}/holes.html`);
    await kelisimSettled(p.page);
    const t = `twice-${++serial}`;
    const seen = await p.page.evaluate(async (url) => {
      const shifty = () => {
        let n = 0;
        return { toString: () => (n++ ? url : '/blank.html') };
      };
      const out = [];
      out.push(
        await fetch(shifty(), { mode: 'no-cors' }).then(
          () => 'fetch sent',
          (e) => e.name,
        ),
      );
      const f = document.createElement('iframe');
      document.body.appendChild(f);
      out.push(
        await fetch(new f.contentWindow.Request(url), { mode: 'no-cors' }).then(
          () => 'sent',
          (e) => e.name,
        ),
      );
      out.push(String(navigator.sendBeacon(shifty(), 'x')));
      const x = new XMLHttpRequest();
      x.open('GET', shifty());
      out.push(
        await new Promise((resolve) => {
          x.onloadend = () => resolve(`xhr ${x.status}`);
          x.send();
        }),
      );
      let k = 0;
      localStorage.setItem({ toString: () => (k++ ? 'st_shifty' : 'cart') }, '1');
      out.push(localStorage.getItem('st_shifty'));
      return out;
    }, tracker(t));
    // Each went to the same-origin URL it was judged by (or was refused); the tracker saw nothing.
    await sleep(300);
    assert.deepEqual(hits('stats.test', t), []);
    assert.equal(seen[1], 'TypeError');
    assert.equal(seen[4], null);
  } finally {
    await p.close();
  }
});
