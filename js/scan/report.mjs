// The scan report as people read it: a terminal summary and a self-contained
// HTML page. Both only present the report object that scan.mjs built.

/** Page URLs on the scanned origin shown by their path. */
function shortener(report) {
  const origins = new Set(report.start.map((u) => new URL(u).origin));
  return (url) => {
    if (!url) return '';
    try {
      const u = new URL(url);
      return origins.has(u.origin) ? `${u.pathname}${u.search}` : url;
    } catch {
      return String(url);
    }
  };
}

function pad(rows) {
  const widths = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] || 0, String(c).length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** An element's opening tag cut to what identifies it: `<script src="…">`. */
export function compactElement(html) {
  const tag = /^<([a-z0-9-]+)/i.exec(html);
  const src = /\s(src|href|data)="([^"]*)"/i.exec(html);
  if (tag && src) return `<${tag[1]} ${src[1]}="${src[2]}">`;
  return html.length > 100 ? `${html.slice(0, 99)}…` : html;
}

const list = (xs, n = 3) => (xs.length > n ? `${xs.slice(0, n).join(', ')} +${xs.length - n}` : xs.join(', '));
const owner = (f) => (f.service ? `${f.service} (${f.category}, ${f.source})` : f.source === 'kelisim' ? 'kelisim itself' : 'unknown');

/** The terminal summary. */
export function textSummary(report, { draftPath = null, checkPath = null } = {}) {
  const short = shortener(report);
  const out = [];
  const k = report.kelisim.found
    ? `kelisim found; ${report.kelisim.decision ? `accepted through its ${report.kelisim.decision === 'banner' ? 'banner' : 'API'}` : 'no decision made'}`
    : 'kelisim not found on the pages';
  out.push(
    `kelisim scan: ${report.pages.length} page${report.pages.length === 1 ? '' : 's'} of ${list(report.start, 2)} in ${report.seconds} s (${k})`,
  );
  if (report.limits.reachedMaxPages) out.push(`  stopped at --max-pages ${report.limits.maxPages}`);
  if (report.limits.timedOut) out.push('  stopped at the time limit (--timeout)');

  const services = Object.entries(report.services);
  out.push('', `Services (${services.length})`);
  out.push(
    ...pad(
      services.map(([name, s]) => {
        const cookies = report.cookies.filter((c) => c.service === name).map((c) => c.name);
        const hosts = report.hosts.filter((h) => h.services.some((x) => x.service === name)).map((h) => h.host);
        const what = [cookies.length && `cookies ${list(cookies, 4)}`, hosts.length && `hosts ${list(hosts, 3)}`]
          .filter(Boolean)
          .join('; ');
        return ['  ', s.category, name, s.title, what];
      }),
    ),
  );

  out.push('', `Cookies (${report.cookies.length})`);
  out.push(
    ...pad(report.cookies.map((c) => ['  ', c.name, c.domain, c.lifetime, owner(c), c.setBy.length ? `set by ${short(c.setBy[0])}` : ''])),
  );
  if (report.storage.length) {
    out.push('', `Storage keys (${report.storage.length})`);
    out.push(...pad(report.storage.map((s) => ['  ', s.name, s.area, s.origin, owner(s)])));
  }
  out.push('', `Third-party hosts (${report.hosts.length})`);
  out.push(
    ...pad(
      report.hosts.map((h) => [
        '  ',
        h.host,
        `${h.requests} request${h.requests === 1 ? '' : 's'}`,
        h.services.length ? h.services.map(owner).join(', ') : 'unknown',
        [
          h.elements.length && `by ${compactElement(h.elements[0])}`,
          h.initiators.length && `${h.elements.length ? 'inserted by' : 'from'} ${short(h.initiators[0])}`,
          !h.elements.length && !h.initiators.length && h.frames.length && `in frame ${short(h.frames[0])}`,
        ]
          .filter(Boolean)
          .join(', '),
      ]),
    ),
  );

  if (report.warnings.length) {
    out.push('', `To place by hand (${report.warnings.length})`);
    for (const w of report.warnings) out.push(`  ! ${w.message}`);
  }
  if (report.errors.length) {
    out.push('', `Pages that failed (${report.errors.length})`);
    for (const e of report.errors) out.push(`  ✗ ${e.message}`);
  }
  if (draftPath) {
    const n = Object.keys(report.draft.services).length;
    out.push(
      '',
      `Draft written to ${draftPath}: ${n} service${n === 1 ? '' : 's'}, ${Object.keys(report.draft.categories).length} categories; it passes kelisim's validation.`,
    );
  }
  if (report.audit) {
    const a = report.audit;
    out.push('', `Check against ${checkPath || 'the configuration'}`);
    for (const u of a.undeclared) {
      if (u.kind === 'host')
        out.push(
          `  ✗ undeclared host ${u.name}: ${u.requests} request${u.requests === 1 ? '' : 's'}${u.initiators.length ? `, from ${short(u.initiators[0])}` : ''}${u.pages.length ? ` on ${short(u.pages[0])}` : ''}`,
        );
      else
        out.push(
          `  ✗ undeclared ${u.kind} ${u.name} (${u.kind === 'cookie' ? u.domain : short(u.origin)})${u.setBy.length ? `, set by ${short(u.setBy[0])}` : ''}${u.pages.length ? ` on ${short(u.pages[0])}` : ''}`,
        );
    }
    for (const v of a.violations) {
      const when = v.phase === 'fresh' ? 'before any decision' : 'after "reject all"';
      const who = v.services.map((s) => s.service).join(', ') || 'a configured service';
      if (v.kind === 'request') {
        const by = v.element
          ? ` by ${compactElement(v.element)}`
          : v.initiator
            ? ` from ${short(v.initiator)}`
            : v.frame
              ? ` in frame ${short(v.frame)}`
              : '';
        out.push(`  ✗ ${when}: ${short(v.page)} requested ${v.url} (${who})${by}`);
      } else {
        out.push(
          `  ✗ ${when}: ${v.kind} ${v.name} (${who}) present on ${short(v.page)}${v.setBy && v.setBy.length ? `, set by ${short(v.setBy[0])}` : ''}`,
        );
      }
    }
    for (const p of a.problems) out.push(`  ✗ ${p.phase === 'rejected' ? '"reject all" check' : 'no-decision check'}: ${p.message}`);
    if (!a.violations.length && !a.problems.length) {
      out.push(
        `  ✓ promise kept: nothing of a service that needs consent before any decision (${a.pages.fresh} pages) or after "reject all" (${a.pages.rejected} pages)`,
      );
    }
    if (!a.undeclared.length) out.push('  ✓ every cookie, storage key and third-party host found is declared');
    for (const u of a.unseen) out.push(`  · declared, not seen on these pages: ${u.service} ${u.kind} ${u.pattern}`);
  }
  return `${out.join('\n')}\n`;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Everything from the site or the configuration goes through here. */
export const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c]);

function htmlTable(headers, rows) {
  if (!rows.length) return '<p class="none">None.</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const ul = (xs, short) => (xs.length ? `<ul>${xs.map((x) => `<li>${esc(short(x))}</li>`).join('')}</ul>` : '');
const badge = (category) =>
  category ? `<span class="cat cat-${esc(category)}">${esc(category)}</span>` : '<span class="cat cat-unknown">unknown</span>';

/** The HTML report: one page, no scripts, no external resources. */
export function htmlReport(report, { checkPath = null } = {}) {
  const short = shortener(report);
  const svc = (f) =>
    f.service
      ? `<b>${esc(f.service)}</b><br><small>${esc(f.source)}</small>`
      : f.source === 'kelisim'
        ? 'kelisim itself'
        : '<b class="bad">unknown</b>';
  const sections = [];
  sections.push(
    `<section><h2>Services</h2>${htmlTable(
      ['category', 'service', 'title', 'evidence'],
      Object.entries(report.services).map(([name, s]) => [
        badge(s.category),
        `<b>${esc(name)}</b>`,
        esc(s.title),
        esc(s.sources.join(', ')),
      ]),
    )}</section>`,
  );
  sections.push(
    `<section><h2>Cookies</h2>${htmlTable(
      ['name', 'domain', 'lifetime', 'category', 'service', 'set by', 'pages', 'about'],
      report.cookies.map((c) => [
        `<code>${esc(c.name)}</code>${c.thirdParty ? '<br><small>third-party</small>' : ''}`,
        esc(`${c.domain}${c.path !== '/' ? c.path : ''}`),
        esc(c.lifetime),
        badge(c.category),
        svc(c),
        ul(c.setBy, short),
        ul(c.pages, short),
        esc(c.about || ''),
      ]),
    )}</section>`,
  );
  sections.push(
    `<section><h2>Storage keys</h2>${htmlTable(
      ['key', 'area', 'origin', 'category', 'service', 'set by', 'pages'],
      report.storage.map((s) => [
        `<code>${esc(s.name)}</code>`,
        esc(s.area),
        esc(s.origin),
        badge(s.category),
        svc(s),
        ul(s.setBy, short),
        ul(s.pages, short),
      ]),
    )}</section>`,
  );
  sections.push(
    `<section><h2>Third-party hosts</h2>${htmlTable(
      ['host', 'requests', 'category', 'service', 'requested by', 'pages'],
      report.hosts.map((h) => [
        `<code>${esc(h.host)}</code>`,
        esc(h.requests),
        h.services.map((s) => badge(s.category)).join(' ') || badge(null),
        h.services.map((s) => svc(s)).join('<br>') || '<b class="bad">unknown</b>',
        ul([...h.elements, ...h.initiators, ...h.frames.map((f) => `frame ${f}`)], short),
        ul(h.pages, short),
      ]),
    )}</section>`,
  );
  if (report.warnings.length)
    sections.push(
      `<section><h2>To place by hand</h2><ul class="warn">${report.warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul></section>`,
    );
  if (report.audit) {
    const a = report.audit;
    const rows = [
      ...a.undeclared.map((u) => [
        '<b class="bad">undeclared</b>',
        esc(u.kind),
        `<code>${esc(u.name)}</code>`,
        ul(u.kind === 'host' ? u.initiators : u.setBy, short),
        ul(u.pages, short),
      ]),
      ...a.violations.map((v) => [
        `<b class="bad">${v.phase === 'fresh' ? 'before any decision' : 'after “reject all”'}</b>`,
        esc(v.kind),
        `<code>${esc(v.kind === 'request' ? v.url : v.name)}</code><br><small>${esc(v.services.map((s) => s.service).join(', '))}</small>`,
        v.element ? `<code>${esc(v.element)}</code>` : ul([v.initiator, ...(v.setBy || [])].filter(Boolean), short),
        esc(short(v.page)),
      ]),
      ...a.problems.map((p) => ['<b class="bad">incomplete</b>', esc(p.phase), esc(p.message), '', '']),
      ...a.unseen.map((u) => [
        'declared, not seen',
        esc(u.kind),
        `<code>${esc(u.pattern)}</code><br><small>${esc(u.service)}</small>`,
        '',
        '',
      ]),
    ];
    sections.push(
      `<section><h2>Check against ${esc(checkPath || 'the configuration')}</h2>${htmlTable(['finding', 'kind', 'what', 'by', 'page'], rows)}</section>`,
    );
  }
  sections.push(
    `<section><h2>Pages</h2>${htmlTable(
      ['page', 'status', 'kelisim', 'requests', 'new cookies'],
      report.pages.map((p) => [
        esc(p.url),
        esc(p.status),
        esc(p.kelisim + (p.decision ? ` (accepted: ${p.decision})` : '')),
        esc(p.requests),
        esc(p.newCookies.join(', ')),
      ]),
    )}${report.errors.length ? `<ul class="warn">${report.errors.map((e) => `<li>${esc(e.message)}</li>`).join('')}</ul>` : ''}</section>`,
  );

  const css = `body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0 auto;max-width:80rem;padding:1.5rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #c9cfdb}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #e3e6ee}
th{background:#f1f3f7}code{font:.85rem ui-monospace,Menlo,Consolas,monospace;word-break:break-all}td ul{margin:0;padding-left:1rem}
small{color:#485063}.bad{color:#b3261e}.warn li{color:#7a4b00}.none{color:#485063}
.cat{display:inline-block;padding:.05rem .45rem;border-radius:1rem;font-size:.8rem;background:#e3e6ee}
.cat-necessary{background:#dbe7ff}.cat-preferences{background:#e6f4ea}.cat-analytics{background:#fff4d6}.cat-marketing{background:#fde2e1}.cat-embedded{background:#efe5fd}.cat-unknown{background:#fde2e1;color:#b3261e}`;
  const summary = `${report.pages.length} pages of ${report.start.map(esc).join(', ')}, ${esc(report.started)}, ${esc(report.seconds)} s; kelisim ${report.kelisim.found ? 'found' : 'not found'}.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>kelisim scan: ${esc(report.start[0])}</title>
<style>${css}</style>
</head>
<body>
<h1>Cookie and third-party scan</h1>
<p>${summary} Every cookie, storage key and third-party host a visitor who accepts everything meets, with the service and category each belongs to.</p>
${sections.join('\n')}
<p><small>Made by kelisim scan. Classifications come from the site's own markup, kelisim's catalogue and the Open Cookie Database (Apache 2.0).</small></p>
</body>
</html>
`;
}
