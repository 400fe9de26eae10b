// Bundles with esbuild into dist/:
// - cli.function.js, the CLI, as CommonJS: credential-process runs on every AWS CLI call, and on Node 20
//   an ES module graph costs ~10 ms more to start than CommonJS (measured; see bench/). It holds what
//   credential-process needs for unencrypted keys in files. It is written as the function CommonJS wraps
//   a module in, for bin/aws_signing_helper.cjs to compile as it is with its code cache (no second copy
//   of the source to build), and in ASCII, so that it can be read as latin1.
// - one more CommonJS bundle per part that only some runs need (TPM, PKCS#11, PKCS#12, ML-DSA, encrypted
//   PKCS#8, the other commands, completion), required when first used, so that nobody pays to load the
//   rest. Each bundle has its own copy of the modules it shares with the others; src/errors.ts,
//   src/log/logger.ts and src/stdio.ts are written to work across copies.
// - emulator.js, the Roles Anywhere emulator and throw-away PKI for the demo and the benchmarks.
// Heavy third-party libraries (node-forge, @noble/post-quantum, proxy-from-env, proper-lockfile, pkcs11js)
// stay in node_modules and are required only by the code that uses them.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
rmSync(resolve(root, 'dist'), { recursive: true, force: true });

/** Modules imported with import() that become bundles of their own: source → dist/<name>.cjs. */
const LAZY = {
  'src/keys/tpm/tpmKeySource.ts': 'tpm',
  'src/keys/pkcs11/pkcs11KeySource.ts': 'pkcs11',
  'src/keys/pkcs11/listCertificates.ts': 'pkcs11-list',
  'src/keys/file/pkcs12KeySource.ts': 'pkcs12',
  'src/keys/file/mlDsaKey.ts': 'ml-dsa',
  'src/keys/file/encryptedPkcs8.ts': 'encrypted-pkcs8',
  'src/cli/commands/signString.ts': 'sign-string',
  'src/cli/commands/readCertificateData.ts': 'read-certificate-data',
  'src/cli/commands/serve.ts': 'serve',
  'src/cli/commands/update.ts': 'update',
  'src/cli/completion.ts': 'completion',
};

/** In every bundle, an import() of a lazy module becomes a require() of its bundle; a static import is a mistake. */
const lazyBundles = {
  name: 'lazy-bundles',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\.?\// }, (args) => {
      const source = relative(root, resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
      const name = LAZY[source];
      if (!name || args.kind === 'entry-point') return undefined;
      if (args.kind !== 'dynamic-import') {
        return { errors: [{ text: `${source} is loaded on demand (scripts/build.mjs): import it with import()` }] };
      }
      return { path: `./${name}.cjs`, external: true };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The ES builds of @smithy/* tree-shake down to the few helpers used; their CommonJS builds do not.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts', ...Object.fromEntries(Object.entries(LAZY).map(([source, name]) => [name, source])) },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  plugins: [lazyBundles],
  // import() of a library or a lazy bundle would start the ES module loader: make it a lazy require().
  supported: { 'dynamic-import': false },
  // import.meta.url in a CommonJS bundle: the bundle's own file URL, computed only when asked for.
  // The global `crypto` reads as undefined: @smithy/core's serde module, which the SigV4 helpers import,
  // probes it at load for a UUID generator nothing here uses, and reading it makes Node load its Web Crypto
  // implementation (~0.3 ms of every run). Nothing in these bundles uses the global; they import node:crypto.
  define: { __HELPER_VERSION__: JSON.stringify(version), 'import.meta.url': '__bundle.url', crypto: 'undefined' },
  banner: { js: "const __bundle = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  external: ['pkcs11js', 'node-forge', '@noble/post-quantum', 'proxy-from-env', 'proper-lockfile'],
});
const cli = readFileSync(resolve(root, 'dist/cli.cjs'), 'latin1');
if (/[^\x00-\x7f]/.test(cli)) throw new Error('dist/cli.cjs is not ASCII: bin/aws_signing_helper.cjs reads it as latin1');
const [code, sourceMapLine] = cli.split(/\n(?=\/\/# sourceMappingURL=)/);
writeFileSync(
  resolve(root, 'dist/cli.function.js'),
  `(function (exports, require, module, __filename, __dirname) {${code}\n})\n${sourceMapLine.replace('cli.cjs.map', 'cli.function.js.map')}`,
);
rmSync(resolve(root, 'dist/cli.cjs'));
renameSync(resolve(root, 'dist/cli.cjs.map'), resolve(root, 'dist/cli.function.js.map'));

await build({
  ...common,
  entryPoints: { emulator: 'src/emulator/index.ts' },
  outfile: 'dist/emulator.js',
  format: 'esm',
  define: { __HELPER_VERSION__: JSON.stringify(version) },
  external: ['pkcs11js'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
