// `kelisim scan` (issue 17), run as users run it: the built command
// (js/dist/cli.mjs) in a child process, against the demo site (its stand-ins
// on <name>.localhost) and against a fixture site whose stand-ins answer on
// the catalogue's REAL host names, mapped to loopback with
// --host-resolver-rules (web-test/scan-site.mjs). Nothing leaves the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from '../demo/server.mjs';
import { SCAN_BROWSER_ARGS, startScanSite } from './scan-site.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const CLI = path.join(root, 'js', 'dist', 'cli.mjs');
const DEMO_CONFIG_FILE = path.join(root, 'demo', 'site', 'consent.json');
const DEMO_CONFIG = JSON.parse(readFileSync(DEMO_CONFIG_FILE, 'utf8'));
const { init } = await import(path.join(root, 'js', 'dist', 'node.mjs'));

let work;
let demo;
let site;
const demoPages = (...paths) => paths.map((p) => new URL(p, demo.url).href);
const fixtureArgs = () => SCAN_BROWSER_ARGS.map((a) => `--browser-arg=${a}`);

/** Runs `kelisim scan …`; resolves to { code, stdout, stderr } (never rejects on a non-zero exit). */
function scan(args) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'scan', ...args],
      { cwd: work, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'kelisim-scan-test-'));
  demo = await startDemoServer({ port: 0, dataDir: path.join(work, 'demo-data') });
  site = await startScanSite();
});
after(async () => {
  await demo?.close();
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the demo: a draft of its six services that validates, and --check with its own configuration exits 0', async () => {
  const r = await scan([
    ...demoPages('/en/', '/en/media.html', '/en/tracking.html', '/en/cookiebot.html'),
    '--max-pages',
    '4',
    '--write',
    'draft.json',
    '--json',
    '--check',
    DEMO_CONFIG_FILE,
  ]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const report = JSON.parse(r.stdout);
  const draft = JSON.parse(readFileSync(path.join(work, 'draft.json'), 'utf8'));
  assert.deepEqual(draft, report.draft);
  // A progress line per page on stderr, and the banner's own "accept all" button pressed.
  assert.equal(r.stderr.match(/^\[accept \d\/4\] /gm).length, 4);
  assert.deepEqual(report.kelisim, { found: true, decision: 'banner' });

  const expected = ['google-analytics', 'google-tag-manager', 'hubspot', 'facebook', 'youtube', 'recaptcha'];
  assert.deepEqual(Object.keys(draft.services).sort(), [...expected].sort());
  for (const name of expected) {
    assert.equal(draft.services[name].category, DEMO_CONFIG.services[name].category, `${name}'s category`);
  }
  assert.deepEqual(draft.services['google-analytics'].cookies, ['_ga', '_ga_*', '_gid']);
  assert.deepEqual(draft.services.hubspot.cookies, ['hubspotutk', '__hstc', '__hssc', '__hssrc']);
  assert.deepEqual(draft.services.facebook.cookies, ['_fbp']);
  const hosts = {
    'google-analytics': 'ga',
    'google-tag-manager': 'gtm',
    hubspot: 'hubspot',
    facebook: 'facebook',
    youtube: 'youtube',
    recaptcha: 'recaptcha',
  };
  for (const [name, standin] of Object.entries(hosts)) assert.deepEqual(draft.services[name].hosts, [`${standin}.localhost`], name);
  // HubSpot is inserted by the Tag Manager stand-in, unmarked: its host is known from the cookies its script wrote.
  assert.equal(report.hosts.find((h) => h.host === 'hubspot.localhost').services[0].source, 'writer');
  assert.ok(report.hosts.find((h) => h.host === 'hubspot.localhost').initiators.some((u) => u.includes('gtm.localhost')));
  // The Cookiebot page's data-cookieconsent="statistics" needs an alias.
  assert.deepEqual(draft.aliases, { statistics: 'analytics' });
  assert.deepEqual(Object.keys(draft.categories), ['necessary', 'analytics', 'marketing', 'embedded']);
  assert.equal(draft.language.translations.kk.services.youtube.title, 'YouTube');

  // What no service explains is left to a person, never guessed into "necessary".
  assert.ok(
    report.warnings.some((w) => w.name === 'dala-demo-panel'),
    JSON.stringify(report.warnings),
  );
  assert.ok(!JSON.stringify(draft.services).includes('dala-demo-panel'));
  assert.equal(report.cookies.find((c) => c.name === 'kelisim').source, 'kelisim');
  assert.equal(report.cookies.find((c) => c.name === '_ga').setBy[0].startsWith(`http://ga.localhost:${demo.port}/analytics.js`), true);

  // The demo's own configuration declares everything, and kelisim keeps its promise.
  assert.deepEqual(report.audit.undeclared, []);
  assert.deepEqual(report.audit.violations, []);
  assert.deepEqual(report.audit.problems, []);
  assert.deepEqual(report.audit.pages, { fresh: 4, rejected: 4 });
  assert.equal(report.audit.rejectedWith, 'banner');
  assert.equal(report.exitCode, 0);
  assert.equal(r.stderr.match(/^\[(fresh|rejected) \d\/4\] /gm).length, 8);

  // kelisim itself accepts the draft.
  const k = await init(draft, { ui: false });
  assert.equal(k.isAllowed('statistics'), false);
  assert.deepEqual(k.state().categories, ['necessary']);
});

test('the demo: --check without HubSpot exits 1 and names its cookie and its host', async () => {
  const config = structuredClone(DEMO_CONFIG);
  delete config.services.hubspot;
  for (const t of Object.values(config.language.translations)) delete t.services.hubspot;
  writeFileSync(path.join(work, 'no-hubspot.json'), JSON.stringify(config));
  const r = await scan([...demoPages('/en/'), '--max-pages', '1', '--check', 'no-hubspot.json', '--html', 'check.html']);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /✗ undeclared cookie hubspotutk \(127\.0\.0\.1\), set by http:\/\/hubspot\.localhost:\d+\/hs\.js on \/en\//);
  assert.match(r.stdout, /✗ undeclared host hubspot\.localhost: \d+ requests?, from http:\/\/gtm\.localhost:\d+\/gtm\.js/);
  assert.doesNotMatch(r.stdout, /undeclared cookie _ga\b/);
  // What the configuration does declare still waits for consent.
  assert.match(
    r.stdout,
    /✓ promise kept: nothing of a service that needs consent before any decision \(1 pages\) or after "reject all" \(1 pages\)/,
  );
  const html = readFileSync(path.join(work, 'check.html'), 'utf8');
  assert.match(html, /<code>hubspotutk<\/code>/);
  assert.match(html, /undeclared/);
});

test('real host names: every catalogue service is recognised, the unknown left to a person', async () => {
  const r = await scan([`${site.origin}/`, ...fixtureArgs(), '--write', 'shop.json', '--html', 'shop.html', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const draft = JSON.parse(readFileSync(path.join(work, 'shop.json'), 'utf8'));
  // Same-origin pages only: no PDF, no external link, no fragment.
  assert.deepEqual(
    report.pages.map((p) => new URL(p.url).pathname),
    ['/', '/about.html'],
  );
  assert.ok(!site.log.some((l) => l.path === '/files/prices.pdf' || l.path === '/shop'));

  const byCategory = {};
  for (const [name, s] of Object.entries(draft.services)) (byCategory[s.category] ||= []).push(name);
  assert.deepEqual(byCategory, {
    preferences: ['cloudflare'],
    analytics: ['google-analytics', 'google-tag-manager', 'hotjar', 'matomo', 'microsoft-clarity', 'yandex-metrica'],
    marketing: ['facebook', 'google-ads', 'hubspot', 'linkedin', 'tiktok', 'vk'],
    embedded: ['google-maps', 'recaptcha', 'vimeo', 'youtube'],
  });
  const s = draft.services;
  assert.deepEqual(s['google-analytics'].cookies, ['_ga', '_ga_*']);
  assert.deepEqual(s['google-analytics'].hosts.sort(), ['www.google-analytics.com', 'www.googletagmanager.com']);
  assert.deepEqual(s.hotjar.hosts, ['*.hotjar.com', '*.hotjar.io']);
  assert.deepEqual(s.hotjar.storage, ['_hj*']);
  assert.deepEqual(s.youtube.cookies, ['YSC', 'VISITOR_INFO1_LIVE']); // third-party cookies, in the frame
  assert.deepEqual(s.youtube.storage, ['yt-remote-*']);
  assert.deepEqual(s.recaptcha.cookies, ['_GRECAPTCHA']);
  assert.deepEqual(s.recaptcha.hosts, ['www.google.com']); // by path: /recaptcha/…
  assert.deepEqual(s['google-maps'].hosts, ['www.google.com']); // and /maps/…
  assert.deepEqual(s.vimeo.cookies, ['vuid']);
  assert.deepEqual(s.matomo.cookies, ['_pk_id*']); // the Open Cookie Database's pattern
  assert.deepEqual(s.cloudflare.cookies, ['__cf_bm']); // from the site's own Set-Cookie header
  assert.deepEqual(draft.aliases, { statistics: 'analytics' });
  assert.equal(draft.language.default, 'ru'); // <html lang="ru">
  assert.match(draft.language.translations.ru.services['yandex-metrica'].description, /Яндекса/);
  assert.equal(report.cookies.find((c) => c.name === 'YSC').thirdParty, true);
  assert.equal(
    report.hosts.find((h) => h.host === 'js.hs-scripts.com').initiators[0],
    `https://www.googletagmanager.com:${site.port}/gtm.js?id=GTM-TEST`,
  );

  // The unknown widget: a warning each, and nothing of it in the draft.
  const warned = report.warnings.map((w) => w.name);
  for (const name of ['cdn.widgets.test', 'wgt_session', 'cart', 'wgt-<img src=x onerror=alert(1)>'])
    assert.ok(warned.includes(name), name);
  assert.ok(!JSON.stringify(draft).includes('wgt'));
  assert.ok(report.warnings.some((w) => /_pk_id.*Open Cookie Database as Matomo/.test(w.message)));
  const k = await init(draft, { ui: false });
  assert.equal(k.isAllowed('marketing'), false);

  // The HTML report is self-contained and shows the page's own strings as text.
  const html = readFileSync(path.join(work, 'shop.html'), 'utf8');
  assert.match(html, /wgt-&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.doesNotMatch(html, /<img|<script|<link|src=["']?http/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.match(html, /Google Analytics/);
  assert.match(html, /<code>_GRECAPTCHA<\/code>/);
});

test('real host names: --check names the page and the element that breaks the promise', async () => {
  const r = await scan([
    `${site.origin}/consent/`,
    ...fixtureArgs(),
    '--max-pages',
    '1',
    '--check',
    path.join(here, 'scan-site', 'consent', 'consent.json'),
    '--html',
    'leak.html',
  ]);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  const pixel = `<img src="https://www.facebook.com:${site.port}/tr?id=1&amp;ev=PageView">`;
  assert.ok(
    r.stdout.includes(
      `✗ before any decision: /consent/ requested https://www.facebook.com:${site.port}/tr?id=1&ev=PageView (facebook) by ${pixel}`,
    ),
    r.stdout,
  );
  assert.ok(
    r.stdout.includes(
      `✗ after "reject all": /consent/ requested https://www.facebook.com:${site.port}/tr?id=1&ev=PageView (facebook) by ${pixel}`,
    ),
    r.stdout,
  );
  // The gated Google Analytics tag kept its promise.
  assert.doesNotMatch(r.stdout, /requested https:\/\/www\.googletagmanager\.com/);
  assert.match(r.stderr, /\[rejected 1\/1\]/);
  // The HTML report shows the whole element, as text.
  const html = readFileSync(path.join(work, 'leak.html'), 'utf8');
  const tag = `&lt;img src=&quot;https://www.facebook.com:${site.port}/tr?id=1&amp;amp;ev=PageView&quot; alt=&quot;&quot; width=&quot;1&quot; height=&quot;1&quot;&gt;`;
  assert.equal(html.split(tag).length - 1, 3, "the host's row, before any decision, after reject-all");
  assert.match(html, /before any decision/);
});

test('bad input: an unreachable URL, a page that times out, no browser, a browser that cannot start', async () => {
  const closed = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const refused = await scan([`http://127.0.0.1:${closed}/`]);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    new RegExp(`^kelisim scan: cannot load http://127\\.0\\.0\\.1:${closed}/: net::ERR_CONNECTION_REFUSED`, 'm'),
  );

  const slow = await scan([`${site.origin}/slow.html`, ...fixtureArgs(), '--page-timeout', '2']);
  assert.equal(slow.code, 2);
  assert.match(slow.stderr, new RegExp(`^kelisim scan: https://shop\\.test:${site.port}/slow\\.html did not load within 2 s`, 'm'));

  const missing = await scan([demo.url, '--chromium', path.join(work, 'no-such-chromium')]);
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /no Chromium at .*no-such-chromium\. Install it \(Debian\/Ubuntu: apt-get install chromium\) or name another Chromium or Chrome with --chromium PATH/,
  );

  const broken = path.join(work, 'broken-chromium');
  writeFileSync(broken, '#!/bin/sh\necho "cannot open display" >&2\nexit 1\n', { mode: 0o755 });
  const cannot = await scan([demo.url, '--chromium', broken]);
  assert.equal(cannot.code, 2);
  assert.match(cannot.stderr, new RegExp(`^kelisim scan: the browser at ${broken.replaceAll('.', '\\.')} could not start: `, 'm'));
});
