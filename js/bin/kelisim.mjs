#!/usr/bin/env node
// `npx kelisim scan <url>…`: the npm package's command line. Bundled by
// js/build.mjs into dist/cli.mjs (with the engine's glue); playwright-core is
// the user's, an optional peer dependency, loaded only when a scan runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadScanEngine, ScanEngineError } from '../scan/engine.mjs';
import { ScanError, exitCodeOf, scanSite } from '../scan/scan.mjs';
import { htmlReport, textSummary } from '../scan/report.mjs';

const USAGE = `Usage: kelisim scan <url>… [options]

Crawls the site in Chromium as a visitor who accepts everything and lists
every cookie, storage key and third-party host with the service it belongs to.

  --write FILE          draft a kelisim configuration (consent.json) from what was found
  --check FILE          audit a configuration: anything found that it does not declare, and
                        anything of a service loaded before a decision or after "reject all";
                        exits 1 when something is wrong (for CI after each deploy)
  --json                print the report as JSON instead of the summary
  --html FILE           write the report as a self-contained HTML page
  --max-pages N         pages to visit, following same-origin links (default 20)
  --timeout SECONDS     time for the whole scan (default 300)
  --page-timeout SECONDS  time for one page to load (default 30)
  --chromium PATH       the Chromium or Chrome to drive (default /usr/bin/chromium)
  --browser-arg ARG     an extra Chromium flag, repeatable, e.g.
                        --browser-arg=--host-resolver-rules="MAP www.example.kz 10.0.0.5"
                        --browser-arg=--ignore-certificate-errors
  --first-party HOST    a host that is part of the site (repeatable; default: the pages' hosts)

Exit status: 0 fine, 1 the check found something, 2 the scan could not be done.
Needs Node >= 20, playwright-core (npm install --save-dev playwright-core) and a Chromium.
`;

const OPTIONS = {
  write: 'string',
  check: 'string',
  json: 'boolean',
  html: 'string',
  'max-pages': 'string',
  timeout: 'string',
  'page-timeout': 'string',
  chromium: 'string',
  'browser-arg': 'list',
  'first-party': 'list',
  help: 'boolean',
};

class UsageError extends Error {}

/** Options as `--name value` or `--name=value`; a list option may repeat. Values may start with "-". */
export function parseArgs(argv) {
  const opts = { 'browser-arg': [], 'first-party': [] };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg === '-h') opts.help = true;
      else positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const type = OPTIONS[name];
    if (!type) throw new UsageError(`unknown option --${name}`);
    if (type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      opts[name] = true;
      continue;
    }
    let value;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`--${name} needs a value`);
    if (type === 'list') opts[name].push(value);
    else opts[name] = value;
  }
  return { opts, positional };
}

function number(opts, name, fallback, min, max) {
  if (opts[name] === undefined) return fallback;
  const n = Number(opts[name]);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, not "${opts[name]}"`);
  return n;
}

async function loadPlaywright() {
  try {
    return (await import('playwright-core')).chromium;
  } catch (err) {
    if (err && (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND')) {
      throw new ScanError(
        'kelisim scan drives Chromium through playwright-core, which is not installed here. ' +
          'Install it next to kelisim: npm install --save-dev playwright-core (it downloads no browser; ' +
          'kelisim uses the Chromium given by --chromium)',
        { code: 'no-playwright' },
      );
    }
    throw err;
  }
}

function printEngineErrors(err, what) {
  const lines = [`kelisim scan: ${what}`];
  for (const e of err.errors || []) lines.push(`  ${e.path ? `${e.path}: ` : ''}${e.message}`);
  if (!(err.errors || []).length) lines.push(`  ${err.message}`);
  process.stderr.write(`${lines.join('\n')}\n`);
}

async function scanCommand(args) {
  const { opts, positional } = parseArgs(args);
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!positional.length) throw new UsageError('give the URL of at least one page to start from');
  const urls = positional.map((u) => {
    let parsed;
    try {
      parsed = new URL(u);
    } catch {
      throw new UsageError(`not a URL: "${u}" (write it in full, e.g. https://example.kz/)`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new UsageError(`not an http(s) URL: "${u}"`);
    parsed.hash = '';
    return parsed.href;
  });
  const maxPages = Math.floor(number(opts, 'max-pages', 20, 1, 10000));
  const timeoutMs = number(opts, 'timeout', 300, 1, 86400) * 1000;
  const pageTimeoutMs = number(opts, 'page-timeout', 30, 1, 3600) * 1000;
  const executablePath = opts.chromium || process.env.CHROMIUM || '/usr/bin/chromium';

  const engine = await loadScanEngine(new URL('./scan/kelisim-scan.wasm', import.meta.url));
  let configText = null;
  if (opts.check !== undefined) {
    try {
      configText = readFileSync(opts.check, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the configuration ${opts.check}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }
    const checked = engine.validate(configText);
    if (!checked.ok) {
      printEngineErrors(checked, `${opts.check} is not a valid kelisim configuration:`);
      return 2;
    }
  }
  const catalogueText = readFileSync(new URL('./scan/catalogue.json', import.meta.url), 'utf8');
  const chromium = await loadPlaywright();

  const report = await scanSite({
    urls,
    maxPages,
    timeoutMs,
    pageTimeoutMs,
    configText,
    chromium,
    executablePath,
    exists: existsSync,
    browserArgs: opts['browser-arg'],
    firstParty: opts['first-party'],
    engine,
    catalogueText,
    progress: (line) => process.stderr.write(`${line}\n`),
  });

  if (opts.write !== undefined) {
    const text = `${JSON.stringify(report.draft, null, 2)}\n`;
    const checked = engine.validate(text);
    if (!checked.ok || report.draftErrors.length) {
      printEngineErrors(
        { errors: [...report.draftErrors, ...(checked.errors || [])] },
        'the drafted configuration does not validate (a bug in kelisim scan):',
      );
      return 2;
    }
    writeFileSync(opts.write, text);
  }
  if (opts.html !== undefined) writeFileSync(opts.html, htmlReport(report, { checkPath: opts.check }));
  report.exitCode = exitCodeOf(report);
  if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(textSummary(report, { draftPath: opts.write, checkPath: opts.check }));
  return report.exitCode;
}

export async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'scan') {
    process.stderr.write(`kelisim: unknown command "${command}" (the only one is "scan")\n\n${USAGE}`);
    return 2;
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    process.stderr.write(`kelisim scan needs Node 20 or newer (this is ${process.versions.node})\n`);
    return 2;
  }
  try {
    return await scanCommand(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`kelisim scan: ${err.message}\n(kelisim scan --help lists the options)\n`);
      return 2;
    }
    if (err instanceof ScanEngineError && err.code === 'invalid-config') {
      printEngineErrors(err, 'invalid kelisim configuration:');
      return 2;
    }
    if (err instanceof ScanError || err instanceof ScanEngineError) {
      process.stderr.write(`kelisim scan: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`kelisim scan: unexpected error: ${err && err.stack ? err.stack : err}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
