#!/usr/bin/env node
// credential-process of this build against another revision's (the last release, say), run for run: each
// run times both, in alternating order, and `node -e 0`, on a clean environment (PATH and HOME only), each
// build with a V8 code cache of its own. The report gives both medians and their ratios to `node -e 0`,
// and the median of the per-run differences with a 95% bootstrap interval. A ratio to `node -e 0` moves
// with this VM's load (±0.05 and more over a day: bench/credential-process.mjs); the paired difference
// is what tells whether a change made the command slower.
// The other revision is checked out into a temporary git worktree and built there with this checkout's
// node_modules. With --cache, it times `credential-process --cache` answered from the credential cache
// (each build its own: the warm-up's first run fills it, its second leaves the shortcut later runs take).
// Each build's minor page faults are counted too (untimed runs, the median of 5): they barely move from
// run to run, so a step between builds shows even when times are noisy (about 115 more is a young-
// generation collection the run did not need before).
//
//   node bench/regression.mjs <revision> [--runs 150] [--cache] [--node-only-local]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchFixture, buildCli, cli, root } from './support/fixture.mjs';
import { benchNodes } from './support/nodes.mjs';
import { bootstrapInterval, median, minorPageFaults, timeRun } from './support/timing.mjs';

const argv = process.argv.slice(2);
const revision = argv.find((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--runs');
if (!revision) {
  console.error('usage: node bench/regression.mjs <revision> [--runs 150] [--cache] [--node-only-local]');
  process.exit(2);
}
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 150;
const cached = argv.includes('--cache');
if (!(runs >= 1)) {
  console.error('--runs takes a number of runs');
  process.exit(2);
}
const warmup = 5;
const FAULT_RUNS = 5;

let commit;
try {
  commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', `${revision}^{commit}`], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
} catch {
  console.error(`${revision}: not a revision of this repository`);
  process.exit(2);
}
const fixture = await benchFixture();
const worktree = mkdtempSync(join(tmpdir(), 'rah-bench-revision-'));
const cacheDirs = [mkdtempSync(join(tmpdir(), 'rah-bench-cache-')), mkdtempSync(join(tmpdir(), 'rah-bench-cache-'))];
let checkedOut = false;
/** The worktree and the temporary folders go, whether the run ends, fails or is interrupted. */
function removeTemporaries() {
  if (checkedOut) execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', worktree], { stdio: 'ignore' });
  checkedOut = false;
  for (const dir of [worktree, ...cacheDirs]) rmSync(dir, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  removeTemporaries();
  rmSync(fixture.work, { recursive: true, force: true }); // fixture.close()'s part, the emulator going with the process
  process.exit(130);
});
try {
  execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', worktree, commit], { stdio: 'ignore' });
  checkedOut = true;
  symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
  buildCli(worktree, ['ignore', 'ignore', 'inherit']);

  const bins = [join(worktree, 'bin/aws_signing_helper.cjs'), cli];
  const nodes = benchNodes(argv);
  const envs = cacheDirs.map((dir) => ({ PATH: process.env.PATH, HOME: process.env.HOME, ROLES_ANYWHERE_HELPER_CACHE_DIR: dir }));
  const command = (index) => [bins[index], 'credential-process', ...fixture.flags, ...(cached ? ['--cache'] : [])];

  console.log(`\ncredential-process${cached ? ' --cache (hits)' : ''}, ${commit} against this build: ${runs} paired runs (wall time, ms)`);
  console.log(`| Node | node -e 0 | ${commit} | this build | this build − ${commit}, median of the differences [95% interval] | minor page faults, ${commit} / this build |`);
  console.log('|---|---|---|---|---|---|');
  for (const [label, node] of nodes) {
    const baseline = [];
    const times = [[], []];
    for (let i = 0; i < warmup + runs; i++) {
      const run = [];
      for (const index of i % 2 ? [0, 1] : [1, 0]) run[index] = await timeRun(node, command(index), envs[index]);
      const zero = await timeRun(node, ['-e', '0'], envs[0]);
      if (i < warmup) continue;
      baseline.push(zero);
      times[0].push(run[0]);
      times[1].push(run[1]);
    }
    const base = median(baseline);
    const differences = times[1].map((t, i) => t - times[0][i]);
    const [low, high] = bootstrapInterval(differences);
    const cell = (values) => `${median(values).toFixed(1)} (${(median(values) / base).toFixed(2)}×)`;
    const faults = [];
    for (const index of [0, 1]) {
      const counts = [];
      for (let i = 0; i < FAULT_RUNS; i++) counts.push(await minorPageFaults(node, command(index), envs[index]));
      faults.push(median(counts));
    }
    console.log(`| ${label} | ${base.toFixed(1)} | ${cell(times[0])} | ${cell(times[1])} | ${median(differences).toFixed(2)} [${low.toFixed(2)}, ${high.toFixed(2)}] | ${faults.join(' / ')} |`);
  }
} finally {
  await fixture.close();
  removeTemporaries();
}
