// kelisim/testing: helpers for a site's own end-to-end tests. The cookie is
// made by the same engine and codec the browser uses.
import { loadEngine } from './node.js';
import { randomHex } from './engine.js';

/**
 * A consent cookie for `choice` ('accept-all' | 'reject-all' |
 * { categories, services? }), shaped for Playwright's `context.addCookies`.
 */
export async function consentCookie(config, choice, { url = 'http://localhost/' } = {}) {
  const engine = await loadEngine(config);
  const preset = choice === 'accept-all' || choice === 'reject-all' ? choice : 'custom';
  const picked = typeof choice === 'object' && choice ? choice : {};
  const answer = engine.decide({
    cookieHeader: '',
    now: Date.now(),
    random: randomHex(),
    choice: { method: preset, preset, categories: picked.categories || [], services: picked.services || [] },
    url,
    https: new URL(url).protocol === 'https:',
  });
  const c = answer.cookie;
  const page = new URL(url);
  return {
    name: c.name,
    value: c.value,
    domain: c.domain && c.domain !== 'auto' ? c.domain : page.hostname,
    path: c.path,
    expires: Math.floor(Date.now() / 1000) + c.maxAge,
    sameSite: c.sameSite,
    secure: c.useSecure,
    httpOnly: false,
  };
}
