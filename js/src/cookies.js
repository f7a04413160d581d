// Cookie and storage I/O: writing the consent cookie, deleting what the
// engine's cleanup plan lists, and finding the registrable domain.

/** The parent domains of a host, longest first: a.b.example.kz -> [a.b.example.kz, b.example.kz, example.kz, kz]. */
export function domainsOf(host) {
  if (!host || /^[\d.]+$/.test(host) || host.includes(':')) return [host]; // IP addresses have no parents
  const labels = host.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/**
 * `cookie.domain: "auto"`: the highest parent domain the browser accepts a
 * cookie on, found by writing and reading back a probe cookie, as analytics
 * tags do (public suffixes such as `kz` or `com.kz` are refused by the browser).
 */
export function probeDomain(win, setCookie) {
  const doc = win.document;
  const host = win.location.hostname;
  const probe = `kelisim_probe_${Math.random().toString(36).slice(2, 8)}`;
  for (const d of domainsOf(host).reverse()) {
    if (d === host) break;
    setCookie(`${probe}=1; Path=/; Domain=${d}; SameSite=Lax`);
    const ok = doc.cookie.split(/;\s*/).includes(`${probe}=1`);
    setCookie(`${probe}=; Path=/; Domain=${d}; Max-Age=0`);
    if (ok) return d;
  }
  return '';
}

/** Deletes a cookie wherever a script may have set it: this host, every parent domain, `/` and the current path. */
export function deleteCookieEverywhere(win, setCookie, name) {
  const host = win.location.hostname;
  const paths = new Set(['/']);
  const segments = win.location.pathname.split('/');
  for (let i = 1; i < segments.length; i++) paths.add(segments.slice(0, i + 1).join('/') || '/');
  for (const path of paths) {
    setCookie(`${name}=; Max-Age=0; Path=${path}`);
    for (const d of domainsOf(host)) setCookie(`${name}=; Max-Age=0; Path=${path}; Domain=${d}`);
  }
}

/** The keys of a Storage, or [] when it is unavailable (privacy modes, sandboxed frames). */
export function storageKeys(win, kind) {
  try {
    const s = win[kind];
    const out = [];
    for (let i = 0; i < s.length; i++) out.push(s.key(i));
    return out;
  } catch {
    return [];
  }
}

export function removeStorageKeys(win, kind, keys) {
  try {
    for (const k of keys) win[kind].removeItem(k);
  } catch {
    // Storage that cannot be read was not written by any tag either.
  }
}

/** The storage keys the page has, for the engine's cleanup plan. */
export const presentKeys = (win) => ({
  localStorage: storageKeys(win, 'localStorage'),
  sessionStorage: storageKeys(win, 'sessionStorage'),
});

/** Deletes what an engine's cleanup plan lists: its cookies everywhere, its storage keys. */
export function removeAll(win, setCookie, plan) {
  for (const name of plan.cookies) deleteCookieEverywhere(win, setCookie, name);
  removeStorageKeys(win, 'localStorage', plan.localStorage);
  removeStorageKeys(win, 'sessionStorage', plan.sessionStorage);
}
