// A node:test reporter for engines.test.mjs: one line per engine (version,
// scenarios and steps passed / failed, time), every failed step by name, and
// a last line `chromium: 11 passed, firefox: 11 passed, webkit: 11 passed`
// (scenarios). Used next to the spec reporter:
//   node --test --test-reporter=spec --test-reporter-destination=stdout \
//     --test-reporter=./web-test/engines/summary-reporter.mjs --test-reporter-destination=stdout web-test/engines.test.mjs
const SEP = ' › ';

export default async function* summary(source) {
  const engines = new Map();
  const entry = (name) => {
    if (!engines.has(name))
      engines.set(name, { version: null, ms: null, scenarios: { pass: 0, fail: 0 }, steps: { pass: 0, fail: 0 }, failures: [] });
    return engines.get(name);
  };
  let other = 0;
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:diagnostic') {
      const m = /^engine (\S+) (.*?)(?: \(started in \d+ ms\))?$/.exec(data.message || '');
      if (m) entry(m[1]).version = m[2];
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const parts = String(data.name).split(SEP);
    const ok = type === 'test:pass';
    if (parts.length === 1) {
      if (!['chromium', 'firefox', 'webkit'].includes(parts[0]) && !engines.has(parts[0])) {
        if (!ok) other += 1;
        continue;
      }
      entry(parts[0]).ms = data.details?.duration_ms ?? null;
    } else if (parts.length === 2) {
      entry(parts[0]).scenarios[ok ? 'pass' : 'fail'] += 1;
    } else {
      const e = entry(parts[0]);
      e.steps[ok ? 'pass' : 'fail'] += 1;
      if (!ok) {
        const err = data.details?.error;
        const msg = String(err?.cause?.message || err?.message || err || '').split('\n')[0];
        if (!msg.startsWith('not run:') && !msg.includes(' not run: ')) e.failures.push(`${data.name}: ${msg}`);
      }
    }
  }
  if (!engines.size) return;
  const lines = ['', '== engines summary'];
  for (const [name, e] of engines) {
    const secs = e.ms == null ? '' : `, ${(e.ms / 1000).toFixed(1)} s`;
    lines.push(
      `${name}${e.version ? ` (${e.version})` : ''}: ${e.scenarios.pass} scenarios passed, ${e.scenarios.fail} failed; ` +
        `${e.steps.pass} steps passed, ${e.steps.fail} failed${secs}`,
    );
  }
  for (const [, e] of engines) for (const f of e.failures) lines.push(`  FAILED ${f}`);
  if (other) lines.push(`  ${other} other test(s) failed (outside the engine scenarios)`);
  lines.push(
    [...engines]
      .map(([name, e]) => `${name}: ${e.scenarios.pass} passed${e.scenarios.fail ? `, ${e.scenarios.fail} failed` : ''}`)
      .join(', '),
  );
  yield `${lines.join('\n')}\n`;
}
