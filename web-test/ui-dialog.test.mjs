// The preferences dialog and the ways to reach it, driven by the keyboard
// alone where a visitor would: modal, focus kept inside, Space toggles,
// Escape closes, focus returns to where it came from.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './harness.mjs';
import { startUiServer, instrument, ready, focused, sel, TEXTS } from './ui-support.mjs';

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

async function open(url, options = {}, { gpc = false } = {}) {
  const p = await openPage(browser, { reducedMotion: 'reduce', ...options });
  await instrument(p.page, { gpc });
  await p.page.goto(url);
  await ready(p.page);
  return p;
}

const cat = (name) => `input[data-kelisim-category="${name}"]`;
const svc = (name) => `input[data-kelisim-service="${name}"]`;
const state = (page) => page.evaluate(() => window.kelisim.state());

test('dialog: a modal, labelled dialog; one switch per category, required on and locked, nothing pre-ticked', async () => {
  const { page, close } = await open(server.url());
  await page.locator(sel.action('preferences', sel.banner)).click();
  const dialog = page.locator(sel.prefs);
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d) => d.localName === 'dialog' && d.open && d.matches(':modal')), true);
  const title = await dialog.evaluate((d) => d.getRootNode().getElementById(d.getAttribute('aria-labelledby')).textContent);
  assert.equal(title, TEXTS.kk.prefs);
  const rows = await page.locator(`${sel.prefs} input[data-kelisim-category]`).evaluateAll((inputs) =>
    inputs.map((i) => ({
      name: i.getAttribute('data-kelisim-category'),
      type: i.type,
      role: i.getAttribute('role'),
      checked: i.checked,
      disabled: i.disabled,
      label: i.labels[0] && i.labels[0].textContent,
      description: i.getRootNode().getElementById(i.getAttribute('aria-describedby')).textContent,
    })),
  );
  assert.deepEqual(
    rows.map((r) => r.name),
    ['necessary', 'analytics', 'marketing', 'embedded'],
  );
  for (const r of rows) {
    assert.equal(r.type, 'checkbox');
    assert.equal(r.role, 'switch');
    assert.ok(r.label && r.description, `${r.name} has a label and a description`);
    assert.equal(r.checked, r.name === 'necessary', `${r.name}: only required is on`);
    assert.equal(r.disabled, r.name === 'necessary');
  }
  assert.equal(await page.locator(svc('session')).isChecked(), true);
  assert.equal(await page.locator(svc('session')).isDisabled(), true);
  for (const s of ['stats', 'ads', 'youtube']) assert.equal(await page.locator(svc(s)).isChecked(), false, s);
  // Services: collapsed, with their description and cookies.
  const details = page.locator(`${sel.prefs} details:has(${svc('stats')})`);
  assert.equal(await details.evaluate((d) => d.open), false);
  await details.locator('summary').click();
  const row = details.locator('.svc');
  assert.match(await row.textContent(), /Статистика.*Кірулерді жасырын түрде есептейді.*_st, _st_\*/s);
  // The three choices and the contact address.
  for (const a of ['accept-all', 'reject-all', 'save', 'close']) assert.equal(await page.locator(sel.action(a, sel.prefs)).count(), 1, a);
  const contact = page.locator(`${sel.prefs} a[href="mailto:privacy@example.test"]`);
  assert.equal(await contact.textContent(), 'privacy@example.test');
  await close();
});

test('keyboard only: Tab reaches the banner, the dialog traps Tab and Shift+Tab, Space toggles, Escape closes, focus returns', async () => {
  const { page, close } = await open(server.url());
  await page.locator(sel.banner).waitFor();
  // The banner comes first in the tab order: its policy link, then the buttons.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).tag, 'a');
  const order = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    order.push((await focused(page)).key);
  }
  assert.deepEqual(order, ['accept-all', 'reject-all', 'preferences']);
  await page.keyboard.press('Enter');
  await page.locator(sel.prefs).waitFor();
  assert.deepEqual(await focused(page), { key: 'close', inDialog: true, tag: 'button', outline: 'solid' });

  // Forward: every stop is inside the dialog, in order, wrapping around.
  const expected = [
    'summary',
    'category:analytics',
    'summary',
    'category:marketing',
    'summary',
    'category:embedded',
    'summary',
    'a',
    'accept-all',
    'reject-all',
    'save',
    'kelisim-language',
    'close',
    'summary',
  ];
  const forward = [];
  for (let i = 0; i < expected.length; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.equal(f.inDialog, true, `Tab ${i + 1} left the dialog: ${JSON.stringify(f)}`);
    assert.equal(f.outline, 'solid', `a visible focus style on ${f.key}`);
    forward.push(f.key);
  }
  assert.deepEqual(forward, expected);
  // Backward: from the first control to the last one, and all the way round.
  await page.locator(`${sel.prefs} select`).focus();
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).key, 'save');
  const backward = [];
  for (let i = 0; i < expected.length; i++) {
    await page.keyboard.press('Shift+Tab');
    const f = await focused(page);
    assert.equal(f.inDialog, true, `Shift+Tab ${i + 1} left the dialog`);
    backward.push(f.key);
  }
  assert.deepEqual(backward, [...expected.slice(0, -3)].reverse().slice(1).concat(['close', 'kelisim-language', 'save', 'reject-all']));

  // Space toggles a switch.
  await page.locator(cat('analytics')).focus();
  await page.keyboard.press('Space');
  assert.equal(await page.locator(cat('analytics')).isChecked(), true);
  assert.equal(await page.locator(svc('stats')).isChecked(), true, 'the category switches its services');
  await page.keyboard.press('Space');
  assert.equal(await page.locator(cat('analytics')).isChecked(), false);

  // Escape closes without deciding; focus returns to the banner's button.
  await page.keyboard.press('Escape');
  await page.locator(sel.prefs).waitFor({ state: 'detached' });
  assert.equal((await focused(page)).key, 'preferences');
  assert.equal((await state(page)).decided, false);
  assert.equal(await page.locator(sel.banner).isVisible(), true);
  await close();
});

test('keyboard only: save a choice, then withdraw it through the reopen button', async () => {
  const { page, close } = await open(server.url());
  await page.locator(sel.action('preferences', sel.banner)).focus();
  await page.keyboard.press('Enter');
  await page.locator(sel.prefs).waitFor();
  await page.locator(cat('analytics')).focus();
  await page.keyboard.press('Space');
  await page.locator(sel.action('save', sel.prefs)).focus();
  await page.keyboard.press('Enter');
  await page.locator(sel.prefs).waitFor({ state: 'detached' });
  const s = await state(page);
  assert.equal(s.method, 'custom');
  assert.deepEqual(s.categories, ['necessary', 'analytics']);
  assert.equal(await page.locator(sel.banner).count(), 0);
  // Focus is not lost: it lands on the reopen button.
  assert.equal((await focused(page)).key, 'reopen');

  await page.keyboard.press('Enter');
  await page.locator(sel.prefs).waitFor();
  assert.equal(await page.locator(cat('analytics')).isChecked(), true, 'the dialog shows the saved choice');
  await page.locator(cat('analytics')).focus();
  await page.keyboard.press('Space');
  await page.locator(sel.action('save', sel.prefs)).focus();
  await page.keyboard.press('Enter');
  await page.locator(sel.prefs).waitFor({ state: 'detached' });
  assert.deepEqual((await state(page)).categories, ['necessary']);
  assert.equal((await focused(page)).key, 'reopen');
  // Escape returns focus to the reopen button too.
  await page.keyboard.press('Enter');
  await page.locator(sel.prefs).waitFor();
  await page.keyboard.press('Escape');
  await page.locator(sel.prefs).waitFor({ state: 'detached' });
  assert.equal((await focused(page)).key, 'reopen');
  await close();
});

test('dialog buttons: accept all and reject all decide and close', async () => {
  for (const [action, method] of [
    ['accept-all', 'accept-all'],
    ['reject-all', 'reject-all'],
  ]) {
    const { page, close } = await open(server.url());
    await page.locator(sel.action('preferences', sel.banner)).click();
    await page.locator(sel.action(action, sel.prefs)).click();
    await page.locator(sel.prefs).waitFor({ state: 'detached' });
    const s = await state(page);
    assert.equal(s.method, method);
    assert.equal(s.categories.includes('analytics'), action === 'accept-all');
    assert.equal(await page.locator(sel.reopen).isVisible(), true);
    await close();
  }
});

test('a service alone can be allowed; its category follows all of its services', async () => {
  const { page, close } = await open(server.url());
  await page.locator(sel.action('preferences', sel.banner)).click();
  await page.locator(`${sel.prefs} details:has(${svc('youtube')}) summary`).click();
  await page.locator(svc('youtube')).check();
  assert.equal(await page.locator(cat('embedded')).isChecked(), true, 'its only service is on');
  await page.locator(cat('embedded')).uncheck();
  assert.equal(await page.locator(svc('youtube')).isChecked(), false);
  await page.locator(`${sel.prefs} details:has(${svc('stats')}) summary`).click();
  await page.locator(svc('stats')).check();
  await page.locator(sel.action('save', sel.prefs)).click();
  await page.locator(sel.prefs).waitFor({ state: 'detached' });
  const s = await state(page);
  assert.ok(s.services.includes('stats'));
  assert.ok(!s.services.includes('youtube'));
  await close();
});

test('data-kelisim-open opens the dialog from a site link; focus goes back to the link', async () => {
  const { page, close } = await open(server.url());
  await page.locator(sel.action('reject-all', sel.banner)).click();
  await page.locator('#footer-settings').focus();
  await page.keyboard.press('Enter');
  await page.locator(sel.prefs).waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the link does not navigate');
  await page.keyboard.press('Escape');
  await page.locator(sel.prefs).waitFor({ state: 'detached' });
  assert.equal((await focused(page)).key, 'footer-settings');
  // "banner" opens the banner again.
  await page.evaluate(() => {
    const a = document.createElement('button');
    a.setAttribute('data-kelisim-open', 'banner');
    a.id = 'open-banner';
    a.textContent = 'Cookies';
    document.querySelector('footer').append(a);
  });
  await page.locator('#open-banner').click();
  await page.locator(sel.banner).waitFor();
  await close();
});

test('the language switcher lists the translations by their own names and switches live', async () => {
  const { page, close } = await open(server.url());
  await page.locator(sel.action('preferences', sel.banner)).click();
  const select = page.locator(`${sel.prefs} select`);
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent, o.lang]));
  assert.deepEqual(options.map((o) => o[0]).sort(), ['en', 'kk', 'ru']);
  assert.deepEqual(
    options.find((o) => o[0] === 'kk'),
    ['kk', 'Қазақ тілі', 'kk'],
  );
  assert.deepEqual(
    options.find((o) => o[0] === 'ru'),
    ['ru', 'Русский', 'ru'],
  );
  assert.equal(await select.inputValue(), 'kk');
  assert.ok((await select.getAttribute('aria-label')).length > 0);
  await select.focus();
  await select.selectOption('ru');
  // The Russian texts arrive first (kelisim-texts-ru.json), then the dialog switches.
  await page.locator(`${sel.prefs} h2`, { hasText: TEXTS.ru.prefs }).waitFor();
  assert.equal(await page.locator(`${sel.prefs} h2`).textContent(), TEXTS.ru.prefs);
  assert.equal(await page.locator(`${sel.banner} h2`).textContent(), TEXTS.ru.title);
  assert.equal(await page.evaluate(() => window.kelisim.language), 'ru');
  assert.equal((await focused(page)).key, 'kelisim-language', 'focus stays on the switcher');
  await close();
});

test('GPC: the dialog says the signal was honoured; accept all leaves marketing off, the own toggle turns it on', async () => {
  const { page, close } = await open(server.url(), {}, { gpc: true });
  await page.locator(sel.action('preferences', sel.banner)).click();
  assert.match(await page.locator(`${sel.prefs} .notice`).textContent(), new RegExp(TEXTS.kk.gpc));
  await page.locator(sel.action('accept-all', sel.prefs)).click();
  assert.ok(!(await state(page)).categories.includes('marketing'));
  await page.locator(sel.reopen).click();
  assert.equal(await page.locator(cat('marketing')).isChecked(), false);
  await page.locator(cat('marketing')).check();
  await page.locator(sel.action('save', sel.prefs)).click();
  assert.ok((await state(page)).categories.includes('marketing'));
  await close();
  const plain = await open(server.url());
  await plain.page.locator(sel.action('preferences', sel.banner)).click();
  assert.equal(await plain.page.locator(`${sel.prefs} .notice`).count(), 0, 'no note without the signal');
  await plain.close();
});

test('360 px and 200 % zoom: the dialog fits the screen and scrolls inside, its buttons stay on screen', async () => {
  for (const viewport of [
    { width: 360, height: 740 },
    { width: 640, height: 360 },
  ]) {
    const { page, close } = await open(server.url(), { viewport });
    await page.locator(sel.action('preferences', sel.banner)).click();
    const box = await page.locator(sel.prefs).boundingBox();
    assert.ok(
      box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5,
      JSON.stringify(box),
    );
    for (const a of ['accept-all', 'reject-all', 'save', 'close']) {
      const r = await page.locator(sel.action(a, sel.prefs)).boundingBox();
      assert.ok(r.y >= 0 && r.y + r.height <= viewport.height + 0.5, `${a} on screen at ${viewport.width}: ${JSON.stringify(r)}`);
    }
    // The last category can be scrolled to and switched.
    await page.locator(cat('embedded')).check();
    assert.equal(await page.locator(cat('embedded')).isChecked(), true);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), viewport.width);
    await close();
  }
});

test('keyboard only: Enter on "reject all" decides once; focus leaves the banner, and Enter pressed again decides nothing more', async () => {
  const { page, close } = await open(server.url());
  await page.evaluate(() => {
    window.__consents = 0;
    window.addEventListener('kelisim:consent', () => window.__consents++);
  });
  await page.locator(sel.action('reject-all', sel.banner)).focus();
  await page.keyboard.press('Enter');
  // Focus leaves the hidden banner by the next frame (not in the key's own task, which would compute styles there).
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
  assert.notEqual((await focused(page)).key, 'reject-all');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await page.locator(sel.reopen).waitFor();
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__consents), 1);
  assert.equal((await state(page)).method, 'reject-all');
  await close();
});
