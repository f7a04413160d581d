// TypeScript type test: the sources in js/test/types/ are compiled with
// `tsc --noEmit` against the declarations of the packed tarball, installed in
// a throwaway app, under the resolutions sites use (bundler; node16 ESM and
// CommonJS). `@ts-expect-error` lines prove that mistakes are caught.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { packTarball, installApp, removeAll, repo, rootModules } from '../../web-test/consumers/tarball.mjs';

const run = promisify(execFile);
const sources = path.join(path.dirname(fileURLToPath(import.meta.url)), 'types');
const tsc = path.join(rootModules, 'typescript', 'bin', 'tsc');
let pack;
let app;
const results = {};

const base = { strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], types: [], forceConsistentCasingInFileNames: true };
const configs = {
  // A bundler app (esbuild, Vite) in the browser, with the script tag's globals.
  'tsconfig.bundler.json': {
    compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler', resolveJsonModule: true, skipLibCheck: false },
    files: ['browser.ts'],
  },
  // Node ES module + CommonJS; playwright-core's own .d.ts need @types/node, which we do not install.
  'tsconfig.node.json': {
    compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16', skipLibCheck: true },
    files: ['node-esm.mts', 'node-cjs.cts'],
  },
  // The shipped declarations themselves, checked strictly under node16.
  'tsconfig.declarations.json': {
    compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16', skipLibCheck: false },
    files: ['index.d.ts', 'index.d.cts', 'testing.d.ts', 'global.d.ts'].map((f) => `node_modules/kelisim/types/${f}`),
  },
};

before(async () => {
  pack = await packTarball();
  app = await installApp(pack.tarball, { name: 'kelisim-types' });
  for (const f of readdirSync(sources)) copyFileSync(path.join(sources, f), path.join(app, f));
  copyFileSync(path.join(repo, 'tests', 'fixtures', 'config-basic.json'), path.join(app, 'consent.json'));
  symlinkSync(path.join(rootModules, 'playwright-core'), path.join(app, 'node_modules', 'playwright-core'), 'dir');
  for (const [name, cfg] of Object.entries(configs)) writeFileSync(path.join(app, name), JSON.stringify(cfg, null, 2));
  writeFileSync(
    path.join(app, 'broken.ts'),
    "import type { KelisimConfig } from 'kelisim';\nexport const c: KelisimConfig = { categories: { a: { gpc: 'maybe' } } };\n",
  );
  writeFileSync(path.join(app, 'tsconfig.broken.json'), JSON.stringify({ ...configs['tsconfig.bundler.json'], files: ['broken.ts'] }));
  // The projects are independent: check them in parallel, assert one by one.
  for (const project of [...Object.keys(configs), 'tsconfig.broken.json']) results[project] = typecheck(project);
});
after(() => removeAll(pack?.dir, app));

async function typecheck(project) {
  try {
    await run(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: app });
    return '';
  } catch (err) {
    return String(err.stdout || err.message);
  }
}

for (const project of Object.keys(configs)) {
  test(`tsc --noEmit -p ${project}`, async () => {
    const out = await results[project];
    assert.equal(out, '', `tsc reported:\n${out}`);
  });
}

test('the type test fails when a checked mistake slips through', async () => {
  // Guards the guard: a config error that the declarations must report.
  const out = await results['tsconfig.broken.json'];
  assert.match(out, /broken\.ts\(2,\d+\): error TS2322/);
});
