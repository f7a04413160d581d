// Consumers of the packed tarball in Chromium: the script tag (pinned with
// Subresource Integrity, on a page with an AMD loader), an app bundled by
// esbuild and one bundled by Vite, and a context seeded by kelisim/testing.
// The tarball is installed into a throwaway app; nothing is built in the repo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild, createLogger, createServer as viteServer } from 'vite';
import { startServer, launch, openPage, kelisimSettled } from './harness.mjs';
import { packTarball, installApp, removeAll, repo } from './consumers/tarball.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sources = path.join(here, 'consumers');
const fixture = path.join(repo, 'tests', 'fixtures', 'config-basic.json');
const config = JSON.parse(readFileSync(fixture, 'utf8'));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

let pack;
let app;
let server;
let browser;
let pkg; // the installed package's dist/
let viteWarnings = [];
const routes = {};

/** Serves `file` at `url`; HTML gets {{PORT}} and {{INTEGRITY}} filled in. */
function serve(url, file, vars = {}) {
  routes[url] = (req, res) => {
    let body = readFileSync(file);
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    if (type.startsWith('text/html')) {
      let html = body.toString('utf8').replaceAll('{{PORT}}', String(server.port));
      for (const [k, v] of Object.entries(vars)) html = html.replaceAll(`{{${k}}}`, v);
      body = Buffer.from(html);
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
}

/** Serves every file under `dir` below the URL prefix `prefix`. */
function serveDir(prefix, dir) {
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) serve(`${prefix}${name.split(path.sep).join('/')}`, file);
  }
}

/** The `integrity` value for a file listed in SHA384SUMS (hex there, base64 here). */
function integrityOf(name) {
  const line = readFileSync(path.join(pkg, 'SHA384SUMS'), 'utf8')
    .split('\n')
    .find((l) => l.endsWith(`  ${name}`));
  return `sha384-${Buffer.from(line.slice(0, 96), 'hex').toString('base64')}`;
}

before(async () => {
  pack = await packTarball();
  app = await installApp(pack.tarball, { name: 'kelisim-web-consumer' });
  const require = createRequire(path.join(app, 'package.json'));
  pkg = path.dirname(require.resolve('kelisim/kelisim.wasm'));
  cpSync(path.join(sources, 'app'), app, { recursive: true });
  copyFileSync(fixture, path.join(app, 'consent.json'));

  // esbuild: bundle as an ES module, then the one extra step: kelisim.wasm and the texts beside the bundle.
  const esOut = path.join(app, 'out-esbuild');
  const es = await esbuild({
    entryPoints: [path.join(app, 'main.js')],
    bundle: true,
    format: 'esm',
    outdir: esOut,
    absWorkingDir: app,
    logLevel: 'silent',
  });
  assert.deepEqual(es.warnings, []);
  copyFileSync(require.resolve('kelisim/kelisim.wasm'), path.join(esOut, 'kelisim.wasm'));
  for (const lang of ['kk', 'ru', 'en'])
    copyFileSync(require.resolve(`kelisim/kelisim-texts-${lang}.json`), path.join(esOut, `kelisim-texts-${lang}.json`));
  copyFileSync(path.join(app, 'index.html'), path.join(esOut, 'index.html'));

  // Vite: nothing extra; it emits the .wasm that kelisim references with new URL(…, import.meta.url).
  const logger = createLogger('warn', { allowClearScreen: false });
  const warn = (msg) => viteWarnings.push(msg);
  Object.assign(logger, { warn, warnOnce: warn, info() {} });
  await viteBuild({
    root: app,
    configFile: false,
    base: '/vite/',
    customLogger: logger,
    logLevel: 'warn',
    build: { outDir: path.join(app, 'out-vite'), emptyOutDir: true },
  });

  server = await startServer({ routes });
  serve('/consent.json', fixture);
  serve('/amd.js', path.join(sources, 'amd.js'));
  serve('/kelisim/kelisim.js', path.join(pkg, 'kelisim.js'));
  serve('/kelisim/kelisim.wasm', path.join(pkg, 'kelisim.wasm'));
  serve('/tag.html', path.join(sources, 'script-tag.html'), { INTEGRITY: integrityOf('kelisim.js') });
  serveDir('/esbuild/', esOut);
  serveDir('/vite/', path.join(app, 'out-vite'));
  routes['/favicon.ico'] = (req, res) => res.writeHead(204).end();
  routes['/consent-receipts'] = (req, res) => res.writeHead(204).end(); // the fixture's receipts endpoint
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  removeAll(pack?.dir, app);
});

const banner = '[data-kelisim="banner"]';
const statsRequested = (requests) => requests.some((u) => new URL(u).hostname === 'stats.test');

/** The gating check: stats.js is not requested before consent, and runs after acceptAll(). */
async function assertGating(url) {
  const { page, requests, errors, consoleErrors, close } = await openPage(browser);
  try {
    await page.goto(new URL(url, server.origin).href);
    const settled = await kelisimSettled(page);
    assert.equal(settled.ok, true, settled.message);
    assert.equal(settled.state.decided, false);
    await page.locator(banner).waitFor();
    await page.waitForTimeout(200);
    assert.equal(statsRequested(requests), false, 'stats.js was requested before consent');
    assert.equal(await page.evaluate(() => window.__ran), undefined);
    await page.evaluate(() => window.kelisim.acceptAll());
    await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    assert.equal(await page.locator(banner).count(), 0);
    assert.deepEqual(errors.map(String), [], 'page errors');
    assert.deepEqual(consoleErrors, [], `console errors; requests: ${requests.join(' ')}`);
    return page;
  } finally {
    await close();
  }
}

test('script tag from the tarball: SRI-pinned, on a page with an AMD loader, gates analytics', async () => {
  await assertGating('/tag.html');
  const { page, close } = await openPage(browser);
  await page.goto(`${server.origin}/tag.html`);
  await kelisimSettled(page);
  assert.deepEqual(await page.evaluate(() => window.__amd), [], 'kelisim.js called define()');
  assert.equal(await page.evaluate(() => typeof window.kelisim.isAllowed), 'function');
  await close();
});

test('script tag: a wrong integrity value blocks kelisim.js (SRI is enforced)', async () => {
  const { page, consoleErrors, close } = await openPage(browser);
  serve('/tag-bad.html', path.join(sources, 'script-tag.html'), {
    INTEGRITY: `sha384-${createHash('sha384').update('x').digest('base64')}`,
  });
  await page.goto(`${server.origin}/tag-bad.html`);
  assert.equal(await page.evaluate(() => typeof window.kelisimReady), 'undefined');
  assert.ok(
    consoleErrors.some((e) => /integrity/i.test(e)),
    consoleErrors.join('\n'),
  );
  await close();
});

test('esbuild app (format esm + kelisim.wasm copied beside the bundle) gates analytics', async () => {
  await assertGating('/esbuild/index.html');
});

test('Vite app (vite build, no extra step) gates analytics; the .wasm is emitted as an asset', async () => {
  const assets = readdirSync(path.join(app, 'out-vite', 'assets'));
  assert.ok(
    assets.some((f) => /^kelisim-[\w-]+\.wasm$/.test(f)),
    assets.join(', '),
  );
  await assertGating('/vite/index.html');
});

test('Vite dev server (optimizeDeps.exclude: ["kelisim"]) gates analytics', async () => {
  // Vite's dependency pre-bundling moves kelisim into node_modules/.vite/deps,
  // away from its .wasm; excluding it keeps new URL('./kelisim.wasm', import.meta.url) right.
  const dev = await viteServer({
    root: app,
    configFile: false,
    logLevel: 'silent',
    optimizeDeps: { exclude: ['kelisim'] },
    server: { host: '127.0.0.1', strictPort: false, hmr: false },
    plugins: [
      {
        name: 'test-site',
        transformIndexHtml: (html) => html.replaceAll('{{PORT}}', String(server.port)),
        configureServer(s) {
          s.middlewares.use('/consent-receipts', (req, res) => res.writeHead(204).end());
        },
      },
    ],
  });
  await dev.listen();
  try {
    await assertGating(dev.resolvedUrls.local[0]);
  } finally {
    await dev.close();
  }
});

test('Vite build prints no warning about kelisim', () => {
  assert.deepEqual(
    viteWarnings.filter((w) => /kelisim/.test(w)),
    [],
  );
});

test('kelisim/testing: a context seeded with consentCookie runs analytics at once, without a banner', async () => {
  const require = createRequire(path.join(app, 'package.json'));
  const { consentCookie } = await import(pathToFileURL(require.resolve('kelisim/testing')));
  for (const url of ['/esbuild/index.html', '/tag.html']) {
    const { page, context, requests, close } = await openPage(browser);
    await context.addCookies([await consentCookie(config, 'accept-all', { url: server.origin })]);
    await page.goto(`${server.origin}${url}`);
    await page.waitForFunction(() => (window.__ran || []).includes('stats/stats.js'));
    const settled = await kelisimSettled(page);
    assert.equal(settled.state.decided, true);
    assert.equal(settled.state.method, 'accept-all');
    assert.equal(await page.locator(banner).count(), 0, `${url}: no banner`);
    assert.ok(statsRequested(requests));
    await close();
  }
  const { page, context, requests, close } = await openPage(browser);
  await context.addCookies([await consentCookie(config, 'reject-all', { url: server.origin })]);
  await page.goto(`${server.origin}/vite/index.html`);
  const settled = await kelisimSettled(page);
  assert.equal(settled.state.method, 'reject-all');
  await page.waitForTimeout(200);
  assert.equal(await page.locator(banner).count(), 0);
  assert.equal(statsRequested(requests), false);
  await close();
});
