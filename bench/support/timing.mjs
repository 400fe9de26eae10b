// Timing a command as its callers run it, and the statistics the benchmarks report.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Milliseconds from spawn to exit, with stdout read through a pipe as the AWS CLI reads credential_process.
 * Asynchronous, so that an emulator in this process can answer. Rejects when the command fails, unless
 * `allowFailure` (bench/support/floor.cjs, timed for its round trip, is refused by the emulator).
 */
export async function timeRun(node, args, env, { allowFailure = false } = {}) {
  return (await run(node, args, env, allowFailure)).ms;
}

const PAGE_FAULTS = fileURLToPath(new URL('pageFaults.cjs', import.meta.url));

/**
 * The minor page faults of a run (untimed: ./pageFaults.cjs is preloaded to count them). Nearly the same
 * from run to run of one build, unlike its time, and each first touch of a page costs this project's VMs
 * 10 µs or more (docs/performance.md): a step of about 115 is a young-generation collection more.
 */
export async function minorPageFaults(node, args, env) {
  const { stderr } = await run(node, ['-r', PAGE_FAULTS, ...args], env, false);
  return Number(/minor page faults: (\d+)\n$/.exec(stderr)?.[1]);
}

function run(node, args, env, allowFailure) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && !allowFailure) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, stderr });
    });
  });
}

/** The value at fraction p of the sorted values (0.5: the lower of the middle two, 0.9: the 90th percentile). */
export function percentile(values, p) {
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)];
}

const RESAMPLES = 2000;

/** The 2.5th and 97.5th percentiles of the medians of resamples (with replacement) of the values: a 95% interval of their median. */
export function bootstrapInterval(values) {
  const medians = [];
  for (let i = 0; i < RESAMPLES; i++) medians.push(median(values.map(() => values[Math.floor(Math.random() * values.length)])));
  return [percentile(medians, 0.025), percentile(medians, 0.975)];
}

/** The median: the middle value, or the mean of the middle two. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs each of `commands` (name → node arguments) in turn, `warmUp + runs` rounds, on `node` with `env`;
 * returns the timings of the last `runs` rounds by name. Interleaved, so that a machine getting busier
 * slows every command alike.
 */
export async function interleavedTimings(node, commands, env, { runs, warmUp }) {
  const timings = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round < warmUp + runs; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const elapsed = await timeRun(node, args, env);
      if (round >= warmUp) timings[name].push(elapsed);
    }
  }
  return timings;
}
