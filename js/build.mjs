// Bundles the shim with esbuild around the Emscripten glue and copies the
// .wasm beside each bundle: js/dist/ is both the script-tag bundle's folder
// and the npm package's files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmOut = process.env.KELISIM_WASM_OUT || path.join(here, '..', 'build-wasm', 'out');
const dist = path.join(here, 'dist');
const glue = path.join(wasmOut, 'kelisim-core.mjs');
if (!existsSync(glue)) {
  console.error(`js/build.mjs: ${glue} is missing: run the wasm build first (make build)`);
  process.exit(1);
}
mkdirSync(dist, { recursive: true });

const core = {
  name: 'kelisim-core',
  setup(b) {
    b.onResolve({ filter: /^kelisim-core$/ }, () => ({ path: glue }));
  },
};
const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  loader: { '.css': 'text' },
  plugins: [core],
  logLevel: 'warning',
  // The glue's own import.meta/node paths are unused: we instantiate the wasm ourselves.
  logOverride: { 'empty-import-meta': 'silent' },
};
const browser = { ...common, platform: 'browser', target: ['chrome90', 'firefox90', 'safari15'] };

await Promise.all([
  build({ ...browser, entryPoints: [path.join(here, 'src/script-tag.js')], format: 'iife', outfile: path.join(dist, 'kelisim.js') }),
  build({ ...browser, entryPoints: [path.join(here, 'src/browser.js')], format: 'esm', outfile: path.join(dist, 'kelisim.mjs') }),
  build({ ...common, platform: 'node', target: 'node20', entryPoints: [path.join(here, 'src/node.js')], format: 'esm', outfile: path.join(dist, 'node.mjs') }),
  build({ ...common, platform: 'node', target: 'node20', entryPoints: [path.join(here, 'src/node.js')], format: 'cjs', outfile: path.join(dist, 'node.cjs') }),
  build({ ...common, platform: 'node', target: 'node20', entryPoints: [path.join(here, 'src/testing.js')], format: 'esm', outfile: path.join(dist, 'testing.mjs') }),
]);
copyFileSync(path.join(wasmOut, 'kelisim.wasm'), path.join(dist, 'kelisim.wasm'));
