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
  // Then each is measured where the browser lays the page out anyway: a
  // ResizeObserver's first report comes after a frame's layout, so reading a
  // box there forces none, and every element of that frame is read before
  // any placeholder goes in (one layout for all, however many embeds the
  // page has, where measuring each as it came laid the page out each time).
  const measuring = new Map(); // element -> info, until its first report
  let observer = null;
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
    if (!measuring.has(el)) (observer = observer || new win.ResizeObserver(reported)).observe(el);
    measuring.set(el, info);
  }

  // Built in a task of their own, after the frame that measured them: inside
  // it (the page's first layout is there too) the building made it a long one.
  const measured = new Map(); // element -> [info, box], until built
  function reported(entries) {
    for (const { target: el } of entries) {
      observer.unobserve(el);
      const info = measuring.get(el);
      if (measuring.delete(el) && !placeholders.has(el) && el.isConnected) {
        if (!measured.size) win.setTimeout(buildMeasured);
        measured.set(el, [info, measure(el)]);
      }
    }
  }
  function buildMeasured() {
    const all = [...measured];
    measured.clear();
    for (const [el, [info, box]] of all) if (!placeholders.has(el) && el.isConnected) build(el, info, box);
  }

  /** The element's box (its size, display, margins), so that nothing around it moves (no layout shift). */
  function measure(el) {
    const rect = el.getBoundingClientRect();
    const cs = win.getComputedStyle(el);
    const box = {};
    for (const prop of ['display', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'vertical-align', 'float'])
      box[prop] = cs.getPropertyValue(prop);
    const inline = box.display === 'inline';
    if (inline || box.display === 'none') box.display = 'inline-block';
    // An inline <img> without src shows its alt text, not its future box: its size attributes then.
    const measured = rect.width && !(inline && el.localName === 'img');
    for (const [prop, px] of [
      ['width', rect.width],
      ['height', rect.height],
    ]) {
      const v = el.getAttribute(prop);
      box[prop] = measured ? `${px}px` : v && /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v;
    }
    return box;
  }

  function build(el, info, size) {
    const [ph, shadow] = shadowHost();
    for (const [prop, value] of Object.entries({ ...size, 'box-sizing': 'border-box', 'max-width': '100%', overflow: 'hidden' }))
      if (value) ph.style.setProperty(prop, value);
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
    if (measuring.delete(el)) observer.unobserve(el);
    measured.delete(el);
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
