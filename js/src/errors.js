// Errors kelisim reports, shared by the loader and the engine side.

/** An error kelisim reports: `code` is stable, `errors` lists {path, message}. */
export class KelisimError extends Error {
  constructor(code, message, errors = []) {
    super(message);
    this.name = 'KelisimError';
    this.code = code;
    this.errors = errors;
  }
}

/** Reports an error once: a console error and one kelisim:error event. */
export function reportError(win, err) {
  // By name, not instanceof: kelisim.js and kelisim-app.js each carry this class.
  const e = err && err.name === 'KelisimError' ? err : new KelisimError('internal', `kelisim: ${err && err.message ? err.message : err}`);
  if (e.reported) return e; // passed on by a caller: reported already
  e.reported = true;
  win.console.error(e.message);
  win.dispatchEvent(new win.CustomEvent('kelisim:error', { detail: { code: e.code, message: e.message, errors: e.errors } }));
  return e;
}
