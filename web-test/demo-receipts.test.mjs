// The demo's reference receipts endpoint re-sets the consent cookie from the
// server (for browsers that cap script-set cookies). The cookie it writes is
// the engine's: the same attributes and the lifetime the decision has left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer } from '../demo/server.mjs';
import { consentCookie } from '../js/dist/testing.mjs';

const configText = fs.readFileSync(new URL('../demo/site/consent.json', import.meta.url), 'utf8');
let demo;
before(async () => {
  demo = await startDemoServer({ port: 0, host: '127.0.0.1', dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kelisim-receipts-')) });
});
after(() => demo?.close());

async function post(cookie, receipt) {
  const res = await fetch(`http://127.0.0.1:${demo.port}/consent-receipts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(receipt),
  });
  return { status: res.status, setCookie: res.headers.get('set-cookie') };
}

const receipt = (extra) => ({
  id: '0b5f6e1c-2d3a-4b5c-8d9e-0f1a2b3c4d5e',
  sequence: 1,
  revision: 1,
  timestamp: new Date().toISOString(),
  method: 'custom',
  accepted: [],
  rejected: [],
  language: 'kk',
  url: 'http://kz.meest.test/kk/',
  ...extra,
});

const maxAge = (setCookie) => Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);

test('"always allow" one embed after rejecting everything: re-set for the engine\'s 365 days, not 182', async () => {
  const c = await consentCookie(configText, { categories: [], services: ['youtube'] }, { url: 'http://kz.meest.test/' });
  const res = await post(
    `${c.name}=${c.value}`,
    receipt({ sequence: 1, accepted: ['youtube'], rejected: ['preferences', 'analytics', 'marketing', 'embedded'] }),
  );
  assert.equal(res.status, 204);
  assert.ok(res.setCookie.startsWith(`${c.name}=${c.value}; Path=/;`), res.setCookie);
  const days = maxAge(res.setCookie) / 86400;
  assert.ok(days > 364.9 && days <= 365, `${days} days`);
});

test('everything rejected: the shorter lifetime; a garbled or missing cookie is not echoed back', async () => {
  const c = await consentCookie(configText, 'reject-all', { url: 'http://kz.meest.test/' });
  const res = await post(`${c.name}=${c.value}`, receipt({ sequence: 2, rejected: ['preferences', 'analytics', 'marketing', 'embedded'] }));
  const days = maxAge(res.setCookie) / 86400;
  const expected = JSON.parse(configText).cookie?.rejectedExpiresAfterDays ?? 182;
  assert.ok(days > expected - 0.1 && days <= expected, `${days} days`);
  const garbled = await post(`${c.name}=1.AAAA; other=1`, receipt({ sequence: 3 }));
  assert.equal(garbled.status, 204);
  assert.equal(garbled.setCookie, null);
  assert.equal((await post('', receipt({ sequence: 4 }))).setCookie, null);
});
