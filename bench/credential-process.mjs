#!/usr/bin/env node
// Start-up cost of credential-process, the command the AWS CLI and SDKs run on every call.
//
// Median wall time of `credential-process` (EC P-256 file key, emulator on loopback) against `node -e 0`,
// run interleaved (baseline, command, baseline, ...) so both see the same machine load, on this machine's
// Node and on Node 24 (installed from the npm registry's `node` package into .cache/ on first use).
// Each pair runs twice: with a clean environment (PATH and HOME only), the strict measure, and with this
// machine's own environment, which AWS tools pass on to credential_process (here it sets
// NODE_EXTRA_CA_CERTS, which makes every Node process ~35 ms slower and so flatters the ratio).
// The helper keeps a V8 code cache (bin/aws_signing_helper.cjs); here in a temporary folder, written by the
// first warm-up run and used by the others, as every run after a user's first uses theirs.
// A third row, "floor", times bench/support/floor.cjs: the least any Node helper must do (load crypto and
// net, read the key, sign, POST to the endpoint over a socket), so the figures can be read against what
// Node allows.
// `credential-process --cache` is timed too, answered from the credential cache (the warm-up fills it),
// loading neither the CLI nor node:crypto: as every run after a command line's first hit is, through the
// shortcut that hit left (the arguments, variables and files checked, then the entry read), and as that
// first hit is, by the full check (flags parsed, certificate and entry read; the shortcut is removed
// before each such run, untimed).
// The emulator's own time over each request is reported beside them (bench/support/serverTime.mjs): it
// is part of the command's wall time, and of the floor's only for a refusal.
// Budgets: the command's median at most 1.6 × the baseline's on the same Node; a cache hit's, 1.1 ×.
//
//   node bench/credential-process.mjs [--runs 80] [--node-only-local]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchFixture, cli, root } from './support/fixture.mjs';
import { benchNodes } from './support/nodes.mjs';
import { serverTimes } from './support/serverTime.mjs';
import { median, percentile, timeRun } from './support/timing.mjs';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 80; // fewer swing with this VM's load
const warmup = 5;
const BUDGET = 1.6;
const CACHE_HIT_BUDGET = 1.1;
const cacheDir = mkdtempSync(join(tmpdir(), 'rah-bench-cache-'));
const ENVIRONMENTS = {
  clean: { PATH: process.env.PATH, HOME: process.env.HOME, ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir },
  'this machine\'s': { ...process.env, ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir },
};

const fixture = await benchFixture();
const command = [cli, 'credential-process', ...fixture.flags];
/**
 * What is timed against `node -e 0`: the plain command and a hit of the credential cache, each with its
 * budget, and a command line's first hit (the full check), which has none. `before` runs ahead of each run.
 */
const VARIANTS = [
  { name: 'credential-process', args: command, budget: BUDGET },
  { name: 'credential-process --cache (hit)', args: [...command, '--cache'], budget: CACHE_HIT_BUDGET },
  // Once per command line (and after a renewal or a change of variables): no budget of its own.
  { name: 'credential-process --cache (first hit: full check)', args: [...command, '--cache'], before: removeShortcuts },
];

/** The shortcuts cache hits left (src/credentials/cache/shortcut.ts), so that the next hit checks in full. */
function removeShortcuts() {
  const folder = join(cacheDir, 'credentials');
  for (const name of readdirSync(folder)) if (name.endsWith('.shortcut')) rmSync(join(folder, name));
}
const floor = [join(root, 'bench/support/floor.cjs'), join(fixture.work, 'key.pem'), fixture.emulator.url];
const nodes = benchNodes(argv);
const server = serverTimes();

const results = [];
for (const [label, node] of nodes) {
  for (const [environment, env] of Object.entries(ENVIRONMENTS)) {
    for (let i = 0; i < warmup; i++) {
      await timeRun(node, ['-e', '0'], env);
      for (const variant of VARIANTS) {
        variant.before?.();
        await timeRun(node, variant.args, env);
      }
    }
    const baseline = [];
    const helpers = VARIANTS.map(() => []);
    const least = [];
    // The emulator's time over each variant's requests (a cache hit makes none), and over the floor's.
    const served = VARIANTS.map(() => []);
    const servedFloor = [];
    for (let i = 0; i < runs; i++) {
      baseline.push(await timeRun(node, ['-e', '0'], env));
      for (const [index, variant] of VARIANTS.entries()) {
        variant.before?.();
        server.into(served[index]);
        helpers[index].push(await timeRun(node, variant.args, env));
      }
      server.into(servedFloor);
      least.push(await timeRun(node, floor, env, { allowFailure: true }));
    }
    for (const [index, variant] of VARIANTS.entries()) {
      results.push({ label, environment, variant, baseline, helper: helpers[index], least, served: served[index], servedFloor });
    }
  }
}
await fixture.close();
rmSync(cacheDir, { recursive: true, force: true });

console.log(`\ncredential-process start-up, ${runs} interleaved runs each (wall time, ms)`);
console.log('| Node | environment | command | node -e 0 | command (p90) | ratio | budget | floor | floor ratio | emulator: command / floor |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
/** The emulator's median time over a run's requests, or a dash for runs that made none. */
const servedCell = (values) => (values.length ? median(values).toFixed(1) : '—');
for (const { label, environment, variant, baseline, helper, least, served, servedFloor } of results) {
  const base = median(baseline);
  const ratio = median(helper) / base;
  console.log(
    `| ${label} | ${environment} | ${variant.name} | ${base.toFixed(1)} | ${median(helper).toFixed(1)} (${percentile(helper, 0.9).toFixed(1)}) | ` +
      `${ratio.toFixed(2)}× | ${variant.budget ? `${variant.budget}× ${ratio <= variant.budget ? 'met' : 'missed'}` : '—'} | ${median(least).toFixed(1)} | ${(median(least) / base).toFixed(2)}× | ` +
      `${servedCell(served)} / ${servedCell(servedFloor)} |`,
  );
}
