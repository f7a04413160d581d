// Small pieces the scenarios share (not a scenario: no .scenario.mjs suffix).
import { readFileSync } from 'node:fs';

const UI_PAGE = readFileSync(new URL('../pages/ui-page.html', import.meta.url), 'utf8');

/**
 * Serves the UI test page (web-test/pages/ui-page.html: a gated YouTube
 * iframe and image, a page button and a footer "Cookie settings" link) as
 * /ui-page.html, with pages/ui-config.json and <html lang="en">.
 */
export function addUiPage(server, { lang = 'en' } = {}) {
  server.routes['/ui-page.html'] = (req, res) =>
    server.html(res, UI_PAGE.replace('{{CONFIG}}', '/ui-config.json').replace('{{LANG}}', lang));
}

/** Polls `fn` (in node) until it returns something truthy or `ms` pass; returns the last value. */
export async function until(fn, ms = 3000) {
  const end = Date.now() + ms;
  let v = await fn();
  while (!v && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    v = await fn();
  }
  return v;
}
