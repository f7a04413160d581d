// `kelisim scan` without a browser: its command line, the catalogue built
// from the Open Cookie Database, and what ships where. The crawls themselves
// are in web-test/scan.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalogue, parseCsv } from '../scan/build-catalogue.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const CLI = path.join(dist, 'cli.mjs');
const COMMIT = '0ee5a17fe1cb002943f89370d24fc26a4226061c';

function cli(args, cwd = here) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

test('kelisim scan: bad arguments are refused before anything starts, with exit status 2', async () => {
  const cases = [
    [['scan'], /give the URL of at least one page/],
    [['scan', 'example.kz'], /not a URL: "example\.kz" \(write it in full/],
    [['scan', 'ftp://example.kz/'], /not an http\(s\) URL/],
    [['scan', 'https://example.kz/', '--max-pages', '0'], /--max-pages must be a number from 1 to 10000, not "0"/],
    [['scan', 'https://example.kz/', '--timeout', 'soon'], /--timeout must be a number/],
    [['scan', 'https://example.kz/', '--bogus'], /unknown option --bogus/],
    [['scan', 'https://example.kz/', '--json=yes'], /--json takes no value/],
    [['scan', 'https://example.kz/', '--write'], /--write needs a value/],
    [['scan', 'https://example.kz/', '--check', 'no-such-file.json'], /cannot read the configuration no-such-file\.json: no such file/],
    [['crawl', 'https://example.kz/'], /unknown command "crawl"/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
  const help = await cli(['scan', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--browser-arg ARG/);
  assert.match(help.stdout, /Exit status: 0 fine, 1 the check found something, 2 the scan could not be done/);
});

test("kelisim scan --check: the engine's errors, each with its JSON path", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kelisim-scan-cli-'));
  try {
    writeFileSync(
      path.join(dir, 'consent.json'),
      JSON.stringify({
        categories: { necessary: { required: true }, analytics: { consentMode: ['analytic_storage'] } },
        services: { ga: { category: 'stats', cookies: ['a b'] } },
      }),
    );
    writeFileSync(path.join(dir, 'broken.json'), '{ "categories": ');
    const r = await cli(['scan', 'https://example.kz/', '--check', 'consent.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /consent\.json is not a valid kelisim configuration:/);
    assert.match(r.stderr, /^ {2}categories\.analytics\.consentMode\[0\]: unknown consent type "analytic_storage"/m);
    assert.match(r.stderr, /^ {2}services\.ga\.category: unknown category "stats"/m);
    assert.match(r.stderr, /^ {2}services\.ga\.cookies\[0\]: /m);
    const broken = await cli(['scan', 'https://example.kz/', '--check', 'broken.json'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json is not a valid kelisim configuration:\n {2}\S/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the Open Cookie Database: CSV with quotes and newlines, rows mapped to kelisim's categories", () => {
  assert.deepEqual(parseCsv('a,b\n"x, ""y""","line\nbreak"\r\nz,\n'), [
    { a: 'x, "y"', b: 'line\nbreak' },
    { a: 'z', b: '' },
  ]);
  const known = {
    services: { facebook: { category: 'marketing' } },
    language: { translations: { en: { services: { facebook: { title: 'Facebook (Meta)' } } } } },
  };
  const header =
    'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n';
  const rows = [
    '1,Matomo,Analytics,_pk_id,,"Visitor id. Second sentence.",13 months,Matomo,,1',
    '2,Matomo,Functional,mtm_consent,,Consent.,30 years,Matomo,,0',
    '3,Facebook,Functional,datr,facebook.com (3rd party),Browser id.,2 years,Meta,,0',
    '4,AdNet,Marketing,id,,Too short to be told apart.,1 year,AdNet,,0',
    '5,AdNet,Marketing,Site History,,Not a cookie name.,1 year,AdNet,,0',
    '6,AdNet,Marketing,uid,".adnet.test or cdn.adnet.test",An id.,,AdNet,,0',
  ].join('\n');
  const c = buildCatalogue(known, header + rows, 'test');
  const s = c.openCookieDatabase.services;
  assert.equal(c.openCookieDatabase.skipped, 2);
  assert.deepEqual(s.matomo, {
    category: 'analytics',
    title: 'Matomo',
    cookies: ['_pk_id*'],
    thirdPartyCookies: [],
    hosts: [],
    about: { '_pk_id*': 'Visitor id. (kept: 13 months)' },
  });
  assert.equal(s['matomo-preferences'].category, 'preferences'); // the minority category gets a service of its own
  assert.deepEqual(s.facebook.thirdPartyCookies, ['datr']); // a known platform joins the catalogue's entry
  assert.equal(s.facebook.category, 'marketing');
  assert.deepEqual(s.facebook.hosts, ['facebook.com', '*.facebook.com']);
  assert.deepEqual(s.adnet.thirdPartyCookies, ['uid']);
  assert.deepEqual(s.adnet.hosts, ['adnet.test', '*.adnet.test', 'cdn.adnet.test', '*.cdn.adnet.test']);
});

test('the package ships the database with its licence and source, and sites get no scanner code', () => {
  const notice = readFileSync(path.join(dist, 'scan', 'NOTICE'), 'utf8');
  assert.match(notice, /Open Cookie Database/);
  assert.ok(notice.includes(COMMIT));
  assert.match(readFileSync(path.join(dist, 'scan', 'open-cookie-database.LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  const catalogue = JSON.parse(readFileSync(path.join(dist, 'scan', 'catalogue.json'), 'utf8'));
  assert.ok(catalogue.openCookieDatabase.source.includes(COMMIT));
  assert.ok(Object.keys(catalogue.openCookieDatabase.services).length > 300);
  assert.equal(catalogue.services['google-analytics'].category, 'analytics');
  // The scanner's entry point lives in its own wasm build.
  const site = readFileSync(path.join(dist, 'kelisim.wasm')).toString('latin1');
  const scanner = readFileSync(path.join(dist, 'scan', 'kelisim-scan.wasm')).toString('latin1');
  for (const text of ['openCookieDatabase', 'invalid scanner catalogue']) {
    assert.ok(!site.includes(text), `kelisim.wasm carries scanner code ("${text}")`);
    assert.ok(scanner.includes(text), `kelisim-scan.wasm lacks "${text}"`);
  }
});
