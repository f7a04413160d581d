// The consent UI: banner, preferences dialog, reopen button, in an open
// shadow root. It renders what the engine resolved (texts, rows, states) and
// reports clicks; it never builds HTML from strings.
import css from './ui.css';

function h(doc, tag, attrs = {}, children = []) {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c != null) el.append(c);
  return el;
}

/** Text runs from the engine ([{text, href?}]) as DOM nodes. */
function runs(doc, list, vars = {}) {
  const out = doc.createDocumentFragment();
  for (const r of list || []) {
    let text = r.text;
    for (const [k, v] of Object.entries(vars)) text = text.split(`{${k}}`).join(v);
    out.append(r.href ? h(doc, 'a', { href: r.href, target: r.href.startsWith('#') ? null : '_blank', rel: 'noopener' }, [text]) : doc.createTextNode(text));
  }
  return out;
}

function plain(list) {
  return (list || []).map((r) => r.text).join('');
}

export function createUI({ win, doc, start, enabled, actions }) {
  let content = start; // language, dir, texts, categories
  let host = null;
  let root = null;
  let opener = null;
  const noop = { showBanner() {}, showPreferences() {}, hide() {}, showReopen() {}, setTexts() {}, refresh() {} };
  if (!enabled) return { ...noop, setTexts(t) { content = { ...content, ...t }; } };

  function mount() {
    if (host) return;
    host = h(doc, 'div', { id: 'kelisim-root' });
    root = host.attachShadow({ mode: 'open' });
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    (doc.body || doc.documentElement).append(host);
  }

  const t = (key) => content.texts[key];
  const theme = () => `theme-${start.ui.theme}`;

  function clear(kind) {
    if (!root) return;
    for (const el of root.querySelectorAll(kind ? `[data-kelisim="${kind}"]` : '[data-kelisim]')) {
      if (el.localName === 'dialog' && el.open) el.close();
      el.remove();
    }
  }

  function button(action, key, extra = {}) {
    return h(doc, 'button', { type: 'button', 'data-kelisim-action': action, class: `btn ${extra.class || ''}` }, [plain(t(key))]);
  }

  function showBanner() {
    mount();
    clear('banner');
    clear('reopen');
    const titleId = 'kelisim-banner-title';
    const notice = start.ask === 'revision' ? t('banner.revisionNotice') : start.ask === 'new-items' ? t('banner.newServicesNotice') : null;
    const banner = h(doc, 'div', { 'data-kelisim': 'banner', role: 'region', 'aria-labelledby': titleId, lang: content.language, dir: content.dir,
      class: `banner ${start.ui.layout} ${start.ui.position} ${theme()}` }, [
      h(doc, 'div', { class: 'text' }, [
        h(doc, 'h2', { id: titleId }, [plain(t('banner.title'))]),
        h(doc, 'p', {}, [runs(doc, t('banner.description'))]),
        notice ? h(doc, 'p', { class: 'notice' }, [runs(doc, notice)]) : null,
      ]),
      h(doc, 'div', { class: 'buttons' }, [
        button('accept-all', 'banner.acceptAll'),
        button('reject-all', 'banner.rejectAll'),
        button('preferences', 'banner.preferences'),
      ]),
    ]);
    banner.addEventListener('click', onClick);
    root.append(banner);
  }

  function showPreferences() {
    mount();
    opener = doc.activeElement;
    clear('preferences');
    const state = actions.state();
    const allowed = new Set([...state.categories, ...state.services]);
    const titleId = 'kelisim-prefs-title';
    const rows = content.categories.map((c) => {
      const id = `kelisim-cat-${c.name}`;
      const services = c.services.length
        ? h(doc, 'details', { class: 'services' }, [
            h(doc, 'summary', {}, [plain(t('ui.services'))]),
            ...c.services.map((s) => {
              const sid = `kelisim-svc-${s.name}`;
              return h(doc, 'div', { class: 'service' }, [
                h(doc, 'input', { type: 'checkbox', id: sid, 'data-kelisim-service': s.name, checked: c.required || allowed.has(s.name), disabled: c.required }),
                h(doc, 'label', { for: sid }, [s.title]),
                h(doc, 'p', {}, [runs(doc, s.description)]),
                s.cookies.length ? h(doc, 'p', { class: 'cookies' }, [`${plain(t('ui.cookies'))}: ${s.cookies.join(', ')}`]) : null,
              ]);
            }),
          ])
        : null;
      return h(doc, 'section', { class: 'category' }, [
        h(doc, 'div', { class: 'row' }, [
          h(doc, 'input', { type: 'checkbox', role: 'switch', id, 'data-kelisim-category': c.name, checked: c.required || allowed.has(c.name), disabled: c.required }),
          h(doc, 'label', { for: id }, [c.title]),
          c.required ? h(doc, 'span', { class: 'required' }, [plain(t('ui.required'))]) : null,
        ]),
        h(doc, 'p', {}, [runs(doc, c.description)]),
        services,
      ]);
    });
    const dialog = h(doc, 'dialog', { 'data-kelisim': 'preferences', 'aria-labelledby': titleId, lang: content.language, dir: content.dir, class: `prefs ${theme()}` }, [
      h(doc, 'h2', { id: titleId }, [plain(t('preferences.title'))]),
      h(doc, 'p', {}, [runs(doc, t('preferences.description'))]),
      start.gpc ? h(doc, 'p', { class: 'notice' }, [runs(doc, t('preferences.gpcNotice'))]) : null,
      ...rows,
      h(doc, 'div', { class: 'buttons' }, [
        button('accept-all', 'preferences.acceptAll'),
        button('reject-all', 'preferences.rejectAll'),
        button('save', 'preferences.save'),
      ]),
      start.contact !== '' ? h(doc, 'p', { class: 'contact' }, [runs(doc, t('preferences.contact'))]) : null,
      button('close', 'preferences.close', { class: 'close' }),
    ]);
    // A category toggle switches its services with it.
    dialog.addEventListener('change', (e) => {
      const cat = e.target.getAttribute('data-kelisim-category');
      if (!cat) return;
      for (const s of e.target.closest('section').querySelectorAll('input[data-kelisim-service]')) s.checked = e.target.checked;
    });
    dialog.addEventListener('click', onClick);
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.focus) opener.focus();
    });
    root.append(dialog);
    dialog.showModal();
  }

  function onClick(e) {
    const btn = e.target.closest('[data-kelisim-action]');
    if (!btn) return;
    const action = btn.getAttribute('data-kelisim-action');
    if (action === 'accept-all') actions.acceptAll();
    else if (action === 'reject-all') actions.rejectAll();
    else if (action === 'preferences') showPreferences();
    else if (action === 'close') hidePreferences();
    else if (action === 'save') {
      const dialog = btn.closest('[data-kelisim="preferences"]');
      const picked = (sel, attr) => Array.from(dialog.querySelectorAll(`${sel}:checked`), (i) => i.getAttribute(attr));
      actions.save(picked('input[data-kelisim-category]', 'data-kelisim-category'), picked('input[data-kelisim-service]', 'data-kelisim-service'));
    }
  }

  function hidePreferences() {
    clear('preferences');
    if (opener && opener.focus) opener.focus();
  }

  function showReopen() {
    if (!start.ui.reopenButton) return;
    mount();
    clear('reopen');
    const label = plain(t('ui.reopen'));
    const btn = h(doc, 'button', { type: 'button', 'data-kelisim': 'reopen', 'aria-label': label, title: label, class: `reopen ${theme()}` }, [label]);
    btn.addEventListener('click', showPreferences);
    root.append(btn);
  }

  // Site links such as a footer "Cookie settings" open a view.
  doc.addEventListener('click', (e) => {
    const trigger = e.target.closest && e.target.closest('[data-kelisim-open]');
    if (!trigger) return;
    e.preventDefault();
    if (trigger.getAttribute('data-kelisim-open') === 'banner') showBanner();
    else showPreferences();
  });

  return {
    showBanner,
    showPreferences,
    showReopen,
    hide() {
      clear('banner');
      clear('preferences');
    },
    setTexts(next) {
      content = { ...content, ...next };
      if (!root) return;
      const hadBanner = root.querySelector('[data-kelisim="banner"]');
      const hadPrefs = root.querySelector('[data-kelisim="preferences"]');
      if (hadBanner) showBanner();
      if (hadPrefs) showPreferences();
      if (root.querySelector('[data-kelisim="reopen"]')) showReopen();
    },
  };
}
