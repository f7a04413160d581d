// `kelisim/testing` (Node, ES module): helpers for a site's own end-to-end tests.
import type { KelisimConfig } from './index.cjs';

/** What the seeded visitor chose. */
export type TestChoice = 'accept-all' | 'reject-all' | { categories: string[]; services?: string[] };

/** A cookie in the shape Playwright's `context.addCookies()` takes. */
export interface ConsentCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Unix time in seconds. */
  expires: number;
  sameSite: 'Lax' | 'Strict' | 'None';
  secure: boolean;
  httpOnly: boolean;
}

export interface ConsentCookieOptions {
  /**
   * The page the cookie is for: its host name becomes the cookie's domain
   * (unless the configuration names one) and `https:` makes it secure under
   * `cookie.secure: "auto"`. Default `http://localhost/`.
   */
  url?: string;
}

/**
 * A consent cookie for `choice`, made by the same engine and codec as the
 * browser's, ready for `context.addCookies([cookie])`: the page then starts
 * with that decision and shows no banner.
 *
 * @example
 * await context.addCookies([await consentCookie(config, 'accept-all', { url: baseURL })]);
 */
export declare function consentCookie(
  config: KelisimConfig | string,
  choice: TestChoice,
  options?: ConsentCookieOptions,
): Promise<ConsentCookie>;
