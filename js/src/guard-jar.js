// What page scripts write into the browser's jar: document.cookie (through
// any Document, in any same-origin realm), the Cookie Store API and
// Storage.setItem. A write of a cookie or storage key that belongs to a service
// not allowed is dropped (the engine's `cookieWrites` and `storage` answers).
// Cookie writes made before the engine answers are held and replayed then;
// storage writes go through and the page start's cleanup plan deletes what was
// not allowed (storage leaves the browser with no request, and the scripts
// that would read it are held until that answer). What property assignments
// (`localStorage.k = v`) write, which no setter sees, goes the same way.
let ownSet = null;
/** Writes one of kelisim's own storage keys past the guard (the engine would let it through: no need to ask). */
export function setOwnItem(store, key, value) {
  return (ownSet || store.setItem).call(store, key, value);
}

export function installJarGuard(top) {
  /** null until the engine answers: then { cookieScope, debug, cookieWrites(list) -> bool[], storage(list) -> bool[] } */
  let decider = null;
  let failed = false;
  let settle;
  const answered = new Promise((resolve) => (settle = resolve));
  let heldCookies = [];
  const reported = new Set();
  let cookieSet = null; // the page's own setter, for kelisim's cookie and deletions

  const report = (what) => {
    if (decider.debug && !reported.has(what)) {
      reported.add(what);
      top.console.info(`kelisim: dropped ${what}: its service is not allowed`);
    }
  };
  /** Whether a cookie write (document.cookie syntax) may go through now that the engine has answered. */
  function cookieOk(write) {
    if (failed || decider.cookieScope === 'none' || decider.cookieWrites([write])[0]) return true;
    report(`the cookie "${String(write).split(';', 1)[0].split('=', 1)[0].trim()}"`);
    return false;
  }

  const installed = new WeakSet();
  /** Guards one realm (the page, or a same-origin frame) with the page's engine. */
  function realm(win) {
    if (!win || installed.has(win.Document.prototype)) return;
    installed.add(win.Document.prototype);
    // document.cookie is an accessor of Document.prototype (of HTMLDocument's in older engines).
    for (const ctor of [win.Document, win.HTMLDocument]) {
      const desc = ctor && Object.getOwnPropertyDescriptor(ctor.prototype, 'cookie');
      if (!desc || !desc.set) continue;
      if (win === top && !cookieSet) cookieSet = (s) => desc.set.call(top.document, s);
      Object.defineProperty(ctor.prototype, 'cookie', {
        configurable: true,
        enumerable: desc.enumerable,
        get: desc.get,
        set(value) {
          const s = String(value);
          if (!decider && !failed) heldCookies.push(() => cookieOk(s) && desc.set.call(this, s));
          else if (cookieOk(s)) desc.set.call(this, s);
        },
      });
    }

    const storage = win.Storage.prototype;
    const setItem = storage.setItem;
    if (win === top) ownSet = setItem;
    storage.setItem = function kelisimSetItem(key, value) {
      const k = String(key); // read once, handed on as read
      if (!decider || failed || decider.cookieScope === 'none' || decider.storage([k])[0]) return setItem.call(this, k, value);
      report(`the storage key "${k}"`);
      return undefined;
    };

    // The Cookie Store API: a refused cookie is rejected as the browser
    // rejects a write it refuses (a TypeError); before the answer it waits.
    const store = win.CookieStore && win.CookieStore.prototype;
    const set = store && store.set;
    if (set) {
      store.set = function kelisimCookieStoreSet(nameOrOptions, value) {
        // The options read once, and handed on as read.
        const given = nameOrOptions !== null && typeof nameOrOptions === 'object' ? nameOrOptions : { name: nameOrOptions, value };
        const o = {};
        for (const key of ['name', 'value', 'expires', 'domain', 'path', 'sameSite', 'partitioned'])
          if (given[key] !== undefined) o[key] = given[key];
        const expires = o.expires === undefined || o.expires === null ? '' : `; expires=${new Date(o.expires).toUTCString()}`;
        const write = `${o.name}=${o.value}${expires}`;
        const go = () =>
          cookieOk(write) ? set.call(this, o) : Promise.reject(new win.TypeError('An unknown error occurred while writing the cookie.'));
        return decider || failed ? go() : answered.then(go);
      };
    }
  }

  realm(top);
  const replay = () => {
    settle();
    const pending = heldCookies;
    heldCookies = [];
    for (const write of pending) write();
  };
  return {
    realm,
    /** The engine answers from now on: held cookie writes go through it. */
    ready(d) {
      decider = d;
      replay();
    },
    /** The engine will never answer: writes pass (nothing is known about them). */
    fail() {
      failed = true;
      replay();
    },
    /** Writes a cookie past the guard (kelisim's own cookie and deletions). */
    setCookie: (s) => cookieSet(s),
  };
}
