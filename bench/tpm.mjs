// How long one `credential-process` takes with a TPM key, against swtpm and the local Roles Anywhere
// emulator: a TSS2 key file (created primary, load, sign, flushes) and a persistent handle (sign only),
// beside a software key file and `node -e 0`, and `credential-process --cache` answered from the credential
// cache with the TPM key file (a hit runs no tpm2-tools: budget 1.1 × `node -e 0`). Runs are interleaved
// (one of each in turn) and the median of each is reported, on this machine's Node and on Node 24. Starts
// its own swtpm and emulator, and stops them.
//
//   node bench/tpm.mjs [runs] [--node-only-local]        (default 30 runs after 3 warm-up rounds)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildCli, cli, root } from './support/fixture.mjs';
import { benchNodes } from './support/nodes.mjs';
import { interleavedTimings, median } from './support/timing.mjs';

const argv = process.argv.slice(2);
const runs = Number(argv.find((arg) => !arg.startsWith('--')) ?? 30);
const WARM_UP = 3;
const CACHE_HIT_BUDGET = 1.1;

// The CLI as users run it, freshly built; the test fixtures (swtpm, CA, emulator) bundled from TypeScript.
buildCli();
const work = mkdtempSync(join(tmpdir(), 'rah-bench-tpm-'));
await build({
  stdin: {
    contents: "export { Scenario } from './test/support/scenario.ts'; export { Swtpm, certifyTpmKey } from './test/support/swtpm.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: join(work, 'fixtures.mjs'),
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});
const { Scenario, Swtpm, certifyTpmKey } = await import(pathToFileURL(join(work, 'fixtures.mjs')).href);

let swtpm;
let scenario;
try {
  [swtpm, scenario] = await Promise.all([Swtpm.start(), Scenario.start()]);
  const certify = (name, key) => certifyTpmKey(swtpm, scenario, name, key);
  const keyFile = swtpm.createKeyFile(scenario.workspace.path('tpm-ec.pem'), { algorithm: 'EC' });
  swtpm.createPersistentKey('0x81000101', 'ecc256:null:null');
  const software = await scenario.leaf('software', { keyAlgorithm: 'ec-p256' });
  const session = scenario.sessionFlags();
  const tpmCertificate = await certify('tpm-file', keyFile);
  const commands = {
    'node -e 0': ['-e', '0'],
    'credential-process, software EC key file': [cli, 'credential-process', '--certificate', software.certPath, '--private-key', software.keyPath, ...session],
    'credential-process, TPM key file (ECC P-256)': [cli, 'credential-process', '--certificate', tpmCertificate, '--private-key', keyFile, ...session],
    'credential-process, TPM handle:0x81000101': [cli, 'credential-process', '--certificate', await certify('tpm-handle', 'handle:0x81000101'),
      '--private-key', 'handle:0x81000101', '--no-tpm-key-password', ...session],
    'credential-process --cache (hit), TPM key file': [cli, 'credential-process', '--certificate', tpmCertificate, '--private-key', keyFile, ...session, '--cache'],
  };

  for (const [index, [label, node]] of benchNodes(argv).entries()) {
    // The warm-up's first --cache run fills the credential cache; the timed ones are hits.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ROLES_ANYWHERE_HELPER_CACHE_DIR: join(work, `cache-${index}`), ...swtpm.env };
    const timings = await interleavedTimings(node, commands, env, { runs, warmUp: WARM_UP });

    console.log(`\n${label}: ${runs} interleaved runs each (after ${WARM_UP} warm-up rounds); TCTI ${swtpm.tcti}, no resource manager`);
    const baseline = median(timings['node -e 0']);
    for (const [name, values] of Object.entries(timings)) {
      const m = median(values);
      const budget = name.includes('--cache') ? `, ${(m / baseline).toFixed(2)}× node -e 0 (budget ${CACHE_HIT_BUDGET}×: ${m / baseline <= CACHE_HIT_BUDGET ? 'met' : 'missed'})` : '';
      const extra = name === 'node -e 0' ? '' : `  (+${(m - baseline).toFixed(1)} ms over node -e 0${budget})`;
      console.log(`${name.padEnd(48)} median ${m.toFixed(1).padStart(6)} ms   min ${Math.min(...values).toFixed(1).padStart(6)} ms${extra}`);
    }
  }
  const leftovers = swtpm.handles('handles-transient').length;
  console.log(`transient objects left in the TPM afterwards: ${leftovers}`);
} finally {
  await swtpm?.stop();
  await scenario?.stop();
  rmSync(work, { recursive: true, force: true });
}

