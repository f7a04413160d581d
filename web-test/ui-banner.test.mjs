// The banner: stable hooks, equal accept/reject/preferences buttons in every
// layout, the policy link, the "why again" line, languages (from <html lang>,
// from the browser, live with setLanguage), hostile translations shown as
// text, no layout shift.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './harness.mjs';
import { startUiServer, instrument, ready, sel, TEXTS, BASE_CONFIG, merged } from './ui-support.mjs';
import { consentCookie } from '../js/dist/testing.mjs';

let server;
let browser;
before(async () => {
  server = await startUiServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(url, options = {}) {
  const p = await openPage(browser, { reducedMotion: 'reduce', ...options });
  await instrument(p.page);
  await p.page.goto(url);
  await ready(p.page);
  return p;
}

/** Box, weight and colours of the banner's three buttons. */
function buttonLooks(page) {
  return page.locator(`${sel.banner} .buttons button`).evaluateAll((buttons) =>
    buttons.map((b) => {
      const r = b.getBoundingClientRect();
      const s = getComputedStyle(b);
      return {
        action: b.getAttribute('data-kelisim-action'),
        width: Math.round(r.width),
        height: Math.round(r.height),
        right: r.right,
        bottom: r.bottom,
        look: [s.fontSize, s.fontWeight, s.color, s.backgroundColor, s.borderTopWidth, s.borderTopColor, s.paddingTop].join(' '),
      };
    }),
  );
}

test('first visit: a labelled region with title, policy link and three equal buttons (hooks of SPEC §5)', async () => {
  const { page, errors, close } = await open(server.url());
  const banner = page.locator(sel.banner);
  await banner.waitFor();
  assert.equal(await banner.getAttribute('role'), 'region');
  assert.ok((await banner.getAttribute('aria-label')).length > 0, 'the region has a name');
  assert.equal(await banner.locator('h2').textContent(), TEXTS.kk.title);
  assert.equal(await banner.getAttribute('lang'), 'kk');
  const links = await banner.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['/privacy']);
  const buttons = await buttonLooks(page);
  assert.deepEqual(
    buttons.map((b) => b.action),
    ['accept-all', 'reject-all', 'preferences'],
  );
  assert.equal(await page.locator(sel.action('accept-all', sel.banner)).textContent(), TEXTS.kk.accept);
  assert.equal(await page.locator(sel.action('reject-all', sel.banner)).textContent(), TEXTS.kk.reject);
  assert.equal(new Set(buttons.map((b) => `${b.width}x${b.height}`)).size, 1, `equal size: ${JSON.stringify(buttons)}`);
  assert.equal(new Set(buttons.map((b) => b.look)).size, 1, 'equal weight and colours');
  assert.equal(await page.locator(sel.reopen).count(), 0, 'no reopen button while the banner asks');
  assert.deepEqual(errors, []);
  await close();
});

for (const [layout, position] of [
  ['bar', 'top'],
  ['box', 'bottom'],
  ['box', 'top'],
]) {
  test(`layout ${layout}, position ${position}: placed accordingly, buttons equal`, async () => {
    const { page, close } = await open(server.url({ config: { ui: { layout, position } } }));
    const box = await page.locator(sel.banner).boundingBox();
    const vp = page.viewportSize();
    if (position === 'top') assert.equal(Math.round(box.y), layout === 'box' ? 15 : 0);
    else assert.ok(Math.abs(box.y + box.height - (layout === 'box' ? vp.height - 15 : vp.height)) <= 1.5, JSON.stringify(box));
    if (layout === 'bar') assert.equal(Math.round(box.width), vp.width);
    else assert.ok(box.width < vp.width / 2 && box.x > vp.width / 2, 'a box in the corner');
    const buttons = await buttonLooks(page);
    assert.equal(new Set(buttons.map((b) => `${b.width}x${b.height}`)).size, 1, JSON.stringify(buttons));
    assert.equal(new Set(buttons.map((b) => b.look)).size, 1);
    await close();
  });
}

test('360 px wide: the banner fits, buttons stacked and equal, nothing scrolls sideways', async () => {
  const { page, close } = await open(server.url(), { viewport: { width: 360, height: 740 } });
  const box = await page.locator(sel.banner).boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360.5, JSON.stringify(box));
  assert.ok(box.height < 740, 'not taller than the screen');
  const buttons = await buttonLooks(page);
  assert.equal(new Set(buttons.map((b) => `${b.width}x${b.height}`)).size, 1, JSON.stringify(buttons));
  for (const b of buttons) assert.ok(b.right <= 360.5 && b.bottom <= 740.5, `${b.action} is on screen`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  await close();
});

test('200 % zoom (640 × 360 CSS px): the banner never exceeds the screen and every button can be reached', async () => {
  const { page, close } = await open(server.url(), { viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 });
  const box = await page.locator(sel.banner).boundingBox();
  assert.ok(box.height <= 360.5, JSON.stringify(box));
  for (const a of ['accept-all', 'reject-all', 'preferences']) {
    const b = page.locator(sel.action(a, sel.banner));
    await b.scrollIntoViewIfNeeded();
    const r = await b.boundingBox();
    assert.ok(r.y >= 0 && r.y + r.height <= 360.5 && r.x + r.width <= 640.5, `${a} reachable: ${JSON.stringify(r)}`);
  }
  await page.locator(sel.action('reject-all', sel.banner)).click();
  await page.locator(sel.banner).waitFor({ state: 'detached' });
  await close();
});

test('asked again: a line says why (new revision, new services, expired)', async () => {
  const cookieFor = (config) => consentCookie(config, 'accept-all', { url: server.origin });
  const noYoutube = merged(BASE_CONFIG, { services: { youtube: undefined } });
  const cases = [
    ['revision', await cookieFor(BASE_CONFIG), { revision: 2 }, TEXTS.kk.revision],
    ['new-items', await cookieFor(noYoutube), {}, TEXTS.kk.newItems],
    ['expired', await cookieFor(BASE_CONFIG), {}, TEXTS.kk.expired],
  ];
  for (const [why, cookie, config, line] of cases) {
    const { page, context, close } = await openPage(browser);
    await context.addCookies([cookie]);
    // Four hundred days later (the cookie lasts 365).
    if (why === 'expired')
      await page.addInitScript(() => {
        const now = Date.now;
        Date.now = () => now() + 400 * 864e5;
      });
    await page.goto(server.url({ config }));
    await ready(page);
    const notice = page.locator(`${sel.banner} .notice`);
    assert.ok((await notice.textContent()).startsWith(line), `${why}: ${await notice.textContent()}`);
    await page.locator(sel.action('accept-all', sel.banner)).click();
    await page.locator(sel.banner).waitFor({ state: 'detached' });
    // Opened again from a site link: no stale reason.
    await page.evaluate(() => window.kelisim.showBanner());
    assert.equal(await page.locator(`${sel.banner} .notice`).count(), 0);
    await close();
  }
  // A first visit gives no reason line.
  const { page, close } = await open(server.url());
  assert.equal(await page.locator(`${sel.banner} .notice`).count(), 0);
  await close();
});

test('language from <html lang>: kk, ru, en', async () => {
  for (const lang of ['kk', 'ru', 'en']) {
    const { page, close } = await open(server.url({ lang }));
    const banner = page.locator(sel.banner);
    assert.equal(await banner.locator('h2').textContent(), TEXTS[lang].title, lang);
    assert.equal(await banner.getAttribute('lang'), lang);
    assert.equal(await page.locator(sel.action('reject-all', sel.banner)).textContent(), TEXTS[lang].reject);
    await close();
  }
});

test('language from the browser when the page has no lang, unsupported ones fall back to the default', async () => {
  for (const [locale, lang] of [
    ['ru-RU', 'ru'],
    ['en-GB', 'en'],
    ['de-DE', 'kk'],
  ]) {
    const { page, close } = await open(server.url({ lang: null }), { locale });
    assert.equal(await page.locator(`${sel.banner} h2`).textContent(), TEXTS[lang].title, locale);
    await close();
  }
});

test('setLanguage switches the open banner and dialog live', async () => {
  const { page, close } = await open(server.url({ lang: 'kk' }));
  await page.evaluate(() => window.kelisim.setLanguage('ru'));
  assert.equal(await page.locator(`${sel.banner} h2`).textContent(), TEXTS.ru.title);
  assert.equal(await page.locator(sel.banner).getAttribute('lang'), 'ru');
  await page.locator(sel.action('preferences', sel.banner)).click();
  await page.locator(sel.prefs).waitFor();
  await page.locator('input[data-kelisim-category="analytics"]').check();
  await page.evaluate(() => window.kelisim.setLanguage('en'));
  assert.equal(await page.locator(`${sel.prefs} h2`).textContent(), TEXTS.en.prefs);
  assert.equal(await page.locator(sel.action('close', sel.prefs)).getAttribute('aria-label'), TEXTS.en.close);
  assert.equal(await page.locator('input[data-kelisim-category="analytics"]').isChecked(), true, 'an unsaved toggle survives the switch');
  assert.equal(await page.locator(`${sel.banner} h2`).textContent(), TEXTS.en.title);
  await close();
});

test('hostile translations render as text: no element, no script, no javascript: link', async () => {
  const evil = {
    title: '<img src="/x.gif" onerror="window.__xss=1">',
    description: '<script>window.__xss=2</script> [x](javascript:window.__xss=3) <b>bold</b> [policy]({policyUrl})',
  };
  const config = {
    language: {
      translations: {
        kk: {
          banner: { title: evil.title, description: evil.description },
          preferences: { description: '<iframe src="/x.html"></iframe>' },
          categories: { analytics: { title: '<svg onload="window.__xss=4">', description: '[a](javascript:alert(1))' } },
          services: { youtube: { title: '<img src="/x.gif" onerror="window.__xss=5">', description: '<script>window.__xss=6</script>' } },
        },
      },
    },
  };
  const { page, requests, close } = await open(server.url({ config }));
  const banner = page.locator(sel.banner);
  assert.equal(await banner.locator('h2').textContent(), evil.title);
  const description = await banner.locator('p').last().textContent();
  assert.ok(description.includes('<script>window.__xss=2</script>') && description.includes('<b>bold</b>'), description);
  await page.locator(sel.action('preferences', sel.banner)).click();
  await page.locator(sel.prefs).waitFor();
  await page
    .locator(`${sel.prefs} details`)
    .last()
    .evaluate((d) => {
      d.open = true;
    });
  const tags = await page.evaluate(() => {
    const root = document.getElementById('kelisim-root').shadowRoot;
    return Array.from(root.querySelectorAll('img, script, b, iframe, svg'), (e) => e.localName);
  });
  assert.deepEqual(tags, []);
  const hrefs = await page.evaluate(() =>
    Array.from(document.getElementById('kelisim-root').shadowRoot.querySelectorAll('a'), (a) => a.getAttribute('href')),
  );
  assert.ok(
    hrefs.every((h) => !/^javascript:/i.test(h)),
    JSON.stringify(hrefs),
  );
  assert.ok(hrefs.includes('/privacy'));
  assert.match(await page.locator('label[for="kelisim-c-analytics"]').textContent(), /^<svg onload/);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.ok(!requests.some((u) => u.includes('/x.gif') || u.includes('/x.html')), 'nothing was loaded from the texts');
  await close();
});

test('the banner causes no layout shift, on arrival and on leaving', async () => {
  for (const layout of ['bar', 'box']) {
    const { page, close } = await open(server.url({ config: { ui: { layout } } }), { reducedMotion: 'no-preference' });
    await page.locator(sel.banner).waitFor();
    await page.waitForTimeout(300);
    await page.locator(sel.action('reject-all', sel.banner)).click();
    await page.locator(sel.reopen).waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.__shifts), [], layout);
    await close();
  }
});

test('a right-to-left translation renders right to left; reopenButton: false leaves the button out', async () => {
  const config = { language: { translations: { ar: { banner: { title: 'نستخدم ملفات تعريف الارتباط' } } } }, ui: { reopenButton: false } };
  const { page, close } = await open(server.url({ lang: 'ar', config }));
  const banner = page.locator(sel.banner);
  assert.equal(await banner.getAttribute('dir'), 'rtl');
  assert.equal(await banner.getAttribute('lang'), 'ar');
  assert.equal(await banner.locator('h2').textContent(), 'نستخدم ملفات تعريف الارتباط');
  assert.equal(await banner.evaluate((b) => getComputedStyle(b).direction), 'rtl');
  await page.locator(sel.action('accept-all', sel.banner)).click();
  await banner.waitFor({ state: 'detached' });
  await page.waitForTimeout(100);
  assert.equal(await page.locator(sel.reopen).count(), 0);
  await close();
});
