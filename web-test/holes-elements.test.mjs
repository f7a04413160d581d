// Blocking without holes (autoBlock, SPEC §6): every way page code has of
// getting a tracker's script, frame or pixel to the browser — URL attributes
// set by other means, other loading elements, HTML parsed by other APIs,
// other documents of the page — is tried (pages/holes.js) against the
// tracker stand-in (ads.test, a marketing service) and a host no service
// names (other.test). Asserted on the server: nothing reaches ads.test before
// a decision nor after "reject all"; the same ways reach it after "accept
// all"; other.test is reached every time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

const BLOCKED = 'ads.test';
const CONTROL = 'other.test';
const TT_CSP = "require-trusted-types-for 'script'; trusted-types holes";
// SPEC §8's policy, with the stand-in hosts' scripts allowed (no inline, no eval).
const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval' http://ads.test:* http://other.test:*; style-src 'self'";
const HOLES_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>holes</title>
<script src="{{KELISIM}}" data-config="/fixtures/config-basic.json" data-ui="false"></script>
<script src="/holes.js"></script></head><body></body></html>`;

// The page's own HTML: [id, element, URL attribute, path on the tracker host].
const STATIC = [
  ['s-img', 'img', 'srcset', '/pixel/static-img'],
  ['s-video', 'video', 'poster', '/pixel/static-poster'],
  ['s-object', 'object', 'data', '/frame/static-object'],
  ['s-link', 'link', 'href', '/style/static-link'],
];

let server;
let browser;
before(async () => {
  server = await startServer();
  const page = (kelisim, csp) => (req, res) =>
    server.html(res, HOLES_PAGE.replace('{{KELISIM}}', kelisim), csp ? { 'content-security-policy': csp } : {});
  server.routes['/holes-tt.html'] = page('/kelisim/kelisim.js', TT_CSP);
  server.routes['/holes-csp.html'] = page('/kelisim/kelisim.js', STRICT_CSP);
  // kelisim.js without its .wasm beside it: the engine never answers.
  server.routes['/holes-failed.html'] = page('/nowasm/kelisim.js');
  server.routes['/nowasm/kelisim.js'] = (req, res) => server.dist(res, 'kelisim.js');
  const config = JSON.parse(readFileSync(new URL('../tests/fixtures/config-basic.json', import.meta.url), 'utf8'));
  config.blocking = { autoBlock: true, cookieGuard: true };
  server.routes['/holes-static.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>static</title>
<script type="application/json" id="kelisim-config">${JSON.stringify(config)}</script>
<script src="/kelisim/kelisim.js" data-ui="false"></script>
${STATIC.map(([id, tag, name, url]) => `<${tag} id="${id}" ${tag === 'link' ? 'rel="stylesheet" ' : ''}${name}="http://ads.test:{{PORT}}${url}"></${tag}>`).join('\n')}
</head><body></body></html>`,
    );
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const reached = (host, id) => server.requestsTo(host).some((r) => r.path.includes(`/${id}`));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until every one of `ids` reached `host` (or 5 s pass); returns those that did not. */
async function waitReached(host, ids) {
  const end = Date.now() + 5000;
  let missing = ids;
  while ((missing = ids.filter((id) => !reached(host, id))).length && Date.now() < end) await sleep(50);
  return missing;
}

/** Tries every way of `family` against both hosts; `tag` names this round's URLs. */
async function attempt(page, family, tag, only) {
  const run = (host) => page.evaluate(([f, h, t, o]) => window.holes.run(f, h, t, o), [family, host, tag, only]);
  const control = await run(CONTROL);
  const blocked = await run(BLOCKED);
  assert.deepEqual(blocked.tried, control.tried);
  return { ids: control.tried.map((way) => `${tag}-${way}`), skipped: control.skipped };
}

async function assertHeld(page, family, tag, only) {
  const { ids } = await attempt(page, family, tag, only);
  assert.deepEqual(await waitReached(CONTROL, ids), [], `${tag}: ways that did not reach the control host`);
  await sleep(300);
  assert.deepEqual(
    ids.filter((id) => reached(BLOCKED, id)),
    [],
    `${tag}: ways that reached the tracker`,
  );
}

/** One vector family: before a decision, after "reject all", after "accept all". */
async function family(name, { path = '/holes.html', only, t, tag: own } = {}) {
  // Each page's rounds have URLs of their own: the server's log is shared by the tests.
  const tag = own || (path === '/holes.html' ? name : `${path.slice(1, -5)}-${name}`);
  const { page, errors, close } = await openPage(browser);
  try {
    await page.goto(`${server.origin}${path}`);
    const settled = await kelisimSettled(page);
    assert.equal(settled.ok, true, settled.message);
    const first = await attempt(page, name, `${tag}-pre`, only);
    if (first.skipped.length) t.diagnostic(`not in this browser: ${first.skipped.join(', ')}`);
    assert.deepEqual(await waitReached(CONTROL, first.ids), [], 'ways that did not reach the control host');
    await sleep(300);
    assert.deepEqual(
      first.ids.filter((id) => reached(BLOCKED, id)),
      [],
      'before a decision: ways that reached the tracker',
    );
    await page.evaluate(() => window.kelisim.rejectAll());
    await assertHeld(page, name, `${tag}-rej`, only);
    assert.deepEqual(
      first.ids.filter((id) => reached(BLOCKED, id)),
      [],
      'after reject all: held ways that reached the tracker',
    );
    // Accepting releases what was held, and the same ways work from now on.
    await page.evaluate(() => window.kelisim.acceptAll());
    assert.deepEqual(await waitReached(BLOCKED, first.ids), [], 'held ways not released by accept all');
    const { ids } = await attempt(page, name, `${tag}-acc`, only);
    assert.deepEqual(await waitReached(BLOCKED, ids), [], 'after accept all: ways that did not reach the tracker');
    assert.deepEqual(errors, []);
    assert.deepEqual(await page.evaluate(() => window.holes.violations), [], 'CSP violations');
  } finally {
    await close();
  }
}

test('URL attributes set by other means: setAttributeNS, attribute nodes, Attr values, SVG script href, object data, embed src', (t) =>
  family('attributes', { t }));

test('other loading elements: frame, img (Image, srcset), link preload/prefetch/modulepreload/stylesheet, source, video, audio', (t) =>
  family('elements', { t }));

test('HTML parsed by other APIs: createContextualFragment, shadowRoot.innerHTML, setHTMLUnsafe, parseHTMLUnsafe, DOMParser, templates, insertion methods', (t) =>
  family('html', { t }));

test("other documents of the page: same-origin frames' scripts, contentDocument.write, srcdoc, javascript:, data: and blob: frames, navigated frames", (t) =>
  family('frames', { t }));

// Not closed: the initial about:blank of a frame fires no Navigation API
// event and its Location cannot be wrapped, so a script navigation of such a
// frame (contentWindow.location = url) is not seen before it leaves;
// window.open(url, name) is the network guard's; a frame inside a *closed*
// declarative shadow root is held, but cannot be found again to be released.
test(
  'known gaps: about:blank frames navigated by script, held frames in closed shadow roots',
  { todo: 'not closable by a page script' },
  (t) => family('gaps', { t }),
);

test('innerHTML and friends given TrustedHTML under require-trusted-types-for: held, and no violation', async (t) => {
  await family('trusted', { path: '/holes-tt.html', t });
});

test('document.write in two pieces and through Document.prototype.write, while the page is parsed', async () => {
  const ways = ['split', 'attr', 'proto'];
  const { page, context, errors, close } = await openPage(browser);
  try {
    const load = async (tag) => {
      await page.goto(`${server.origin}/holes.html?w=${tag}`);
      assert.equal((await kelisimSettled(page)).ok, true);
      return ways.map((w) => `${tag}-${w}`);
    };
    for (const tag of ['wpre', 'wrej']) {
      const ids = await load(tag);
      assert.deepEqual(await waitReached(CONTROL, ids), [], `${tag}: writes that did not reach the control host`);
      await sleep(300);
      assert.deepEqual(
        ids.filter((id) => reached(BLOCKED, id)),
        [],
        `${tag}: writes that reached the tracker`,
      );
      if (tag === 'wpre') await page.evaluate(() => window.kelisim.rejectAll());
    }
    await page.evaluate(() => window.kelisim.acceptAll());
    assert.ok((await context.cookies()).some((c) => c.name === 'kelisim'));
    const ids = await load('wacc');
    assert.deepEqual(await waitReached(BLOCKED, ids), [], 'after accept all: writes that did not reach the tracker');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('under a strict CSP (no inline script, no eval): frames and parsed HTML held and released, no violation', async (t) => {
  const frames = ['movedFromFrame', 'insideBlankFrame', 'frameFromInnerHTML', 'contentDocumentWrite', 'srcdoc', 'dataUrl', 'blobUrl'];
  await family('frames', { path: '/holes-csp.html', only: frames, t });
  await family('html', { path: '/holes-csp.html', t });
});

test('the engine never answers (no .wasm): every way to any third party stays held', async () => {
  const { page, close } = await openPage(browser);
  try {
    await page.goto(`${server.origin}/holes-failed.html`);
    const settled = await kelisimSettled(page);
    assert.equal(settled.ok, false);
    const ids = [];
    for (const name of ['attributes', 'elements', 'html', 'frames']) ids.push(...(await attempt(page, name, `failed-${name}`)).ids);
    await sleep(1000);
    for (const host of [BLOCKED, CONTROL])
      assert.deepEqual(
        ids.filter((id) => reached(host, id)),
        [],
        `ways that reached ${host}`,
      );
  } finally {
    await close();
  }
});

test("the page's own HTML: held for a returning visitor who rejected (srcset, poster, object data, stylesheet), restored by accept all", async () => {
  const { page, close } = await openPage(browser);
  try {
    await page.goto(`${server.origin}/holes-static.html`);
    assert.equal((await kelisimSettled(page)).ok, true);
    await page.evaluate(() => window.kelisim.rejectAll());
    // From now on the engine starts while the parser runs: the observer has its answer.
    await page.waitForFunction(() => (localStorage.getItem('kelisim:wasm') || '').length > 1000);
    await page.reload();
    assert.equal((await kelisimSettled(page)).ok, true);
    const attributes = () =>
      page.evaluate(
        (list) =>
          list.map(([id, , name]) => [
            document.getElementById(id).getAttribute(name),
            document.getElementById(id).getAttribute(`data-kelisim-${name}`),
          ]),
        STATIC,
      );
    const url = (path) => `http://ads.test:${server.port}${path}`;
    assert.deepEqual(
      await attributes(),
      STATIC.map(([, , , path]) => [null, url(path)]),
      'held: each URL waits as data-kelisim-<name>',
    );
    const from = server.log.length;
    await page.evaluate(() => window.kelisim.acceptAll());
    assert.deepEqual(
      await attributes(),
      STATIC.map(([, , , path]) => [url(path), null]),
      'released: each URL back in its attribute',
    );
    const end = Date.now() + 5000;
    const missing = () => STATIC.filter(([, , , path]) => !server.log.slice(from).some((r) => r.host === 'ads.test' && r.path === path));
    while (missing().length && Date.now() < end) await sleep(50);
    assert.deepEqual(missing(), [], 'released elements that did not load');
  } finally {
    await close();
  }
});

// Each alone: in a family run together, one way's markup can carry another's
// elements through a sink of its own, and hide that the elements a sink made
// were never found again by the decision that should release them.
const EACH_ALONE = {
  html: [
    'createContextualFragment',
    'shadowRootInnerHTML',
    'setHTMLUnsafe',
    'declarativeShadowRoot',
    'shadowRootSetHTMLUnsafe',
    'parseHTMLUnsafe',
    'domParserImport',
    'templateClone',
    'templateImport',
    'insertAdjacentElement',
    'documentBody',
  ],
  frames: ['frameFromInnerHTML', 'contentDocumentWrite', 'insideBlankFrame', 'movedFromFrame'],
};
test('each HTML sink and frame way alone: what it held is released by accept all', async (t) => {
  for (const [name, ways] of Object.entries(EACH_ALONE))
    for (const way of ways) await family(name, { only: [way], t, tag: `alone-${way}` });
});
