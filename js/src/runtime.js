// The browser side of kelisim: reads and writes cookies, activates gated
// elements, renders the UI, fires events and signals. Every consent question
// goes to the engine (one batched call per event); nothing here decides what
// is allowed.
import { randomHex } from './engine.js';
import { KelisimError, reportError } from './errors.js';
import { gtagPush, pushConsentDefault } from './consent-default.js';
import { DONE } from './guards.js';
import { presentKeys, probeDomain, removeAll, storageKeys } from './cookies.js';
import { createReceipts } from './receipts.js';
import { linkTabs } from './crosstab.js';
import { connectCookiebot } from './cookiebot.js';
import { createGates, gateOf, preloadScripts } from './gates.js';
import { createEvents } from './events.js';
import { createTextsTable } from './texts-table.js';
import { NO_UI, lazyUI } from './ui-lazy.js';

/**
 * Starts kelisim on a page with the engine up: synchronous, so that a script
 * right after kelisim's tag already sees the visitor's decision. The UI
 * (`options.loadUI`) arrives when something is to be shown.
 */
/** The longest a returning visitor's reopen button and the kept answer's check wait for the page's load event. */
const LOAD_WAIT_MS = 3000;

export function createBrowserInstance(engine, options) {
  const win = options.window;
  const doc = win.document;
  const guards = options.guards;
  const events = createEvents(win, () => instance.state());
  const emit = events.emit;
  // What is not on the way to the banner or the page's own scripts waits for an idle moment.
  const idle = (fn) => (win.requestIdleCallback ? win.requestIdleCallback(fn, { timeout: 1000 }) : win.setTimeout(fn, 50));
  // What a returning visitor's page does not need while it loads (the reopen
  // button, the engine's own check of a kept answer) waits for the page's load
  // event: an idle moment between two chunks of the parse would hold up the
  // scripts the visitor allowed, which arrive then (the reopen button's UI and
  // texts, 20-25 ms, ran before the analytics script in two rounds of three).
  // Not longer than LOAD_WAIT_MS: a page whose load never ends (a stalled
  // image, a long poll) still gets them.
  const afterLoad = (fn) => (doc.readyState === 'complete' ? idle(fn) : win.addEventListener('load', idleOnce(fn), { once: true }));
  /** A function that schedules `fn` for an idle moment the first time it is called, or LOAD_WAIT_MS from now. */
  function idleOnce(fn) {
    let started = false;
    const go = () => {
      if (!started) idle(fn);
      started = true;
    };
    win.setTimeout(go, LOAD_WAIT_MS);
    return go;
  }

  const languages = (explicit) => ({
    language: explicit || '',
    documentLanguage: doc.documentElement.lang || '',
    browserLanguages: Array.from(win.navigator.languages || []),
  });
  // A decision another tab sent, until this tab's cookies show it (see crosstab.js).
  let sentCookie = '';
  const cookieHeader = () => {
    const jar = doc.cookie;
    if (sentCookie && jar.split(/;\s*/).includes(sentCookie)) sentCookie = '';
    return sentCookie ? `${sentCookie}; ${jar}` : jar; // on a tie the engine keeps the first: the one sent
  };
  const request = (extra) => ({
    cookieHeader: cookieHeader(),
    now: Date.now(),
    gpc: win.navigator.globalPrivacyControl === true,
    https: win.location.protocol === 'https:',
    ...extra,
  });
  const query = (question, list) => (list.length ? engine.query(request({ [question]: list }))[question] : []);

  // --- gated elements (gates.js) -------------------------------------------
  const gates = createGates({
    win,
    doc,
    ask: (list) => query('gates', list),
    placeholders: { place: (el, info) => ui.placeholder(el, info), remove: (el) => ui.removePlaceholder(el) },
    allow: (gate) => decideWith('custom', { allow: gate }),
    nonce: options.nonce,
    ran: (script) => engine.ran && engine.ran(script),
    shadowRoots: () => guards.shadowRoots(),
  });

  // Page start is one engine call: the stored decision and the gates already in the page.
  gates.collectAll();
  const initial = gates.takeReady();
  const opening = request(languages(options.language)); // document.cookie read once: each read may be a round trip to the browser
  let readHeader = opening.cookieHeader; // the cookies the engine last read the decision from
  // With window.Cookiebot made in advance, its opt-in/opt-out elements are asked about in the same call.
  const cookiebotQuestions = () => (cookiebot ? cookiebot.questions() : {});
  // `latest`: the engine's latest page-level answer (the start, then each re-read after a decision elsewhere).
  let latest = engine.start({
    ...opening,
    gates: initial.map(gateOf),
    tag: options.tag || null,
    origin: win.location.origin, // a service may name the site's own host
    // Read only when the engine is asked (an answer kept from an earlier page view needs no storage keys).
    get present() {
      return presentKeys(win);
    },
    ...(options.cookiebot ? options.cookiebot.questions() : {}),
  });
  const startAnswer = latest;
  // A kept decision started the page: what it ran last time and the engine allowed, asked for now.
  if (latest.reused && engine.preloads) preloadScripts(doc, engine.preloads(), options.nonce);
  /** A page start as the engine is asked it again (the same inputs as the first), with every gate the page asked about. */
  const pageStart = () =>
    request({
      ...languages(options.language),
      gates: engine.asked ? engine.asked() : [],
      tag: options.tag || null,
      origin: win.location.origin,
      present: presentKeys(win),
    });
  // Every page view: what a server or a tag set again for a service not allowed goes.
  removeAll(win, guards.setCookie, latest.cleanup);
  for (const w of latest.warnings) win.console.warn(`kelisim: configuration ${w.path}: ${w.message}`);
  let current = latest.state;
  let allowed = latest.allowed;
  if (options.pushDefault) pushConsentDefault(win, latest.consentMode);
  const debug = (...args) => latest.debug && win.console.info('kelisim:', ...args);
  debug('start', latest.ask || 'decided', latest.invalid ? `(stored value: ${latest.invalid})` : '');

  // "auto": the registrable domain, found by probing with cookie writes, once
  // a cookie is to be written (a page view that writes none pays nothing).
  const domainSetting = latest.cookie.domain;
  let probed;
  const domainOf = () => (domainSetting === 'auto' ? (probed = probed ?? probeDomain(win, guards.setCookie)) : domainSetting);
  const receipts = createReceipts(win, latest.receipts.endpoint);

  function pushConsent(update) {
    if (latest.consentMode.enabled) gtagPush(win, 'consent', 'update', update);
  }

  // --- decisions ------------------------------------------------------------
  function applyState(answer, accepted, rejected) {
    const next = answer.state;
    const consentUpdate = answer.consentMode.update;
    current = next;
    allowed = answer.allowed;
    pushConsent(consentUpdate);
    (win.dataLayer = win.dataLayer || []).push({ event: 'kelisim_consent', ...current, accepted, rejected });
    if (cookiebot) cookiebot.refresh(answer.cookiebot, answer.cookiebotClasses);
  }

  function writeConsentCookie(c) {
    const cookieDomain = domainOf();
    if (cookieDomain) guards.setCookie(`${c.name}=; Path=${c.path}; Max-Age=0`); // no stale host-only copy
    guards.setCookie(`${c.name}=${c.value}; ${c.attributes}${cookieDomain ? `; Domain=${cookieDomain}` : ''}`);
  }

  /**
   * One engine call per decision: the choice, and the questions that follow
   * from it (the page's waiting gates, the URLs the guards hold).
   * `choice`: { preset, categories, services } or { allow: gate }.
   */
  function decideWith(method, choice) {
    gates.collectAll();
    const waiting = gates.takeReady();
    const held = guards.held();
    const answer = engine.decide(
      request({
        random: randomHex(),
        choice: choice.allow
          ? { method, allow: choice.allow }
          : {
              method,
              preset: choice.preset,
              categories: (choice.categories || []).map(String),
              services: (choice.services || []).map(String),
            },
        present: presentKeys(win),
        language: instance.language,
        url: win.location.href,
        gates: waiting.map(gateOf),
        urls: held.urls,
        ...cookiebotQuestions(),
      }),
    );
    if (answer.unknown.length) win.console.warn(`kelisim: unknown categories or services ignored: ${answer.unknown.join(', ')}`);
    sentCookie = '';
    writeConsentCookie(answer.cookie);
    removeAll(win, guards.setCookie, answer.cleanup);
    latest = { ...latest, ask: null };
    applyState(answer, answer.changes.accepted, answer.changes.rejected);
    // What is now allowed starts downloading first; the rest of this work
    // (the UI, the receipt, other tabs, listeners) is done while it loads.
    // Nothing it starts runs before this task ends.
    const ran = answer.reload ? null : (held.release(answer.urls), gates.apply(waiting, answer.gates));
    // What follows the decision unseen (the closed banner's node, the reopen
    // button, the next page start) waits until the scripts it allowed have
    // run: an idle moment before they arrive would hold them up (over
    // loopback, or from the HTTP cache, they arrive within 10 ms, and the
    // reopen button's layout and paint came first). Not longer than
    // LOAD_WAIT_MS: a script whose server never answers.
    const afterRan = (fn) => {
      const go = idleOnce(fn);
      Promise.resolve(ran).then(go, go);
    };
    readHeader = doc.cookie; // after the write: a round trip to the browser
    ui.decided(afterRan);
    receipts.send(answer.receipt).catch(() => {});
    linked().announce(`${answer.cookie.name}=${answer.cookie.value}`);
    emit('consent', instance.state());
    emit('change', { state: instance.state(), accepted: answer.changes.accepted, rejected: answer.changes.rejected });
    // The next page start, answered now that the engine is up, so that it need not wait for it.
    if (engine.prepare && answer.memo) afterRan(() => engine.prepare(pageStart()));
    if (answer.reload) win.location.reload();
    else if (cookiebot) cookiebot.decided(ran);
    return instance.state();
  }

  /** Another tab decided: read the shared cookie again and apply what changed here. */
  function onRemoteDecision(sent) {
    const previous = readHeader;
    // This tab's cookies may not show the other tab's write yet: the engine
    // takes the most recent decision of the two.
    sentCookie = sent || '';
    readHeader = cookieHeader();
    latest = engine.start(
      request({
        ...languages(instance.language),
        previous,
        present: presentKeys(win),
        ...cookiebotQuestions(),
      }),
    );
    const next = latest.state;
    const { accepted, rejected } = latest.changes;
    if (!accepted.length && !rejected.length && next.decided === current.decided && next.updated === current.updated) return; // nothing new here
    removeAll(win, guards.setCookie, latest.cleanup); // the other tab deleted the shared ones; a tag here may have set them again
    applyState(latest, accepted, rejected);
    if (next.decided) ui.decided();
    emit('change', { state: instance.state(), accepted, rejected });
    guards.release();
    const ran = gates.rescan();
    if (cookiebot) cookiebot.decided(ran);
  }

  // --- built-in texts (texts-table.js) -------------------------------------
  const texts = createTextsTable(engine, options);
  const withTable = texts.withTable;
  /** Before the UI renders: the texts it starts with, so that its sync calls find the table loaded. */
  const prepareTexts = () =>
    texts.answer(request(languages(instance.language)), latest.texts ? '' : latest.needTexts).then(
      (answer) => {
        // Into the same answer: confirmStart tells a new answer (a decision, a reset) by its identity.
        if (!latest.texts) Object.assign(latest, answer);
      },
      (err) => {
        throw reportError(win, err);
      },
    );

  const instance = {
    language: latest.language,
    isAllowed: (name) => Object.prototype.hasOwnProperty.call(allowed, String(name)) && allowed[String(name)] === true,
    state: () => JSON.parse(JSON.stringify(current)),
    acceptAll: () => decideWith('api', { preset: 'accept-all' }),
    rejectAll: () => decideWith('api', { preset: 'reject-all' }),
    accept: (categories = [], services = []) =>
      decideWith('api', { preset: 'custom', categories: Array.from(categories), services: Array.from(services) }),
    allowService: (name) => decideWith('api', { allow: { service: String(name) } }),
    showBanner: () => ui.showBanner(),
    showPreferences: () => ui.showPreferences(),
    hide: () => ui.hide(),
    reset() {
      const c = latest.cookie;
      guards.setCookie(`${c.name}=; Path=${c.path}; Max-Age=0`);
      const cookieDomain = domainOf();
      if (cookieDomain) guards.setCookie(`${c.name}=; Path=${c.path}; Max-Age=0; Domain=${cookieDomain}`);
      sentCookie = '';
      readHeader = doc.cookie;
      latest = engine.start(withTable(request({ ...languages(instance.language), origin: win.location.origin, ...cookiebotQuestions() })));
      applyState(latest, [], []);
      ui.showBanner();
    },
    on: events.on,
    setLanguage(lang) {
      // At once when the table is at hand; otherwise once its file has arrived.
      const apply = (t) => {
        instance.language = t.language;
        ui.setTexts(t);
      };
      const now = engine.texts(withTable(languages(String(lang))));
      if (!now.needTexts) return Promise.resolve(apply(now));
      return texts.answer(languages(String(lang))).then(apply, (err) => {
        throw reportError(win, err);
      });
    },
    _emit(name, detail) {
      emit(name, detail);
      if (name === 'ready' && cookiebot) cookiebot.ready(); // Cookiebot's page-view events, once the document is parsed
    },
  };

  const actions = {
    acceptAll: () => decideWith('accept-all', { preset: 'accept-all' }),
    rejectAll: () => decideWith('reject-all', { preset: 'reject-all' }),
    save: (categories, services) => decideWith('custom', { preset: 'custom', categories, services }),
    placeholder: (gate) => engine.texts(withTable(request({ ...languages(instance.language), placeholders: [gate] }))).placeholders[0],
    state: () => current,
    setLanguage: (lang) => instance.setLanguage(lang).catch(() => {}), // reported by setLanguage
    texts: () => engine.texts(withTable(request(languages(instance.language)))),
  };
  const ui =
    options.ui === false
      ? NO_UI
      : lazyUI(
          () => Promise.all([options.loadUI(), prepareTexts()]).then(([createUI]) => createUI),
          (createUI) => createUI({ win, doc, start: latest, enabled: true, actions }),
        );
  // Any element with data-kelisim-open ("preferences" or "banner"), e.g. a footer link: the UI loads on first use.
  doc.addEventListener('click', (e) => {
    const trigger = e.target.closest && e.target.closest('[data-kelisim-open]');
    if (!trigger || options.ui === false) return;
    e.preventDefault();
    if (trigger.getAttribute('data-kelisim-open') === 'banner') ui.showBanner();
    else ui.showPreferences(trigger);
  });
  // Other tabs' decisions. Opening the channel is a round trip to the browser
  // (5 ms on a busy page): it waits for an idle moment, or for this tab's own
  // first decision, and a decision another tab made before then is read from
  // the consent cookie when it opens.
  let tabs = null;
  const linked = () => (tabs = tabs || linkTabs(win, onRemoteDecision));
  // compat.cookiebot: window.Cookiebot (made in advance by kelisim.js when the tag asked for it) follows the engine.
  const cookiebot = connectCookiebot(win, options.cookiebot, latest, {
    instance,
    setCookie: guards.setCookie,
    cookie: latest.cookie,
    get cookieDomain() {
      return domainOf();
    },
    classes: (list) => query('cookiebotClasses', list),
    settle: () => gates.settle(),
    rescan: () => gates.rescan(),
  });

  // The engine was not up for the default (the fallback was pushed): the
  // configuration's settings follow now, still before any gated tag runs.
  if (!options.pushDefault && latest.consentMode.enabled) {
    if (latest.consentMode.adsDataRedaction) gtagPush(win, 'set', 'ads_data_redaction', true);
    if (latest.consentMode.urlPassthrough) gtagPush(win, 'set', 'url_passthrough', true);
  }
  // Consent Mode's update is in dataLayer before any tag it allows can run.
  if (current.decided) pushConsent(latest.consentMode.update);
  guards.ready({
    // Which URLs and cookie writes the engine must be asked about (the rest it allows whatever the decision).
    urlScope: latest.blocking.urls,
    cookieScope: latest.blocking.cookies,
    debug: latest.debug,
    urls: (urls) => query('urls', urls),
    cookieWrites: (writes) => query('cookieWrites', writes),
    storage: (keys) => query('storage', keys),
  });
  guards.onAdded((roots) => {
    for (const n of roots) gates.collect(n);
    gates.schedule();
  });
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', () => gates.settle());

  const firstRun = gates.apply(initial, latest.gates); // not awaited: a slow tag must not delay kelisimReady
  gates.rescan(); // anything added since the start call
  // An answer kept from an earlier page view started this page: once the page
  // has loaded, the engine answers the page start itself (what services not
  // allowed left behind goes), and from then on its answer is the page's.
  // In idle moments, none of them long: the engine compiled off the main
  // thread, then instantiated and given the configuration (engine.warm), this
  // page's session storage opened (a round trip to the browser), then the
  // engine's own page start.
  if (latest.reused)
    afterLoad(() =>
      Promise.resolve()
        .then(() => engine.warm && engine.warm())
        .catch(() => {}) // not compiled ahead: the engine compiles when asked, and reports there
        .then(() =>
          idle(() => {
            storageKeys(win, 'sessionStorage');
            idle(confirmStart);
          }),
        ),
    );
  idle(() => {
    if (tabs) return;
    linked();
    const consentPair = (header) =>
      String(header)
        .split(/;\s*/)
        .filter((p) => p.startsWith(`${latest.cookie.name}=`))
        .join('; ');
    if (consentPair(cookieHeader()) !== consentPair(readHeader)) onRemoteDecision('');
  });
  function confirmStart() {
    if (latest !== startAnswer) return; // a decision, another tab's or a reset has asked the engine since
    let real;
    try {
      real = engine.start(pageStart());
    } catch (err) {
      reportError(win, err); // once: an engine that could not load was reported where it failed
      return;
    }
    removeAll(win, guards.setCookie, real.cleanup);
    const holds = (a) => Boolean(a.memo && a.memo.holdsNothing);
    const same = JSON.stringify([real.state, real.allowed, holds(real)]) === JSON.stringify([latest.state, latest.allowed, holds(latest)]);
    latest = real;
    if (same) return;
    reportError(
      win,
      new KelisimError(
        'reuse-mismatch',
        "kelisim: the answer kept from an earlier page view is not the engine's: the engine's applies now",
      ),
    );
    applyState(real, [], []);
    guards.release();
    gates.rescan();
    if (real.ask) ui.showBanner();
  }
  // The banner is on the critical path; a returning visitor's reopen button is not.
  if (latest.ask) ui.showBanner();
  else if (latest.ui.reopenButton) afterLoad(() => current.decided && ui.showReopen()); // no UI to load when there is no button
  // kelisimReady waits for the banner when there is one to show.
  instance._shown = latest.ask ? ui.ready() : Promise.resolve();
  // A visitor who is asked will decide: the engine's decision is rehearsed
  // once the banner is up and the page idle (its answer discarded), so that
  // the click does not wait for the browser to compile the engine's code for
  // it (it compiles each function when it first runs: 3-9 ms for a first
  // decision, then 0.5).
  if (latest.ask && engine.rehearse)
    instance._shown.then(
      () =>
        idle(() =>
          engine.rehearse(
            '_decide',
            request({
              random: '0'.repeat(32),
              choice: { method: 'accept-all', preset: 'accept-all', categories: [], services: [] },
              present: { localStorage: [], sessionStorage: [] },
              language: instance.language,
              url: win.location.href,
              gates: [],
              urls: [],
            }),
          ),
        ),
      () => {}, // a banner that could not be shown was reported once
    );
  // Undelivered receipts from earlier visits, once the page is idle.
  (win.requestIdleCallback || win.setTimeout)(() => receipts.retry().catch(() => {}));
  firstRun.catch(() => {});
  return instance;
}
