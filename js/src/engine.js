// The engine's JSON entry points, bound to one configuration. The engine
// decides; this file only moves text in and out (core-loader.js loads it).
import { KelisimError } from './errors.js';

export { KelisimError };
export { configText, inlineConfig } from './config-source.js';

/**
 * The engine bound to one configuration text. The text crosses into the
 * engine once (`_configure`); the engine keeps it parsed, and each call then
 * carries only its request. Several instances may share one core: the one
 * that calls re-configures it when another configured it last.
 */
export class Engine {
  constructor(core, configText) {
    this.core = core;
    this.configText = configText;
  }
  /** Gives the engine this configuration; answers {ok, errors, warnings}. */
  configure() {
    this.core.__kelisimConfigured = this;
    return JSON.parse(this.core._configure(this.configText));
  }
  call(fn, request) {
    // A page's own diagnostics may count the calls (kelisim's tests do).
    if (typeof globalThis.__kelisimTrace === 'function') globalThis.__kelisimTrace(fn);
    if (this.core.__kelisimConfigured !== this) this.configure();
    const answer = JSON.parse(this.core[fn](JSON.stringify(request)));
    if (!answer.ok) throw new KelisimError(answer.error.code, answer.error.message, answer.error.errors);
    return answer;
  }
  /**
   * Runs an entry point for nothing but having run it (its answer is
   * discarded, nothing is traced or reported): the browser compiles the
   * engine's code as it first runs, so a later call of the same kind answers
   * without that wait.
   */
  rehearse(fn, request) {
    try {
      if (this.core.__kelisimConfigured !== this) this.configure();
      this.core[fn](JSON.stringify(request));
    } catch {
      // An engine that cannot answer is reported by the call that needs it.
    }
  }
  start(request) {
    return this.call('_start', request);
  }
  decide(request) {
    return this.call('_decide', request);
  }
  query(request) {
    return this.call('_query', request);
  }
  texts(request) {
    return this.call('_texts', request);
  }
}

/** 32 hex digits of randomness for a new consent id. */
export function randomHex() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
