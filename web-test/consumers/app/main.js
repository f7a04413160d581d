// A site's entry module: kelisim from npm, the configuration bundled with it.
// The .wasm is found next to the bundled module (see README "Bundlers").
import { init } from 'kelisim';
import config from './consent.json';

init(config).then(
  (consent) => {
    window.__appState = consent.state();
  },
  (err) => {
    window.__appError = err.code;
  },
);
