// The consent UI: banner, preferences dialog, reopen button and placeholders
// for gated embeds (ui-placeholders.js), each in an open shadow root. It
// renders what the engine resolved (texts as runs, category rows, the state)
// and reports clicks; it decides nothing about consent and never builds HTML
// from strings: every text goes into a text node. Styles come from one
// constructable stylesheet and sizes are set through the CSSOM, so it runs
// under `style-src 'self'`.
import css from './ui.css';
import { createPlaceholders } from './ui-placeholders.js';

const FOCUSABLE = 'button,input:not(:disabled),select,summary,a[href]';
// Links the engine produced are http(s) or relative; checked again here because a bad href would run script.
const SAFE_HREF = /^(https?:\/\/|mailto:|[/?#.]|[^:]*$)/i;

/** An element with attributes (never `style`) and children (nodes or text). */
function h(doc, tag, attrs, ...kids) {
  const el = doc.createElement(tag);
  for (const k in attrs) if (attrs[k] != null && attrs[k] !== false) el.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
  el.append(...kids.flat(9).filter((k) => k != null && k !== false && k !== ''));
  return el;
}

/** The focused element, looking through shadow roots. */
function deepActive(doc) {
  let a = doc.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** A language's name in that language ("Қазақ тілі"), or its tag when the browser cannot name it. */
function languageName(tag) {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag);
    return name[0].toLocaleUpperCase(tag) + name.slice(1);
  } catch {
    return tag; // no Intl.DisplayNames, or a tag it rejects: the tag still identifies the language
  }
}

export function createUI({ win, doc, start, enabled, actions }) {
  const noop = () => {};
  if (!enabled) {
    return {
      showBanner: noop,
      showPreferences: noop,
      showReopen: noop,
      hide: noop,
      decided: noop,
      setTexts: noop,
      placeholder: noop,
      removePlaceholder: noop,
    };
  }
  // language, dir, texts, categories: from the start answer when it asked,
  // otherwise fetched from the engine when something is first rendered.
  let loaded = start.texts ? start : null;
  const content = () => (loaded = loaded || { ...start, ...actions.texts() });
  let ask = start.ask; // why the banner asks again; answered once the visitor decides
  let host = null;
  let root = null;
  let opener = null;
  let sheet = null;
  const hosts = new Set();
  const dark = win.matchMedia ? win.matchMedia('(prefers-color-scheme: dark)') : null;

  // ---- shared pieces -------------------------------------------------------

  const runsOf = (key) => content().texts[key] || [];
  const plain = (key) =>
    runsOf(key)
      .map((r) => r.text)
      .join('');

  /** Engine runs ([{text, href?}]) as text nodes and links. */
  function runs(list) {
    return list.map((r) => (r.href && SAFE_HREF.test(r.href) ? h(doc, 'a', { href: r.href }, r.text) : r.text));
  }

  const button = (action, key, cls = 'btn') => h(doc, 'button', { type: 'button', class: cls, 'data-kelisim-action': action }, plain(key));

  const theme = () => (start.ui.theme === 'auto' ? (dark && dark.matches ? 'dark' : 'light') : start.ui.theme);
  const paint = (el) => el.setAttribute('data-theme', theme());
  if (dark && dark.addEventListener) dark.addEventListener('change', () => hosts.forEach(paint));

  /** A custom-element host with an open shadow root holding our stylesheet. */
  function shadowHost() {
    const el = doc.createElement('kelisim-ui');
    const shadow = el.attachShadow({ mode: 'open' });
    if (shadow.adoptedStyleSheets && win.CSSStyleSheet) {
      if (!sheet) {
        sheet = new win.CSSStyleSheet();
        sheet.replaceSync(css);
      }
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.append(h(doc, 'style', {}, css)); // browsers without constructable stylesheets
    }
    paint(el);
    hosts.add(el);
    return [el, shadow];
  }

  function mount() {
    if (host) return root;
    [host, root] = shadowHost();
    host.id = 'kelisim-root';
    host.style.setProperty('display', 'contents');
    root.addEventListener('click', onClick);
    // First in <body>, so keyboard and screen reader users meet the banner
    // first; while the parser is still in <head> (a first page view's banner,
    // drawn before the body is parsed), before <body>, where it is first too.
    if (doc.body) doc.body.prepend(host);
    else doc.documentElement.append(host);
    return root;
  }

  const view = (kind) => root && root.querySelector(`[data-kelisim="${kind}"]`);

  /** Replaces an element's content, keeping its language and the focused control. */
  function fill(el, kids) {
    const keyOf = (e) => e.getAttribute('data-kelisim-action') || e.id;
    const focused = el.contains(deepActive(doc)) ? keyOf(deepActive(doc)) : null;
    el.replaceChildren(...kids.flat(9).filter(Boolean));
    el.setAttribute('lang', content().language);
    el.setAttribute('dir', content().dir);
    if (focused) for (const e of el.querySelectorAll('[id],[data-kelisim-action]')) if (keyOf(e) === focused) return e.focus();
  }

  function onClick(e) {
    const btn = e.target.closest('[data-kelisim-action]');
    if (!btn || btn.closest('[data-kelisim="closed"]')) return;
    const action = btn.getAttribute('data-kelisim-action');
    if (action === 'preferences') return showPreferences(btn);
    if (action === 'close') return closePreferences();
    ask = null;
    if (action === 'accept-all') actions.acceptAll();
    else if (action === 'reject-all') actions.rejectAll();
    else if (action === 'save') {
      const picked = (attr) => Array.from(view('preferences').querySelectorAll(`input[${attr}]:checked`), (i) => i.getAttribute(attr));
      actions.save(picked('data-kelisim-category'), picked('data-kelisim-service'));
    }
  }

  // ---- banner --------------------------------------------------------------

  function bannerContent() {
    // The engine words why it asks again; once the visitor answered, no notice.
    const notice = ask ? content().notice : null;
    return [
      h(
        doc,
        'div',
        { class: 'text' },
        h(doc, 'h2', {}, plain('banner.title')),
        notice && h(doc, 'p', { class: 'notice' }, runs(notice)),
        h(doc, 'p', {}, runs(runsOf('banner.description'))),
      ),
      h(
        doc,
        'div',
        { class: 'buttons' },
        button('accept-all', 'banner.acceptAll'),
        button('reject-all', 'banner.rejectAll'),
        button('preferences', 'banner.preferences'),
      ),
    ];
  }

  function showBanner() {
    mount();
    const reopen = view('reopen');
    if (reopen) reopen.parentNode.remove();
    let banner = view('banner');
    if (!banner) {
      const { layout, position } = start.ui;
      banner = h(doc, 'div', { 'data-kelisim': 'banner', role: 'region', class: `banner ${layout} ${position}` });
      root.append(banner);
    }
    banner.setAttribute('aria-label', plain('ui.banner'));
    fill(banner, bannerContent());
  }

  // ---- preferences dialog --------------------------------------------------

  const id = (kind, name) => `kelisim-${kind}-${name}`;

  /** One labelled switch; required ones are shown on and cannot be changed. */
  function toggle(kind, row, on, required) {
    const tid = id(kind, row.name);
    return [
      h(
        doc,
        'div',
        { class: 'row' },
        h(doc, 'label', { for: tid }, row.title),
        required && h(doc, 'span', { class: 'req' }, plain('ui.required')),
        h(doc, 'input', {
          type: 'checkbox',
          role: 'switch',
          id: tid,
          [`data-kelisim-${kind === 'c' ? 'category' : 'service'}`]: row.name,
          checked: required || on.has(tid),
          disabled: required,
          'aria-describedby': `${tid}-d`,
        }),
      ),
      h(doc, 'p', { id: `${tid}-d` }, runs(row.description)),
    ];
  }

  function preferencesContent(on) {
    const languages = start.languages || [];
    const rows = content().categories.map((c) =>
      h(
        doc,
        'section',
        { class: 'cat' },
        toggle('c', c, on, c.required),
        c.services.length > 0 &&
          h(
            doc,
            'details',
            { id: id('d', c.name), open: on.has(id('d', c.name)) },
            h(doc, 'summary', {}, `${plain('ui.services')} (${c.services.length})`),
            c.services.map((s) =>
              h(
                doc,
                'div',
                { class: 'svc' },
                toggle('s', s, on, c.required),
                s.cookies.length > 0 && h(doc, 'p', { class: 'cookies' }, `${plain('ui.cookies')}: ${s.cookies.join(', ')}`),
              ),
            ),
          ),
      ),
    );
    return [
      h(
        doc,
        'div',
        { class: 'head' },
        h(doc, 'h2', { id: 'kelisim-prefs-title' }, plain('preferences.title')),
        languages.length > 1 &&
          actions.setLanguage &&
          h(
            doc,
            'select',
            { id: 'kelisim-language', 'aria-label': plain('preferences.language') },
            languages.map((l) => h(doc, 'option', { value: l, lang: l, selected: l === content().language }, languageName(l))),
          ),
        h(
          doc,
          'button',
          {
            type: 'button',
            class: 'x',
            'data-kelisim-action': 'close',
            'aria-label': plain('preferences.close'),
            title: plain('preferences.close'),
          },
          '×',
        ),
      ),
      h(
        doc,
        'div',
        { class: 'body' },
        h(doc, 'p', {}, runs(runsOf('preferences.description'))),
        start.gpc && h(doc, 'p', { class: 'notice' }, runs(runsOf('preferences.gpcNotice'))),
        rows,
        start.contact && h(doc, 'p', { class: 'contact' }, runs(runsOf('preferences.contact'))),
      ),
      h(
        doc,
        'div',
        { class: 'buttons foot' },
        button('accept-all', 'preferences.acceptAll'),
        button('reject-all', 'preferences.rejectAll'),
        button('save', 'preferences.save'),
      ),
    ];
  }

  /** What is switched on and opened in the dialog now, to survive a language change. */
  function dialogState(dialog) {
    const on = new Set();
    for (const el of dialog.querySelectorAll('input:checked,details[open]')) on.add(el.id);
    return on;
  }

  function showPreferences(from) {
    mount();
    const current = view('preferences');
    if (current) return;
    opener = from && from.focus ? from : deepActive(doc);
    const state = actions.state();
    const on = new Set([...state.categories.map((n) => id('c', n)), ...state.services.map((n) => id('s', n))]);
    const dialog = h(doc, 'dialog', { 'data-kelisim': 'preferences', 'aria-labelledby': 'kelisim-prefs-title', class: 'prefs' });
    fill(dialog, preferencesContent(on));
    dialog.addEventListener('change', (e) => {
      const t = e.target;
      if (t.id === 'kelisim-language') return actions.setLanguage(t.value);
      const section = t.closest('section');
      const cat = section && section.querySelector('[data-kelisim-category]');
      const services = section ? Array.from(section.querySelectorAll('[data-kelisim-service]')) : [];
      // A category switch sets its services; the category is on when all of them are.
      if (t === cat) for (const s of services) s.checked = t.checked;
      else if (cat && services.length) cat.checked = services.every((s) => s.checked);
    });
    // Keep Tab and Shift+Tab inside the dialog, cycling.
    dialog.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab') return;
      const list = Array.from(dialog.querySelectorAll(FOCUSABLE)).filter(
        (el) => el.localName === 'summary' || !el.closest('details:not([open])'),
      );
      const active = deepActive(doc);
      const edge = e.shiftKey ? active === list[0] || active === dialog : active === list[list.length - 1];
      if (edge || !dialog.contains(active)) {
        e.preventDefault();
        list[e.shiftKey ? list.length - 1 : 0].focus();
      }
    });
    // Escape (the native cancel) closes it like the close button.
    dialog.addEventListener('close', () => closePreferences(dialog));
    root.append(dialog);
    dialog.showModal();
    dialog.querySelector('.x').focus();
  }

  function closePreferences(dialog = view('preferences')) {
    if (!dialog || !dialog.isConnected) return;
    if (dialog.open) dialog.close();
    dialog.remove();
    // After the caller's own updates (a decision removes the banner and adds
    // the reopen button), give focus back to where the dialog was opened from.
    Promise.resolve().then(() => {
      const target = opener && opener.isConnected ? opener : view('reopen');
      opener = null;
      if (target && target.focus) target.focus();
    });
  }

  /**
   * Closes the dialog; the banner is hidden at once, without a layout in
   * this frame (it is fixed: nothing moves), and is no longer a banner to the
   * page's selectors or to assistive technology; its node goes when the page
   * is next idle (or when `later` says).
   */
  function hide(later = whenIdle) {
    closePreferences();
    const banner = view('banner');
    if (!banner) return;
    banner.setAttribute('data-kelisim', 'closed');
    if (opener && banner.contains(opener)) opener = null; // focus cannot go back into it: the reopen button takes it
    // Focus leaves it as when it is removed, in the next frame: a blur in this
    // task would compute the page's styles here, between the click and the
    // scripts it allowed (the frame computes them anyway). A key pressed
    // before then reaches a closed banner, whose clicks are ignored.
    const leave = () => {
      const focused = deepActive(doc);
      if (banner.contains(focused)) focused.blur();
    };
    if (win.requestAnimationFrame) win.requestAnimationFrame(leave);
    else leave();
    later(() => banner.remove());
  }
  const whenIdle = (fn) => (win.requestIdleCallback ? win.requestIdleCallback(fn, { timeout: 200 }) : win.setTimeout(fn, 20));

  // ---- reopen button -------------------------------------------------------

  function showReopen() {
    if (!start.ui.reopenButton) return;
    mount();
    let btn = view('reopen');
    if (!btn) {
      btn = h(doc, 'button', { type: 'button', 'data-kelisim': 'reopen', class: 'reopen' });
      btn.addEventListener('click', () => showPreferences(btn));
      root.append(h(doc, 'aside', {}, btn)); // a landmark, so it is found like the rest of the page
    }
    btn.parentNode.setAttribute('aria-label', plain('ui.reopen'));
    fill(btn, [plain('ui.reopen')]);
  }

  const placeholders = createPlaceholders({ win, doc, actions, h, shadowHost, fill, runs, button, hosts });

  // ---- site triggers and updates -------------------------------------------

  function setTexts(next) {
    loaded = { ...content(), ...next };
    const banner = view('banner');
    if (banner) showBanner();
    const dialog = view('preferences');
    if (dialog) fill(dialog, preferencesContent(dialogState(dialog)));
    if (view('reopen')) showReopen();
    placeholders.refresh();
  }

  return {
    showBanner,
    showPreferences: (trigger) => showPreferences(trigger), // focus returns to the trigger (a data-kelisim-open link) on close
    showReopen,
    hide,
    /** `later(fn)`: when what the decision allowed has run, in an idle moment. */
    decided(later = whenIdle) {
      const dialog = view('preferences');
      hide(later);
      // With a dialog closing, now: focus goes back to the button. After the
      // banner, later: a new box at the top of <body> is a layout, and the
      // scripts the decision allowed are loading.
      if (dialog) showReopen();
      else later(() => view('banner') || showReopen());
    },
    setTexts,
    placeholder: placeholders.place,
    removePlaceholder: placeholders.remove,
  };
}
