// Starting kelisim from the npm package's browser entry: load the engine and
// the configuration in parallel, then hand over to the runtime. Any failure is
// reported once (console + kelisim:error) and leaves the page fail-closed:
// gated content simply stays inert.
import { loadCore } from './core-loader.js';
import { Engine, configText } from './engine.js';
import { reportError } from './errors.js';
import { createBrowserInstance } from './runtime.js';
import { createUI } from './ui.js';
import { textsLoader } from './texts-fetch.js';

/** User Timing marks, so a site's own monitoring can see what kelisim costs. */
function mark(win, name) {
  if (win.performance && win.performance.mark) win.performance.mark(name);
}

/**
 * Boots kelisim in a browser window; resolves to the instance. `guards` were
 * installed synchronously by the caller; on failure they stay closed.
 */
export async function boot(win, config, options, wasmSource, guards) {
  try {
    const [core, text] = await Promise.all([loadCore(wasmSource), configText(config, win.location.href)]);
    mark(win, 'kelisim:loaded');
    const engine = new Engine(core, text);
    const loadUI = () => Promise.resolve(createUI);
    // The built-in texts, when something is shown: beside the .wasm.
    const loadTexts = textsLoader(win, options.textsUrl || new URL(String(wasmSource.url), win.location.href));
    const instance = createBrowserInstance(engine, { ...options, window: win, guards, loadUI, loadTexts, pushDefault: false });
    await instance._shown;
    mark(win, 'kelisim:ready');
    instance._emit('ready', instance.state());
    return instance;
  } catch (err) {
    guards.fail();
    throw reportError(win, err);
  }
}
