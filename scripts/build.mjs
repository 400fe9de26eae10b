// Bundles with esbuild into dist/:
// - cli.cjs, the CLI, as one CommonJS file: credential-process runs on every AWS CLI call, and on Node 20 an
//   ES module graph costs ~10 ms more to start than CommonJS (measured in bench/). The helper's own code is
//   all in it (what a command does not use is only pre-parsed); the heavy third-party libraries (node-forge
//   for PKCS#12, @noble/post-quantum for ML-DSA, the proxy agents, pkcs11js) stay in node_modules and are
//   loaded only by the code paths that need them.
// - emulator.js, the Roles Anywhere emulator and throw-away PKI for the demo and the benchmarks.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The ES builds of @smithy/* tree-shake down to the few helpers used; their CommonJS builds do not.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'linked',
  define: { __HELPER_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts' },
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  // import.meta.url in a CommonJS bundle: the bundle's own file URL.
  define: { ...common.define, 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // import() of a library or a Node module would start the ES module loader: turn it into a lazy require().
  supported: { 'dynamic-import': false },
  external: ['pkcs11js', 'node-forge', '@noble/post-quantum', 'https-proxy-agent', 'http-proxy-agent', 'proxy-from-env', 'proper-lockfile'],
});
await build({
  ...common,
  entryPoints: { emulator: 'src/emulator/index.ts' },
  outfile: 'dist/emulator.js',
  format: 'esm',
  external: ['pkcs11js'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
