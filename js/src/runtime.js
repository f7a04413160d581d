// The browser side of kelisim: reads and writes cookies, activates gated
// elements, renders the UI and fires events. Every consent question goes to
// the engine; nothing here decides what is allowed.
import { KelisimError, randomHex } from './engine.js';
import { createUI } from './ui.js';

const GATED = [
  'script[type="text/plain"][data-category]',
  'script[type="text/plain"][data-service]',
  'script[type="text/plain"][data-cookieconsent]',
  '[data-src][data-category]',
  '[data-src][data-service]',
  '[data-src][data-cookieconsent]',
].join(',');
const DONE = 'data-kelisim-done';

/** Pushes like gtag() does: an `arguments` object. */
export function gtagPush(win, ...args) {
  const dl = (win.dataLayer = win.dataLayer || []);
  (function () {
    dl.push(arguments);
  }).apply(null, args);
}

function gateOf(el) {
  return {
    category: el.getAttribute('data-category') || '',
    service: el.getAttribute('data-service') || '',
    cookieconsent: el.getAttribute('data-cookieconsent') || '',
  };
}

/** Replaces a gated script with a live copy; resolves once it ran (or failed). */
function activateScript(doc, old) {
  const s = doc.createElement('script');
  for (const a of Array.from(old.attributes)) {
    if (a.name !== 'type' && a.name !== 'data-type' && a.name !== 'data-src' && a.name !== 'src') s.setAttribute(a.name, a.value);
  }
  const type = old.getAttribute('data-type');
  if (type) s.setAttribute('type', type);
  if (old.nonce) s.nonce = old.nonce; // the attribute reads empty after parsing; the property keeps it
  s.setAttribute(DONE, '');
  const src = old.getAttribute('data-src') || old.getAttribute('src');
  let done = Promise.resolve();
  if (src) {
    const waits = !old.hasAttribute('async') && type !== 'module';
    if (waits) {
      s.async = false;
      done = new Promise((resolve) => {
        s.addEventListener('load', resolve, { once: true });
        s.addEventListener('error', resolve, { once: true });
      });
    }
    s.src = src;
  } else {
    s.textContent = old.textContent;
  }
  old.replaceWith(s);
  return done;
}

function activateMedia(el) {
  const src = el.getAttribute('data-src');
  el.setAttribute(DONE, '');
  el.removeAttribute('data-src');
  el.setAttribute('src', src);
}

export async function createBrowserInstance(engine, options) {
  const win = options.window || window;
  const doc = win.document;
  const listeners = { ready: new Set(), consent: new Set(), change: new Set(), error: new Set() };
  const languages = (explicit) => ({
    language: explicit || '',
    documentLanguage: doc.documentElement.lang || '',
    browserLanguages: Array.from(win.navigator.languages || []),
  });

  const request = (extra) => ({ cookieHeader: doc.cookie, now: Date.now(), gpc: win.navigator.globalPrivacyControl === true, ...extra });
  let start = engine.start(request(languages(options.language)));
  let current = start.state;

  function emit(name, detail) {
    for (const fn of listeners[name]) {
      try {
        fn(detail);
      } catch (err) {
        win.setTimeout(() => {
          throw err;
        });
      }
    }
    win.dispatchEvent(new win.CustomEvent(`kelisim:${name}`, { detail }));
  }

  /** Activates, in document order, every gated element the engine opens. */
  let activation = Promise.resolve();
  function activate(root = doc) {
    activation = activation.then(async () => {
      const els = Array.from(root.querySelectorAll(GATED)).filter((el) => !el.hasAttribute(DONE));
      if (!els.length) return;
      const open = engine.query(request({ gates: els.map(gateOf) })).gates;
      for (let i = 0; i < els.length; i++) {
        if (!open[i] || !els[i].isConnected) continue;
        if (els[i].localName === 'script') await activateScript(doc, els[i]);
        else activateMedia(els[i]);
      }
    });
    return activation;
  }

  function writeCookie(c) {
    let s = `${c.name}=${c.value}; Path=${c.path}; Max-Age=${c.maxAge}; SameSite=${c.sameSite}`;
    if (c.domain && c.domain !== 'auto') s += `; Domain=${c.domain}`;
    if (c.secure === 'true' || (c.secure === 'auto' && win.location.protocol === 'https:')) s += '; Secure';
    doc.cookie = s;
  }

  function pushConsentMode(update) {
    if (start.consentMode.enabled) gtagPush(win, 'consent', 'update', update);
  }

  function decideWith(method, preset, categories = [], services = []) {
    const answer = engine.decide(
      request({
        random: randomHex(),
        choice: { method, preset, categories, services },
        language: instance.language,
        url: win.location.href,
      }),
    );
    if (answer.unknown.length) win.console.warn(`kelisim: unknown categories or services ignored: ${answer.unknown.join(', ')}`);
    writeCookie(answer.cookie);
    current = answer.state;
    pushConsentMode(answer.consentMode.update);
    (win.dataLayer = win.dataLayer || []).push({ event: 'kelisim_consent', ...current });
    ui.hide();
    ui.showReopen();
    emit('consent', current);
    emit('change', { state: current, accepted: answer.changes.accepted, rejected: answer.changes.rejected });
    activate();
    return current;
  }

  const instance = {
    language: start.language,
    isAllowed: (name) => engine.query(request({ names: [String(name)] })).names[0],
    state: () => JSON.parse(JSON.stringify(current)),
    acceptAll: () => decideWith('api', 'accept-all'),
    rejectAll: () => decideWith('api', 'reject-all'),
    accept: (categories = [], services = []) => decideWith('api', 'custom', categories, services),
    allowService: (name) => decideWith('api', 'custom', [...current.categories, ...current.services, String(name)]),
    showBanner: () => ui.showBanner(),
    showPreferences: () => ui.showPreferences(),
    hide: () => ui.hide(),
    reset() {
      const c = start.cookie;
      const domain = c.domain && c.domain !== 'auto' ? `; Domain=${c.domain}` : '';
      doc.cookie = `${c.name}=; Path=${c.path}; Max-Age=0${domain}`;
      start = engine.start(request(languages(options.language)));
      current = start.state;
      ui.showBanner();
    },
    on(name, fn) {
      if (!listeners[name]) throw new KelisimError('invalid-argument', `kelisim: unknown event "${name}" (ready, consent, change, error)`);
      listeners[name].add(fn);
      return () => listeners[name].delete(fn);
    },
    setLanguage(lang) {
      const t = engine.texts(languages(String(lang)));
      instance.language = t.language;
      ui.setTexts(t);
    },
  };

  // Returning visitors get their Consent Mode update before any tag runs.
  if (current.decided) pushConsentMode(start.consentMode.update);

  const ui = createUI({ win, doc, start, enabled: options.ui !== false, actions: {
    acceptAll: () => decideWith('accept-all', 'accept-all'),
    rejectAll: () => decideWith('reject-all', 'reject-all'),
    save: (categories, services) => decideWith('custom', 'custom', categories, services),
    state: () => current,
  } });

  await activate();
  if (start.ask) ui.showBanner();
  else ui.showReopen();
  instance._emit = emit;
  return instance;
}
