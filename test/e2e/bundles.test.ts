import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createRequire, SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../src/emulator/pki/generateKey.js';
import { cliPath, expectFailure, projectRoot, runCli } from '../support/cli.js';
import { encryptPkcs8 } from '../support/encryptPkcs8.js';

const dist = join(projectRoot, 'dist');
const requireFromDist = createRequire(join(dist, 'x.cjs'));

describe('the bundles share one copy of the runtime (errors, logger, stdio)', () => {
  it('a lazily loaded bundle throws the runtime classes, not copies of its own', async () => {
    const runtime = requireFromDist('./runtime.cjs');
    const { decryptPkcs8 } = requireFromDist('./keys.file.encryptedPkcs8.cjs');
    const encrypted = encryptPkcs8(generateKey('ec-p256').pkcs8(), 'right');
    const thrown: unknown = await decryptPkcs8(encrypted, 'wrong').catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(runtime.WrongPasswordError);
    expect(thrown).toBeInstanceOf(runtime.HelperError);
  });

  it('every bundle of ours that throws takes the error classes from runtime.cjs', () => {
    // mlDsa.cjs and sigV4.cjs are @noble/post-quantum and @smithy/signature-v4, libraries with errors of
    // their own (shortcutHit.function.js and cacheHit.function.js, like the CLI's main bundle, are no .cjs:
    // they run before the CLI loads and let nothing escape them). files.cjs throws only its own
    // UntrustedFileError and ModesNotKeptError, which the bundles requiring it catch, and
    // emulator.checks.cjs the emulator's own EmulatorSetupError.
    const own = ['runtime.cjs', 'mlDsa.cjs', 'sigV4.cjs', 'files.cjs', 'emulator.checks.cjs'];
    const bundles = readdirSync(dist).filter((name) => name.endsWith('.cjs') && !own.includes(name));
    expect(bundles.length).toBeGreaterThan(5);
    for (const name of bundles) {
      const code = readFileSync(join(dist, name), 'utf8');
      if (code.includes('throw new')) expect(code, name).toContain('require("./runtime.cjs")');
    }
  });
});

describe('code that several lazily loaded bundles use is in the package once (issue 11: the tarball budget)', () => {
  // A message (a string esbuild keeps as it is) of a module, and the bundles that use the module, which
  // require the one bundle holding it rather than each hold a copy. The CLI's main bundle and the cache-hit
  // ones (.function.js) hold their own copies, for their start-up.
  it.each([
    ['the PKCS#11 token code (the key source and the certificate listing)', 'refused before: not sent again (each wrong try counts toward locking the PIN)'],
    ["@smithy/signature-v4's SignatureV4 (STS's AssumeRole and the emulator)", 'Resolved credential object is not valid'],
    ["@smithy/signature-v4's canonical headers (the session, STS's AssumeRole)", 'x-amzn-trace-id'],
    ["the commands' shared flags (serve, update, check, sign-string)", 'for "--assume-role-tag" flag'],
    ['the files the helper makes and trusts (the credential cache, TPM keys, cache, serve, update)', ', which belongs to another user'],
    ['the file lock (the credential cache, update)', 'Lock file is already being held'],
    ['the credential refresher (the library, serve, update)', 'the credentials are being fetched'],
    ["the emulator's option checks (the emulator, the emulator command)", 'a 12-digit account ID'],
    ["the service's rules (check, the emulator)", 'STS allows ASCII letters, digits and _+=,.@- in a source identity'],
    ['the proxy settings (the session, the AWS call over HTTP)', 'no_proxy'],
    ["the session's settings (the session, the credential cache, check, serve)", "trust anchor and profile regions don't match"],
    ["src/x509's reading (check, the emulator, with the service's rules)", 'the TBSCertificate names another signature algorithm than the certificate'],
    ["--cert-selector's parser (the key sources, read-certificate-data)", 'cert selector contained invalid key'],
  ])('%s', (_, message) => {
    const holders = readdirSync(dist).filter((name) => name.endsWith('.cjs') && readFileSync(join(dist, name), 'latin1').includes(message));
    expect(holders).toHaveLength(1);
  });

  it("each module of src/x509, by the source maps: one message per group misses a module left out of rolesAnywhereRules.cjs's re-exports (review: crl.ts then went into the emulator's bundle too, 0.6 kB)", () => {
    const holders = new Map<string, string[]>();
    for (const name of readdirSync(dist).filter((file) => file.endsWith('.cjs') && existsSync(join(dist, `${file}.map`)))) {
      for (const source of (JSON.parse(readFileSync(join(dist, `${name}.map`), 'utf8')) as { sources: string[] }).sources.filter((path) => path.startsWith('../src/x509/'))) {
        holders.set(source, [...(holders.get(source) ?? []), name]);
      }
    }
    expect(holders.size).toBeGreaterThan(10);
    expect([...holders].filter(([, names]) => names.length > 1)).toEqual([]);
  });
});

describe('the bundles require one another without a cycle', () => {
  it("none, lazily loaded or not, requires one that requires it again, however far round (Rollup warned of http.cjs and http.requestHandler.cjs in users' builds)", () => {
    const files = readdirSync(dist).filter((name) => /\.(cjs|mjs|js)$/.test(name));
    expect(files.length).toBeGreaterThan(20);
    const requires = new Map(
      files.map((name) => [
        name,
        [...readFileSync(join(dist, name), 'latin1').matchAll(/\b(?:require|import)\s*\(\s*(["'])\.\/([^"']+)\1\s*\)|\bfrom\s*(["'])\.\/([^"']+)\3/g)].map((match) => match[2] ?? match[4]!),
      ]),
    );
    expect(requires.get('index.mjs')).toEqual(['index.cjs']);
    expect(requires.get('index.cjs')).toContain('runtime.cjs');
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') return void cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
      state.set(name, 'visiting');
      for (const next of requires.get(name) ?? []) visit(next, [...path, name]);
      state.set(name, 'done');
    };
    for (const name of files) visit(name, []);
    expect(cycles).toEqual([]);
  });
});

describe("the bundles load one another and the dependencies by name, which Next.js's file tracing follows", () => {
  // Next.js with `serverExternalPackages: ['roles-anywhere-helper']` and `output: 'standalone'` copies only
  // the files its tracer finds from dist/index.mjs by requires naming them, the parts loaded on demand
  // included (PKCS#12 with node-forge, encrypted PKCS#8, role chaining, the credential cache with its locks);
  // webpack and Turbopack, bundling it, follow the same names. A part loaded through a computed path would
  // be missing there, only at its first call in production (QA nextjs: every option tried, docs/library.md).
  const loads = (name: string) =>
    [...readFileSync(join(dist, name), 'latin1').matchAll(/\b(?:require|import)\s*\(\s*(?:(["'])([^"']+)\1\s*\)|(?!["']))|\bfrom\s*(["'])(\.\/[^"']+)\3/g)].map(
      (match) => match[2] ?? match[4] ?? '<computed>',
    );
  const reached = (entry: string) => {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const next of loads(name)) if (next.startsWith('./')) visit(next.slice(2));
    };
    visit(entry);
    return seen;
  };

  it('every bundle is reached from an entry point (the bin loads the CLI bundles), none through a computed require', () => {
    const files = readdirSync(dist).filter((name) => /\.(cjs|mjs|js)$/.test(name));
    const entries = ['index.mjs', 'emulator.mjs', 'cli.function.js', 'shortcutHit.function.js', 'cacheHit.function.js'];
    const all = new Set(entries.flatMap((entry) => [...reached(entry)]));
    expect(files.filter((name) => !all.has(name))).toEqual([]);
    expect(files.filter((name) => loads(name).includes('<computed>'))).toEqual([]);
  });

  it("the library's reach names each of the package's runtime dependencies", () => {
    const { dependencies, optionalDependencies } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const library = [...reached('index.mjs')];
    expect(library).toEqual(expect.arrayContaining(['keys.file.pkcs12KeySource.cjs', 'keys.file.encryptedPkcs8.cjs', 'credentials.cache.sessionCache.cjs', 'lockFile.cjs']));
    const packages = new Set(library.flatMap(loads).filter((name) => !/^(\.\/|node:)/.test(name)));
    expect([...packages].sort()).toEqual(Object.keys({ ...dependencies, ...optionalDependencies }).sort());
  });
});

describe('the bundles hold each string on one line', () => {
  it("none continues a string on the next line, which @rollup/plugin-commonjs indents, tabs into the string (QA: a Rollup bundle refused requestHandler, 'it must be a \\t\\trequestHandler')", () => {
    const continued: string[] = [];
    for (const name of readdirSync(dist).filter((file) => /\.(cjs|js)$/.test(file))) {
      readFileSync(join(dist, name), 'latin1')
        .split('\n')
        .forEach((line, index) => /(?<!\\)(?:\\\\)*\\$/.test(line) && continued.push(`${name}:${index + 1}: ${line.slice(-40)}`));
    }
    expect(continued).toEqual([]);
  });
});

describe("the bundles' source maps (work on a clone)", () => {
  it("map each string of ours to where its source writes it, on the lines the build joined too (review: a join's map a column or a line off passed every test)", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const name of readdirSync(dist).filter((file) => file.endsWith('.cjs') && existsSync(join(dist, `${file}.map`)))) {
      const payload = JSON.parse(readFileSync(join(dist, `${name}.map`), 'utf8')) as SourceMapPayload;
      const map = new SourceMap(payload);
      readFileSync(join(dist, name), 'latin1')
        .split('\n')
        .forEach((line, index) => {
          // A string of a message's words, where an argument, a value or a property's begins.
          for (const { 0: string, 1: start, index: column } of line.matchAll(/(?<=[(,:=])"([A-Za-z][a-z ]{11})[^"\\]*"/g)) {
            const entry = map.findEntry(index, column);
            if (!('originalSource' in entry) || entry.originalSource.includes('/node_modules/')) continue;
            const source = payload.sourcesContent[payload.sources.indexOf(entry.originalSource)]!.split('\n')[entry.originalLine] ?? '';
            checked++;
            const at = source.slice(entry.originalColumn, entry.originalColumn + 13);
            if (!/^["'`]/.test(at) || at.slice(1) !== start || entry.generatedColumn !== column) wrong.push(`${name}:${index + 1}:${column} ${string.slice(0, 30)} -> ${entry.originalSource}:${entry.originalLine + 1}: ${at}`);
          }
        });
    }
    expect(checked).toBeGreaterThan(200);
    expect(wrong).toEqual([]);
  });
});

describe('the bundles run in strict mode, as esbuild wrote them from ES modules', () => {
  it("each one's functions, its code behind the line that loads it once or checks its build (review: that line made esbuild's \"use strict\" no directive)", () => {
    // A sloppy-mode function has its own `caller` and `arguments`; a strict one, a class or an arrow has none.
    const sloppy: string[] = [];
    let functions = 0;
    for (const name of readdirSync(dist).filter((file) => file.endsWith('.cjs') && !file.startsWith('cli.commands.'))) {
      for (const [exported, value] of Object.entries(requireFromDist(`./${name}`) as Record<string, unknown>)) {
        if (typeof value !== 'function' || !Object.hasOwn(value, 'prototype') || /^class\b/.test(Function.prototype.toString.call(value))) continue;
        functions++;
        if (Object.hasOwn(value, 'caller')) sloppy.push(`${name}: ${exported}`);
      }
    }
    expect(functions).toBeGreaterThan(50);
    expect(sloppy).toEqual([]);
  });
});

describe("an application's bundle of the library, as esbuild makes it with pkcs11js external (docs/library.md)", () => {
  it('holds none of the CLI, the emulator or check, esbuild warns of nothing, and it loads without node_modules (QA bundlers)', async () => {
    const app = mkdtempSync(join(tmpdir(), 'rah-app-'));
    try {
      mkdirSync(join(app, 'node_modules'));
      symlinkSync(projectRoot, join(app, 'node_modules/roles-anywhere-helper'));
      writeFileSync(join(app, 'app.mjs'), "import { fromRolesAnywhere } from 'roles-anywhere-helper';\nconsole.log(typeof fromRolesAnywhere);\n");
      for (const format of ['cjs', 'esm'] as const) {
        const outfile = join(app, 'out', `app.${format === 'cjs' ? 'cjs' : 'mjs'}`);
        const banner = format === 'esm' ? "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" : '';
        const built = await build({
          entryPoints: [join(app, 'app.mjs')], absWorkingDir: app, bundle: true, platform: 'node', format, external: ['pkcs11js'], banner: { js: banner }, outfile, metafile: true, logLevel: 'silent',
        });
        expect(built.warnings).toEqual([]);
        const parts = Object.keys(built.metafile.inputs).flatMap((input) => (/(^|\/)dist\/[^/]+$/.test(input) ? [basename(input)] : []));
        // The key sources are loaded on demand, and in the bundle all the same.
        expect(parts).toEqual(expect.arrayContaining(['index.cjs', 'keys.tpm.tpmKeySource.cjs', 'keys.file.pkcs12KeySource.cjs']));
        expect(parts.filter((name) => /^(cli|emulator|check|rolesAnywhereRules|cacheHit|shortcutHit)\b/.test(name))).toEqual([]);
        const { stdout } = await promisify(execFile)(process.execPath, [outfile], { cwd: join(app, 'out') });
        expect(stdout).toBe('function\n');
      }
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

describe("the lazily loaded parts, as an application's Parcel 2 bundle takes them (docs/library.md)", () => {
  it("are required inside a function, not in esbuild's import() shape, Promise.resolve().then(() => require(…)), which Parcel made a chunk of whose require returns a Promise (QA: PKCS#12, encrypted PKCS#8, role chaining and the credential cache failed, 'undefined is not a function')", () => {
    // Parcel takes a require in the function a resolved Promise's then() calls, wrapped in another call or not,
    // arrow or function, for a compiled import() (measured: Parcel 2.16.4).
    const parcelImport = /Promise\.resolve\(\)\.then\((?:async)?(?:\(\)=>|function\(\)\{return )[^;]*?\brequire\(\s*"([^"]+)"/g;
    const taken: string[] = [];
    const lazy = new Map<string, string[]>();
    for (const name of readdirSync(dist).filter((file) => /\.(cjs|js)$/.test(file))) {
      const code = readFileSync(join(dist, name), 'latin1');
      for (const [, required] of code.matchAll(parcelImport)) taken.push(`${name}: ${required}`);
      lazy.set(name, [...code.matchAll(/\(async\(\)=>[\w$]+\(require\("([^"]+)"\),1\)\)\(\)/g)].map(([, required]) => required!));
    }
    expect(taken).toEqual([]);
    // Each part the library loads on demand, and the Node.js module and pkcs11js loaded so, the same way.
    expect(lazy.get('keys.cjs')).toEqual(expect.arrayContaining(['./keys.file.encryptedPkcs8.cjs', './keys.file.pkcs12KeySource.cjs', './keys.sshAgent.sshAgentKeySource.cjs', './keys.pkcs11.pkcs11KeySource.cjs', './keys.tpm.tpmKeySource.cjs', 'pkcs11js']));
    expect(lazy.get('index.cjs')).toContain('./credentials.cache.sessionCache.cjs');
    expect(lazy.get('session.cjs')).toContain('./credentials.routeProvider.cjs');
    expect(lazy.get('http.cjs')).toEqual(expect.arrayContaining(['./http.requestHandler.cjs', 'node:tls']));
    expect(lazy.get('common.cjs')).toContain('node:tty');
  });
});

describe('a lazily loaded part whose dependency is missing, under a module registry that keeps what failed to load', () => {
  it("says what to install at each call, not a TypeError from the second on (QA: a Rollup, Vite, webpack, Rspack or Bun bundle without pkcs11js beside it, as their registries keep a module whose first load threw)", async () => {
    // Node drops a module whose load threw, and loads it again at the next require; Rollup's commonjs wrappers
    // (and esbuild's) keep it, half loaded. Here, Node's registry does the same, and pkcs11js is not found.
    const script = `
      const Module = require('node:module');
      const halfLoaded = new Map();
      const { load } = Module.prototype;
      Module.prototype.load = function (filename) {
        try { return load.call(this, filename); } catch (error) { halfLoaded.set(filename, this.exports); throw error; }
      };
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, parent, ...rest) {
        if (request === 'pkcs11js') throw Object.assign(new Error("Cannot find module 'pkcs11js'"), { code: 'MODULE_NOT_FOUND', requireStack: [parent.filename] });
        return resolve.call(this, request, parent, ...rest);
      };
      const loadModule = Module._load;
      Module._load = function (request, parent, ...rest) {
        const filename = request === 'pkcs11js' ? request : request.startsWith('.') ? Module._resolveFilename(request, parent) : undefined;
        if (halfLoaded.has(filename)) return halfLoaded.get(filename);
        // webpack's registry keeps an external module that threw too, empty.
        if (process.env.EMPTY_PKCS11JS && request === 'pkcs11js') halfLoaded.set(filename, {});
        return loadModule.call(this, request, parent, ...rest);
      };
      const { fromRolesAnywhere } = require(${JSON.stringify(join(dist, 'index.cjs'))});
      const arn = 'arn:aws:rolesanywhere:us-east-1:123456789012';
      const options = { certificate: 'pkcs11:token=t;object=o', privateKey: 'pkcs11:token=t;object=o', roleArn: 'arn:aws:iam::123456789012:role/r', trustAnchorArn: arn + ':trust-anchor/a', profileArn: arn + ':profile/p' };
      // A provider each, as a program makes them (one provider's second call within a second repeats the first's failure).
      (async () => { for (const call of [1, 2]) console.log(await fromRolesAnywhere(options)().catch((error) => error.message)); })();
    `;
    // Rollup's registry keeps our parts half loaded; webpack's (and Rspack's), pkcs11js too, empty.
    for (const env of [{}, { EMPTY_PKCS11JS: '1' }]) {
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, ...env } });
      const [first, second] = stdout.trim().split('\n');
      expect(first).toContain('PKCS#11 needs the optional pkcs11js module, which is not installed here');
      expect(second).toBe(first);
    }
  });
});

describe("a module registry made anew under the library (Jest's resetModules)", () => {
  it('loads each bundle once still: the lazily loaded ones share the first runtime.cjs, and the credential cache listens for signals once (QA)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-registry-'));
    try {
      const leaf = await (await CertificateAuthority.create({ subject: 'CN=Root' })).issue({ subject: 'CN=leaf' });
      writeFileSync(join(folder, 'cert.pem'), leaf.pem);
      writeFileSync(join(folder, 'key.der'), encryptPkcs8(leaf.key!.pkcs8(), 'right'));
      // As Jest runs a test file that required the package once: before each test, a registry without the
      // modules the last test loaded (Node's require.cache emptied but for the entry point), so that the
      // entry point requires its lazily loaded bundles, and those the modules they use, again.
      const script = `
        const entry = ${JSON.stringify(join(dist, 'index.cjs'))};
        const { fromRolesAnywhere } = require(entry);
        const arn = 'arn:aws:rolesanywhere:us-east-1:123456789012';
        (async () => {
          for (let test = 0; test < 12; test++) {
            for (const key of Object.keys(require.cache)) if (key !== entry) delete require.cache[key];
            const provider = fromRolesAnywhere({
              certificate: 'cert.pem', privateKey: 'key.der', pkcs8Password: 'wrong', cache: true, roleArn: 'arn:aws:iam::123456789012:role/r',
              trustAnchorArn: arn + ':trust-anchor/a', profileArn: arn + ':profile/p', endpoint: 'http://127.0.0.1:9',
            });
            const error = await provider().catch((failure) => failure);
            console.log(error.message + ' (' + process.listenerCount('SIGTERM') + ' SIGTERM listener)');
          }
        })();`;
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', script], {
        cwd: folder, env: { ...process.env, ROLES_ANYWHERE_HELPER_CACHE_DIR: join(folder, 'cache') },
      });
      expect(stderr).toBe('');
      expect(stdout).toBe(
        'fromRolesAnywhere: unable to parse private key key.der: wrong password for encrypted PKCS#8 key (given with pkcs8Password) (1 SIGTERM listener)\n'.repeat(12),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the library as a user logs its errors', () => {
  it("names them by their classes, not by the minifier's names", async () => {
    const { fromRolesAnywhere } = requireFromDist('./index.cjs');
    const arn = 'arn:aws:rolesanywhere:us-east-1:123456789012';
    const provider = fromRolesAnywhere({
      certificate: '/no/such/cert.pem', privateKey: '/no/such/key.pem', roleArn: 'arn:aws:iam::123456789012:role/r',
      trustAnchorArn: `${arn}:trust-anchor/a`, profileArn: `${arn}:profile/p`,
    });
    const error = await provider().catch((failure: Error) => failure);
    expect(error.constructor.name).toBe('CredentialsProviderError');
    expect((error.cause as Error).constructor.name).toBe('HelperError');
    expect(requireFromDist('./runtime.cjs').HelperError.name).toBe('HelperError');
    // The refresher's error, which the library's entry point held before the refresher was a bundle of its own.
    expect(requireFromDist('./credentials.refreshing.cjs').NoValidCredentialsError.name).toBe('NoValidCredentialsError');
  });
});

describe('a package replaced under a running process (QA: an upgrade under a service made each call a TypeError)', () => {
  it('refuses, naming what to do, to load a bundle of another build beside those the process loaded', () => {
    const copy = mkdtempSync(join(tmpdir(), 'rah-replaced-'));
    try {
      const copied = join(copy, 'dist');
      mkdirSync(copied);
      for (const name of readdirSync(dist).filter((file) => file.endsWith('.cjs'))) copyFileSync(join(dist, name), join(copied, name));
      const requireCopy = createRequire(join(copied, 'x.cjs'));
      expect(typeof requireCopy('./index.cjs').fromRolesAnywhere).toBe('function');
      // Another build's lazily loaded bundle, as an upgrade leaves it: its build's identity differs.
      const lazy = join(copied, 'keys.sshAgent.sshAgentKeySource.cjs');
      const [identity] = /(?<=,i=")[0-9a-f]{16}(?=")/.exec(readFileSync(lazy, 'latin1'))!;
      writeFileSync(lazy, readFileSync(lazy, 'latin1').replaceAll(identity, '0123456789abcdef'), 'latin1');
      expect(() => requireCopy('./keys.sshAgent.sshAgentKeySource.cjs')).toThrow(
        `roles-anywhere-helper in ${copied} mixes two builds (upgraded under this process?): restart it, or install again`,
      );
      // The same build's load as ever, and another install's, in a folder of its own, too.
      expect(typeof requireFromDist('./keys.sshAgent.sshAgentKeySource.cjs')).toBe('object');
      // Inlined into an app's bundle, it runs with the app's file: two versions there are no upgrade (review).
      const inlined = join(copied, 'app.cjs');
      copyFileSync(lazy, inlined);
      expect(typeof requireCopy('./app.cjs')).toBe('object');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('a part that cannot be loaded as installed is said so, in one line, not as an internal error (QA: versions)', () => {
  const arn = 'arn:aws:rolesanywhere:us-east-1:123456789012';
  const arns = { roleArn: 'arn:aws:iam::123456789012:role/r', trustAnchorArn: `${arn}:trust-anchor/a`, profileArn: `${arn}:profile/p` };
  const restart = 'restart it, or install again';
  let copy: string;
  let copied: string;
  beforeEach(async () => {
    copy = mkdtempSync(join(tmpdir(), 'rah-upgraded-'));
    copied = join(copy, 'dist');
    mkdirSync(copied);
    for (const name of readdirSync(dist).filter((file) => file.endsWith('.cjs') || file.endsWith('.function.js'))) copyFileSync(join(dist, name), join(copied, name));
    const leaf = await (await CertificateAuthority.create({ subject: 'CN=Root' })).issue({ subject: 'CN=leaf' });
    writeFileSync(join(copy, 'cert.pem'), leaf.pem);
    writeFileSync(join(copy, 'key.der'), encryptPkcs8(leaf.key!.pkcs8(), 'right'));
  });
  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  // The cache's entries are the first bundle cache: true loads (a hit loads no other); the cache's own, with the
  // session, at a miss (review17: the entries' check could go unnoticed).
  it.each(['credentials.cache.entries.cjs', 'credentials.cache.sessionCache.cjs'])(
    'by the library: a bundle of another build (cache: true loads %s at the first call), or one missing (another build installed under the process has it no more)',
    async (bundle) => {
      const { fromRolesAnywhere } = createRequire(join(copied, 'x.cjs'))('./index.cjs');
      const lazy = join(copied, bundle);
      const [identity] = /(?<=,i=")[0-9a-f]{16}(?=")/.exec(readFileSync(lazy, 'latin1'))!;
      writeFileSync(lazy, readFileSync(lazy, 'latin1').replaceAll(identity, '0123456789abcdef'), 'latin1');
      const files = { certificate: join(copy, 'cert.pem'), privateKey: join(copy, 'key.der'), pkcs8Password: 'right', endpoint: 'http://127.0.0.1:9' };
      const mixed = await fromRolesAnywhere({ ...arns, ...files, cache: true })().catch((failure: Error) => failure);
      expect(mixed.message).toBe(`fromRolesAnywhere: roles-anywhere-helper in ${copied} mixes two builds (upgraded under this process?): ${restart}`);
      rmSync(join(copied, 'keys.file.encryptedPkcs8.cjs'));
      const missing = await fromRolesAnywhere({ ...arns, ...files })().catch((failure: Error) => failure);
      expect(missing.message).toBe(`fromRolesAnywhere: roles-anywhere-helper in ${copied} is missing keys.file.encryptedPkcs8.cjs (upgraded under this process?): ${restart}`);
    },
  );

  it('by credential-process and serve, for a bundle missing', async () => {
    mkdirSync(join(copy, 'bin'));
    const program = join(copy, 'bin/aws_signing_helper.cjs');
    copyFileSync(cliPath, program);
    symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'));
    rmSync(join(copied, 'keys.file.encryptedPkcs8.cjs'));
    const flags = ['--certificate', join(copy, 'cert.pem'), '--private-key', join(copy, 'key.der'), '--pkcs8-password', 'right', '--endpoint', 'http://127.0.0.1:9',
      '--role-arn', arns.roleArn, '--trust-anchor-arn', arns.trustAnchorArn, '--profile-arn', arns.profileArn];
    const message = `roles-anywhere-helper in ${copied} is missing keys.file.encryptedPkcs8.cjs (upgraded under this process?): ${restart}`;
    expectFailure(await runCli(['credential-process', ...flags], { program }), message);
    expectFailure(await runCli(['serve', '--port', '0', ...flags], { program }), `unable to obtain credentials at start-up, not serving: ${message}`);
  });
});

describe('a copy whose bundles are missing (its dist/ removed, or a bin copied without them)', () => {
  it.each([
    ['version', 'cli'],
    ['credential-process --cache', 'shortcutHit'],
  ])('%s says what to do in one line, not with a stack trace: build a clone, link to a bin rather than copy it (QA: a copy was told to build)', async (command, bundle) => {
    const clone = mkdtempSync(join(tmpdir(), 'rah-unbuilt-'));
    try {
      mkdirSync(join(clone, 'bin'));
      const program = join(clone, 'bin/aws_signing_helper.cjs');
      copyFileSync(cliPath, program);
      const missing = join(clone, 'dist', `${bundle}.function.js`);
      expectFailure(
        await runCli(command.split(' '), { program }),
        `${missing} is missing: ${program} is the launcher of the roles-anywhere-helper package, which runs the package's dist/ beside it: make a symbolic link to the package's bin (ln -s) rather than a copy`,
      );
      writeFileSync(join(clone, 'package.json'), '{}');
      expectFailure(await runCli(command.split(' '), { program }), `${missing} is missing: this copy of roles-anywhere-helper is not built (run \`npm run build\` in ${clone})`);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});

describe('the bin (QA)', () => {
  it('refuses a Node.js older than package.json allows in one line, rather than fail on a missing API', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-old-node-'));
    // 21 and 22 before 22.12 lack process.getBuiltinModule (Node QA: no home folder without HOME).
    for (const version of ['18.20.8', '21.7.3', '22.11.0']) {
      const preload = join(folder, `node${version}.cjs`);
      writeFileSync(preload, `for (const [name, value] of [['version', 'v${version}'], ['versions', { ...process.versions, node: '${version}' }]]) Object.defineProperty(process, name, { value });`);
      for (const command of ['version', 'credential-process --cache']) {
        const result = await runCli(command.split(' '), { env: { NODE_OPTIONS: `--require ${preload}` } });
        expectFailure(result, `roles-anywhere-helper needs Node.js 20.19 or a later 20.x, or 22.12 or later; this is v${version}`);
      }
    }
    rmSync(folder, { recursive: true });
  });

  it('names Bun or Deno, and the version of it needed, where the runtime running it is one that cannot run it (QA: runtimes)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-old-runtime-'));
    // What these runtimes say of themselves (process.versions): Bun 1.1 lacks BlockList.addAddress, Deno before
    // 2.7.3 says 24.2 yet names P-256 keys p256 and dies of SIGTERM under serve (test/e2e/runtimes.test.ts runs today's).
    const runtimes = [
      { versions: { node: '22.6.0', bun: '1.1.45' }, message: 'roles-anywhere-helper needs Bun 1.3 or later (or Node.js 20.19 or a later 20.x, or 22.12 or later); this is Bun 1.1.45' },
      { versions: { node: '24.2.0', deno: '2.6.8' }, message: 'roles-anywhere-helper needs Deno 2.7.3 or later (or Node.js 20.19 or a later 20.x, or 22.12 or later); this is Deno 2.6.8' },
      { versions: { node: '20.11.1', deno: '2.2.15' }, message: 'roles-anywhere-helper needs Deno 2.7.3 or later (or Node.js 20.19 or a later 20.x, or 22.12 or later); this is Deno 2.2.15' },
    ];
    try {
      for (const { versions, message } of runtimes) {
        const preload = join(folder, `${Object.values(versions).join('-')}.cjs`);
        writeFileSync(preload, `for (const [name, value] of [['version', 'v${versions.node}'], ['versions', { ...process.versions, ...${JSON.stringify(versions)} }]]) Object.defineProperty(process, name, { value });`);
        for (const command of ['version', 'credential-process --cache']) {
          expectFailure(await runCli(command.split(' '), { env: { NODE_OPTIONS: `--require ${preload}` } }), message);
        }
      }
      // A Deno from 2.7.3 on, and a Bun saying a Node the helper runs on, are let through.
      for (const versions of [{ node: '24.2.0', deno: '2.7.3' }, { node: '24.3.0', bun: '1.2.23' }]) {
        const preload = join(folder, `${Object.values(versions).join('-')}.cjs`);
        writeFileSync(preload, `Object.defineProperty(process, 'versions', { value: { ...process.versions, ...${JSON.stringify(versions)} } });`);
        const result = await runCli(['version'], { env: { NODE_OPTIONS: `--require ${preload}` } });
        expect(result).toMatchObject({ code: 0, stderr: '' });
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs through an npm-style link under --preserve-symlinks-main, which gives it the link\'s folder', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'rah-linked-'));
    mkdirSync(join(prefix, 'bin'));
    symlinkSync(cliPath, join(prefix, 'bin/aws_signing_helper'));
    const result = await runCli(['version'], { program: join(prefix, 'bin/aws_signing_helper'), env: { NODE_OPTIONS: '--preserve-symlinks --preserve-symlinks-main' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
    rmSync(prefix, { recursive: true });
  });
});
