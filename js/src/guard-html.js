// HTML that page code parses into a document from a string: the markup is
// parsed inert first (a <template>, with the original setter, so a Trusted
// Types TrustedHTML stays acceptable), what it would load is checked and held
// (guard-elements.js), and the sink gets the cleaned markup: as a string when
// it was given one, as nodes when it was given TrustedHTML (a plain string
// would be refused under `require-trusted-types-for 'script'`).
import { trustedHTML } from './trusted-types.js';

// Markup that may load a URL (the element kinds guard-elements.js looks at,
// and the legacy background attribute): parsed inert and checked first.
const RISKY = /<\s*(script|i?frame|embed|object|img|image|feimage|link|source|video|audio|track|input)\b|\sbackground\s*=/i;
const FRAME = /<\s*i?frame\b/i;
// Elements whose innerHTML is text, not markup.
const RAW = /^(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)$/;

export function guardHtml({ win, method, setter, check, guardFrames, fromIgnored, adopt }) {
  const doc = win.document;
  const E = win.Element.prototype;
  const innerHTML = Object.getOwnPropertyDescriptor(E, 'innerHTML');
  const { replaceWith } = E;
  const replaceChildren = [win.DocumentFragment.prototype.replaceChildren, E.replaceChildren];
  const POSITIONS = { beforebegin: E.before, afterbegin: E.prepend, beforeend: E.append, afterend: E.after };
  const write = win.Document.prototype.write;

  /**
   * The markup parsed inert, with what must wait held; null when nothing in
   * it changed. `svg`: the sink parses it inside an SVG element, where
   * <image> is an SVG image (in HTML, an <img> without a src) and <feImage>
   * a filter's: parsed inside an <svg> here too, then taken out of it.
   */
  function sanitize(html, svg) {
    if (!RISKY.test(html) || fromIgnored()) return null;
    const t = doc.createElement('template');
    let wrapped = false;
    if (svg)
      try {
        innerHTML.set.call(t, trustedHTML(win, `<svg>${html}</svg>`));
        wrapped = true;
      } catch {
        // Trusted Types refuse kelisim's policy: parsed as HTML, as before.
      }
    if (wrapped) {
      const wrapper = t.content.firstChild;
      replaceWith.call(wrapper, ...wrapper.childNodes);
    } else innerHTML.set.call(t, html);
    return check([t.content], true).changed ? t : null;
  }
  const cleaned = (html) => {
    const t = sanitize(html);
    return t ? innerHTML.get.call(t) : html;
  };
  const SVG = 'http://www.w3.org/2000/svg';
  const inSvg = (el) => Boolean(el && el.namespaceURI === SVG && el.localName !== 'foreignObject');
  /**
   * Runs a sink on cleaned markup; the frames it made get their windows
   * guarded at once. `context`: the element the sink parses the markup in.
   */
  function run(node, html, viaString, viaNodes, context = node) {
    const root = node.getRootNode ? node.getRootNode() : doc;
    const t = sanitize(html, inSvg(context));
    const out = !t ? viaString(html) : typeof html === 'string' ? viaString(innerHTML.get.call(t)) : viaNodes(t.content);
    // Beside the node too: outerHTML and insertAdjacentHTML put their nodes there.
    if (t) adopt(node.parentNode || node);
    if (FRAME.test(html)) guardFrames(root.querySelectorAll('iframe,frame'));
    return out;
  }
  const into = (node, nodes) => {
    const target = node.localName === 'template' ? node.content : node;
    return replaceChildren[+(target.nodeType === 1)].call(target, nodes);
  };

  for (const ctor of ['Element', 'ShadowRoot']) {
    setter(
      ctor,
      'innerHTML',
      (s) =>
        function kelisimInnerHTML(html) {
          if (this.namespaceURI === 'http://www.w3.org/1999/xhtml' && RAW.test(this.localName)) s.call(this, html);
          else
            run(
              this,
              html,
              (h) => s.call(this, h),
              (nodes) => into(this, nodes),
            );
        },
    );
    for (const key of ['setHTMLUnsafe', 'setHTML'])
      method(
        ctor,
        key,
        (f) =>
          function kelisimSetHTML(html, ...rest) {
            return run(
              this,
              html,
              (h) => f.call(this, h, ...rest),
              (nodes) => into(this, nodes),
            );
          },
      );
  }
  setter(
    'Element',
    'outerHTML',
    (s) =>
      function kelisimOuterHTML(html) {
        run(
          this,
          html,
          (h) => s.call(this, h),
          (nodes) => replaceWith.call(this, nodes),
          this.parentNode,
        );
      },
  );
  method(
    'Element',
    'insertAdjacentHTML',
    (f) =>
      function kelisimInsertAdjacentHTML(position, html) {
        const where = POSITIONS[String(position).toLowerCase()];
        return run(
          this,
          html,
          (h) => f.call(this, position, h),
          (nodes) => (where ? where.call(this, nodes) : f.call(this, position, html)),
          /^(beforebegin|afterend)$/i.test(String(position)) ? this.parentNode : this,
        );
      },
  );
  method(
    'Range',
    'createContextualFragment',
    (f) =>
      function kelisimFragment(html) {
        const start = this.startContainer;
        return run(
          this,
          html,
          (h) => f.call(this, h),
          (nodes) => nodes,
          start && start.nodeType === 1 ? start : start && start.parentNode,
        );
      },
  );
  // An inert document: what leaves it is checked on import; cleaned here for
  // the declarative shadow roots (closed ones cannot be looked into later).
  method(
    'Document',
    'parseHTMLUnsafe',
    (f) =>
      function kelisimParse(html, ...rest) {
        return f.call(this, typeof html === 'string' ? cleaned(html) : html, ...rest);
      },
    true,
  );

  // document.write: a tag may come in pieces (write('<scr'); write('ipt src=…>')).
  // An unfinished tag at the end is held back until the next write completes
  // it, or written as it is once the writing script is done.
  const pending = new WeakMap();
  // Markup written in pieces: what is left of an unfinished tag, and whether
  // all of it came as TrustedHTML (then what kelisim writes in its place is
  // TrustedHTML too; a string stays a string, for the page's Trusted Types to judge).
  const trustedOnly = new WeakMap();
  const as = (d, html) => (trustedOnly.get(d) ? trustedHTML(win, html) : html);
  function flush(d) {
    const rest = pending.get(d);
    pending.delete(d);
    if (rest) write.call(d, as(d, cleaned(rest)));
  }
  const writer = (f, end) =>
    function kelisimWrite(...parts) {
      const before = pending.get(this) || '';
      const text = before + parts.join('') + end;
      trustedOnly.set(this, (!before || trustedOnly.get(this)) && parts.every((p) => typeof p === 'object' && p !== null));
      const cut = unfinished(text);
      pending.set(this, text.slice(cut));
      if (cut < text.length) win.queueMicrotask(() => flush(this));
      const now = text.slice(0, cut);
      const t = sanitize(now);
      // Untouched markup goes as it came (a TrustedHTML stays one).
      const out = !t && !before && cut === text.length ? f.apply(this, parts) : write.call(this, as(this, t ? innerHTML.get.call(t) : now));
      if (FRAME.test(now)) guardFrames(this.querySelectorAll('iframe,frame'));
      return out;
    };
  for (const ctor of ['Document', 'HTMLDocument']) {
    method(ctor, 'write', (f) => writer(f, ''));
    method(ctor, 'writeln', (f) => writer(f, '\n'));
  }
}

/** Where an unfinished tag at the end of written markup begins (the markup's length when there is none). */
function unfinished(s) {
  let start = -1;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (start < 0) {
      if (c === '<' && /^[a-z/!?]?$/i.test(s.charAt(i + 1))) start = i;
    } else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') start = -1;
  }
  return start < 0 ? s.length : start;
}
