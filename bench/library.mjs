#!/usr/bin/env node
// What the library costs a program's cold start (a serverless function's, a command-line tool's written in
// Node), which pays it on every start, as the AWS CLI pays credential-process's (bench/credential-process.mjs):
// loading the package, by `require` and by `import`, beside loading the AWS SDK's
// @aws-sdk/credential-providers and @aws-sdk/client-sts alone and client-sts with the library (what the
// library adds to a program that has an SDK client); and loading it and getting the first credentials from
// the emulator on loopback (bench/support/firstCredential.cjs), with an EC P-256 and an RSA 2048 key file,
// with `cache: true` answered by the credential cache (the warm-up's first run fills it), and with Node's
// compile cache turned on by the program (Node 22.1 and later; the warm-up fills it).
// Each program is a file, as programs are (`node -e` lists node:crypto as loaded before any code of its
// own, though it takes no longer); `node -e 0` is timed for the ratios the other benchmarks give.
// Runs are interleaved, one of each in turn, on a clean environment (PATH and HOME only), on this machine's
// Node and on Node 24. The report gives each median (and 90th percentile), its ratio to `node -e 0`, and
// the median of the per-round differences to an empty program of its kind (CommonJS or ES module) with a
// 95% bootstrap interval. The emulator, in this process, checks and answers each CreateSession: about
// 1.5 ms of each uncached run (docs/performance.md), which a real endpoint spends elsewhere.
// `--app DIR` measures the package and the SDK as installed in DIR's node_modules (`npm install` of this
// build's `npm pack` tarball, what users get); by default, this checkout's build and its devDependencies.
//
//   node bench/library.mjs [--runs 40] [--app DIR] [--node-only-local]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ARNS, benchFixture, root } from './support/fixture.mjs';
import { benchNodes } from './support/nodes.mjs';
import { bootstrapInterval, interleavedTimings, median, percentile } from './support/timing.mjs';

const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const runs = Number(option('--runs') ?? 40);
const WARM_UP = 3;
if (!(runs >= 1)) {
  console.error('--runs takes a number of runs');
  process.exit(2);
}
const app = resolve(option('--app') ?? root);
const resolveIn = createRequire(join(app, 'package.json')).resolve;
let library;
let sdk;
try {
  library = resolveIn('roles-anywhere-helper');
  sdk = { providers: resolveIn('@aws-sdk/credential-providers'), sts: resolveIn('@aws-sdk/client-sts') };
} catch (error) {
  console.error(`${app}: ${error.message.split('\n')[0]} (install roles-anywhere-helper, @aws-sdk/credential-providers and @aws-sdk/client-sts there)`);
  process.exit(2);
}
const libraryModule = pathToFileURL(join(dirname(library), 'index.mjs')).href;

const fixture = await benchFixture();
const rsa = await fixture.ca.issue({ subject: 'CN=bench-rsa', keyAlgorithm: 'rsa-2048' });
const { pkcs8Pem } = await import(join(root, 'dist/emulator.mjs'));
writeFileSync(join(fixture.work, 'rsa-cert.pem'), rsa.pem);
writeFileSync(join(fixture.work, 'rsa-key.pem'), pkcs8Pem(rsa.key));
const session = { trustAnchorArn: ARNS.trustAnchor, profileArn: ARNS.profile, roleArn: ARNS.role, endpoint: fixture.emulator.url };
const ec = { certificate: join(fixture.work, 'cert.pem'), privateKey: join(fixture.work, 'key.pem') };
const firstCredential = (options, ...compileCache) => [join(root, 'bench/support/firstCredential.cjs'), library, JSON.stringify({ ...options, ...session }), ...compileCache];
/** A program file of that code, in the fixture's folder (named by its extension's kind of module). */
let programs = 0;
const program = (extension, code) => {
  const file = join(fixture.work, `program-${programs++}.${extension}`);
  writeFileSync(file, code);
  return [file];
};
const requiring = (...paths) => program('cjs', paths.map((path) => `require(${JSON.stringify(path)});`).join('\n'));

const EMPTY = 'an empty program (CommonJS)';
const EMPTY_MODULE = 'an empty program (ES module)';
const commands = {
  'node -e 0': ['-e', '0'],
  [EMPTY]: program('cjs', ''),
  [EMPTY_MODULE]: program('mjs', ''),
  'require the library': requiring(library),
  'import the library (ES module)': program('mjs', `import ${JSON.stringify(libraryModule)};`),
  'require @aws-sdk/credential-providers': requiring(sdk.providers),
  'require @aws-sdk/client-sts': requiring(sdk.sts),
  'require @aws-sdk/client-sts and the library': requiring(sdk.sts, library),
  'first credentials, EC P-256 key file': firstCredential(ec),
  'first credentials, RSA 2048 key file': firstCredential({ certificate: join(fixture.work, 'rsa-cert.pem'), privateKey: join(fixture.work, 'rsa-key.pem') }),
  'first credentials, cache: true (a hit)': firstCredential({ ...ec, cache: true }),
  "first credentials, EC P-256, Node's compile cache on": firstCredential(ec, join(fixture.work, 'compile-cache')),
};

const cacheDir = mkdtempSync(join(tmpdir(), 'rah-bench-cache-'));
try {
  console.log(`\nThe library's cost to a program's start, ${runs} interleaved runs each after ${WARM_UP} warm-up rounds (wall time, ms); ${app === root ? 'this checkout' : app}`);
  console.log('| Node | program | median (p90) | ratio to node -e 0 | over an empty program, median of the differences [95% interval] |');
  console.log('|---|---|---|---|---|');
  for (const [index, [label, node]] of benchNodes(argv).entries()) {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ROLES_ANYWHERE_HELPER_CACHE_DIR: join(cacheDir, String(index)) };
    const timings = await interleavedTimings(node, commands, env, { runs, warmUp: WARM_UP });
    const base = median(timings['node -e 0']);
    for (const [name, values] of Object.entries(timings)) {
      const empty = timings[commands[name][0].endsWith('.mjs') ? EMPTY_MODULE : EMPTY];
      const differences = values.map((value, round) => value - empty[round]);
      const [low, high] = bootstrapInterval(differences);
      const over = name === EMPTY || name === EMPTY_MODULE ? '—' : `${median(differences).toFixed(1)} [${low.toFixed(1)}, ${high.toFixed(1)}]`;
      console.log(`| ${label} | ${name} | ${median(values).toFixed(1)} (${percentile(values, 0.9).toFixed(1)}) | ${(median(values) / base).toFixed(2)}× | ${over} |`);
    }
  }
} finally {
  await fixture.close();
  rmSync(cacheDir, { recursive: true, force: true });
}
