// Writes the demo site's pages, demo/site/{kk,ru,en}/*.html, from the texts
// in texts.mjs, the privacy policy in demo/content/policy-kk.md and the
// services in demo/site/consent.json (itself derived from the engine's test
// fixture tests/fixtures/config-demo.json and demo/site/consent.patch.json by
// tests/fixtures/derive.mjs). The pages are committed, so the demo needs no
// build step; run this after editing any of those:
//
//   node demo/tools/build-site.mjs
//
// Third parties are referenced as {{SCHEME}}://<name>.{{STANDIN_SUFFIX}}/…;
// the demo server fills both in per request (see server.mjs).

import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, TEXTS } from './texts.mjs';

const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SITE_DIR = path.join(DEMO_DIR, 'site');
const POLICY_FILE = path.join(DEMO_DIR, 'content', 'policy-kk.md');
const CONFIG_BYTES = fs.readFileSync(path.join(SITE_DIR, 'consent.json'));
const CONFIG = JSON.parse(CONFIG_BYTES.toString('utf8'));
// The tag names the configuration it serves, so a returning visit starts without a request.
const CONFIG_INTEGRITY = `sha384-${createHash('sha384').update(CONFIG_BYTES).digest('base64')}`;
const PAGES = ['index', 'tracking', 'media', 'contacts', 'privacy', 'cookiebot'];

const standin = (name, rest) => `{{SCHEME}}://${name}.{{STANDIN_SUFFIX}}${rest}`;

function esc(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function pageUrl(lang, page) {
  return page === 'index' ? `/${lang}/` : `/${lang}/${page}.html`;
}

const LOGO =
  '<svg viewBox="0 0 40 40" aria-hidden="true"><rect width="40" height="40" rx="10" fill="#14213d"/><path d="M9 15l11-6 11 6v11l-11 6-11-6z" fill="#f5b700"/><path d="M9 15l11 6 11-6M20 21v11" stroke="#14213d" stroke-width="2" fill="none"/></svg>';

const ICONS = [
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 20V8l8-5 8 5v12h-5v-6H9v6z" fill="none" stroke="#22345c" stroke-width="2" stroke-linejoin="round"/></svg>',
  '<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="9" fill="none" stroke="#22345c" stroke-width="2"/><path d="M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18" fill="none" stroke="#22345c" stroke-width="2"/></svg>',
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 22s7-6.5 7-12a7 7 0 10-14 0c0 5.5 7 12 7 12z" fill="none" stroke="#22345c" stroke-width="2"/><circle cx="12" cy="10" r="2.5" fill="#f5b700"/></svg>',
];

// ---------------------------------------------------------------------------
// The privacy policy: a small Markdown subset (headings, lists, paragraphs,
// [label](url) links) turned into HTML, every character of the text kept.

function inline(text) {
  const out = [];
  const re = /\[([^\]]+)\]\(((?:https?:\/\/|mailto:)[^)\s]+)\)/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    out.push(esc(text.slice(last, m.index)));
    out.push(`<a href="${esc(m[2])}" rel="noopener">${esc(m[1])}</a>`);
    last = re.lastIndex;
  }
  out.push(esc(text.slice(last)));
  return out.join('');
}

function policyHtml() {
  const lines = fs.readFileSync(POLICY_FILE, 'utf8').split(/\r?\n/);
  const html = [];
  let paragraph = [];
  let list = null;
  let headings = 0;
  const flushParagraph = () => {
    if (paragraph.length) html.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) html.push(`<ul>\n${list.map((item) => `  <li>${inline(item)}</li>`).join('\n')}\n</ul>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const item = /^[-*]\s+(.*)$/.exec(line);
    if (!line) {
      flushParagraph();
      // A list interrupted by a blank line goes on when the next line is an item.
      const next = lines.slice(i + 1).find((l) => l.trim());
      if (list && !(next && /^\s*[-*]\s+/.test(next))) flushList();
    } else if (heading) {
      flushParagraph();
      flushList();
      const tag = headings++ === 0 ? 'h2' : 'h3';
      html.push(`<${tag}>${inline(heading[1])}</${tag}>`);
    } else if (item) {
      flushParagraph();
      (list ||= []).push(item[1]);
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return html.join('\n');
}

// ---------------------------------------------------------------------------
// Layout

function layout(lang, page, { main, head = '', thirdPartyHead = true }) {
  const t = TEXTS[lang];
  const nav = PAGES.map((p) => `<a href="${pageUrl(lang, p)}"${p === page ? ' aria-current="page"' : ''}>${esc(t.nav[p])}</a>`).join(
    '\n      ',
  );
  const langs = LANGUAGES.map(
    (l) =>
      `<a href="${pageUrl(l, page)}" lang="${l}" hreflang="${l}" data-set-lang="${l}" title="${esc(TEXTS[l].languageName)}"${l === lang ? ' aria-current="true"' : ''}>${esc(TEXTS[l].languageShort)}</a>`,
  ).join('');
  const alternates = LANGUAGES.map((l) => `<link rel="alternate" hreflang="${l}" href="${pageUrl(l, page)}">`).join('\n');
  const gated = thirdPartyHead
    ? `<!-- Tag Manager and Analytics (local stand-ins): inert until kelisim allows them. -->
<script type="text/plain" data-category="analytics" data-service="google-tag-manager" src="${standin('gtm', '/gtm.js?id=GTM-DALA')}"></script>
<script type="text/plain" data-category="analytics" data-service="google-analytics" src="${standin('ga', '/analytics.js?id=G-DEMO')}"></script>
`
    : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<!-- Generated by demo/tools/build-site.mjs from demo/tools/texts.mjs: edit there and run it again. -->
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.titles[page])} — Dala Express</title>
<meta name="description" content="${esc(t.description)}">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${alternates}
<link rel="stylesheet" href="/assets/site.css">
<link rel="stylesheet" href="/assets/panel.css">
<script src="/kelisim/kelisim.js" data-config="/consent.json" data-config-integrity="${CONFIG_INTEGRITY}"></script>
<script src="/assets/bridge.js"></script>
${gated}<script src="/assets/site.js" defer></script>
<script src="/assets/panel.js" defer></script>
${head}</head>
<body>
<a class="skip" href="#main">${esc(t.skip)}</a>
<div class="ribbon"><div class="container"><span class="ribbon-tag">${esc(t.ribbonTag)}</span><span class="ribbon-text">${esc(t.ribbon)}</span><div class="langs" role="group" aria-label="${esc(t.languagesLabel)}">${langs}</div></div></div>
<header class="site-header">
  <div class="container">
    <a class="brand" href="${pageUrl(lang, 'index')}">${LOGO}<span>Dala Express<small>${esc(t.tagline)}</small></span></a>
    <button class="nav-toggle" type="button" data-nav-toggle aria-expanded="false" aria-controls="site-nav" aria-label="${esc(t.menu)}"><span></span><span></span><span></span></button>
    <nav class="site-nav" id="site-nav" aria-label="${esc(t.navLabel)}">
      ${nav}
    </nav>
  </div>
</header>
<main id="main">
${main}
</main>
<footer class="site-footer">
  <div class="container">
    <div><strong>Dala Express</strong><br><span>${esc(t.footerNote)}</span></div>
    <ul class="footer-links">
      <li><a href="${pageUrl(lang, 'privacy')}">${esc(t.footerPrivacy)}</a></li>
      <li><a href="#" data-kelisim-open="preferences">${esc(t.cookieSettings)}</a></li>
      <li><a href="/receipts">${esc(t.receipts)}</a></li>
      <li><a href="${pageUrl(lang, 'cookiebot')}">${esc(t.footerCookiebot)}</a></li>
    </ul>
  </div>
</footer>
</body>
</html>
`;
}

function pageHead(title, lead) {
  return `<section class="page-head"><div class="container">
  <h1>${esc(title)}</h1>
  ${lead ? `<p class="lead">${esc(lead)}</p>` : ''}
</div></section>`;
}

// ---------------------------------------------------------------------------
// Pages

function home(lang) {
  const t = TEXTS[lang];
  const h = t.home;
  const features = h.features
    .map(
      ([title, text], i) =>
        `<article class="card"><div class="icon">${ICONS[i]}</div><h3>${esc(title)}</h3><p class="muted">${esc(text)}</p></article>`,
    )
    .join('\n    ');
  const stats = h.stats
    .map(([n, label]) => `<div class="stat"><b>${esc(n)}</b><span class="muted">${esc(label)}</span></div>`)
    .join('\n    ');
  const steps = h.steps.map((s) => `<li>${esc(s)}</li>`).join('\n    ');
  return layout(lang, 'index', {
    main: `<section class="hero"><div class="container">
  <div>
    <h1>${esc(h.h1)}</h1>
    <p class="lead">${esc(h.lead)}</p>
    <form class="quick-track" action="${pageUrl(lang, 'tracking')}" method="get">
      <label for="quick-number">${esc(h.trackLabel)}</label>
      <input type="text" id="quick-number" name="number" placeholder="DX123456789KZ" autocomplete="off" maxlength="20" required>
      <button class="btn" type="submit">${esc(h.trackButton)}</button>
    </form>
  </div>
  <div class="hero-art" aria-hidden="true"><div class="sun"></div><div class="dune back"></div><div class="dune"></div><div class="box a"></div><div class="box b"></div><div class="box c"></div></div>
</div></section>
<section class="section"><div class="container">
  <h2>${esc(h.featuresTitle)}</h2>
  <div class="grid grid-3">
    ${features}
  </div>
</div></section>
<section class="section-tight"><div class="container">
  <div class="stats">
    ${stats}
  </div>
</div></section>
<section class="section"><div class="container grid grid-2">
  <div>
    <h2>${esc(h.tryTitle)}</h2>
    <p class="lead">${esc(h.tryLead)}</p>
    <p><a class="btn btn-outline btn-small" href="#" data-kelisim-open="preferences">${esc(t.cookieSettings)}</a></p>
  </div>
  <ol class="steps">
    ${steps}
  </ol>
</div></section>`,
  });
}

function tracking(lang) {
  const t = TEXTS[lang];
  const k = t.tracking;
  return layout(lang, 'tracking', {
    head: '<script src="/assets/tracking.js" defer></script>\n',
    main: `${pageHead(t.titles.tracking, k.lead)}
<section class="section-tight"><div class="container">
  <div class="card track-card">
    <form id="track-form" class="track-form" action="${pageUrl(lang, 'tracking')}" method="get" novalidate>
      <div class="field">
        <label for="track-number">${esc(k.label)}</label>
        <input type="text" id="track-number" name="number" placeholder="DX123456789KZ" autocomplete="off" maxlength="20">
        <span class="muted">${esc(k.hint)}</span>
      </div>
      <div class="captcha g-recaptcha" id="captcha" data-sitekey="dala-demo-site-key">
        <div class="captcha-fallback">
          <p>${esc(k.captchaNeeded)}</p>
          <div class="row">
            <button type="button" class="btn btn-small" data-allow-service="recaptcha" hidden>${esc(k.allow)}</button>
            <a href="#" data-kelisim-open="preferences">${esc(t.cookieSettings)}</a>
          </div>
        </div>
      </div>
      <p id="track-message" class="form-message" role="status" aria-live="polite"></p>
      <div><button class="btn" type="submit">${esc(k.submit)}</button></div>
    </form>
    <div id="track-result" class="track-result" hidden></div>
  </div>
</div></section>
<!-- reCAPTCHA (local stand-in): embedded content, inert until kelisim allows it. -->
<script type="text/plain" data-category="embedded" data-service="recaptcha" src="${standin('recaptcha', '/api.js')}" async defer></script>`,
  });
}

function media(lang) {
  const t = TEXTS[lang];
  const m = t.media;
  return layout(lang, 'media', {
    main: `${pageHead(t.titles.media, m.lead)}
<section class="section-tight"><div class="container grid grid-2">
  <article class="embed">
    <h2>${esc(m.videoTitle)}</h2>
    <iframe class="video" title="${esc(m.videoFrame)}" data-category="embedded" data-service="youtube" data-src="${standin('youtube', `/embed/dala-packing?hl=${lang}`)}" allow="autoplay; encrypted-media; picture-in-picture" allowfullscreen></iframe>
    <p class="muted">${esc(m.videoNote)}</p>
  </article>
  <article class="embed">
    <h2>${esc(m.fbTitle)}</h2>
    <iframe class="fb-page" title="${esc(m.fbFrame)}" data-category="embedded" data-service="facebook" data-src="${standin('facebook', `/page?href=dalaexpress&amp;locale=${lang}`)}"></iframe>
    <p class="muted">${esc(m.fbNote)}</p>
  </article>
</div></section>
<!-- The Facebook SDK (local stand-in): inert until kelisim allows Facebook. -->
<script type="text/plain" data-category="embedded" data-service="facebook" src="${standin('facebook', '/sdk.js')}" async></script>`,
  });
}

function contacts(lang) {
  const t = TEXTS[lang];
  const c = t.contacts;
  const branches = c.branches
    .map(([city, street]) => `<div class="card"><h3>${esc(city)}</h3><p class="muted">${esc(street)}</p></div>`)
    .join('\n    ');
  return layout(lang, 'contacts', {
    main: `${pageHead(t.titles.contacts, c.lead)}
<section class="section-tight"><div class="container grid grid-2">
  <div class="card">
    <ul class="contact-list">
      <li><b>${esc(c.office)}</b>${esc(c.address)}</li>
      <li><b>${esc(c.phone)}</b><a href="tel:+77000000000">+7 700 000 00 00</a></li>
      <li><b>${esc(c.email)}</b><a href="mailto:hello@dala-express.example">hello@dala-express.example</a></li>
      <li><b>${esc(c.hours)}</b>${esc(c.hoursValue)}</li>
    </ul>
    <p class="muted">${esc(c.dataBefore)}<a href="${pageUrl(lang, 'privacy')}">${esc(c.dataLink)}</a>${esc(c.dataAfter)}</p>
  </div>
  <div class="map" role="img" aria-label="${esc(c.mapLabel)}"><div class="road-h"></div><div class="road-v"></div><div class="river"></div><div class="pin"></div><span class="map-label">${esc(c.mapLabel)}</span></div>
</div></section>
<section class="section"><div class="container">
  <h2>${esc(c.branchesTitle)}</h2>
  <div class="branches">
    ${branches}
  </div>
</div></section>`,
  });
}

function declarationTable(lang) {
  const t = TEXTS[lang];
  const tr = CONFIG.language.translations[lang] || {};
  const catTitle = (name) => tr.categories?.[name]?.title || name;
  const codes = (list) => (list.length ? list.map((x) => `<code>${esc(x)}</code>`).join(' ') : '—');
  const rows = [
    `<tr><td>${esc(t.privacy.consentCookie)} <span class="muted">(kelisim)</span></td><td>${esc(catTitle('necessary'))}</td><td>${codes([CONFIG.cookie.name])}</td><td>${esc(t.privacy.thisSite)}</td></tr>`,
  ];
  for (const [name, service] of Object.entries(CONFIG.services)) {
    const title = tr.services?.[name]?.title || name;
    rows.push(
      `<tr><td>${esc(title)}</td><td>${esc(catTitle(service.category))}</td><td>${codes(service.cookies || [])}</td><td>${service.hosts?.length ? codes(service.hosts) : esc(t.privacy.thisSite)}</td></tr>`,
    );
  }
  return `<div class="table-wrap"><table class="declaration">
    <thead><tr>${t.privacy.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
    <tbody>
      ${rows.join('\n      ')}
    </tbody>
  </table></div>`;
}

function privacy(lang, policy) {
  const t = TEXTS[lang];
  const p = t.privacy;
  return layout(lang, 'privacy', {
    main: `${pageHead(t.titles.privacy, p.note)}
<section class="section-tight"><div class="container">
  <article class="policy" lang="kk" id="policy">
${policy}
  </article>
</div></section>
<section class="section"><div class="container">
  <h2>${esc(p.declarationTitle)}</h2>
  <p class="lead">${esc(p.declarationLead)}</p>
  ${declarationTable(lang)}
  <p><a class="btn btn-small" href="#" data-kelisim-open="preferences">${esc(p.change)}</a></p>
</div></section>`,
  });
}

function cookiebot(lang) {
  const t = TEXTS[lang];
  const c = t.cookiebot;
  const before = `<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js"
        data-cbid="00000000-0000-0000-0000-000000000000"
        data-blockingmode="manual" type="text/javascript"></script>`;
  const after = `<script src="/kelisim/kelisim.js" data-config="/consent.json"
        data-config-integrity="sha384-…"></script>

// consent.json
"compat": { "cookiebot": true },
"aliases": { "statistics": "analytics" }`;
  const unchanged = `<script type="text/plain" data-cookieconsent="statistics"
        src="https://ga.example/analytics.js"></script>
<script type="text/plain" data-cookieconsent="marketing"
        src="https://hubspot.example/hs.js"></script>

<script>
  window.addEventListener('CookiebotOnAccept', function () {
    if (Cookiebot.consent.marketing) {
      // load the marketing widget
    }
  }, false);
</script>`;
  const rows = ['necessary', 'preferences', 'statistics', 'marketing']
    .map((n) => `<tr><th scope="row"><code>Cookiebot.consent.${n}</code></th><td data-cb="${n}">—</td></tr>`)
    .concat(
      ['hasResponse', 'consented', 'declined'].map(
        (n) => `<tr><th scope="row"><code>Cookiebot.${n}</code></th><td data-cb="${n}">—</td></tr>`,
      ),
    )
    .join('\n        ');
  return layout(lang, 'cookiebot', {
    thirdPartyHead: false,
    head: '<script src="/assets/cookiebot-demo.js" defer></script>\n',
    main: `${pageHead(t.titles.cookiebot, c.lead)}
<section class="section-tight"><div class="container">
  <div class="compare">
    <div class="card"><h3>${esc(c.before)}</h3><pre><code>${esc(before)}</code></pre></div>
    <div class="card"><h3>${esc(c.after)}</h3><pre><code>${esc(after)}</code></pre></div>
  </div>
</div></section>
<section class="section-tight"><div class="container">
  <div class="card">
    <h3>${esc(c.unchanged)}</h3>
    <pre><code>${esc(unchanged)}</code></pre>
    <p class="muted">${esc(c.inlineNote)}</p>
  </div>
</div></section>
<section class="section"><div class="container grid grid-2">
  <div class="card">
    <h3>${esc(c.liveTitle)} <span class="muted" id="cookiebot-global"></span></h3>
    <table class="cb-table" id="cookiebot-consent">
      <tbody>
        ${rows}
      </tbody>
    </table>
    <p><button class="btn btn-small" type="button" id="cookiebot-renew">${esc(c.renew)}</button></p>
    <div class="callout cb-widget" id="cookiebot-marketing-widget" hidden>${esc(c.widget)}</div>
  </div>
  <div class="card">
    <h3>${esc(c.eventsTitle)}</h3>
    <ul class="cb-events" id="cookiebot-events"></ul>
    <p class="muted">${esc(c.scriptsNote)}</p>
  </div>
</div></section>
<!-- Cookiebot-style tags, unchanged (local stand-ins). -->
<script type="text/plain" data-cookieconsent="statistics" src="${standin('ga', '/analytics.js?id=G-DEMO')}"></script>
<script type="text/plain" data-cookieconsent="marketing" src="${standin('hubspot', '/hs.js')}"></script>`,
  });
}

// ---------------------------------------------------------------------------

const policy = policyHtml();
let written = 0;
for (const lang of LANGUAGES) {
  const dir = path.join(SITE_DIR, lang);
  fs.mkdirSync(dir, { recursive: true });
  const pages = {
    index: home(lang),
    tracking: tracking(lang),
    media: media(lang),
    contacts: contacts(lang),
    privacy: privacy(lang, policy),
    cookiebot: cookiebot(lang),
  };
  for (const [name, html] of Object.entries(pages)) {
    fs.writeFileSync(path.join(dir, `${name}.html`), html);
    written++;
  }
}
console.log(`wrote ${written} pages to ${path.relative(process.cwd(), SITE_DIR) || '.'}`);
