// Blocking without holes (SPEC §6 autoBlock), in every engine: a
// representative set of the ways page code gets a tracker's script, frame or
// pixel past the usual setters (pages/holes.js; all of them run in Chromium
// in holes-elements.test.mjs). Asserted on the server: the tracker stand-in
// (ads.test) sees nothing before a decision nor after "reject all", and
// everything after "accept all"; a host no service names (other.test) loads
// every time. setHTMLUnsafe is skipped where the browser lacks it (noted).
import assert from 'node:assert/strict';

const BLOCKED = 'ads.test';
const CONTROL = 'other.test';
const WAYS = {
  attributes: ['setAttributeNS', 'emptyThenSrc', 'svgHref', 'objectData', 'embedSrcAttribute'],
  elements: ['image', 'imgSrcset', 'svgImageXlink', 'svgImageBaseVal', 'svgImageMarkup', 'svgFeImage', 'tableBackground'],
  html: ['createContextualFragment', 'shadowRootInnerHTML', 'setHTMLUnsafe', 'templateClone', 'domParserImport'],
  frames: ['insideBlankFrame', 'movedFromFrame', 'frameLoadEvent', 'contentDocumentWrite', 'srcdoc', 'dataUrl', 'blobUrl'],
};

/** Tries the ways against both hosts; returns the URL ids tried. */
async function attempt(s, tag) {
  const ids = [];
  for (const [family, only] of Object.entries(WAYS)) {
    const run = (host) => s.page.evaluate((a) => window.holes.run(a[0], a[1], a[2], a[3]), [family, host, `${tag}-${family}`, only]);
    const control = await run(CONTROL);
    await run(BLOCKED);
    if (control.skipped.length) s.note(`not in this browser: ${control.skipped.join(', ')}`);
    ids.push(...control.tried.map((way) => `${tag}-${family}-${way}`));
  }
  return ids;
}
const reached = (s, host, id) => s.requests(host).some((r) => r.path.includes(`/${id}`));
/** Waits until every id reached `host` (or 6 s pass); returns those that did not. */
async function missing(s, host, ids) {
  const end = Date.now() + 6000;
  let left = ids;
  while ((left = ids.filter((id) => !reached(s, host, id))).length && Date.now() < end) await s.page.sleep(100);
  return left;
}
async function assertHeld(s, ids, when) {
  assert.deepEqual(await missing(s, CONTROL, ids), [], `${when}: ways that did not reach the control host`);
  await s.page.sleep(400);
  assert.deepEqual(
    ids.filter((id) => reached(s, BLOCKED, id)),
    [],
    `${when}: ways that reached the tracker`,
  );
}

export default {
  name: 'blocking without holes',
  routes(server) {
    server.routes['/holes-tt.html'] = (req, res) =>
      server.html(
        res,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>holes under Trusted Types</title>
<script src="/kelisim/kelisim.js" data-config="/fixtures/config-basic.json" data-ui="false"></script>
<script src="/holes.js"></script></head><body></body></html>`,
        { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types holes" },
      );
  },
  steps: [
    [
      'before a decision: setAttributeNS, SVG script, object/embed, img pixel, createContextualFragment, shadowRoot.innerHTML, setHTMLUnsafe, template clone, same-origin frame scripts, srcdoc, data: frame are held; the control host loads',
      async (s) => {
        await s.page.goto(`${s.origin}/holes.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        s.state.first = await attempt(s, 'pre');
        await assertHeld(s, s.state.first, 'before a decision');
        assert.deepEqual((await s.page.probe()).errors, []);
      },
    ],
    [
      'after reject all: the same ways stay held',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.rejectAll());
        await assertHeld(s, await attempt(s, 'rej'), 'after reject all');
        assert.deepEqual(
          s.state.first.filter((id) => reached(s, BLOCKED, id)),
          [],
        );
      },
    ],
    [
      'after accept all: what was held loads, and the same ways load',
      async (s) => {
        await s.page.evaluate(() => window.kelisim.acceptAll());
        assert.deepEqual(await missing(s, BLOCKED, s.state.first), [], 'held ways not released');
        assert.deepEqual(await missing(s, BLOCKED, await attempt(s, 'acc')), [], 'after accept all: ways that did not reach the tracker');
        const probe = await s.page.probe();
        assert.deepEqual(probe.errors, []);
        assert.deepEqual(probe.violations, []);
      },
    ],
    [
      'under require-trusted-types-for: innerHTML, shadowRoot.innerHTML and createContextualFragment given TrustedHTML are held, then released, with no violation (skipped without Trusted Types)',
      async (s) => {
        await s.page.goto(`${s.origin}/holes-tt.html`);
        const settled = await s.page.settled();
        assert.equal(settled.ok, true, settled.message);
        if (!(await s.page.evaluate(() => Boolean(window.trustedTypes)))) {
          s.note('no Trusted Types in this browser: step skipped');
          return;
        }
        await s.page.evaluate(() => window.kelisim.reset()); // undecided again
        const only = ['innerHTML', 'shadowRootInnerHTML', 'createContextualFragment'];
        const run = (host, tag) => s.page.evaluate((a) => window.holes.run('trusted', a[0], a[1], a[2]), [host, tag, only]);
        await run(CONTROL, 'tt');
        const { tried } = await run(BLOCKED, 'tt');
        const ids = tried.map((way) => `tt-${way}`);
        assert.deepEqual(tried, only);
        await assertHeld(s, ids, 'before a decision');
        await s.page.evaluate(() => window.kelisim.acceptAll());
        assert.deepEqual(await missing(s, BLOCKED, ids), [], 'held ways not released');
        assert.deepEqual(await s.page.evaluate(() => window.holes.violations), [], 'CSP violations');
      },
    ],
  ],
};
