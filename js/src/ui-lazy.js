// The UI as the runtime sees it: kelisim-app.js arrives only when something
// is to be shown, so calls made before it has arrived wait, in order.

const CALLS = ['showBanner', 'showPreferences', 'showReopen', 'hide', 'decided', 'setTexts', 'placeholder', 'removePlaceholder'];
/** No UI at all (`ui: false`): every call does nothing. */
export const NO_UI = Object.fromEntries(CALLS.map((name) => [name, () => {}]));
NO_UI.ready = () => Promise.resolve();

/** `load()` resolves with createUI; `create(createUI)` makes the UI. */
export function lazyUI(load, create) {
  let ui = null;
  let loading = null;
  const queue = [];
  const ensure = () => {
    if (!loading) {
      loading = load().then((createUI) => {
        ui = create(createUI);
        for (const call of queue.splice(0)) call(ui);
        return ui;
      });
    }
    return loading;
  };
  const later =
    (name) =>
    (...args) => {
      if (ui) return ui[name](...args);
      queue.push((u) => u[name](...args));
      ensure().catch(() => {}); // the loader reports its own failure
      return undefined;
    };
  const proxy = {};
  for (const name of CALLS) proxy[name] = later(name);
  // Nothing was placed before the UI arrived, unless a call for it is still waiting.
  proxy.removePlaceholder = (el) => (ui ? ui.removePlaceholder(el) : queue.length ? later('removePlaceholder')(el) : undefined);
  proxy.ready = ensure;
  return proxy;
}
