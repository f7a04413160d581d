// Globals of the script-tag bundle (kelisim.js). Opt in with
// `/// <reference types="kelisim/global" />`; needs the DOM library.
import type { ChangeDetail, ConsentState, ErrorDetail, Kelisim } from './index.cjs';

declare global {
  interface Window {
    /** The running instance, once ready. */
    kelisim?: Kelisim;
    /** Resolves to the instance; rejects with the error when kelisim cannot start. */
    kelisimReady?: Promise<Kelisim>;
  }
  interface WindowEventMap {
    'kelisim:ready': CustomEvent<ConsentState>;
    'kelisim:consent': CustomEvent<ConsentState>;
    'kelisim:change': CustomEvent<ChangeDetail>;
    'kelisim:error': CustomEvent<ErrorDetail>;
  }
}

export {};
