// Requests that page scripts make themselves: fetch, fetchLater,
// XMLHttpRequest, sendBeacon, WebSocket, EventSource, WebTransport, <a ping>, form
// submissions and window.open. A request to a host of a service that is not allowed (the
// engine's `urls` answer) fails as a network failure would; one outside the
// scope the engine names (the site's own origin, unless a service names its
// host) goes through untouched, as does one to a host no service names. Until
// the engine has answered, cross-origin requests wait for it (what cannot
// wait is said where it happens); when it never will (fail()), they fail:
// nothing that needs consent runs.
import { keepNativeFetch } from './own-fetch.js';
import { asked } from './guard-elements.js';

const PASS = 0;
const BLOCK = 1;
const WAIT = 2;

export function installNetworkGuard(top) {
  const origin = top.location.origin;
  /** null until the engine answers: then { urlScope, urls(list) -> bool[] } (see `asked` in guard-elements.js) */
  let decider = null;
  let failed = false;
  let settle;
  const answered = new Promise((resolve) => (settle = resolve));
  // The engine's answer per host, for the current task (or until a decision).
  const hosts = new Map();
  let forgetting = false;
  const forget = () => {
    hosts.clear();
    forgetting = false;
  };
  const beacons = [];

  /** PASS, BLOCK or WAIT for a URL (relative to `base`). */
  function verdict(url, base) {
    let u;
    try {
      u = new URL(url, base);
    } catch {
      return PASS; // the browser reports its own error for a URL it cannot parse
    }
    if (!asked(decider && !failed && decider.urlScope, u, origin)) return PASS;
    if (failed) return BLOCK;
    if (!decider) return WAIT;
    let ok = hosts.get(u.host);
    if (ok === undefined) {
      ok = decider.urls([u.href])[0];
      hosts.set(u.host, ok);
      if (!forgetting) {
        forgetting = true;
        top.setTimeout(forget);
      }
    }
    return ok ? PASS : BLOCK;
  }
  /** Runs `fn(verdict)` now when the answer is known, else once the engine has answered. */
  const whenKnown = (url, base, fn) => {
    const v = verdict(url, base);
    return v === WAIT ? answered.then(() => fn(verdict(url, base))) : fn(v);
  };

  const installed = new WeakSet();
  /** Guards one realm (the page, or a same-origin frame) with the page's engine. */
  function realm(win) {
    if (!win || installed.has(win.XMLHttpRequest.prototype)) return;
    installed.add(win.XMLHttpRequest.prototype);
    const doc = win.document;
    const base = () => doc.baseURI;
    const networkError = () => new win.TypeError('Failed to fetch');
    // What a request goes to: a Request's URL (of any realm: the getter checks
    // the brand), else the text, read once and handed on as read (an object
    // could answer toString differently the second time).
    const requestUrl = Object.getOwnPropertyDescriptor(win.Request.prototype, 'url').get;
    const requestOf = (input) => {
      if (input !== null && typeof input === 'object') {
        try {
          return [requestUrl.call(input), input];
        } catch {
          // not a Request: its text, as for any other value
        }
      }
      const url = String(input);
      return [url, url];
    };

    const fetch = win.fetch;
    if (win === top) keepNativeFetch(fetch);
    win.fetch = function kelisimFetch(input, init) {
      const [url, what] = requestOf(input);
      return whenKnown(url, base(), (v) => (v === PASS ? fetch.call(this, what, init) : Promise.reject(networkError())));
    };

    // fetchLater (a request the browser sends later, at the latest when the
    // page goes): a refused one is never sent; one that must wait for the
    // engine is handed to the browser once allowed. Its result says
    // `activated: false`, as for one not sent yet.
    const fetchLater = win.fetchLater;
    if (fetchLater) {
      win.fetchLater = function kelisimFetchLater(input, init) {
        const [url, what] = requestOf(input);
        const v = verdict(url, base());
        if (v === PASS) return fetchLater.call(this, what, init);
        if (v === WAIT) answered.then(() => verdict(url, base()) === PASS && fetchLater.call(this, what, init));
        return Object.create(win.FetchLaterResult.prototype, { activated: { value: false, enumerable: true } });
      };
    }

    // XMLHttpRequest: a refused request ends as the browser ends a network
    // error (readyState 4, status 0, readystatechange, error, loadend; abort()
    // while it waits: abort instead of error), without any request. (Sending
    // it on to a dead URL would do the same natively, but any URL is subject
    // to the page's CSP connect-src and would report a violation.)
    const xhr = win.XMLHttpRequest.prototype;
    const { open, send } = xhr;
    const opened = new WeakMap();
    const waiting = new WeakSet();
    const DONE = { readyState: 4, status: 0, statusText: '', responseURL: '', responseText: '', responseXML: null, response: '' };
    const shadow = (x, key, value) => Object.defineProperty(x, key, { value, configurable: true });
    function end(x, aborted) {
      waiting.delete(x);
      for (const key of Object.keys(DONE)) shadow(x, key, DONE[key]);
      if (x.responseType !== '' && x.responseType !== 'text') shadow(x, 'response', null);
      x.dispatchEvent(new win.Event('readystatechange'));
      x.dispatchEvent(new win.ProgressEvent(aborted ? 'abort' : 'error'));
      x.dispatchEvent(new win.ProgressEvent('loadend'));
      if (aborted) shadow(x, 'readyState', 0);
    }
    xhr.open = function kelisimOpen(method, url, ...rest) {
      const o = { url: String(url), async: rest.length === 0 || Boolean(rest[0]) };
      opened.set(this, o);
      waiting.delete(this);
      for (const key of Object.keys(DONE)) delete this[key];
      return open.call(this, method, o.url, ...rest);
    };
    xhr.send = function kelisimSend(body) {
      const o = opened.get(this);
      const v = o ? verdict(o.url, base()) : PASS;
      if (v === PASS) return send.call(this, body);
      // A synchronous request cannot wait: it fails as the browser fails one.
      if (!o.async) throw new win.DOMException(`Failed to load '${o.url}'.`, 'NetworkError');
      waiting.add(this);
      const then = () => {
        if (!waiting.has(this) || opened.get(this) !== o) return; // aborted or opened again meanwhile
        waiting.delete(this);
        if (verdict(o.url, base()) === PASS) send.call(this, body);
        else end(this, false);
      };
      if (v === BLOCK) win.setTimeout(then);
      else answered.then(then);
      return undefined;
    };
    const abort = xhr.abort;
    xhr.abort = function kelisimAbort() {
      if (waiting.has(this)) end(this, true); // the caller thinks it is in flight: it ends as an aborted one
      return abort.call(this);
    };

    // sendBeacon answers at once: a beacon is only queued, the browser sends it
    // later. Before the engine answers it is queued here (true), sent if the
    // answer allows it and dropped if not; a refused one is not queued (false).
    const nav = win.Navigator.prototype;
    const beacon = nav.sendBeacon;
    if (beacon) {
      nav.sendBeacon = function kelisimSendBeacon(input, data) {
        const url = String(input);
        const v = verdict(url, base());
        if (v === PASS) return beacon.call(this, url, data);
        if (v === WAIT) beacons.push(() => verdict(url, base()) === PASS && beacon.call(this, url, data));
        return v === WAIT;
      };
    }

    guardSocket(win, 'WebSocket', ['open', 'message', 'error', 'close'], base);
    guardSocket(win, 'EventSource', ['open', 'message', 'error'], base);
    guardTransport(win, base);

    // A popup must open within the visitor's click, which cannot wait for the
    // engine: before its answer one for another host is refused (null), as a
    // popup blocker refuses it.
    const windowOpen = win.open;
    win.open = function kelisimOpen(input, ...rest) {
      const url = input === undefined ? input : String(input);
      if (url && verdict(url, base()) !== PASS) return null;
      return windowOpen.call(this, url, ...rest);
    };

    // <a ping>: the pings of hosts not allowed (or not known yet: a ping cannot
    // wait) are taken off for this click; the link itself works.
    const getAttribute = win.Element.prototype.getAttribute;
    const setAttribute = win.Element.prototype.setAttribute;
    function onClick(e) {
      for (const el of e.composedPath()) {
        if (el.nodeType !== 1 || (el.localName !== 'a' && el.localName !== 'area') || !el.hasAttribute('ping')) continue;
        const ping = getAttribute.call(el, 'ping');
        const keep = ping.split(/\s+/).filter((u) => u && verdict(u, base()) === PASS);
        if (keep.join(' ') === ping.trim()) return;
        setAttribute.call(el, 'ping', keep.join(' '));
        win.setTimeout(() => setAttribute.call(el, 'ping', ping)); // the markup is the page's
        return;
      }
    }

    // Forms: a submission to a host not allowed does not navigate; one that
    // must wait for the engine is made again once it allows it.
    const form = win.HTMLFormElement.prototype;
    const submit = form.submit;
    const action = Object.getOwnPropertyDescriptor(form, 'action').get;
    const formTarget = (f, by) => {
      const method = ((by && getAttribute.call(by, 'formmethod')) || getAttribute.call(f, 'method') || '').toLowerCase();
      if (method === 'dialog') return '';
      return by && by.hasAttribute('formaction') ? by.formAction : action.call(f);
    };
    form.submit = function kelisimSubmit() {
      whenKnown(formTarget(this), base(), (v) => v === PASS && submit.call(this));
    };
    function onSubmit(e) {
      const f = e.target;
      if (e.defaultPrevented || !(f instanceof win.HTMLFormElement)) return;
      const by = e.submitter;
      const url = formTarget(f, by);
      const v = verdict(url, base());
      if (v === PASS) return;
      e.preventDefault();
      if (v === WAIT) {
        answered.then(() => {
          if (verdict(url, base()) !== PASS || !f.isConnected) return;
          try {
            f.requestSubmit(by && by.form === f ? by : undefined);
          } catch {
            submit.call(f);
          }
        });
      }
    }
    // Capture runs first; bubbling sees what page handlers changed (unless they stopped it).
    for (const capture of [true, false]) {
      win.addEventListener('click', onClick, capture);
      win.addEventListener('submit', onSubmit, capture);
    }
  }

  /**
   * WebSocket and EventSource: one that may connect is the browser's own; one
   * that must wait for the engine (or is refused) is a stand-in with the same
   * prototype that becomes the real connection's mirror once allowed, or fails
   * as an unreachable server does (error, then close).
   */
  function guardSocket(win, name, events, base) {
    const Native = win[name];
    if (!Native) return;
    const proto = Native.prototype;
    function Guarded(input, ...rest) {
      if (!new.target) return Native(input, ...rest); // the browser's own TypeError
      const url = String(input);
      const v = verdict(url, base());
      if (v === PASS) return Reflect.construct(Native, [url, ...rest], new.target);
      return standIn(url, rest, v);
    }
    replace(win, name, Guarded);

    function standIn(url, rest, v) {
      const t = new win.EventTarget();
      Object.setPrototypeOf(t, proto);
      let real = null;
      const state = { url: new URL(url, base()).href, readyState: 0, binaryType: 'blob', withCredentials: false };
      const handlers = {};
      for (const type of events) {
        t.addEventListener(type, (e) => handlers[type] && handlers[type].call(t, e));
        Object.defineProperty(t, `on${type}`, {
          get: () => handlers[type] || null,
          set: (fn) => (handlers[type] = typeof fn === 'function' ? fn : null),
        });
      }
      for (const key of Object.getOwnPropertyNames(proto)) {
        const d = Object.getOwnPropertyDescriptor(proto, key);
        if (!d.get || key.startsWith('on')) continue;
        Object.defineProperty(t, key, {
          get: () => (real ? real[key] : key in state ? state[key] : key === 'bufferedAmount' ? 0 : ''),
          set: d.set && ((value) => (real ? (real[key] = value) : (state[key] = value))),
        });
      }
      const closed = name === 'WebSocket' ? 3 : 2;
      const failNow = () => {
        if (real || state.readyState === closed) return;
        state.readyState = closed;
        t.dispatchEvent(new win.Event('error'));
        if (name === 'WebSocket') t.dispatchEvent(new win.CloseEvent('close', { code: 1006, wasClean: false }));
      };
      t.close = (...args) => (real ? real.close(...args) : win.setTimeout(failNow));
      if (name === 'WebSocket') {
        t.send = (data) => {
          if (real) return real.send(data);
          throw new win.DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
        };
      }
      const connect = (verdictNow) => {
        if (state.readyState === closed) return;
        if (verdictNow !== PASS) return failNow();
        real = new Native(url, ...rest);
        if ('binaryType' in state && name === 'WebSocket') real.binaryType = state.binaryType;
        for (const type of events) real.addEventListener(type, (e) => t.dispatchEvent(new e.constructor(e.type, e)));
      };
      if (v === BLOCK) win.setTimeout(failNow);
      else answered.then(() => connect(verdict(url, base())));
      return t;
    }
  }

  /**
   * WebTransport (secure contexts only): one that may connect is the
   * browser's own. One refused, or asked for before the engine has answered
   * (a session's streams cannot be handed over later as a socket's messages
   * are), never opens, as one whose server cannot be reached: `ready` and
   * `closed` reject, its streams error, nothing is sent.
   */
  function guardTransport(win, base) {
    const Native = win.WebTransport;
    if (!Native) return;
    const message = 'Opening handshake failed.';
    const error = () => {
      try {
        return new win.WebTransportError({ message }); // Chromium's constructor takes one dictionary
      } catch {
        return new win.DOMException(message, 'NetworkError');
      }
    };
    const rejected = () => {
      const p = win.Promise.reject(error());
      p.catch(() => {}); // as the browser's own: the page sees it only where it looks
      return p;
    };
    const stream = (Kind) => new win[Kind]({ start: (c) => c.error(error()) });
    replace(win, 'WebTransport', function Guarded(input, ...rest) {
      if (!new.target) return Native(input, ...rest); // the browser's own TypeError
      const url = String(input);
      if (verdict(url, base()) === PASS) return Reflect.construct(Native, [url, ...rest], new.target);
      const t = Object.create(Native.prototype);
      for (const [key, value] of Object.entries({
        ready: rejected(),
        closed: rejected(),
        draining: new win.Promise(() => {}),
        datagrams: { readable: stream('ReadableStream'), writable: stream('WritableStream') },
        incomingBidirectionalStreams: stream('ReadableStream'),
        incomingUnidirectionalStreams: stream('ReadableStream'),
        createBidirectionalStream: rejected,
        createUnidirectionalStream: rejected,
        close() {},
      }))
        Object.defineProperty(t, key, { value, writable: true, configurable: true });
      return t;
    });
  }
  /** `Guarded` in the place of the browser's constructor `name`: the same prototype and static side. */
  function replace(win, name, Guarded) {
    const Native = win[name];
    Object.setPrototypeOf(Guarded, Native);
    Guarded.prototype = Native.prototype;
    Object.defineProperty(Native.prototype, 'constructor', { value: Guarded, writable: true, configurable: true });
    Object.defineProperty(win, name, { value: Guarded, writable: true, configurable: true });
  }

  realm(top);
  const settleOnce = () => {
    settle();
    for (const send of beacons.splice(0)) send();
  };
  return {
    realm,
    /** The engine answers from now on. */
    ready(d) {
      decider = d;
      forget();
      settleOnce();
    },
    /** The engine will never answer: requests to other hosts fail from now on. */
    fail() {
      failed = true;
      settleOnce();
    },
    /** A decision was made: earlier answers no longer hold. */
    forget,
  };
}
