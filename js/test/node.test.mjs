// The npm package's Node entries and kelisim/testing, against the real .wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const config = JSON.parse(readFileSync(path.join(here, '..', '..', 'tests', 'fixtures', 'config-basic.json'), 'utf8'));
const { init, KelisimError } = await import(path.join(dist, 'node.mjs'));
const { consentCookie } = await import(path.join(dist, 'testing.mjs'));

test('without a cookie only required categories are allowed', async () => {
  const k = await init(config, { ui: false, cookie: '' });
  assert.equal(k.isAllowed('necessary'), true);
  assert.equal(k.isAllowed('analytics'), false);
  assert.equal(k.isAllowed('stats'), false);
  assert.equal(k.state().decided, false);
  assert.deepEqual(k.state().categories, ['necessary']);
});

test('accept-all cookie from kelisim/testing allows everything, read back by init', async () => {
  const c = await consentCookie(config, 'accept-all', { url: 'https://shop.example.test/' });
  assert.equal(c.name, 'kelisim');
  assert.equal(c.domain, 'shop.example.test');
  assert.equal(c.secure, true);
  assert.match(c.value, /^1\.[A-Za-z0-9_-]+$/);
  const k = await init(config, { ui: false, cookie: `other=1; ${c.name}=${c.value}` });
  const s = k.state();
  assert.equal(s.decided, true);
  assert.equal(s.method, 'accept-all');
  assert.deepEqual(s.categories, ['necessary', 'analytics', 'marketing', 'embedded']);
  assert.deepEqual(s.services, ['stats', 'ads', 'video']);
  assert.equal(k.isAllowed('statistics'), true, 'aliases resolve');
  assert.match(s.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

test('a custom choice allows exactly what was chosen', async () => {
  const c = await consentCookie(config, { categories: ['analytics'] });
  const k = await init(config, { ui: false, cookie: `kelisim=${c.value}` });
  assert.equal(k.isAllowed('analytics'), true);
  assert.equal(k.isAllowed('stats'), true);
  assert.equal(k.isAllowed('marketing'), false);
  assert.equal(k.isAllowed('ads'), false);
  assert.equal(k.state().method, 'custom');
});

test('a garbled cookie is "not decided", never an error', async () => {
  for (const value of ['', 'x', '1.', '1.AAAA', '2.abc', '1.!!!!', 'kelisim', '1.' + 'A'.repeat(5000)]) {
    const k = await init(config, { ui: false, cookie: `kelisim=${value}` });
    assert.equal(k.state().decided, false, value.slice(0, 20));
    assert.equal(k.isAllowed('analytics'), false);
  }
});

test('a decision for an older revision is not honoured', async () => {
  const c = await consentCookie({ ...config, revision: 0 }, 'accept-all');
  const k = await init(config, { ui: false, cookie: `kelisim=${c.value}` });
  assert.equal(k.state().decided, false);
  assert.equal(k.isAllowed('analytics'), false);
});

test('an invalid configuration rejects with every error and its path', async () => {
  const bad = {
    categories: { analytics: { consentMode: ['analytic_storage'], required: 'yes' } },
    services: { x: { category: 'marketin' } },
  };
  await assert.rejects(init(bad, { ui: false }), (err) => {
    assert.ok(err instanceof KelisimError);
    assert.equal(err.code, 'invalid-config');
    const paths = err.errors.map((e) => e.path);
    assert.deepEqual(paths.sort(), ['categories.analytics.consentMode[0]', 'categories.analytics.required', 'services.x.category'].sort());
    assert.match(err.message, /categories\.analytics\.consentMode\[0\]: unknown consent type "analytic_storage"/);
    return true;
  });
});

test('the CommonJS entry works with require()', () => {
  const require = createRequire(import.meta.url);
  const cjs = require(path.join(dist, 'node.cjs'));
  assert.equal(typeof cjs.init, 'function');
  return cjs.init(config, { ui: false, cookie: '' }).then((k) => assert.equal(k.isAllowed('necessary'), true));
});

test('a missing .wasm rejects with a clear message naming the file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kelisim-nowasm-'));
  copyFileSync(path.join(dist, 'node.mjs'), path.join(dir, 'node.mjs'));
  const mod = await import(path.join(dir, 'node.mjs'));
  await assert.rejects(mod.init(config, { ui: false }), (err) => {
    assert.equal(err.code, 'wasm-load');
    assert.match(err.message, /kelisim\.wasm/);
    assert.match(err.message, /ENOENT|no such file/);
    return true;
  });
});

test('a corrupt .wasm rejects with a clear message', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kelisim-badwasm-'));
  copyFileSync(path.join(dist, 'node.mjs'), path.join(dir, 'node.mjs'));
  writeFileSync(path.join(dir, 'kelisim.wasm'), Buffer.from('not a wasm module'));
  const mod = await import(path.join(dir, 'node.mjs'));
  await assert.rejects(mod.init(config, { ui: false }), (err) => {
    assert.equal(err.code, 'wasm-load');
    assert.match(err.message, /cannot load its engine/);
    return true;
  });
});

test('decisions need a browser: the Node instance says so', async () => {
  const k = await init(config, { ui: false });
  assert.throws(() => k.acceptAll(), /needs a browser/);
});

test("a configuration larger than the engine's first memory: the memory grows and the answer is whole", async () => {
  // kelisim.wasm starts with 1 MiB of linear memory; services with long
  // cookie lists make it ask the loader for more several times.
  const big = structuredClone(config);
  for (let i = 0; i < 20; i++)
    big.services[`svc${i}`] = { category: 'analytics', cookies: Array.from({ length: 3000 }, (_, j) => `_c${i}_${j}_${'x'.repeat(20)}`) };
  const text = JSON.stringify(big);
  assert.ok(text.length > 1.5 * 1024 * 1024, `the configuration is ${text.length} bytes`);
  const c = await consentCookie(big, 'accept-all', { url: 'https://shop.example.test/' });
  const k = await init(big, { ui: false, cookie: `${c.name}=${c.value}` });
  assert.equal(k.state().decided, true);
  assert.equal(k.state().services.length, 23);
  assert.equal(k.isAllowed('svc19'), true);
});
