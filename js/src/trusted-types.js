// Trusted Types. On a page whose CSP requires them for scripts
// (`require-trusted-types-for 'script'`), a plain string given to a script
// sink (a <script>'s src or text, document.write, an <iframe>'s srcdoc, an
// <embed>'s src) throws. What kelisim made (its own files' URLs, the markup
// it writes) and what the page's own markup holds for consent (a gated
// script's src or text, a gated embed's URL) go through one policy of
// kelisim's, "kelisim", which such a page allows beside its own
// (`trusted-types <its own> kelisim`). What the page's code hands kelisim (a
// value set on an element kelisim holds, markup written while it guards)
// keeps the trust it came with: a string stays a string. The policy object
// stays in this module: nothing else on the page can pass a string through it.
//
// Where the browser has no Trusted Types, or the page does not allow the
// policy, the values stay strings (and a page that enforces Trusted Types
// refuses them: reported where kelisim loads its own files).

const policies = new WeakMap(); // window -> policy, or null where there is none

/** kelisim's policy in `win`, made on first use; null where there is none. */
function policy(win) {
  if (!win) return null; // a document without a window (parsed inert): nothing runs there
  if (!policies.has(win)) {
    let made = null;
    try {
      const tt = win.trustedTypes;
      if (tt && typeof tt.createPolicy === 'function')
        made = tt.createPolicy('kelisim', {
          createHTML: (s) => s,
          createScript: (s) => s,
          createScriptURL: (s) => s,
        });
    } catch {
      // The page's `trusted-types` directive does not name "kelisim".
    }
    policies.set(win, made);
  }
  return policies.get(win);
}

/** `html` as TrustedHTML where kelisim has a policy, else as it is. */
export const trustedHTML = (win, html) => (policy(win) ? policy(win).createHTML(String(html)) : html);
/** `text` as TrustedScript where kelisim has a policy, else as it is. */
export const trustedScript = (win, text) => (policy(win) ? policy(win).createScript(String(text)) : text);
/** `url` as TrustedScriptURL where kelisim has a policy, else as it is. */
export const trustedScriptURL = (win, url) => (policy(win) ? policy(win).createScriptURL(String(url)) : url);
