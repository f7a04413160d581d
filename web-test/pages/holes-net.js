// First-party page code that tries every way out kelisim has to close
// (web-test/holes-network.test.mjs): `holes.run(path, url)` resolves to what
// the page's code observed. `?early=<path>` runs one path as this script is
// parsed, right after kelisim's tag, before its engine has answered on a
// first visit (window.__early holds the results).
(function () {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  const root = () => document.body || document.documentElement;
  let frames = 0;
  // Each navigation gets a frame of its own: one would cancel another's request.
  const sink = () => {
    const f = document.createElement('iframe');
    f.name = `sink${++frames}`;
    root().appendChild(f);
    return f.name;
  };
  const settle = (p, ms = 1500) => Promise.race([p, new Promise((r) => setTimeout(() => r('no answer'), ms))]);
  const cookieSetter = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie').set;
  const paths = {
    fetch: (url) =>
      fetch(url, { mode: 'no-cors' }).then(
        () => 'ok',
        (e) => `${e.name}`,
      ),
    xhr: (url) =>
      new Promise((resolve) => {
        const x = new XMLHttpRequest();
        const seen = [];
        x.open('POST', url);
        x.addEventListener('error', () => seen.push(`error:${x.readyState}:${x.status}`));
        x.addEventListener('loadend', () => resolve([...seen, 'loadend'].join(' ')));
        x.addEventListener('load', () => seen.push('load'));
        x.send('hit');
      }),
    'xhr-abort': (url) =>
      new Promise((resolve) => {
        const x = new XMLHttpRequest();
        const seen = [];
        x.open('GET', url);
        for (const type of ['load', 'error', 'abort']) x.addEventListener(type, () => seen.push(type));
        x.addEventListener('loadend', () => resolve([...seen, `loadend:${x.readyState}:${x.status}`].join(' ')));
        x.send();
        x.abort();
      }),
    beacon: (url) => String(navigator.sendBeacon(url, 'hit')),
    websocket: (url) =>
      settle(
        new Promise((resolve) => {
          const seen = [];
          const w = new WebSocket(url.replace(/^http/, 'ws'));
          w.onopen = () => seen.push('open');
          w.onmessage = (e) => {
            resolve(`message:${e.data} ${w instanceof WebSocket}`);
            w.close();
          };
          w.onerror = () => seen.push('error');
          w.onclose = (e) => resolve(`${seen.join(' ')} close:${e.code} ${w.readyState}`);
        }),
      ),
    eventsource: (url) =>
      settle(
        new Promise((resolve) => {
          const s = new EventSource(url.replace(/\/x\?/, '/events?'));
          s.onmessage = (e) => {
            resolve(`message:${e.data}`);
            s.close();
          };
          s.onerror = () => {
            resolve(`error:${s.readyState}`);
            s.close();
          };
        }),
      ),
    ping: (url) => {
      const a = document.createElement('a');
      a.href = '/blank.html';
      a.target = sink();
      a.ping = url;
      a.textContent = 'link';
      root().appendChild(a);
      a.click();
      return 'clicked';
    },
    form: (url) => {
      const f = document.createElement('form');
      f.method = 'POST';
      f.action = url;
      f.target = sink();
      root().appendChild(f);
      f.submit();
      return 'submitted';
    },
    'form-click': (url) => {
      const f = document.createElement('form');
      f.method = 'POST';
      f.action = url;
      f.target = sink();
      const b = document.createElement('button');
      b.name = 'b';
      b.value = 'v';
      f.appendChild(b);
      root().appendChild(f);
      b.click();
      return 'clicked';
    },
    'window-open': (url) => {
      const w = window.open(url, '_blank');
      if (w) setTimeout(() => w.close(), 500);
      return w ? 'window' : 'null';
    },
    'iframe-fetch': (url) => {
      const f = document.createElement('iframe');
      root().appendChild(f);
      return f.contentWindow.fetch(url, { mode: 'no-cors' }).then(
        () => 'ok',
        (e) => e.name,
      );
    },
  };
  // The jar: `name` is a cookie or storage key to write; the result is whether it is there afterwards.
  const has = (name) => document.cookie.split(/;\s*/).some((c) => c.split('=')[0] === name);
  const jar = {
    'storage-setItem': (name) => (localStorage.setItem(name, '1'), String(localStorage.getItem(name) !== null)),
    'session-setItem': (name) => (sessionStorage.setItem(name, '1'), String(sessionStorage.getItem(name) !== null)),
    cookieStore: (name) =>
      cookieStore.set(name, '1').then(
        () => `resolved ${has(name)}`,
        (e) => `${e.name} ${has(name)}`,
      ),
    'prototype-cookie': (name) => (cookieSetter.call(document, `${name}=1; path=/`), String(has(name))),
    'iframe-cookie': (name) => {
      const f = document.createElement('iframe');
      root().appendChild(f);
      f.contentDocument.cookie = `${name}=1; path=/`;
      return String(has(name));
    },
    'srcdoc-cookie': (name) =>
      new Promise((resolve) => {
        const f = document.createElement('iframe');
        // The frame's own script writes the cookie as it is parsed.
        f.srcdoc = `<script src="/holes-frame.js" data-name="${name}"></script>`;
        f.addEventListener('load', () => resolve(String(has(name))));
        root().appendChild(f);
      }),
    'max-age-twice': (name) => ((document.cookie = `${name}=x; Max-Age=0; Max-Age=63072000; path=/`), String(has(name))),
    'expires-then-max-age': (name) => (
      (document.cookie = `${name}=x; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=63072000; path=/`),
      String(has(name))
    ),
  };
  const run = (path, arg) => Promise.resolve().then(() => (paths[path] || jar[path])(arg));
  window.holes = { run, has };
  const params = new URLSearchParams(location.search);
  const early = params.get('early');
  if (early) {
    const args = params.getAll('arg');
    window.__early = Promise.all(args.map((a) => run(early, a).catch((e) => `threw ${e.name}`)));
  }
})();
