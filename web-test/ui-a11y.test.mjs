// Accessibility, themes, CSP and the README screenshots: axe-core finds no
// violation on the banner, the open dialog, the placeholders and the reopen
// button in the light and the dark theme; the strict CSP sees no violation;
// reduced motion turns the animations off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launch, openPage } from './harness.mjs';
import { startUiServer, instrument, ready, axe, sel, SCREENSHOTS, TEXTS } from './ui-support.mjs';

let server;
let strict;
let browser;
before(async () => {
  server = await startUiServer();
  strict = await startUiServer({ csp: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await strict?.close();
});

async function open(url, options = {}) {
  const p = await openPage(browser, { reducedMotion: 'reduce', ...options });
  await instrument(p.page);
  await p.page.goto(url);
  await ready(p.page);
  await p.page.locator(sel.banner).waitFor();
  await p.page.locator(sel.placeholder).first().waitFor();
  return p;
}

const themes = [
  ['auto, light preference', 'auto', 'light', 'light'],
  ['auto, dark preference', 'auto', 'dark', 'dark'],
  ['dark', 'dark', 'light', 'dark'],
  ['light', 'light', 'dark', 'light'],
];

for (const [name, theme, colorScheme, effective] of themes) {
  test(`axe: no violation on banner, dialog, placeholders and reopen button (theme ${name})`, async () => {
    const { page, close } = await open(server.url({ config: { ui: { theme } } }), { colorScheme });
    assert.equal(await page.locator('#kelisim-root').getAttribute('data-theme'), effective);
    assert.equal(await page.locator(`kelisim-ui:has(${sel.placeholder})`).first().getAttribute('data-theme'), effective);
    assert.deepEqual(await axe(page), [], 'banner and placeholders');
    await page.locator(sel.action('preferences', sel.banner)).click();
    await page
      .locator(`${sel.prefs} details`)
      .first()
      .evaluate((d) => {
        d.open = true;
      });
    assert.deepEqual(await axe(page), [], 'open dialog');
    await page.locator(sel.action('reject-all', sel.prefs)).click();
    await page.locator(sel.reopen).waitFor();
    assert.deepEqual(await axe(page), [], 'reopen button');
    await close();
  });
}

// axe leaves text it cannot see the background of (the page under the fixed
// banner, the modal's top layer) as "incomplete"; this measures every text.
test('contrast: every text of the UI is at least 4.5:1 against its background, in both themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, close } = await open(server.url(), { colorScheme });
    await page.locator(sel.action('preferences', sel.banner)).click();
    await page.locator(`${sel.prefs} details`).evaluateAll((ds) =>
      ds.forEach((d) => {
        d.open = true;
      }),
    );
    const low = await page.evaluate(() => {
      const rgb = (c) => c.match(/[\d.]+/g).map(Number);
      const lum = ([r, g, b]) =>
        [r, g, b]
          .map((v) => v / 255)
          .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
          .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const background = (el) => {
        for (let e = el; e; e = e.parentElement || (e.getRootNode().host ?? null)) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || c[3] === 1) return c;
        }
        return [255, 255, 255];
      };
      const out = [];
      const roots = Array.from(document.querySelectorAll('kelisim-ui'), (h) => h.shadowRoot);
      for (const root of roots) {
        for (const el of root.querySelectorAll('*')) {
          if (el.disabled || !Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
          const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))].sort((x, y) => y - x);
          const ratio = (a + 0.05) / (b + 0.05);
          if (ratio < 4.5) out.push(`${el.localName}.${el.className} ${ratio.toFixed(2)}`);
        }
      }
      return { out, checked: roots.reduce((n, r) => n + r.querySelectorAll('*').length, 0) };
    });
    assert.ok(low.checked > 50, 'the UI was measured');
    assert.deepEqual(low.out, [], colorScheme);
    await close();
  }
});

test('theme auto follows a change of the colour-scheme preference live', async () => {
  const { page, close } = await open(server.url(), { colorScheme: 'light' });
  const bg = () => page.locator(sel.banner).evaluate((b) => getComputedStyle(b).backgroundColor);
  const light = await bg();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.getElementById('kelisim-root').getAttribute('data-theme') === 'dark');
  assert.notEqual(await bg(), light);
  await close();
});

test('site theming: custom properties on kelisim-ui override both themes', async () => {
  const { page, close } = await open(server.url(), { colorScheme: 'dark' });
  await page.addStyleTag({ content: 'kelisim-ui { --kelisim-accent: rgb(120, 0, 0); --kelisim-accent-fg: rgb(255, 255, 255); }' });
  const colour = await page.locator(sel.action('accept-all', sel.banner)).evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(colour, 'rgb(120, 0, 0)');
  await close();
});

test('reduced motion: no animation; otherwise the banner rises, fully drawn from its first frame, and the dialog fades in', async () => {
  for (const [reducedMotion, banner, dialog] of [
    ['reduce', 'none', 'none'],
    ['no-preference', 'kelisim-rise', 'kelisim-in'],
  ]) {
    const { page, close } = await open(server.url(), { reducedMotion });
    const b = page.locator(sel.banner);
    assert.equal(await b.evaluate((el) => getComputedStyle(el).animationName), banner);
    // At the start of its animation the banner is already opaque: the frame that first draws it shows it.
    const atStart = await b.evaluate((el) => {
      for (const a of el.getAnimations()) {
        a.pause();
        a.currentTime = 0;
      }
      return getComputedStyle(el).opacity;
    });
    assert.equal(atStart, '1');
    await page.locator(sel.action('preferences', sel.banner)).click();
    assert.equal(await page.locator(sel.prefs).evaluate((el) => getComputedStyle(el).animationName), dialog);
    await close();
  }
});

test('strict CSP: banner, dialog, language switch, placeholders and decisions without a single violation', async () => {
  const { page, errors, close } = await open(strict.url());
  await page.locator(sel.action('preferences', sel.banner)).click();
  await page.locator(`${sel.prefs} select`).selectOption('ru');
  await page.locator('input[data-kelisim-category="analytics"]').check();
  await page.locator(sel.action('save', sel.prefs)).click();
  await page.locator(sel.reopen).click();
  await page.keyboard.press('Escape');
  await page.locator(`kelisim-ui:has(+ #video) [data-kelisim-action="load-once"]`).click();
  await page.locator('#video[src]').waitFor();
  await page.locator(sel.action('allow-service')).click();
  await page.locator(sel.placeholder).waitFor({ state: 'detached' });
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
  // The UI's own styles applied (adopted stylesheets are not blocked).
  assert.equal(await page.locator(sel.reopen).evaluate((b) => getComputedStyle(b).position), 'fixed');
  // And the policy really is enforced on this page: an inline style attribute is refused.
  const refused = await page.evaluate(() => {
    const d = document.createElement('div');
    d.setAttribute('style', 'color: red');
    document.body.append(d);
    return new Promise((resolve) => setTimeout(() => resolve(window.__csp.length), 100));
  });
  assert.ok(refused > 0, 'the page runs under the strict policy');
  await close();
});

test('screenshots for the README: banner and dialog in Kazakh, light and dark, desktop and 360 px', async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  const sizes = [
    ['desktop', { width: 1024, height: 640 }],
    ['360', { width: 360, height: 740 }],
  ];
  // Each picture shows what its name says: the Kazakh view, in that theme, whole inside the viewport.
  const assertInside = async (locator, viewport) => {
    const box = await locator.boundingBox();
    assert.ok(
      box && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height,
      `${JSON.stringify(box)} inside ${viewport.width}×${viewport.height}`,
    );
  };
  const pngSize = (png) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
  for (const colorScheme of ['light', 'dark']) {
    for (const [size, viewport] of sizes) {
      const { page, close } = await open(server.url({ lang: 'kk' }), { colorScheme, viewport });
      assert.equal(await page.locator('#kelisim-root').getAttribute('data-theme'), colorScheme);
      assert.equal(await page.locator(`${sel.banner} h2`).textContent(), TEXTS.kk.title);
      await assertInside(page.locator(sel.banner), viewport);
      const banner = await page.screenshot({ path: path.join(SCREENSHOTS, `banner-kk-${colorScheme}-${size}.png`) });
      assert.deepEqual(pngSize(banner), viewport);
      await page.locator(sel.action('preferences', sel.banner)).click();
      await page
        .locator(`${sel.prefs} details`)
        .nth(1)
        .evaluate((d) => {
          d.open = true;
        });
      await page.locator(sel.prefs).evaluate((d) => d.getRootNode().activeElement.blur());
      await page.mouse.move(0, 0);
      assert.equal(await page.locator(sel.prefs).evaluate((d) => d.open), true);
      await assertInside(page.locator(sel.prefs), viewport);
      const dialog = await page.screenshot({ path: path.join(SCREENSHOTS, `dialog-kk-${colorScheme}-${size}.png`) });
      assert.deepEqual(pngSize(dialog), viewport);
      await close();
    }
  }
});
