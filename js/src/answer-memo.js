// A returning visitor's page start without the engine on its way. When the
// engine answers a page start with `memo` (a settled decision, and until when
// it holds), that answer is kept in localStorage with every input it was
// computed from. The next page start reuses it only when those inputs are the
// same again: this configuration text, this build of the engine, the values
// of the cookies the engine names (its own, and Cookiebot's CookieConsent with
// the Cookiebot layer) as the Cookie header carries them, the page's origin, HTTPS,
// Global Privacy Control, the tag's options and the language inputs; and only
// before the instant the engine named. The gates the page asked about are kept
// with the engine's answers to them; when the engine said the decision holds
// nothing (every service allowed), the guards' questions (URLs, cookies,
// cookie writes, storage keys) are answered "allowed" as it would; any other
// question goes to the engine. Nothing here decides: a miss, a
// garbled entry or another build simply calls the engine, and once the page is
// idle the engine answers the page start again (the cleanup of what services
// not allowed left, and a check that it answers what was reused).
//
// localStorage is writable by the page's own scripts, which can equally write
// the consent cookie: the entry's digest catches a damaged entry, not a page
// that forges both.
import { setOwnItem } from './guard-jar.js';

const KEY = 'kelisim:answer';

/** A 53-bit digest of a string (two 32-bit multiplicative hashes). */
export function digest(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

const storage = (win) => {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
};

/** The decision a request reads: every part of the Cookie header that mentions one of the engine's cookies (`names`), as written, and GPC. */
const decisionOf = (request, names) =>
  JSON.stringify([
    String(request.cookieHeader || '')
      .split(';')
      .filter((part) => names.some((name) => part.includes(name))),
    request.gpc,
  ]);
/** What a page-start request was computed from, besides the configuration and the time. */
const inputsOf = (request, names) =>
  JSON.stringify([
    decisionOf(request, names),
    request.origin,
    request.https,
    request.tag,
    request.language,
    request.documentLanguage,
    request.browserLanguages,
  ]);

/** The guards' questions: a decision that allows every service allows every one of them (the engine's `holdsNothing`). */
const GUARD_QUESTIONS = ['urls', 'cookies', 'storage', 'cookieWrites'];

const gateKey = (g) => `${g.category}\u0001${g.service}\u0001${g.cookieconsent}`;

/** The kept entry for this build and configuration, or null (none, another build or configuration, damaged). */
export function readMemo(win, buildId, configText) {
  const store = storage(win);
  const raw = (store && store.getItem(KEY)) || '';
  const cut = raw.indexOf('\n');
  const body = raw.slice(cut + 1);
  try {
    const m = cut > 0 && raw.slice(0, cut) === digest(body) && JSON.parse(body);
    const ok = m && m.build === buildId && Array.isArray(m.cookies) && m.config === digest(configText) && m.start && m.start.ask === null;
    return ok ? m : null;
  } catch {
    return null;
  }
}

/** At most this many pages' scripts are kept, and this many scripts of a page. */
const SCRIPT_PAGES = 20;
const SCRIPTS_PER_PAGE = 12;

/**
 * The engine as the runtime calls it, reusing `memo` (from readMemo, or null)
 * for the page start when its inputs match, and keeping what the engine
 * answers for the next page view. `load()` gives the real engine (called at
 * most once, when a question needs it), `warm()` (optional) prepares it
 * without the main thread; `idle(fn)` runs fn once the page is idle.
 */
export function reusingEngine(win, { buildId, configText, memo, load, warm, idle }) {
  let real = null;
  const engine = () => real || (real = load());
  let config = memo ? memo.config : null; // readMemo checked it against this text; else computed when first saved
  let reuse = memo; // only for the first page start
  // While the current decision may be reused: { cookies, until, inputs, start } as kept, and the decision it reads.
  let kept = null;
  let decision = '';
  let answers = new Map(); // the engine's answers to gates under that decision
  let holdsNothing = false;
  const asked = new Map(); // every gate this page asked about
  let saving = false;
  // The allowed gated scripts with a source that pages ran (path -> [{ src,
  // gate, crossorigin, integrity }]), most recent page first: the next view
  // of a page whose start reuses the kept decision asks for the ones the
  // engine allowed under it as soon as it starts (the preload scanner cannot
  // see a text/plain tag).
  const path = win.location.pathname;
  const scripts = new Map(memo && Array.isArray(memo.scripts) ? memo.scripts.filter((e) => Array.isArray(e) && e[0] !== path) : []);
  const previous = (memo && Array.isArray(memo.scripts) && memo.scripts.find((e) => Array.isArray(e) && e[0] === path)) || null;
  const here = [];
  let reused = false;

  function save() {
    if (saving) return;
    saving = true;
    idle(write);
    // A page left before then (a link followed at once) keeps it too.
    win.addEventListener('pagehide', write, { once: true });
  }
  function write() {
    if (!saving) return;
    saving = false;
    win.removeEventListener('pagehide', write);
    const store = kept && storage(win);
    config = config || digest(configText);
    const pages = [...(here.length ? [[path, here]] : previous ? [previous] : []), ...scripts].slice(0, SCRIPT_PAGES);
    const body = JSON.stringify({ ...kept, build: buildId, config, gates: Object.fromEntries(answers), scripts: pages });
    try {
      if (store) setOwnItem(store, KEY, `${digest(body)}\n${body}`);
    } catch {
      // Over quota: the next page start calls the engine.
    }
  }
  /** Whether a request reads the kept decision, before it expires. */
  const same = (request) => kept !== null && decisionOf(request, kept.cookies) === decision && request.now < kept.until;
  /** Notes the gates asked about, and keeps the engine's answers given under the kept decision. */
  function note(request, open) {
    const gates = request.gates || [];
    const keep = same(request) && gates.length > 0;
    gates.forEach((g, i) => {
      asked.set(gateKey(g), g);
      if (keep) answers.set(gateKey(g), open[i] === true);
    });
    if (keep) save();
  }
  function keep(request, m, start, gates) {
    kept = m && { cookies: m.cookies, until: m.until, inputs: inputsOf(request, m.cookies), start };
    // The engine's word, in the page start it answered: this decision holds no URL, cookie or storage key.
    holdsNothing = Boolean(kept && start && start.memo && start.memo.holdsNothing === true);
    decision = m ? decisionOf(request, m.cookies) : '';
    answers = new Map(gates);
  }

  return {
    start(request) {
      const m = reuse;
      reuse = null;
      const gates = request.gates || [];
      const known = m && m.gates && gates.every((g) => typeof m.gates[gateKey(g)] === 'boolean');
      // Cookiebot's opt-in/opt-out elements already in the page are questions of this page alone.
      const classes = (request.cookiebotClasses || []).length > 0;
      // The kept answer, when every input is the same, it has not expired, and it answered each gate asked.
      if (known && !classes && request.previous === undefined && request.now < m.until && inputsOf(request, m.cookies) === m.inputs) {
        keep(
          request,
          m,
          m.start,
          Object.entries(m.gates).filter((e) => typeof e[1] === 'boolean'),
        );
        for (const g of gates) asked.set(gateKey(g), g);
        reused = true;
        return { ...m.start, gates: gates.map((g) => m.gates[gateKey(g)]), reused: true };
      }
      const answer = engine().start(request);
      // Without what belongs to this page view alone: its answers to questions, and its cleanup.
      const { gates: _g, urls, cookies, storage: _s, names, cookieWrites, cleanup, cookiebotClasses, ...start } = answer;
      start.cleanup = { cookies: [], localStorage: [], sessionStorage: [] };
      keep(request, answer.memo, start, []);
      note(request, answer.gates || []);
      if (kept) save();
      return answer;
    },
    query(request) {
      const gates = request.gates || [];
      const kinds = Object.keys(request).filter((k) => Array.isArray(request[k]));
      // Gates the engine answered under the kept decision, and the guards'
      // questions when the engine said that decision holds none of them.
      const answered = (k) => k === 'gates' || (holdsNothing && GUARD_QUESTIONS.includes(k));
      if (!real && same(request) && kinds.every(answered) && gates.every((g) => answers.has(gateKey(g)))) {
        for (const g of gates) asked.set(gateKey(g), g);
        const out = { gates: gates.map((g) => answers.get(gateKey(g))) };
        for (const k of kinds) if (k !== 'gates') out[k] = request[k].map(() => true);
        return out;
      }
      const answer = engine().query(request);
      note(request, answer.gates || []);
      return answer;
    },
    decide(request) {
      const answer = engine().decide(request);
      keep(null, null, null, []); // the next page start is prepared from the engine (prepare)
      for (const g of request.gates || []) asked.set(gateKey(g), g);
      return answer;
    },
    texts: (request) => engine().texts(request),
    /** Engine.rehearse, when the engine is up (never loaded for it). */
    rehearse: (fn, request) => real && real.rehearse(fn, request),
    /** Makes the engine's first load cheaper (its compiling done off the main thread); resolves when done. */
    warm: () => (real || !warm ? Promise.resolve() : warm()),
    /**
     * The scripts this page ran on its last view whose gate the engine
     * allowed under the kept decision this page start reused (none
     * otherwise): { src, gate, crossorigin, integrity }.
     */
    preloads() {
      if (!reused || !previous || !Array.isArray(previous[1])) return [];
      return previous[1].filter((s) => s && typeof s.src === 'string' && s.gate && answers.get(gateKey(s.gate)) === true);
    },
    /** An allowed gated script with a source this page runs (kept for its next view). */
    ran(script) {
      if (here.length >= SCRIPTS_PER_PAGE || here.some((s) => s.src === script.src)) return;
      here.push(script);
      if (kept) save();
    },
    /** Every gate this page asked about, for a page start that answers them all. */
    asked: () => [...asked.values()],
    /** Answers a page start with the engine, for the next page view (after a decision). */
    prepare(request) {
      this.start(request);
    },
  };
}
