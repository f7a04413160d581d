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
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';

const BLOCKED = 'ads.test';
const CONTROL = 'other.test';
const TT_CSP = "require-trusted-types-for 'script'; trusted-types holes";

let server;
let browser;
before(async () => {
  server = await startServer();
  server.routes['/holes-tt.html'] = (req, res) =>
    server.html(
      res,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>holes under Trusted Types</title>
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json" data-ui="false"></script>
<script src="/holes.js"></script></head><body></body></html>`,
      { 'content-security-policy': TT_CSP },
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
async function attempt(page, family, tag) {
  const run = (host) => page.evaluate(([f, h, t]) => window.holes.run(f, h, t), [family, host, tag]);
  const control = await run(CONTROL);
  const blocked = await run(BLOCKED);
  assert.deepEqual(blocked.tried, control.tried);
  return { ids: control.tried.map((way) => `${tag}-${way}`), skipped: control.skipped };
}

async function assertHeld(page, family, tag) {
  const { ids } = await attempt(page, family, tag);
  assert.deepEqual(await waitReached(CONTROL, ids), [], `${tag}: ways that did not reach the control host`);
  await sleep(300);
  assert.deepEqual(
    ids.filter((id) => reached(BLOCKED, id)),
    [],
    `${tag}: ways that reached the tracker`,
  );
}

/** One vector family: before a decision, after "reject all", after "accept all". */
async function family(name, { path = '/holes.html', t } = {}) {
  const { page, errors, close } = await openPage(browser);
  try {
    await page.goto(`${server.origin}${path}`);
    const settled = await kelisimSettled(page);
    assert.equal(settled.ok, true, settled.message);
    const first = await attempt(page, name, `${name}-pre`);
    if (first.skipped.length) t.diagnostic(`not in this browser: ${first.skipped.join(', ')}`);
    assert.deepEqual(await waitReached(CONTROL, first.ids), [], 'ways that did not reach the control host');
    await sleep(300);
    assert.deepEqual(
      first.ids.filter((id) => reached(BLOCKED, id)),
      [],
      'before a decision: ways that reached the tracker',
    );
    await page.evaluate(() => window.kelisim.rejectAll());
    await assertHeld(page, name, `${name}-rej`);
    assert.deepEqual(
      first.ids.filter((id) => reached(BLOCKED, id)),
      [],
      'after reject all: held ways that reached the tracker',
    );
    // Accepting releases what was held, and the same ways work from now on.
    await page.evaluate(() => window.kelisim.acceptAll());
    assert.deepEqual(await waitReached(BLOCKED, first.ids), [], 'held ways not released by accept all');
    const { ids } = await attempt(page, name, `${name}-acc`);
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
