// Bundles the shim with esbuild and copies the .wasm beside each bundle:
// js/dist/ is both the script-tag bundle's folder and the npm package's files.
// No Emscripten JavaScript is bundled: the shim instantiates kelisim.wasm
// itself (src/entry-points.js), with the names the link gave its imports and
// exports, read here from the glue the link wrote.
import { build } from 'esbuild';
import { minify } from 'terser';
import { chmodSync, copyFileSync, mkdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { writeCatalogue } from './scan/build-catalogue.mjs';
import { writeBuiltinTexts } from './texts.mjs';
import { entryPoints, instantiate } from './src/entry-points.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmOut = process.env.KELISIM_WASM_OUT || path.join(here, '..', 'build-wasm', 'out');
const dist = path.join(here, 'dist');
const glue = path.join(wasmOut, 'kelisim-core.mjs');
if (!existsSync(glue)) {
  console.error(`js/build.mjs: ${glue} is missing: run the wasm build first (make build)`);
  process.exit(1);
}
mkdirSync(dist, { recursive: true });

/**
 * The names the link gave kelisim.wasm's imports and exports, from the glue
 * it wrote beside it (Emscripten minifies them). The build stops when the
 * glue asks for anything src/entry-points.js does not provide.
 */
function abiOf(file) {
  const text = readFileSync(file, 'utf8');
  const one = (re, what) => {
    const m = re.exec(text);
    if (!m) throw new Error(`js/build.mjs: cannot find ${what} in ${file} (another Emscripten version? see js/src/entry-points.js)`);
    return m[1];
  };
  const lib = one(/var asmLibraryArg=\{([^}]*)\}/, 'the imports');
  const imports = Object.fromEntries([...lib.matchAll(/"(\w+)":(\w+)/g)].map((m) => [m[2], m[1]]));
  const known = ['_abort', '_emscripten_resize_heap'];
  const unknown = Object.keys(imports).filter((k) => !known.includes(k));
  if (unknown.length || known.some((k) => !imports[k]))
    throw new Error(`js/build.mjs: ${file} imports ${Object.keys(imports).join(', ')}; src/entry-points.js provides ${known.join(', ')}`);
  const exp = (name) => one(new RegExp(`Module\\["${name}"\\]=Module\\["asm"\\]\\["(\\w+)"\\]`), `the export ${name}`);
  return {
    module: one(/var info=\{"(\w+)":asmLibraryArg\}/, 'the import module'),
    abort: imports._abort,
    grow: imports._emscripten_resize_heap,
    memory: one(/wasmMemory=Module\["asm"\]\["(\w+)"\]/, 'the memory'),
    ctors: one(/addOnInit\(Module\["asm"\]\["(\w+)"\]\)/, 'the static constructors'),
    arg: exp('_kelisim_arg'),
    call: exp('_kelisim_call'),
    out: exp('_kelisim_out'),
  };
}
const abi = abiOf(glue);
const scanWasmOut = path.join(wasmOut, '..', 'out-scan');
const abiModule = (name, filter, value) => ({
  name,
  setup(b) {
    b.onResolve({ filter }, () => ({ path: name, namespace: 'kelisim-abi' }));
    b.onLoad({ filter: /.*/, namespace: 'kelisim-abi' }, () => ({ contents: `export default ${JSON.stringify(value)};`, loader: 'js' }));
  },
});
const core = abiModule('kelisim-core', /^kelisim-core$/, abi);
const scanCore = abiModule('kelisim-scan-core', /^kelisim-scan-core$/, abiOf(path.join(scanWasmOut, 'kelisim-scan-core.mjs')));
// The Consent Mode default pushed before the engine is up (a first page view):
// the engine's own for a configuration that grants nothing, so that the list
// of consent types and their fallback state live in the engine alone. It is
// also the build's check that the names read above start the engine.
const fallbackDefault = await (async () => {
  const engine = entryPoints(await instantiate(readFileSync(path.join(wasmOut, 'kelisim.wasm')), abi), abi);
  if (!engine) throw new Error('js/build.mjs: kelisim.wasm has no entry points under the names its glue gives');
  const nothing = { categories: { necessary: { required: true } }, consentMode: { enabled: true, waitForUpdate: 500 } };
  engine._configure(JSON.stringify(nothing));
  const answer = JSON.parse(engine._start(JSON.stringify({ cookieHeader: '', now: Date.now() })));
  if (!answer.ok) throw new Error(`js/build.mjs: the engine refused the fallback configuration: ${JSON.stringify(answer.error)}`);
  return answer.consentMode.default;
})();

const common = {
  bundle: true,
  minify: process.env.KELISIM_MINIFY !== '0', // KELISIM_MINIFY=0: readable names (profiling)
  legalComments: 'none',
  loader: { '.css': 'text' },
  plugins: [core],
  logLevel: 'warning',
  // node.js reads import.meta.url where it has one and __dirname in CommonJS.
  logOverride: { 'empty-import-meta': 'silent' },
  define: { __KELISIM_FALLBACK_DEFAULT__: JSON.stringify(fallbackDefault) },
};
const browser = { ...common, platform: 'browser', target: ['chrome90', 'firefox90', 'safari15'] };

/**
 * The script-tag files again through terser's name mangler and compressor,
 * after esbuild's minification: the names it picks (by how often each
 * character occurs) leave brotli more to share. kelisim.js 21,849 -> 20,530
 * bytes brotli, kelisim-app.js 5,049 -> 4,893 (mangling alone gave 1.1 KB of
 * the 1.3). `ascii`: non-ASCII characters stay escaped (kelisim.js and
 * kelisim-app.js are ASCII, so a page in any encoding reads them alike).
 */
async function shrink(file, ascii = true) {
  if (process.env.KELISIM_MINIFY === '0') return;
  const out = await minify(readFileSync(file, 'utf8'), {
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false, ascii_only: ascii },
  });
  writeFileSync(file, out.code);
}

// The script-tag bundle is two files: kelisim-app.js first, so that the small
// kelisim.js can carry its integrity digest and load it pinned.
await build({
  ...browser,
  entryPoints: [path.join(here, 'src/script-app.js')],
  format: 'iife',
  outfile: path.join(dist, 'kelisim-app.js'),
});
await shrink(path.join(dist, 'kelisim-app.js'));
// The built-in texts, one file per language (kelisim-texts-kk.json, …),
// written from their one source: the engine asks for the one it needs when
// something is shown, and the shim fetches it beside kelisim.js.
const textFiles = writeBuiltinTexts(path.join(here, '..', 'wasm', 'texts', 'builtin-texts.json'), dist);
const langOf = (file) => file.replace(/^kelisim-texts-|\.json$/g, '');
/** A dist file's digest as a <script integrity> value. */
const integrityOf = (file) =>
  `sha384-${createHash('sha384')
    .update(readFileSync(path.join(dist, file)))
    .digest('base64')}`;
// Names this build's texts in the browser's storage, as the wasm id does the engine.
const textsId = createHash('sha384')
  .update(textFiles.map((f) => readFileSync(path.join(dist, f))).join('\n'))
  .digest('base64url')
  .slice(0, 16);
const appIntegrity = integrityOf('kelisim-app.js');
// Names this build's engine in the browser's cache, so a cached wasm of another build is never used.
const wasmId = createHash('sha384')
  .update(readFileSync(path.join(wasmOut, 'kelisim.wasm')))
  .digest('base64url')
  .slice(0, 16);
// kelisim-first-<lang>.js: what a first page view with an inline
// configuration needs before its banner (the engine's bytes, the UI, one
// language's built-in texts), written by kelisim.js as a parser-blocking
// script so that the engine answers and the banner is drawn without waiting
// for the page's parse. One file per built-in language (kelisim.js picks the
// one the banner will most likely be in; src/texts-guess.js): the three
// languages' texts in one file were 3.2 KB brotli of its 43.9. The wasm rides
// as a string of one character per byte (UTF-8 in the file: brotli keeps
// nearly all of its compression, where base64 would cost a quarter more).
/**
 * The body of a template literal whose value is the engine's bytes, one
 * character per byte: every byte as it is (a template literal may hold any
 * character but these) except the backtick, the backslash, a `$` before `{`
 * and CR (a template turns a raw CR into LF), escaped. esbuild would escape
 * every control character (two to four bytes each: 13.7 thousand in this
 * wasm), so the bundle carries a placeholder this replaces. Against swapping
 * those bytes for rarer ones and back in the browser (a pass over every
 * byte: 1.7-5.5 ms in Chromium, on a first visit's way to its banner): 0.1 KB
 * brotli more, and no pass at all.
 */
function wasmTemplate(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x60) out += '\\`';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x24 && bytes[i + 1] === 0x7b) out += '\\$';
    else out += String.fromCharCode(b);
  }
  return `\`${out}\``;
}
const WASM_PLACEHOLDER = '__KELISIM_WASM_BYTES__';
const firstWasm = readFileSync(path.join(wasmOut, 'kelisim.wasm'));
const firstAssets = (lang) => ({
  name: 'kelisim-first-assets',
  setup(b) {
    b.onResolve({ filter: /^kelisim-first-assets$/ }, () => ({ path: 'assets', namespace: 'kelisim-first' }));
    b.onLoad({ filter: /.*/, namespace: 'kelisim-first' }, () => ({
      contents: `export default ${JSON.stringify({
        wasm: WASM_PLACEHOLDER,
        texts: { [lang]: readFileSync(path.join(dist, `kelisim-texts-${lang}.json`), 'utf8') },
      })};`,
      loader: 'js',
    }));
  },
});
const firstFile = (lang) => `kelisim-first-${lang}.js`;
await Promise.all(
  textFiles.map(langOf).map((lang) =>
    build({
      ...browser,
      charset: 'utf8',
      plugins: [core, firstAssets(lang)],
      entryPoints: [path.join(here, 'src/script-first.js')],
      format: 'iife',
      outfile: path.join(dist, firstFile(lang)),
    }),
  ),
);
// The engine's bytes go in where the placeholder is. Each file starts with a
// UTF-8 byte order mark: the browser decodes a script
// without a charset in its Content-Type (nginx's default for .js) in the
// page's own encoding, and the engine's bytes and the texts are UTF-8 (a
// windows-1251 page decoded them into other characters: the engine never
// started, and no banner was shown). A BOM decides the decoding before either.
for (const lang of textFiles.map(langOf)) {
  const file = path.join(dist, firstFile(lang));
  await shrink(file, false);
  const parts = readFileSync(file, 'utf8').split(JSON.stringify(WASM_PLACEHOLDER));
  if (parts.length !== 2) throw new Error(`js/build.mjs: ${file} holds the engine's placeholder ${parts.length - 1} times, not once`);
  writeFileSync(file, `\uFEFF${parts[0]}${wasmTemplate(firstWasm)}${parts[1]}`, 'utf8');
}
const firstIntegrity = Object.fromEntries(textFiles.map(langOf).map((lang) => [lang, integrityOf(firstFile(lang))]));
await Promise.all([
  build({
    ...browser,
    entryPoints: [path.join(here, 'src/script-tag.js')],
    format: 'iife',
    outfile: path.join(dist, 'kelisim.js'),
    define: {
      ...common.define,
      __KELISIM_APP_INTEGRITY__: JSON.stringify(appIntegrity),
      __KELISIM_FIRST__: JSON.stringify(firstIntegrity),
      __KELISIM_WASM_ID__: JSON.stringify(wasmId),
      __KELISIM_TEXTS_ID__: JSON.stringify(textsId),
      __KELISIM_TEXTS_LANGS__: JSON.stringify(textFiles.map(langOf)),
    },
  }).then(() => shrink(path.join(dist, 'kelisim.js'))),
  build({ ...browser, entryPoints: [path.join(here, 'src/browser.js')], format: 'esm', outfile: path.join(dist, 'kelisim.mjs') }),
  build({
    ...common,
    platform: 'node',
    target: 'node20',
    entryPoints: [path.join(here, 'src/node.js')],
    format: 'esm',
    outfile: path.join(dist, 'node.mjs'),
  }),
  build({
    ...common,
    platform: 'node',
    target: 'node20',
    entryPoints: [path.join(here, 'src/node.js')],
    format: 'cjs',
    outfile: path.join(dist, 'node.cjs'),
  }),
  build({
    ...common,
    platform: 'node',
    target: 'node20',
    entryPoints: [path.join(here, 'src/testing.js')],
    format: 'esm',
    outfile: path.join(dist, 'testing.mjs'),
  }),
  // `kelisim scan` (bin) with its own engine build (kelisim-scan.wasm); playwright-core
  // stays the user's, an optional peer dependency.
  build({
    ...common,
    platform: 'node',
    target: 'node20',
    entryPoints: [path.join(here, 'bin/kelisim.mjs')],
    format: 'esm',
    outfile: path.join(dist, 'cli.mjs'),
    external: ['playwright-core'],
    plugins: [scanCore],
  }),
]);
chmodSync(path.join(dist, 'cli.mjs'), 0o755);
writeCatalogue(dist); // dist/scan/: the scanner's catalogue, with the Open Cookie Database's licence and NOTICE
copyFileSync(path.join(scanWasmOut, 'kelisim-scan.wasm'), path.join(dist, 'scan', 'kelisim-scan.wasm'));
chmodSync(path.join(dist, 'scan', 'kelisim-scan.wasm'), 0o644);
copyFileSync(path.join(wasmOut, 'kelisim.wasm'), path.join(dist, 'kelisim.wasm'));
chmodSync(path.join(dist, 'kelisim.wasm'), 0o644); // the linker leaves it executable

// The user documentation and licence travel with the package (npm only picks
// up README/LICENSE from the package root, which is js/ — so we ship copies).
for (const doc of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
  const from = path.join(here, '..', doc);
  if (existsSync(from)) copyFileSync(from, path.join(dist, doc));
}

// SHA384SUMS in `sha384sum` format (`cd js/dist && sha384sum -c SHA384SUMS`).
// A <script integrity> value is the same digest in base64: `sha384-` +
// base64(digest); the README shows how to get it.
const sums = [
  'kelisim.js',
  'kelisim-app.js',
  ...textFiles.map(langOf).map(firstFile),
  'kelisim.mjs',
  'kelisim.wasm',
  ...textFiles,
  'node.mjs',
  'node.cjs',
  'testing.mjs',
]
  .map(
    (file) =>
      `${createHash('sha384')
        .update(readFileSync(path.join(dist, file)))
        .digest('hex')}  ${file}\n`,
  )
  .join('');
writeFileSync(path.join(dist, 'SHA384SUMS'), sums);
