// Where the configuration comes from: an object, JSON text, inline text or a URL.
import { ownFetch } from './own-fetch.js';
import { KelisimError } from './errors.js';

const INLINE = Symbol.for('kelisim.inline-configuration'); // shared by kelisim.js and kelisim-app.js
/** Marks text as the configuration itself (an inline <script type="application/json">), never a URL. */
export const inlineConfig = (text) => ({ [INLINE]: String(text) });

/** The configuration as text: an object, a JSON string, inline text, or a URL to fetch. */
export async function configText(config, baseUrl, integrity) {
  if (config && typeof config.then === 'function') return configText(await config, baseUrl, integrity); // started earlier
  if (config && config[INLINE] !== undefined) return config[INLINE];
  if (config && typeof config === 'object' && !(config instanceof URL)) return JSON.stringify(config);
  if (typeof config === 'string' && config.trim().startsWith('{')) return config;
  if (typeof config === 'string' || config instanceof URL) {
    const url = new URL(String(config), baseUrl);
    let response;
    try {
      response = await ownFetch(url, integrity ? { credentials: 'same-origin', integrity } : { credentials: 'same-origin' });
    } catch (err) {
      if (integrity) {
        throw new KelisimError(
          'config-integrity',
          `kelisim: cannot load the configuration from ${url}: unreachable, or it does not match data-config-integrity="${integrity}" ` +
            `(if consent.json changed, give the tag its new digest: openssl dgst -sha384 -binary consent.json | openssl base64 -A)`,
        );
      }
      throw new KelisimError('config-load', `kelisim: cannot load the configuration from ${url}: ${err.message}`);
    }
    if (!response.ok) throw new KelisimError('config-load', `kelisim: cannot load the configuration from ${url}: HTTP ${response.status}`);
    return response.text();
  }
  throw new KelisimError('invalid-config', 'kelisim: init() needs a configuration object, JSON text or a URL');
}
