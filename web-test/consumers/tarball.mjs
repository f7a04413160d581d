// The consumer tests' starting point: `npm pack` of js/ (what a user would
// download from the registry), installed into a throwaway app in a temp
// folder. Nothing here writes into the repository.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.join(here, '..', '..');
export const jsDir = path.join(repo, 'js');
/** The repository's locked tools (esbuild, vite, typescript), for apps outside it. */
export const rootModules = path.join(repo, 'node_modules');

const npmEnv = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

/** Packs js/ into a temp folder; resolves to { tarball, files, dir }. */
export async function packTarball() {
  if (!existsSync(path.join(jsDir, 'dist', 'kelisim.wasm'))) throw new Error('js/dist is missing: run `make build` first');
  const dir = mkdtempSync(path.join(tmpdir(), 'kelisim-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: jsDir, env: npmEnv });
  const [info] = JSON.parse(stdout);
  return { dir, tarball: path.join(dir, info.filename), files: info.files.map((f) => f.path).sort(), info };
}

/**
 * A throwaway app with the tarball installed from disk (`npm install --offline`:
 * the package has no dependencies, so nothing is fetched).
 */
export async function installApp(tarball, { name = 'kelisim-consumer', type = 'module' } = {}) {
  const app = mkdtempSync(path.join(tmpdir(), `${name}-`));
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name, private: true, type }, null, 2));
  await run('npm', ['install', '--offline', '--no-package-lock', tarball], { cwd: app, env: npmEnv });
  return app;
}

/** Runs `node` in the app folder (so `kelisim` resolves from its node_modules). */
export function nodeIn(app, args) {
  return run(process.execPath, args, { cwd: app, env: { ...process.env, NODE_OPTIONS: '' } });
}

export function removeAll(...dirs) {
  for (const d of dirs) if (d) rmSync(d, { recursive: true, force: true });
}
