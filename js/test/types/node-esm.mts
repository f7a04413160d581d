// Type test (tsc --noEmit, module node16): a Node ES module using the
// server-side API and kelisim/testing with Playwright's own types.
import { init, type KelisimConfig } from 'kelisim';
import { consentCookie, type ConsentCookie, type TestChoice } from 'kelisim/testing';
import type { BrowserContext } from 'playwright-core';

const config: KelisimConfig = { categories: { necessary: { required: true }, analytics: {} } };

export async function render(cookieHeader: string | undefined): Promise<string> {
  const consent = await init(config, { ui: false, cookie: cookieHeader });
  return consent.isAllowed('analytics') ? '<script src="/analytics.js"></script>' : '';
}

export async function seed(context: BrowserContext, baseURL: string): Promise<void> {
  const cookie: ConsentCookie = await consentCookie(config, 'accept-all', { url: baseURL });
  await context.addCookies([cookie]);
  const choices: TestChoice[] = ['reject-all', { categories: ['analytics'] }, { categories: [], services: ['stats'] }];
  for (const c of choices) await context.addCookies([await consentCookie(config, c)]);
  // @ts-expect-error: not a choice
  await consentCookie(config, 'accept');
  const wasm = new Uint8Array(0);
  await init(config, { ui: false, wasmBinary: wasm, cookie: '' });
}
