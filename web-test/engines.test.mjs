// The product's promises, checked in all three browser engines: every
// scenario in web-test/engines/*.scenario.mjs runs in Chromium, Firefox and
// WebKit (see engines/drivers.mjs), as node:test subtests named
//   <engine> › <scenario> › <step>
// A scenario is one small file:
//
//   export default {
//     name: 'gating and order',
//     routes: (server) => { server.routes['/x.html'] = … },   // optional
//     setup: async (s) => { … },                                 // optional
//     steps: [
//       ['first visit: nothing gated runs', async (s) => { await s.page.goto(`${s.origin}/basic.html`); … }],
//       …
//     ],
//   };
//
// `s` is the scenario's context, shared by its steps: { engine, version, page,
// session, server, origin, requests(host?), mark(), since(mark, host?), state,
// defer(fn) } — see makeContext below. Each scenario gets a fresh browser
// session (its own cookies and storage) and a fresh loopback server (harness.mjs)
// reached through the proxy as site.test and <name>.test.
//
// ENGINES=firefox,webkit and SCENARIOS=gating,receipts (file names without
// .scenario.mjs) narrow a local run; `make test` runs everything.
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import { startProxy } from './engines/proxy.mjs';
import { ENGINES, startEngine, DriverTimeout } from './engines/drivers.mjs';
import { startServer } from './harness.mjs';

const STEP_TIMEOUT = 120000;
const dir = new URL('./engines/', import.meta.url);
const wanted = process.env.SCENARIOS ? process.env.SCENARIOS.split(',').map((s) => s.trim()) : null;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.scenario.mjs'))
  .sort()
  .filter((f) => !wanted || wanted.includes(f.replace(/\.scenario\.mjs$/, '')));
const scenarios = [];
for (const f of files) {
  const s = (await import(new URL(f, dir))).default;
  if (!s || typeof s.name !== 'string' || !Array.isArray(s.steps) || !s.steps.length)
    throw new Error(`${f}: export default { name, steps: [[name, fn], …] }`);
  scenarios.push({ file: f, ...s });
}
if (wanted && !scenarios.length) throw new Error(`no scenario matches SCENARIOS=${process.env.SCENARIOS}`);
const engines = process.env.ENGINES ? process.env.ENGINES.split(',').map((s) => s.trim()) : ENGINES;

function makeContext({ engine, proxy, server, session }) {
  const start = proxy.log.length;
  const current = { t: null };
  const cleanups = [];
  const pick = (from, host) => proxy.log.slice(from).filter((r) => !host || r.host === host);
  return {
    engine: engine.name,
    version: engine.version,
    session,
    page: session.page,
    server,
    origin: server.origin,
    /** Requests that reached the loopback servers during this scenario (optionally for one host). */
    requests: (host) => pick(start, host),
    /** A point in the request log, for since(). */
    mark: () => proxy.log.length,
    /** Requests after mark `m` (optionally for one host). */
    since: (m, host) => pick(m, host),
    /** Scratch space the steps of a scenario share. */
    state: {},
    /** Runs `fn` when the scenario ends, whatever happened. */
    defer: (fn) => cleanups.push(fn),
    /** A line in the test report, under the running step. */
    note: (message) => current.t?.diagnostic(`${engine.name}: ${message}`),
    current,
    cleanups,
  };
}

/** A promise that rejects after `ms`: a step may not hang the run. */
function limit(promise, ms, label) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new DriverTimeout(`${label}: step did not finish within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function runScenario(t, { engine, engineError, proxy, scenario, name }) {
  const prefix = `${name} › ${scenario.name}`;
  let blocker = engineError ? new Error(`${name} did not start: ${engineError.message}`) : null;
  let ctx = null;
  if (!blocker) {
    try {
      const server = await startServer();
      try {
        if (scenario.routes) scenario.routes(server);
        const session = await engine.newSession();
        ctx = makeContext({ engine, proxy, server, session });
        ctx.cleanups.push(
          () => server.close(),
          () => session.close(),
        );
        if (scenario.setup) await limit(scenario.setup(ctx), STEP_TIMEOUT, `${prefix} › setup`);
      } catch (err) {
        if (!ctx) await server.close();
        throw err;
      }
    } catch (err) {
      blocker = new Error(`${prefix}: could not set up: ${err.message}`, { cause: err });
    }
  }
  let failed = null;
  try {
    for (const [stepName, run] of scenario.steps) {
      await t.test(`${prefix} › ${stepName}`, async (st) => {
        if (ctx) ctx.current.t = st;
        if (blocker) {
          const err = blocker;
          if (!err.message.startsWith('not run: ')) blocker = new Error(`not run: ${err.message.split('\n')[0]}`);
          throw err;
        }
        if (failed) throw new Error(`not run: the step before ("${failed}") failed`);
        try {
          await limit(run(ctx), STEP_TIMEOUT, `${prefix} › ${stepName}`);
        } catch (err) {
          failed = stepName;
          if (err instanceof Error) err.message = `[${name}] ${err.message}`;
          throw err;
        }
      });
    }
  } finally {
    if (ctx) {
      for (const fn of ctx.cleanups.reverse()) {
        await Promise.resolve()
          .then(fn)
          .catch(() => {});
      }
    }
  }
}

for (const name of engines) {
  test(name, async (t) => {
    const proxy = await startProxy();
    let engine = null;
    let engineError = null;
    const started = Date.now();
    try {
      engine = await startEngine(name, { proxyPort: proxy.port });
      t.diagnostic(`engine ${name} ${engine.version} (started in ${Date.now() - started} ms)`);
    } catch (err) {
      engineError = err;
      t.diagnostic(`engine ${name} failed to start: ${err.message}`);
    }
    try {
      for (const scenario of scenarios) {
        await t.test(`${name} › ${scenario.name}`, (st) => runScenario(st, { engine, engineError, proxy, scenario, name }));
      }
    } finally {
      await engine?.close();
      await proxy.close();
    }
  });
}
