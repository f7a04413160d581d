// The npm package as users get it: `npm pack` of js/, its contents and
// metadata, then installed into a throwaway app and used from Node through
// `import` and `require` (the .wasm read from disk) and `kelisim/testing`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { packTarball, installApp, nodeIn, removeAll, jsDir, repo } from '../../web-test/consumers/tarball.mjs';

const fixture = path.join(repo, 'tests', 'fixtures', 'config-basic.json');
const manifest = JSON.parse(readFileSync(path.join(jsDir, 'package.json'), 'utf8'));
let pack;
let app;

before(async () => {
  pack = await packTarball();
  app = await installApp(pack.tarball);
});
after(() => removeAll(pack?.dir, app));

const installed = (...p) => path.join(app, 'node_modules', 'kelisim', ...p);

test('the tarball holds exactly the allow-listed files', () => {
  assert.deepEqual(pack.files, [
    'dist/CHANGELOG.md',
    'dist/LICENSE',
    'dist/README.md',
    'dist/SHA384SUMS',
    'dist/cli.mjs',
    'dist/kelisim-app.js',
    'dist/kelisim-first-en.js',
    'dist/kelisim-first-kk.js',
    'dist/kelisim-first-ru.js',
    'dist/kelisim-texts-en.json',
    'dist/kelisim-texts-kk.json',
    'dist/kelisim-texts-ru.json',
    'dist/kelisim.js',
    'dist/kelisim.mjs',
    'dist/kelisim.wasm',
    'dist/node.cjs',
    'dist/node.mjs',
    'dist/scan/NOTICE',
    'dist/scan/catalogue.json',
    'dist/scan/kelisim-scan.wasm',
    'dist/scan/open-cookie-database.LICENSE',
    'dist/testing.mjs',
    'package.json',
    'types/global.d.ts',
    'types/index.d.cts',
    'types/index.d.ts',
    'types/testing.d.ts',
  ]);
  // About 190 KB of it is `kelisim scan` (dist/cli.mjs, dist/scan/: its own
  // engine build and catalogue), which runs in Node only: no site loads it.
  // Auto-blocking without holes (element, HTML, frame, network and storage guards) cost about 11 KB.
  // A first visit's kelisim-first-<lang>.js, one per built-in language, each carry the engine (about 44 KB gzip each).
  // README.md and CHANGELOG.md ride along (about 35 KB gzip), and grow with each change's figures.
  assert.ok(pack.info.size < 470_000, `the tarball is ${pack.info.size} bytes`);
});

test('package.json: name, version, MIT, no install scripts, no dependencies (playwright-core an optional peer), side effects only in the script-tag bundle', () => {
  assert.equal(manifest.name, 'kelisim');
  assert.match(manifest.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  assert.equal(manifest.license, 'MIT');
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack']) {
    assert.equal(manifest.scripts?.[hook], undefined, `scripts.${hook}`);
  }
  assert.equal(manifest.dependencies, undefined);
  // `kelisim scan` drives Chromium through the user's playwright-core; a site's bundle never pulls it in.
  assert.deepEqual(Object.keys(manifest.peerDependencies), ['playwright-core']);
  assert.deepEqual(manifest.peerDependenciesMeta, { 'playwright-core': { optional: true } });
  assert.deepEqual(manifest.bin, { kelisim: './dist/cli.mjs' });
  assert.equal(existsSync(installed('node_modules', 'playwright-core')), false);
  assert.equal(existsSync(path.join(app, 'node_modules', 'playwright-core')), false, 'npm installed no optional peer');
  assert.deepEqual(manifest.sideEffects, [
    './dist/kelisim.js',
    './dist/kelisim-app.js',
    './dist/kelisim-first-kk.js',
    './dist/kelisim-first-ru.js',
    './dist/kelisim-first-en.js',
  ]);
  assert.ok(manifest.engines.node.startsWith('>=20'));
  const changelog = readFileSync(installed('dist', 'CHANGELOG.md'), 'utf8');
  assert.ok(changelog.includes(`## ${manifest.version}`), 'CHANGELOG.md has an entry for this version');
  assert.match(readFileSync(installed('dist', 'LICENSE'), 'utf8'), /^MIT License/);
});

test('every target named in package.json exists in the installed package', () => {
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(manifest.exports);
  targets.push(manifest.main, manifest.module, manifest.types);
  for (const t of targets) assert.ok(existsSync(installed(t)), `${t} is missing from the tarball`);
  assert.ok(manifest.exports['.'].types, 'types come first in "."');
  assert.equal(Object.keys(manifest.exports['.'])[0], 'types');
});

test('SHA384SUMS lists the shipped bundles with their digests', () => {
  const lines = readFileSync(installed('dist', 'SHA384SUMS'), 'utf8').trim().split('\n');
  const names = [];
  for (const line of lines) {
    const m = /^([0-9a-f]{96}) {2}(\S+)$/.exec(line);
    assert.ok(m, `not sha384sum format: ${line}`);
    names.push(m[2]);
    const digest = createHash('sha384')
      .update(readFileSync(installed('dist', m[2])))
      .digest('hex');
    assert.equal(digest, m[1], m[2]);
  }
  assert.ok(names.includes('kelisim.js') && names.includes('kelisim.wasm') && names.includes('kelisim.mjs'));
});

test('Node: import from the installed package reads a Cookie header with the .wasm from disk', async () => {
  writeFileSync(
    path.join(app, 'esm.mjs'),
    `
import { readFileSync } from 'node:fs';
import { init, KelisimError } from 'kelisim';
import { consentCookie } from 'kelisim/testing';
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const cookie = await consentCookie(config, { categories: ['analytics'] }, { url: 'https://shop.example.test/' });
const k = await init(config, { ui: false, cookie: 'a=1; ' + cookie.name + '=' + cookie.value });
const fresh = await init(config, { ui: false, cookie: '' });
let code = null;
try { await init({ categories: { a: { gpc: 'no' } } }, { ui: false }); } catch (e) { code = e instanceof KelisimError && e.code; }
console.log(JSON.stringify({
  entry: import.meta.resolve('kelisim'), testing: import.meta.resolve('kelisim/testing'),
  cookie, analytics: k.isAllowed('analytics'), marketing: k.isAllowed('marketing'), method: k.state().method,
  fresh: fresh.isAllowed('analytics'), code,
}));
`,
  );
  const { stdout } = await nodeIn(app, ['esm.mjs', fixture]);
  const out = JSON.parse(stdout);
  assert.equal(out.entry, new URL(`file://${installed('dist', 'node.mjs')}`).href);
  assert.equal(out.testing, new URL(`file://${installed('dist', 'testing.mjs')}`).href);
  assert.deepEqual(Object.keys(out.cookie).sort(), ['domain', 'expires', 'httpOnly', 'name', 'path', 'sameSite', 'secure', 'value']);
  assert.equal(out.cookie.domain, 'shop.example.test');
  assert.equal(out.cookie.secure, true);
  assert.equal(out.analytics, true);
  assert.equal(out.marketing, false);
  assert.equal(out.method, 'custom');
  assert.equal(out.fresh, false);
  assert.equal(out.code, 'invalid-config');
});

test('Node: require() from the installed package works the same', async () => {
  writeFileSync(
    path.join(app, 'cjs.cjs'),
    `
const { readFileSync } = require('node:fs');
const kelisim = require('kelisim');
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
kelisim.init(config, { ui: false, cookie: '' }).then((k) => {
  console.log(JSON.stringify({
    entry: require.resolve('kelisim'), wasm: require.resolve('kelisim/kelisim.wasm'),
    necessary: k.isAllowed('necessary'), analytics: k.isAllowed('analytics'), decided: k.state().decided,
    error: typeof kelisim.KelisimError,
  }));
});
`,
  );
  const { stdout } = await nodeIn(app, ['cjs.cjs', fixture]);
  const out = JSON.parse(stdout);
  assert.equal(out.entry, installed('dist', 'node.cjs'));
  assert.equal(out.wasm, installed('dist', 'kelisim.wasm'));
  assert.equal(out.necessary, true);
  assert.equal(out.analytics, false);
  assert.equal(out.decided, false);
  assert.equal(out.error, 'function');
});

test('kelisim scan from the installed package: its bin, and what it says without playwright-core', async () => {
  const bin = path.join(app, 'node_modules', '.bin', 'kelisim');
  assert.ok(existsSync(bin), 'npm linked the kelisim command');
  const help = await nodeIn(app, [bin, 'scan', '--help']);
  assert.match(help.stdout, /Usage: kelisim scan <url>/);
  // The configuration is checked by the engine before any browser is needed.
  writeFileSync(path.join(app, 'bad.json'), JSON.stringify({ categories: { analytics: { consentMode: ['analytic_storage'] } } }));
  const bad = await nodeIn(app, [bin, 'scan', 'http://127.0.0.1:9/', '--check', 'bad.json']).then(
    () => null,
    (e) => e,
  );
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.json is not a valid kelisim configuration/);
  assert.match(bad.stderr, /categories\.analytics\.consentMode\[0\]: unknown consent type "analytic_storage"/);
  const missing = await nodeIn(app, [bin, 'scan', 'http://127.0.0.1:9/']).then(
    () => null,
    (e) => e,
  );
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /playwright-core, which is not installed here/);
  assert.match(missing.stderr, /npm install --save-dev playwright-core/);
});
