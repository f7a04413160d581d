// kelisim's public API (SPEC §3 and §4). This one file serves `import` and
// `require` alike: index.d.ts re-exports it for ES modules, because a CommonJS
// declaration file may not re-export an ES module's.

/** One of Google Consent Mode v2's seven consent types. */
export type ConsentType =
  | 'ad_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'analytics_storage'
  | 'functionality_storage'
  | 'personalization_storage'
  | 'security_storage';

/** The consent cookie kelisim writes to remember a decision. */
export interface CookieConfig {
  /** Cookie name. Default `"kelisim"`. */
  name?: string;
  /**
   * `""` (this host only; the default), an explicit domain (`"example.kz"`), or
   * `"auto"`: the highest parent domain the browser accepts, so sibling
   * subdomains share one decision.
   */
  domain?: string;
  /** Cookie path, starting with `/`. Default `"/"`. */
  path?: string;
  /** Lifetime of a decision in days (1–3650). Default `365`. */
  expiresAfterDays?: number;
  /**
   * Lifetime in days when every optional category was rejected (1–3650).
   * Default `182` (never longer than `expiresAfterDays`).
   */
  rejectedExpiresAfterDays?: number;
  /** Default `"Lax"`. `"None"` needs `secure` not `false`. */
  sameSite?: 'Lax' | 'Strict' | 'None';
  /** `true`, `false`, or `"auto"` (secure when the page is https; the default). */
  secure?: boolean | 'auto';
}

/** A consent category such as `analytics`. */
export interface CategoryConfig {
  /** Always allowed and cannot be switched off (e.g. `necessary`). Default `false`. */
  required?: boolean;
  /** Consent Mode types granted while this category is allowed. Default `[]`. */
  consentMode?: ConsentType[];
  /**
   * `"deny"`: under Global Privacy Control, "accept all" leaves this category
   * off; only the visitor's own toggle turns it on. Default `"allow"`.
   */
  gpc?: 'allow' | 'deny';
}

/** A third-party service inside a category, such as `google-analytics`. */
export interface ServiceConfig {
  /** The category this service belongs to (required). */
  category: string;
  /** Cookie names or `*` globs (`"_ga_*"`) deleted when the service is not allowed. */
  cookies?: string[];
  /** localStorage/sessionStorage keys or `*` globs deleted when the service is not allowed. */
  storage?: string[];
  /** Host names or `*.` suffix globs (`"*.googletagmanager.com"`) blocked while not allowed. */
  hosts?: string[];
}

/** Texts of one view; every key is optional (missing ones come from the built-in texts). */
export interface BannerTexts {
  title?: string;
  description?: string;
  acceptAll?: string;
  rejectAll?: string;
  preferences?: string;
  /** Shown when the visitor is asked again because `revision` grew. */
  revisionNotice?: string;
  /** Shown when the visitor is asked about categories or services added since. */
  newServicesNotice?: string;
}

export interface PreferencesTexts {
  title?: string;
  description?: string;
  acceptAll?: string;
  rejectAll?: string;
  save?: string;
  close?: string;
  /** `{contact}` is replaced by the configuration's `contact`. */
  contact?: string;
  /** Shown when Global Privacy Control was honoured. */
  gpcNotice?: string;
  language?: string;
}

export interface PlaceholderTexts {
  /** `{service}` is replaced by the service's title. */
  text?: string;
  loadOnce?: string;
  allowService?: string;
}

/** Smaller texts of the interface. */
export interface UiTexts {
  /** The reopen button's label. */
  reopen?: string;
  /** The banner's accessible name. */
  banner?: string;
  services?: string;
  cookies?: string;
  /** Marks a required category ("Always on"). */
  required?: string;
  /** The privacy policy link's label. */
  policy?: string;
  /** Shown when the visitor is asked again because the decision expired. */
  expiredNotice?: string;
}

export interface ItemTexts {
  title?: string;
  description?: string;
}

/**
 * One language's texts. Plain text; the only markup is `[label](url)` links
 * (http, https or relative). Keys may also be written flat: `"banner.title"`.
 */
export interface Translation {
  banner?: BannerTexts;
  preferences?: PreferencesTexts;
  placeholder?: PlaceholderTexts;
  ui?: UiTexts;
  /** `categories.<name>.title` / `.description`. */
  categories?: Record<string, ItemTexts>;
  /** `services.<name>.title` / `.description`. */
  services?: Record<string, ItemTexts>;
  /** Flat keys such as `"banner.title"` or `"categories.analytics.description"`. */
  [flatKey: `${'banner' | 'preferences' | 'placeholder' | 'categories' | 'services' | 'ui'}.${string}`]: string | undefined;
}

export interface LanguageConfig {
  /** Used when the visitor's language is not offered. Default `"en"`. */
  default?: string;
  /**
   * Where the language comes from after `data-language` / `init`'s `language`:
   * `"document"` (`<html lang>`, then the browser; the default), `"browser"`
   * (`navigator.languages` only), `"off"`, or a boolean (`true` = `"document"`).
   */
  autoDetect?: 'document' | 'browser' | 'off' | boolean;
  /**
   * Texts by language tag (`kk`, `ru`, `en`, or any other). They override the
   * built-in texts key by key; when given, they also list the offered languages
   * and must include `default`.
   */
  translations?: Record<string, Translation>;
}

/** A site's kelisim configuration (the JSON file, or the object given to `init`). */
export interface KelisimConfig {
  /** Raise it to ask every visitor again. Integer ≥ 0; default `0`. */
  revision?: number;
  /** The privacy policy's URL, linked from the banner. Default `""`. */
  policyUrl?: string;
  /** A contact (e-mail) shown in the preferences dialog. Default `""`. */
  contact?: string;
  /** The consent cookie. */
  cookie?: CookieConfig;
  /** Categories by name, in display order (required; at least one). */
  categories: Record<string, CategoryConfig>;
  /** Services by name. Default `{}`. */
  services?: Record<string, ServiceConfig>;
  /** Other names for categories or services, e.g. Cookiebot's `{ "statistics": "analytics" }`. */
  aliases?: Record<string, string>;
  blocking?: {
    /** Block scripts/iframes that other scripts add, and requests they make (fetch, XHR, beacons, sockets, pings, forms, popups), for hosts of services not allowed. Default `true`. */
    autoBlock?: boolean;
    /** Drop writes of cookies (`document.cookie`, `cookieStore`) and storage keys (`setItem`) of services not allowed. Default `true`. */
    cookieGuard?: boolean;
    /** Reload the page after consent is withdrawn. Default `false`. */
    reloadOnWithdrawal?: boolean;
  };
  /** Google Consent Mode v2. */
  consentMode?: {
    /** Push `gtag('consent', 'default' | 'update', …)`. Default `true`. */
    enabled?: boolean;
    /** `wait_for_update` in milliseconds (0–60000). Default `500`. */
    waitForUpdate?: number;
    /** `gtag('set', 'ads_data_redaction', true)`. Default `false`. */
    adsDataRedaction?: boolean;
    /** `gtag('set', 'url_passthrough', true)`. Default `false`. */
    urlPassthrough?: boolean;
  };
  /** Proof of consent. */
  receipts?: {
    /** A path (`"/consent-receipts"`) or http(s) URL receiving each decision; `""` (default) = none. */
    endpoint?: string;
  };
  compat?: {
    /** Provide a Cookiebot-compatible `window.Cookiebot`. Default `false`. */
    cookiebot?: boolean;
  };
  language?: LanguageConfig;
  ui?: {
    /** Default `"bar"`. */
    layout?: 'bar' | 'box';
    /** Default `"bottom"`. */
    position?: 'bottom' | 'top';
    /** Default `"auto"` (follows the visitor's colour scheme). */
    theme?: 'auto' | 'light' | 'dark';
    /** Show a small button that reopens the preferences after a decision. Default `true`. */
    reopenButton?: boolean;
  };
  /** Log what kelisim decides to the console. Default `false`. */
  debug?: boolean;
}

/** How the current decision was made. */
export type ConsentMethod = 'accept-all' | 'reject-all' | 'custom' | 'api';

/** The visitor's consent as kelisim sees it now. */
export interface ConsentState {
  /** Whether a valid decision exists (false on a first visit, after `reset()`, or when asked again). */
  decided: boolean;
  /** Allowed categories (required ones always included). */
  categories: string[];
  /** Allowed services. */
  services: string[];
  /** The configuration's `revision` the decision was made for. */
  revision: number;
  /** The decision's id (a UUID; `''` before any decision), stable until `reset()`; receipts carry it. */
  id: string;
  /** ISO 8601 time of the first decision with this id. */
  created: string;
  /** ISO 8601 time of the latest decision. */
  updated: string;
  /**
   * `'accept-all'` / `'reject-all'` / `'custom'` for the visitor's clicks
   * (save, or a placeholder's "always allow"), `'api'` for any decision made
   * through this API, `null` before any decision.
   */
  method: ConsentMethod | null;
}

/** `kelisim:change` / `on('change')`: what this decision changed. */
export interface ChangeDetail {
  state: ConsentState;
  /** Categories and services that became allowed. */
  accepted: string[];
  /** Categories and services that are no longer allowed. */
  rejected: string[];
}

/** One configuration problem, located by its JSON path. */
export interface ConfigIssue {
  /** e.g. `categories.analytics.consentMode[0]` (`""` for the whole document). */
  path: string;
  message: string;
}

/** `kelisim:error` / `on('error')`: one event listing every problem. */
export interface ErrorDetail {
  /** A stable code: `invalid-config`, `config-load`, `wasm-load`, `app-load`, `texts-load`, `no-config`, … */
  code: string;
  message: string;
  errors: ConfigIssue[];
}

/** Payloads of the instance's events (`on(name, fn)`), also the `detail` of `kelisim:<name>` window events. */
export interface KelisimEvents {
  ready: ConsentState;
  consent: ConsentState;
  change: ChangeDetail;
  error: ErrorDetail;
}

/** Options for `init`. */
export interface InitOptions {
  /** `false`: headless (no banner or dialog; drive it through the API). Default `true`. */
  ui?: boolean;
  /** Language to show, before `<html lang>` and the browser's languages. */
  language?: string;
  /** Browser: where to fetch `kelisim.wasm`. Default: next to the module (`new URL('./kelisim.wasm', import.meta.url)`). */
  wasmUrl?: string | URL;
  /** Node: the request's `Cookie` header value (`req.headers.cookie`); the instance reads its decision. */
  cookie?: string;
  /** Node: the engine's bytes, instead of reading `kelisim.wasm` next to the module. */
  wasmBinary?: Uint8Array;
  /** Node: the base URL a relative configuration URL is resolved against. */
  baseUrl?: string | URL;
}

/** A running kelisim. In Node it only reads a decision: the methods that change or show something throw. */
export interface Kelisim {
  /** Whether a category, service or alias (`'analytics'`, `'google-analytics'`, `'statistics'`) is allowed now. */
  isAllowed(name: string): boolean;
  /** A copy of the current consent state. */
  state(): ConsentState;
  /** Allows every category and service (method `'api'`). Returns the new state. */
  acceptAll(): ConsentState;
  /** Allows only the required categories (method `'api'`). Returns the new state. */
  rejectAll(): ConsentState;
  /** Exactly this choice: the given categories and services are allowed, all else rejected. */
  accept(categories: string[], services?: string[]): ConsentState;
  /** Adds one service to what is allowed now. */
  allowService(name: string): ConsentState;
  /** Shows the banner. */
  showBanner(): void;
  /** Opens the preferences dialog. */
  showPreferences(): void;
  /** Hides the banner and the dialog. */
  hide(): void;
  /** Forgets the decision (a new id follows) and asks again. */
  reset(): void;
  /** Subscribes to an event; returns a function that unsubscribes. */
  on<E extends keyof KelisimEvents>(event: E, fn: (detail: KelisimEvents[E]) => void): () => void;
  /** The language shown (negotiated, e.g. `'kk'`). */
  readonly language: string;
  /**
   * Switches the shown language (re-renders an open banner or dialog). Settles
   * once the switch is shown: at once when the language's built-in texts are
   * loaded, else after kelisim-texts-<lang>.json has arrived.
   */
  setLanguage(lang: string): Promise<void>;
}

/**
 * Starts kelisim. `config` is a configuration object, its JSON text, or the
 * URL of a JSON file. Resolves to the instance; rejects with a
 * {@link KelisimError} (and stays fail-closed) when the configuration is
 * invalid or the engine cannot load.
 *
 * In a browser this also sets `window.kelisim` and `window.kelisimReady`. In
 * Node, pass `{ ui: false, cookie: req.headers.cookie }` to read one request's
 * decision (server-side rendering).
 */
export declare function init(config: KelisimConfig | string | URL, options?: InitOptions): Promise<Kelisim>;

/** The error kelisim reports: `code` is stable, `errors` lists every configuration problem. */
export declare class KelisimError extends Error {
  constructor(code: string, message: string, errors?: ConfigIssue[]);
  readonly name: 'KelisimError';
  /** `invalid-config`, `config-load`, `wasm-load`, `app-load`, `texts-load`, `no-config`, `unsupported`, `invalid-argument`, … */
  readonly code: string;
  readonly errors: ConfigIssue[];
}
