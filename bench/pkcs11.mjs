// How long one `credential-process` takes with a key in SoftHSM 2 (load the module, log in, find the
// certificate and key, sign), beside a software key file and `node -e 0`, runs interleaved and medians
// reported, on this machine's Node and on Node 24; then how many signatures a second one PKCS#11 key
// source makes through its long-lived logged-in session, as serve and update sign at each refresh. Makes
// its own token (SOFTHSM2_CONF in a temporary folder) and emulator, and removes them.
//
//   node bench/pkcs11.mjs [runs] [--node-only-local]        (default 30 runs after 3 warm-up rounds)
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildCli, cli, root } from './support/fixture.mjs';
import { benchNodes } from './support/nodes.mjs';
import { interleavedTimings, median } from './support/timing.mjs';

const argv = process.argv.slice(2);
const runs = Number(argv.find((arg) => !arg.startsWith('--')) ?? 30);
const WARM_UP = 3;
const SIGNING_SECONDS = 3;
const TOKEN = 'bench';

// The CLI as users run it, freshly built; the test fixtures (SoftHSM, CA, emulator) and the key source
// bundled from TypeScript, beside node_modules so that pkcs11js (native, left out of the bundle) is found.
buildCli();
const work = join(root, '.cache', `bench-pkcs11-${process.pid}`);
mkdirSync(work, { recursive: true });
await build({
  stdin: {
    contents: "export { Scenario } from './test/support/scenario.ts'; export { SoftHsm, USER_PIN, softHsmModule } from './test/support/softhsm.ts'; " +
      "export { openPkcs11KeySource } from './src/keys/pkcs11/pkcs11KeySource.ts'; export { testContext } from './test/support/context.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  external: ['pkcs11js', 'vitest'],
  outfile: join(work, 'fixtures.mjs'),
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});
const { Scenario, SoftHsm, USER_PIN, softHsmModule, openPkcs11KeySource, testContext } = await import(pathToFileURL(join(work, 'fixtures.mjs')).href);

let scenario;
const hsm = new SoftHsm();
try {
  scenario = await Scenario.start();
  hsm.initToken(TOKEN);
  for (const [id, algorithm] of [['01', 'ec-p256'], ['02', 'rsa-2048']]) await hsm.addIdentity(TOKEN, scenario.ca, algorithm, { id, label: algorithm });
  const software = await scenario.leaf('software', { keyAlgorithm: 'ec-p256' });
  const session = scenario.sessionFlags();
  const uri = (label) => `pkcs11:token=${TOKEN};object=${label}?pin-value=${USER_PIN}`;
  const commands = {
    'node -e 0': ['-e', '0'],
    'credential-process, software EC key file': [cli, 'credential-process', '--certificate', software.certPath, '--private-key', software.keyPath, ...session],
    'credential-process, SoftHSM EC P-256 key': [cli, 'credential-process', '--certificate', uri('ec-p256'), '--pkcs11-lib', softHsmModule, ...session],
    'credential-process, SoftHSM RSA-2048 key': [cli, 'credential-process', '--certificate', uri('rsa-2048'), '--pkcs11-lib', softHsmModule, ...session],
  };

  for (const [index, [label, node]] of benchNodes(argv).entries()) {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ROLES_ANYWHERE_HELPER_CACHE_DIR: join(work, `cache-${index}`), ...hsm.env };
    const timings = await interleavedTimings(node, commands, env, { runs, warmUp: WARM_UP });
    console.log(`\n${label}: ${runs} interleaved runs each (after ${WARM_UP} warm-up rounds); ${softHsmModule}`);
    const baseline = median(timings['node -e 0']);
    for (const [name, values] of Object.entries(timings)) {
      const m = median(values);
      const extra = name === 'node -e 0' ? '' : `  (+${(m - baseline).toFixed(1)} ms over node -e 0)`;
      console.log(`${name.padEnd(44)} median ${m.toFixed(1).padStart(6)} ms   min ${Math.min(...values).toFixed(1).padStart(6)} ms${extra}`);
    }
  }

  // One key source, as a long-running command holds it: one login and one session, a signature at a time.
  hsm.useInThisProcess();
  console.log(`\nnode ${process.version}: signatures through one long-lived session, ${SIGNING_SECONDS} s each`);
  for (const algorithm of ['ec-p256', 'rsa-2048']) {
    const source = await openPkcs11KeySource({ certificate: uri(algorithm), pkcs11Lib: softHsmModule, interactive: false }, testContext());
    try {
      const identity = await source.current();
      const data = Buffer.from('GET\n/\n\nhost:example\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      await identity.sign(data, 'SHA256');
      let signatures = 0;
      const started = process.hrtime.bigint();
      const end = started + BigInt(SIGNING_SECONDS * 1e9);
      while (process.hrtime.bigint() < end) {
        await identity.sign(data, 'SHA256');
        signatures++;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`${`SoftHSM ${algorithm.toUpperCase()}`.padEnd(44)} ${(signatures / seconds).toFixed(0).padStart(6)} signatures/s (${signatures} in ${seconds.toFixed(1)} s)`);
    } finally {
      await source.close();
    }
  }
} finally {
  await scenario?.stop();
  hsm.cleanup();
  rmSync(work, { recursive: true, force: true });
}
