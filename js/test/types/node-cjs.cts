// Type test (tsc --noEmit, module node16): a CommonJS file; `import` here
// compiles to require('kelisim') and reads types/index.d.cts.
import { init, KelisimError, type Kelisim, type KelisimConfig } from 'kelisim';

const config: KelisimConfig = { categories: { necessary: { required: true } } };

export async function allowed(cookie: string): Promise<boolean> {
  try {
    const consent: Kelisim = await init(config, { ui: false, cookie });
    return consent.isAllowed('necessary');
  } catch (err) {
    if (err instanceof KelisimError) return err.code === 'never';
    throw err;
  }
}
