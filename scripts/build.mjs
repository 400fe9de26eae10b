// Bundles with esbuild into dist/:
// - cli.function.js, the CLI, as CommonJS: credential-process runs on every AWS CLI call, and on Node 20
//   an ES module graph costs ~10 ms more to start than CommonJS (measured; see bench/). It holds what
//   credential-process needs for unencrypted keys in files. It is written as the function CommonJS wraps
//   a module in, for bin/aws_signing_helper.cjs to compile as it is with its code cache (no second copy
//   of the source to build), and in ASCII, so that reading it as UTF-8 is a plain copy. It starts with a
//   comment holding a hash of its content, which the code cache is keyed by (asFunction below).
// - one more CommonJS bundle per module that the code loads with import() (a command's run, a key source,
//   encrypted PKCS#8, ...), named after its source path (src/keys/tpm/tpmKeySource.ts →
//   keys.tpm.tpmKeySource.cjs) and required when first used, so that nobody pays to load the rest. The build
//   finds them: an import() of a project module is a bundle boundary, a static import is not.
// - shortcutHit.function.js and cacheHit.function.js, what `credential-process --cache` needs to answer from
//   a cache entry, loaded before (and on a hit instead of) the main bundle: no node:crypto, node:net or
//   node:tls, which a hit must not cost. The first follows the shortcut an earlier hit of the same command
//   line left; the second checks a hit in full (flags, certificate, entry). Written and compiled as
//   cli.function.js is, each with a code cache of its own.
// - session.cjs, keys.cjs, http.cjs and mlDsa.cjs (VENDORED below), required by the bundles that
//   use them, so that the package holds them once. A vendored module may aggregate others (`export * from`,
//   as src/common.ts does), which the bundles then require from its bundle too; each is built on its own, to
//   hold what it aggregates: keys.pkcs11.tokenAccess.cjs, the PKCS#11 code both the key source and the
//   certificate listing use (it saved 18 kB of minified code, 1.6 kB of the packed package: the tarball is
//   one gzip stream, which found much of the second copy nearby); sigV4.cjs, @smithy/signature-v4 for the
//   session (its canonical request), STS's AssumeRole and the emulator (6 kB packed); cli.commandFlags.cjs,
//   the flags serve, update, check and sign-string share (2 kB packed); files.cjs, the files and folders
//   the helper makes and trusts (the credential cache, TPM keys, cache, serve, update), and lockFile.cjs
//   (the credential cache, update), apart: it loads proper-lockfile and adds exit listeners (4.5 kB packed);
//   credentials.refreshing.cjs, the credential refresher of the library, serve and update (1.6 kB packed);
//   emulator.checks.cjs, the emulator's options and their checks, for the emulator and its command (1 kB);
//   rolesAnywhereRules.cjs, the service's rules that check and the emulator both apply, with the X.509
//   reading both do (0.8 kB, and 5 kB more with src/x509's); and
//   http.cjs holds the proxy settings and loopback addresses the session and serve use beside the AWS call (1.3 kB);
//   session.settings.cjs, the session's ARNs, Regions and endpoint, for the session, the route provider,
//   check and serve (2.9 kB); credentials.cache.entries.cjs, the credential cache's
//   entries as a hit reads them (their names, reading and judging one, the library's look for a hit): all
//   of the cache a library's hit loads, and what the cache's locks and writes and the `cache` command use
//   of it (4.6 kB gzipped). A group of a few hundred bytes does not pay for its file (a tar header, the bundle's
//   prologue): the completion script, shared by two bundles, grew the package.
// - common.cjs, the modules many bundles use (src/common.ts: certificates, DER and PEM, input files and
//   secrets), required by the bundles using them instead of each holding a copy (it saved 22 kB of the
//   package); the CLI's main bundle and the cache-hit bundles hold their own, for their start-up, and so does
//   the library's entry (index.cjs) of the few it uses (its options' checks, the shared config file's read:
//   1.5 kB more of it), so that importing the package and making a provider load no common.cjs (11 million
//   instructions, about 2 ms: docs/performance.md), which its first call's bundles then require; and so do
//   the credential cache's entries (credentials.cache.entries.cjs: reading inputs, file errors, pkcs11: URIs;
//   1.7 kB of the package), so that a cache hit of the library loads none either.
// - runtime.cjs, the modules every bundle shares one copy of (src/runtime.ts: error classes, the logger's
//   no-op, stdout/stderr). The CLI's main bundle holds them itself, and bin/aws_signing_helper.cjs hands
//   them to the bundles it loads in runtime.cjs's place; other bundles require runtime.cjs.
// - the package's entry points, each a CommonJS bundle with an ES module face re-exporting it (one copy for
//   both module systems): index.cjs/.mjs, the library (src/index.ts: fromRolesAnywhere), and
//   emulator.cjs/.mjs, the Roles Anywhere emulator and throw-away PKI (`roles-anywhere-helper/emulator`) for
//   users' tests, the demo and the benchmarks. They share the lazily loaded bundles with the CLI and require
//   runtime.cjs; types/ holds their declarations.
// node-forge (PKCS#12), proper-lockfile (file locks), signal-exit (exit hooks: the file locks', the TPM's clean-up, serve --ecs's
// token folder) and pkcs11js (optional, native) stay in node_modules, the
// package's only runtime dependencies, and are required only by the code that uses them; everything else
// is bundled (@noble/post-quantum into the ML-DSA bundle: 24 kB there instead of 3.9 MB installed).
import { decode as decodeMappings, encode as encodeMappings } from '@jridgewell/sourcemap-codec';
import { build as esbuildBuild, transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
/**
 * This build's identity beside its version (src/version.ts): a hash of the sources, this script, the
 * TypeScript settings (the declarations' too), the bin's source and, where there is one, the lockfile, which
 * two builds of one version, from a git checkout say, differ by.
 */
const sources = [
  ...['scripts/build.mjs', 'tsconfig.json', 'tsconfig.types.json', 'package-lock.json', 'src/bin/aws_signing_helper.cjs'].filter((file) => existsSync(resolve(root, file))),
  ...readdirSync(resolve(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, resolve(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort(),
];
const buildHash = createHash('sha256');
for (const file of sources) buildHash.update(`${file}\0`).update(readFileSync(resolve(root, file))).update('\0');
const buildIdentity = buildHash.digest('hex').slice(0, 16);
/**
 * The build that becomes the package: the prepare script as `npm pack` and `npm publish` run it, and as npm
 * runs it to pack a git dependency (`npm install github:…`: npm_command is then install, but npm names the
 * folder it packs in npm_package_resolved, as it does for a pack). Not a prepare after `npm install` in a clone.
 */
const { npm_lifecycle_event: event, npm_command: command, npm_package_resolved: packedFrom } = process.env;
const PACKING = event === 'prepare' && (['pack', 'publish'].includes(command) || Boolean(packedFrom));
/**
 * What the last build that finished was, in .cache/: with --if-changed (setup.sh), a tree already built from
 * these sources, the same way, is left as it is, so that a demo or tests running from it are not rebuilt
 * under (QA: a second demo's set-up removed dist/ while the first ran, 'Cannot find module ./common.cjs').
 */
const STAMP = resolve(root, '.cache/build-stamp');
const stamp = `${version} ${buildIdentity} ${PACKING ? 'packed' : 'clone'}\n`; // the version, which package.json alone may change (review)
const isBuilt = () => existsSync(resolve(root, 'bin/aws_signing_helper.cjs')) && existsSync(resolve(root, 'dist/cli.function.js'));
if (process.argv.includes('--if-changed') && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp && isBuilt()) process.exit(0);
rmSync(STAMP, { force: true });
rmSync(resolve(root, 'dist'), { recursive: true, force: true });

const RUNTIME = 'src/runtime.ts';
const COMMON = 'src/common.ts';
/** The modules an aggregating module (src/runtime.ts, src/common.ts, ...) re-exports, by their paths from the project's root. */
const reExported = (aggregate) =>
  new Set(
    [...readFileSync(resolve(root, aggregate), 'utf8').matchAll(/^export \* from '(\.\.?\/.+)\.js';$/gm)].map(([, path]) =>
      relative(root, resolve(root, dirname(aggregate), `${path}.ts`)).split(sep).join('/'),
    ),
  );
/** The modules src/runtime.ts re-exports: in every bundle but the CLI's main one, they are runtime.cjs. */
const SHARED = reExported(RUNTIME);
/** The modules src/common.ts re-exports: in every bundle but the CLI's main one and the cache-hit ones, common.cjs. */
const COMMON_MODULES = reExported(COMMON);
const EXTERNAL = ['pkcs11js', 'node-forge', 'proper-lockfile', 'signal-exit'];
/**
 * Modules with a bundle of their own that the bundles using them require (not lazily), so that the package
 * holds them once: the Roles Anywhere session (the library, serve, update, check), the key sources' resolution
 * (with sign-string and check), the AWS call over HTTP (with STS, proxies), ML-DSA (file keys, check, the
 * emulator) and @smithy/signature-v4 (the session, STS, the emulator). The CLI's main bundle holds the ones it
 * needs itself, for its start-up. Those that aggregate modules (tokenAccess.ts: PKCS#11's key source and
 * certificate listing; commandFlags.ts: the commands' flags; ownFiles.ts: the files the helper makes and
 * trusts; refreshing.ts: the credential refresher; emulatorChecks.ts: the emulator's option checks; rules.ts:
 * the service's rules, for check and the emulator; httpCalls.ts: the AWS call over HTTP, with the proxy
 * settings; sessionSettings.ts: the session's ARNs, Regions, endpoint; cacheEntries.ts: the credential cache's
 * entries as a hit reads them) hold them for the bundles that use any
 * of them. A module that other bundles use too stays out of them (files/homeFolder.ts: common.cjs and the
 * session), or those would load the whole group: look at which bundles require a new one (`grep -l
 * 'require("./files.cjs")' dist/*.cjs`).
 */
const VENDORED = {
  'src/credentials/rolesAnywhereSession.ts': 'session',
  'src/keys/resolveKeySource.ts': 'keys',
  'src/http/httpCalls.ts': 'http',
  'src/mlDsa.ts': 'mlDsa',
  'src/keys/pkcs11/tokenAccess.ts': 'keys.pkcs11.tokenAccess',
  'src/smithySigV4.ts': 'sigV4',
  'src/cli/commandFlags.ts': 'cli.commandFlags',
  'src/files/ownFiles.ts': 'files',
  'src/files/lockFile.ts': 'lockFile',
  'src/credentials/refreshing.ts': 'credentials.refreshing',
  'src/emulator/emulatorChecks.ts': 'emulator.checks',
  'src/rolesAnywhereRules/rules.ts': 'rolesAnywhereRules',
  'src/session/sessionSettings.ts': 'session.settings',
  'src/credentials/cache/cacheEntries.ts': 'credentials.cache.entries',
};
/** Each module a vendored bundle holds for the others: its source, and the modules it re-exports if it aggregates some. */
const VENDORED_MODULES = new Map(Object.entries(VENDORED).flatMap(([source, name]) => [source, ...reExported(source)].map((module) => [module, name])));

/**
 * What answers `credential-process --cache` before the CLI loads, each its own bundle with nothing to load
 * (no node:crypto, node:net or node:tls): a shortcut a hit left, else a hit checked in full.
 */
const CACHE_HIT_BUNDLES = { shortcutHit: 'src/cli/shortcutHit.ts', cacheHit: 'src/cli/cacheHit.ts' };

/** The package's entry points (package.json's exports), by source. */
const ENTRIES = { 'src/index.ts': 'index', 'src/emulator/index.ts': 'emulator' };
/** dist/ name of an entry point or a lazily loaded module: src/keys/tpm/tpmKeySource.ts → keys.tpm.tpmKeySource */
const bundleName = (source) => ENTRIES[source] ?? source.replace(/^src\//, '').replace(/\.ts$/, '').replaceAll('/', '.');
const sourceOf = (args) => relative(root, resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');

/**
 * In every bundle, an import() of a project module becomes a require() of that module's bundle (noted in
 * `found`, to be built next), and an import of a shared module (except in the CLI's main bundle) a require()
 * of runtime.cjs, and of a common one (except in the bundles that inline shared modules, and common.cjs
 * itself) a require() of common.cjs.
 */
function bundleBoundaries(found, { inlineShared, inlineCommon = inlineShared, own }) {
  return {
    name: 'bundle-boundaries',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const source = sourceOf(args);
        const vendored = VENDORED_MODULES.get(source);
        // An import() of a vendored module requires its bundle when first used, as any other's.
        if (args.kind === 'dynamic-import' && vendored) return { path: `./${vendored}.cjs`, external: true };
        if (args.kind === 'dynamic-import') {
          found.add(source);
          return { path: `./${bundleName(source)}.cjs`, external: true };
        }
        if (SHARED.has(source) && !inlineShared) return { path: './runtime.cjs', external: true };
        if (COMMON_MODULES.has(source) && !inlineCommon) return { path: './common.cjs', external: true };
        if (vendored && vendored !== own && !inlineShared) return { path: `./${vendored}.cjs`, external: true };
        return undefined;
      });
    },
  };
}


/** import.meta.url's stand-in, left out below of the bundles that never read it. */
const IMPORT_META_URL = "const __bundle = { get url() { return require('node:url').pathToFileURL(__filename).href; } };";
/**
 * Each bundle, as it loads, checks that the bundles this process loaded from its folder before it are of
 * its build: a package upgraded (or reinstalled) under a running process, a library's service say, had its
 * lazily loaded bundles require functions the old common.cjs did not have, a TypeError at each call (QA).
 * A library's bundle loaded again from its file once loaded (a test runner's module registry made anew,
 * Jest's resetModules: the entry point required before it then requires the lazily loaded bundles again)
 * is the first one (its module.loaded: one that failed to load is loaded again), so that the bundles share
 * one runtime.cjs still: each copy of it had error classes of its own, which the rest took for another's
 * errors (their messages lost what was being read), and each copy of the credential cache's bundle added
 * a listener for each signal (QA: MaxListenersExceededWarning in a Jest run). Its code is then a function
 * that returns early, as a top-level return would not parse where the bundle is read as an ES module
 * (Vite's transform, which Vitest gives the files it inlines).
 * Only when it runs from its own file (OWN_FILE, each bundle's name once written): inlined into an app's
 * bundle (esbuild, webpack), every bundle runs with the app's file and folder, and two versions of the
 * package there are no upgrade (nor, in an ES module output, is there a __filename). One line: the source
 * maps hold. The build check is left out of the bundles only ever loaded at start or by a bundle that
 * checked, for the package's size budget. The line starts with "use strict": esbuild's, after it, is then no
 * directive, and the bundle's code ran in sloppy mode (review).
 */
const OWN_FILE = '/*__ROLES_ANYWHERE_HELPER_OWN_FILE__*/';
const ownFileLine = (file, checkBuild, once) =>
  `${once ? '(function(){' : ''}"use strict";if(typeof __filename=="string"&&__filename.endsWith("/${file}")){const b=globalThis[Symbol.for("roles-anywhere-helper")]??={}` +
  (checkBuild
    ? `,i="${buildIdentity}";if((b[__dirname]??=i)!==i)throw Error("roles-anywhere-helper in "+__dirname+" mixes two builds (upgraded under this process?): restart it, or install again")`
    : '') +
  `${once ? ';const m=b[__filename];if(m?.loaded)return module.exports=m.exports;b[__filename]=module' : ''}}`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The ES builds of @smithy/* tree-shake down to the few helpers used; their CommonJS builds do not.
  mainFields: ['module', 'main'],
  minify: true,
  // Source maps for work on a clone; the package ships none (3.5 MB), so a packed build points to none either.
  sourcemap: PACKING ? false : 'linked',
  logLevel: 'warning',
  metafile: true,
  format: 'cjs',
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  // import() of a library or a lazy bundle would start the ES module loader: make it a lazy require().
  supported: { 'dynamic-import': false },
  // import.meta.url in a CommonJS bundle: the bundle's own file URL, computed only when asked for.
  // The global `crypto` reads as undefined: @smithy/core's serde module, which the SigV4 helpers import,
  // probes it at load for a UUID generator nothing here uses, and reading it makes Node load its Web Crypto
  // implementation (~0.3 ms of every run). Nothing in these bundles uses the global; they import node:crypto.
  define: { __HELPER_VERSION__: JSON.stringify(version), __HELPER_BUILD__: JSON.stringify(buildIdentity), 'import.meta.url': '__bundle.url', crypto: 'undefined' },
  banner: { js: `${IMPORT_META_URL}\n${OWN_FILE}` },
  // The bundled packages' licenses are in THIRD_PARTY (below), all of them, not only those marked as comments to keep.
  legalComments: 'none',
  external: EXTERNAL,
};

/**
 * For the library's entry point and runtime.cjs (the error classes): class and function names kept, so
 * that an error a library user logs shows as a CredentialsProviderError, not as a minified `r`. Not for the
 * other bundles: the CLI's start-up would pay a call per kept name, and the package would grow by 50 kB
 * (past its 305 kB budget). The emulator names its one error class itself.
 */
// Short lines there: Node prints the line an uncaught error was thrown from, and a library user's typo in
// an option printed 12 kB of minified code before its one-line message. esbuild breaks a line only where it
// can, past the limit: at 500, a line of 952 characters held the options check (test/e2e/library.test.ts).
const named = { ...common, keepNames: true, lineLimit: 200 };
const LIBRARY = 'src/index.ts';
/**
 * The vendored bundles that hold code an entry point held, built as it is: the library's credential
 * refresher (its NoValidCredentialsError keeps its name), the emulator's option checks and the service's
 * rules with src/x509's reading, which the emulator's bundle held (short lines).
 */
const AS_ENTRY = { 'credentials.refreshing': { keepNames: true, lineLimit: named.lineLimit }, 'emulator.checks': { lineLimit: named.lineLimit }, rolesAnywhereRules: { lineLimit: named.lineLimit } };

/** The files of node_modules that the bundles hold, for the notices of their packages (THIRD_PARTY below). */
const bundledFiles = new Set();
async function build(options) {
  const result = await esbuildBuild(options);
  for (const { inputs } of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(inputs)) if (bytesInOutput > 0 && input.includes('node_modules/')) bundledFiles.add(input);
  }
  return result;
}

/** Each bundle's sources, to check that no module is in two bundles (a static import of a lazy module). */
const inputsOf = new Map();
const record = (result) => {
  for (const [output, { entryPoint, inputs }] of Object.entries(result.metafile.outputs)) {
    if (entryPoint) inputsOf.set(output, Object.keys(inputs));
  }
};

const found = new Set();
record(await build({ ...common, entryPoints: { cli: 'src/cli/cliBundleEntry.ts' }, plugins: [bundleBoundaries(found, { inlineShared: true })] }));
record(await build({ ...named, entryPoints: { runtime: RUNTIME } }));
record(await build({ ...common, entryPoints: { common: COMMON }, plugins: [bundleBoundaries(found, { inlineShared: false, inlineCommon: true })] }));
// One build each: a vendored bundle holds the modules it aggregates, which the others require from it.
for (const [source, name] of Object.entries(VENDORED)) {
  const options = { ...common, ...AS_ENTRY[name], entryPoints: { [name]: source } };
  // The credential cache's entries hold the common modules they use, as the cache-hit bundles do: the library's hit loads no common.cjs.
  const inlineCommon = name === 'credentials.cache.entries';
  record(await build({ ...options, plugins: [bundleBoundaries(found, { inlineShared: false, inlineCommon, own: name })] }));
}
for (const [name, source] of Object.entries(CACHE_HIT_BUNDLES)) {
  const bundle = await build({ ...common, entryPoints: { [name]: source }, plugins: [bundleBoundaries(new Set(), { inlineShared: true })] });
  for (const { path } of bundle.metafile.outputs[`dist/${name}.cjs`].imports) {
    if (/^(node:)?(crypto|net|tls|http|https)$/.test(path) || path.startsWith('./')) throw new Error(`dist/${name}.cjs loads ${path}: a cache hit must not`);
  }
}
for (const source of Object.keys(ENTRIES)) found.add(source);
// Its common modules of its own (above): a program's start loads no common.cjs.
record(await build({ ...named, entryPoints: { index: LIBRARY }, plugins: [bundleBoundaries(found, { inlineShared: false, inlineCommon: true })] }));
const built = new Set([LIBRARY]);
// The bundles those load with import(), and the ones these load in turn.
while (found.size > built.size) {
  const next = [...found].filter((source) => !built.has(source));
  for (const source of next) built.add(source);
  // The emulator's entry point is a library's too, whose errors reach a user's test run: short lines (above).
  const [entries, lazy] = [next.filter((source) => ENTRIES[source]), next.filter((source) => !ENTRIES[source])];
  for (const [sources, options] of [[entries, { lineLimit: named.lineLimit }], [lazy, {}]]) {
    if (sources.length === 0) continue;
    record(
      await build({
        ...common,
        ...options,
        entryPoints: Object.fromEntries(sources.map((source) => [bundleName(source), source])),
        plugins: [bundleBoundaries(found, { inlineShared: false })],
      }),
    );
  }
}
// Each entry point's ES module face: its named exports are the CommonJS bundle's.
for (const name of Object.values(ENTRIES)) {
  const names = Object.keys(createRequire(import.meta.url)(resolve(root, `dist/${name}.cjs`)));
  writeFileSync(
    resolve(root, `dist/${name}.mjs`),
    `import bundle from './${name}.cjs';\nexport const { ${names.join(', ')} } = bundle;\nexport default bundle;\n`,
  );
}
for (const [output, inputs] of inputsOf) {
  const misplaced = inputs.find((input) => found.has(input) && output !== `dist/${bundleName(input)}.cjs`);
  if (misplaced) throw new Error(`${output} holds ${misplaced}, which is loaded on demand: import it with import()`);
}

// The banner that defines import.meta.url's stand-in, left out of the bundles that never read it (all but
// one): ~100 bytes each of the package's size budget. Its line stays, empty, so that the source maps hold.
// The build check's line names the bundle's file, as it is once written (asFunction below).
const FUNCTION_BUNDLES = new Set(['cli', ...Object.keys(CACHE_HIT_BUNDLES)]);
// Nor of a command's bundle, which the CLI loads in its first milliseconds: there is no running process to upgrade under.
// The credential cache's entries do check: the library's `cache: true` loads them first of its lazily loaded
// bundles, at its first call (a hit, then, loads no other), as it loaded the cache's bundle, which checks.
const CHECKED_VENDORED = 'credentials.cache.entries';
const UNCHECKED = new Set(['runtime', 'common', ...Object.values(VENDORED).filter((name) => name !== CHECKED_VENDORED), ...Object.keys(CACHE_HIT_BUNDLES)]);
const checked = (name) => !UNCHECKED.has(name) && !name.startsWith('cli.');
// The bundles only the CLI loads (those of src/cli/), once in its process, get neither the check nor the line.
const cliOnly = (name) => name in CACHE_HIT_BUNDLES || name.startsWith('cli.');
// esbuild's lineLimit (the library's bundles, above) continues a long string on the next line, a backslash
// before the line break, and @rollup/plugin-commonjs indents each CommonJS module it wraps (every one, by
// default) with tabs, which such a line then took into its string (QA: a Rollup bundle of an app refused
// requestHandler, assumeRoleTags and useDualstackEndpoint, "it must be a \t\trequestHandler"). Each string is
// made whole on its first line, and the source map's lines are joined as the code's are.
const CONTINUED = /(?<!\\)(?:\\\\)*\\$/; // a line ending in an odd number of backslashes
function joinContinuedStrings(text, sourceMap) {
  const lines = text.split('\n');
  if (!lines.some((line) => CONTINUED.test(line))) return text;
  const { mappings } = sourceMap;
  for (let i = lines.length - 2; i >= 0; i--) {
    if (!CONTINUED.test(lines[i])) continue;
    const column = lines[i].length - 1;
    lines.splice(i, 2, lines[i].slice(0, -1) + lines[i + 1]);
    // The next line's segments now start where the backslash was.
    const moved = (mappings[i + 1] ?? []).map(([generated, ...source]) => [column + generated, ...source]);
    if (i < mappings.length) mappings.splice(i, 2, [...mappings[i], ...moved]);
  }
  return lines.join('\n');
}

// esbuild writes a lazily loaded part's import() as `Promise.resolve().then(()=>__toESM(require("./x.cjs"),1))`,
// the shape TypeScript and Babel give import() in CommonJS, which Parcel 2 takes for one: it put the part in a
// chunk of its own and made that require return a Promise, which __toESM wrapped (QA: in an app's Parcel bundle,
// PKCS#12, encrypted PKCS#8, ssh-agent, PKCS#11, TPM, role chaining and the credential cache all failed with
// "undefined is not a function"). An async arrow's call, `(async()=>__toESM(require("./x.cjs"),1))()`, is a plain
// require inside a function to Parcel, as the other bundlers and Node take both: the part is still loaded only
// then, and a failure to load it still rejects (at the call rather than a tick later). The source map's
// segments after each change move with the code.
const LAZY_REQUIRE = /Promise\.resolve\(\)\.then\(\(\)=>([\w$]+\(require\("[^"]+"\)(?:,1)?\))\)/g;
const [CHAINED, CALLED] = ['Promise.resolve().then(()=>', '(async()=>'];
function unchainLazyRequires(text, sourceMap, path) {
  if (!text.includes(CHAINED)) return text;
  const { mappings } = sourceMap;
  const lines = text.split('\n').map((line, index) => {
    const edits = []; // [column, length before, length after], in the line's order
    const changed = line.replace(LAZY_REQUIRE, (match, call, column) => {
      edits.push([column, CHAINED.length, CALLED.length], [column + match.length - 1, 1, 3]);
      return `${CALLED}${call})()`;
    });
    const moved = (column) => {
      let by = 0;
      for (const [start, before, after] of edits) {
        if (column < start) break;
        if (column < start + before) return start + by;
        by += after - before;
      }
      return column + by;
    };
    if (edits.length && mappings[index]) mappings[index] = mappings[index].map(([column, ...source]) => [moved(column), ...source]);
    return changed;
  });
  const result = lines.join('\n');
  if (/Promise\.resolve\(\)\.then\(\(\)=>[\w$]+\(require\(/.test(result)) throw new Error(`${path}: esbuild wrote a lazy require in a new shape, which Parcel may take for import(): extend LAZY_REQUIRE, or, for a require of a computed path, give the import() in src/ a literal one (a bundler cannot follow the other)`);
  return result;
}

// A bundle's source map, for the rewrites above: read and decoded when the first of them changes a line,
// encoded and written once after them all.
function bundleSourceMap(mapPath) {
  let map;
  let mappings;
  return {
    get mappings() {
      if (!mappings) {
        map = existsSync(mapPath) ? JSON.parse(readFileSync(mapPath, 'utf8')) : undefined;
        mappings = map ? decodeMappings(map.mappings) : [];
      }
      return mappings;
    },
    save() {
      if (map) writeFileSync(mapPath, JSON.stringify({ ...map, mappings: encodeMappings(mappings) }));
    },
  };
}

for (const file of readdirSync(resolve(root, 'dist'))) {
  if (!file.endsWith('.cjs')) continue;
  const path = resolve(root, 'dist', file);
  const name = file.slice(0, -'.cjs'.length);
  // The library's bundles are loaded once (above); the CLI's main one is only checked.
  const once = !cliOnly(name) && !FUNCTION_BUNDLES.has(name);
  const line = cliOnly(name) ? '' : ownFileLine(FUNCTION_BUNDLES.has(name) ? `${name}.function.js` : file, checked(name), once);
  const sourceMap = bundleSourceMap(`${path}.map`);
  let text = unchainLazyRequires(joinContinuedStrings(readFileSync(path, 'latin1'), sourceMap), sourceMap, path);
  sourceMap.save();
  // Once only: the same file read again (two builds at once) is left as the first wrote it.
  if (once && text.includes(OWN_FILE)) text = text.replace(/\n?(\/\/# sourceMappingURL=\S+\n?)?$/, (_, map = '') => `\n}).call(this);\n${map}`);
  text = text.replace(OWN_FILE, line);
  const banner = `${IMPORT_META_URL}\n`;
  if (text.startsWith(banner) && !text.includes('__bundle.url', banner.length)) text = `\n${text.slice(banner.length)}`;
  writeFileSync(path, text, 'latin1');
}

// dist/<name>.cjs becomes dist/<name>.function.js: the function CommonJS wraps a module in, for
// bin/aws_signing_helper.cjs to compile as it is with its code cache, in ASCII (read as UTF-8). It starts
// with the build's identity, which the code cache is keyed by: V8 checks a cache against the source's length
// only, and a bundle's size and mtime can be those of another build. bin/aws_signing_helper.cjs reads it
// from the bundle's first 36 bytes: `/*` and the first 32 hex digits of the SHA-256 of the rest, `*/`.
function asFunction(name) {
  const bundle = readFileSync(resolve(root, `dist/${name}.cjs`), 'latin1');
  if (/[^\x00-\x7f]/.test(bundle)) throw new Error(`dist/${name}.cjs is not ASCII, as bin/aws_signing_helper.cjs and its code cache expect`);
  const [code, sourceMapLine = ''] = bundle.split(/\n(?=\/\/# sourceMappingURL=)/);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${code}\n})\n${sourceMapLine.replace(`${name}.cjs.map`, `${name}.function.js.map`)}`;
  const buildId = createHash('sha256').update(wrapped, 'latin1').digest('hex').slice(0, 32);
  writeFileSync(resolve(root, `dist/${name}.function.js`), `/*${buildId}*/${wrapped}`);
  rmSync(resolve(root, `dist/${name}.cjs`));
  if (sourceMapLine) renameSync(resolve(root, `dist/${name}.cjs.map`), resolve(root, `dist/${name}.function.js.map`));
}
asFunction('cli');
for (const name of Object.keys(CACHE_HIT_BUNDLES)) asFunction(name);

// bin/aws_signing_helper.cjs, the package's bin, from src/bin/aws_signing_helper.cjs (plain CommonJS that
// runs before any bundle): as it is in a clone, for work on it; minified in the package, whose size budget
// its comments took 3.6 kB of.
const binSource = readFileSync(resolve(root, 'src/bin/aws_signing_helper.cjs'), 'utf8');
const bin = PACKING ? (await transform(binSource, { minify: true, format: 'cjs', target: 'node20', platform: 'node' })).code : binSource;
mkdirSync(resolve(root, 'bin'), { recursive: true });
writeFileSync(resolve(root, 'bin/aws_signing_helper.cjs'), bin);
chmodSync(resolve(root, 'bin/aws_signing_helper.cjs'), 0o755);

// The package's declarations (tsconfig.types.json), for users' TypeScript. tsc declares every module the
// entry points load; only those their declarations refer to are kept.
execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' });
const types = resolve(root, 'dist/types');
const referenced = new Set();
const ENTRY_TYPES = ['index.d.ts', 'emulator/index.d.ts'];
const pending = [...ENTRY_TYPES];
while (pending.length) {
  const file = pending.pop();
  if (referenced.has(file)) continue;
  referenced.add(file);
  for (const [, specifier] of readFileSync(resolve(types, file), 'utf8').matchAll(/(?:from |import\()'(\.[^']+)\.js'/g)) {
    pending.push(relative(types, resolve(types, dirname(file), `${specifier}.d.ts`)));
  }
}
const entries = readdirSync(types, { recursive: true, withFileTypes: true });
for (const entry of entries) {
  const file = relative(types, resolve(entry.parentPath, entry.name));
  if (entry.isFile() && !referenced.has(file)) rmSync(resolve(types, file));
}
// The folders left empty, deepest first.
for (const entry of entries.filter((e) => e.isDirectory()).reverse()) {
  const folder = resolve(entry.parentPath, entry.name);
  if (readdirSync(folder).length === 0) rmSync(folder, { recursive: true });
}
// The declarations users write against, with their doc comments: the entry points, the provider's and the
// emulator's options, what the emulator records (src/emulator/records.ts) and the test PKI. An internal
// module that one of them comes to refer to would ship as two more files (and its own imports after it):
// the build stops instead, for what users see to be declared in these (the package's size budget).
const PUBLIC = new Set([
  'index.d.ts', 'library/fromRolesAnywhere.d.ts', 'library/providerOptions.d.ts', 'log/logger.d.ts', 'sdkRequestHandler.d.ts', 'emulator/index.d.ts', 'emulator/emulator.d.ts',
  'emulator/emulatorOptions.d.ts', 'emulator/records.d.ts', 'emulator/pki/certificateAuthority.d.ts', 'emulator/pki/generateKey.d.ts',
]);
const internal = [...referenced].filter((file) => !PUBLIC.has(file));
if (internal.length) throw new Error(`type declarations refer to internal modules: ${internal.join(', ')}; declare what users see in the public ones`);
// The declarations as CommonJS ones (.d.cts), doc comments and all, which a project of either kind reads: in
// a package of "type": "module" TypeScript reads .d.ts as an ES module's, which a CommonJS project compiled
// with `module: node16` may not import, while an ES module may import CommonJS. The two entry points' .d.ts,
// for the exports' `import` condition, re-export them, and the default export the ES module wrappers give
// (a CommonJS module's exports, as Node's import of one gives them): one copy of each declaration keeps the
// package within its size budget. TypeScript's node10 resolution, which reads `types` and `typesVersions`,
// loads the CommonJS build (`main`): those name the .d.cts, which has no default export (QA: `import
// helper from 'roles-anywhere-helper'` ran but failed to type-check, TS1192).
for (const file of referenced) {
  const text = readFileSync(resolve(types, file), 'utf8').replace(/((?:from |import\()'\.[^']+)\.js'/g, "$1.cjs'");
  // The CommonJS entries are esbuild's, marked __esModule: TypeScript's esModuleInterop then takes a default
  // import from their `default`, which they have not (review: it type-checked, and was undefined).
  const marked = ENTRY_TYPES.includes(file) ? `${text}export declare const __esModule: true;\n` : text;
  writeFileSync(resolve(types, file.replace(/\.d\.ts$/, '.d.cts')), marked);
  if (ENTRY_TYPES.includes(file)) writeFileSync(resolve(types, file), "export * from './index.cjs';\nimport * as m from './index.cjs';\nexport default m;\n");
  else rmSync(resolve(types, file));
}
// dist/ holds other packages' code, minified: their licenses go with it, as theirs ask (MIT's "this permission
// notice shall be included in all copies or substantial portions"), in one file (QA: supply: the package held
// only its own LICENSE, and the notices of 4 of the 23 packages that esbuild kept as comments). Packages of one
// license text are listed together; an Apache License 2.0 text, LICENSE's, is referred to, with its copyright lines.
const THIRD_PARTY = 'dist/THIRD-PARTY-NOTICES.txt';
const texts = new Map();
const packageFolders = [...new Set([...bundledFiles].map((file) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file)[1]))];
for (const folder of packageFolders.sort()) {
  const { name, version, license } = JSON.parse(readFileSync(resolve(root, folder, 'package.json'), 'utf8'));
  const files = readdirSync(resolve(root, folder)).sort();
  const licenseFile = files.find((file) => /^licen[cs]e/i.test(file));
  if (!licenseFile) throw new Error(`dist/ holds code of ${name} (${folder}), which has no LICENSE file to ship with it: add its license to ${THIRD_PARTY} by hand`);
  let text = readFileSync(resolve(root, folder, licenseFile), 'utf8').trim();
  if (/Apache License\s+Version 2\.0/.test(text)) {
    text = [...text.matchAll(/^\s*(Copyright [^[{\n]+)$/gm)].map(([, line]) => `${line}\n`).join('') + 'Licensed under the Apache License, Version 2.0: its text is in LICENSE.';
  }
  const notice = files.find((file) => /^notice/i.test(file));
  if (notice) text += `\n\n${readFileSync(resolve(root, folder, notice), 'utf8').trim()}`;
  if (!texts.has(text)) texts.set(text, []);
  texts.get(text).push(`${name} ${version} (${license})`);
}
writeFileSync(
  resolve(root, THIRD_PARTY),
  "roles-anywhere-helper's bundles in dist/ hold code of these packages, minified. Their licenses follow.\n\n" +
    [...texts].map(([text, names]) => `${names.join('\n')}\n\n${text}\n`).join(`\n${'-'.repeat(80)}\n\n`),
);

// What the build wrote has the modes the package's files have anywhere (the bin's is set above), not ones
// the builder's umask gave: a pack under umask 077 held every bundle as 0600, a tarball that differed from
// another build of the same commit (QA: supply).
for (const entry of readdirSync(resolve(root, 'dist'), { recursive: true, withFileTypes: true })) {
  chmodSync(resolve(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
}
chmodSync(resolve(root, 'dist'), 0o755);
mkdirSync(resolve(root, '.cache'), { recursive: true });
writeFileSync(STAMP, stamp);
