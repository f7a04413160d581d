// Placeholders for gated embeds: a box of the element's size, in its own
// shadow root, with the texts the engine resolved for that gate and the
// "load once" / "always allow" buttons. The element stays in the page,
// hidden, until the placeholder is removed. Nothing is requested from the
// element's provider: no thumbnail, no preview. Part of the UI (ui.js), which
// lends it its element builder, shadow hosts and text runs.

/**
 * `kit`: { win, doc, actions, h, shadowHost, fill, runs, button, hosts }
 * from ui.js. Returns { place(el, info), remove(el), refresh() }.
 */
export function createPlaceholders({ win, doc, actions, h, shadowHost, fill, runs, button, hosts }) {
  const placeholders = new Map(); // gated element -> { host, box, info, hidden, display }

  function placeholderContent(p) {
    const { gate, onAllow } = p.info;
    const words = actions.placeholder(gate); // title, text and description, as the engine resolved them
    return h(
      doc,
      'div',
      {},
      h(doc, 'p', { class: 'title' }, words.title),
      h(doc, 'p', {}, runs(words.text)),
      words.description && words.description.length > 0 && h(doc, 'p', { class: 'small' }, runs(words.description)),
      h(
        doc,
        'div',
        { class: 'buttons' },
        button('load-once', 'placeholder.loadOnce'),
        onAllow && button('allow-service', 'placeholder.allowService'),
      ),
    );
  }

  // Measuring an element while the parser is still at work forces a layout of
  // a half-parsed page (about 10 ms a frame); until the document is parsed the
  // element keeps its own box (nothing moves), and its placeholder comes then.
  const waiting = new Map(); // element -> info, until DOMContentLoaded
  /**
   * Puts a placeholder of the same size beside a gated element (which stays in
   * the DOM, hidden, until removePlaceholder). Nothing is requested from the
   * element's provider: no thumbnail, no preview.
   */
  function placeholder(el, info) {
    if (doc.readyState === 'loading') {
      if (!waiting.size)
        doc.addEventListener('DOMContentLoaded', () => waiting.forEach((i, e) => (waiting.delete(e), placeholder(e, i))), { once: true });
      waiting.set(el, info);
      return;
    }
    if (placeholders.has(el) || !el.isConnected) return;
    const rect = el.getBoundingClientRect();
    const cs = win.getComputedStyle(el);
    const [ph, shadow] = shadowHost();
    const set = (prop, value) => value && ph.style.setProperty(prop, value);
    const size = (attr) => {
      const v = el.getAttribute(attr);
      return v && /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v;
    };
    // The element's box, so that nothing around it moves (no layout shift).
    set('display', cs.display === 'inline' || cs.display === 'none' ? 'inline-block' : cs.display);
    set('box-sizing', 'border-box');
    // An inline <img> without src shows its alt text, not its future box: use its size attributes then.
    const measured = rect.width && !(el.localName === 'img' && cs.display === 'inline');
    set('width', measured ? `${rect.width}px` : size('width'));
    set('height', measured ? `${rect.height}px` : size('height'));
    set('max-width', '100%');
    set('overflow', 'hidden');
    for (const prop of ['margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'vertical-align', 'float'])
      set(prop, cs.getPropertyValue(prop));
    const box = h(doc, 'div', { 'data-kelisim': 'placeholder', class: 'ph' });
    const p = {
      host: ph,
      box,
      info,
      hidden: el.hidden,
      display: [el.style.getPropertyValue('display'), el.style.getPropertyPriority('display')],
    };
    box.addEventListener('click', (e) => {
      const btn = e.target.closest('[data-kelisim-action]');
      if (!btn) return;
      if (btn.getAttribute('data-kelisim-action') === 'load-once') info.onLoadOnce();
      else info.onAllow();
    });
    fill(box, [placeholderContent(p)]);
    shadow.append(box);
    placeholders.set(el, p);
    el.before(ph);
    // Hidden even where the site's CSS sets `display` on it (which beats `hidden`).
    el.hidden = true;
    el.style.setProperty('display', 'none', 'important');
  }

  function removePlaceholder(el) {
    waiting.delete(el);
    const p = placeholders.get(el);
    if (!p) return;
    placeholders.delete(el);
    hosts.delete(p.host);
    const hadFocus = doc.activeElement === p.host;
    p.host.remove();
    el.hidden = p.hidden;
    el.style.removeProperty('display');
    if (p.display[0]) el.style.setProperty('display', p.display[0], p.display[1]);
    if (hadFocus && el.focus) el.focus();
  }

  return {
    place: placeholder,
    remove: removePlaceholder,
    /** Words again, in the language now shown. */
    refresh() {
      for (const p of placeholders.values()) fill(p.box, [placeholderContent(p)]);
    },
  };
}
