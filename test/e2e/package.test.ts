import { execFile, execFileSync, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinary } from '../../scripts/nodeBinary.mjs';
import { projectRoot } from '../support/cli.js';
import { copyTrackedFiles } from '../support/trackedFiles.js';
import { ARNS, Scenario, type LeafFiles } from '../support/scenario.js';

/**
 * The package as users get it: packed from a clean source tree (no dist/: the prepare script builds it), installed from
 * the tarball into a prefix, with and without install scripts (that is, without the native parts), and the
 * installed `aws_signing_helper` run from PATH by the machine's Node, by Nodes 22, 24 and 26, and by the oldest Nodes it takes.
 * Its credential-process and serve runs and the library are run with Node's deprecations thrown, pending ones too: a
 * deprecated Node API used by its code or a dependency's, bundled or installed, fails them (QA: deprecations).
 */
const THROW_DEPRECATIONS = { NODE_OPTIONS: '--throw-deprecation --pending-deprecation' };
const work = mkdtempSync(join(tmpdir(), 'rah-package-'));
let tarball: string;
const prefixes = { withoutScripts: join(work, 'plain'), withScripts: join(work, 'native'), withoutToolchain: join(work, 'bare') };
let scenario: Scenario;
let leaf: LeafFiles;
const nodes: [string, string][] = [];

beforeAll(async () => {
  // A clean tree: the tracked files only, with the project's node_modules for the build.
  const tree = join(work, 'tree');
  copyTrackedFiles(tree);
  symlinkSync(join(projectRoot, 'node_modules'), join(tree, 'node_modules'));
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: tree, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  tarball = join(work, JSON.parse(packed)[0].filename);
  const install = (prefix: string, extra: string[], env: NodeJS.ProcessEnv = process.env) =>
    promisify(execFile)('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', ...extra, tarball], { env });
  await install(prefixes.withoutScripts, ['--ignore-scripts']);
  await install(prefixes.withScripts, []);
  // A machine without python3, make or a C compiler: PATH holds node and npm only, so every native build fails.
  const bare = join(work, 'bare-bin');
  mkdirSync(bare);
  symlinkSync(process.execPath, join(bare, 'node'));
  symlinkSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim(), join(bare, 'npm'));
  symlinkSync('/bin/sh', join(bare, 'sh')); // npm runs install scripts with sh
  await install(prefixes.withoutToolchain, [], { PATH: bare, HOME: process.env.HOME, npm_config_nodedir: process.env.npm_config_nodedir });
  nodes.push(['machine', process.execPath], ['22', nodeBinary(22)], ['24', nodeBinary(24)], ['26', nodeBinary(26)]);
  scenario = await Scenario.start();
  leaf = await scenario.leaf('installed');
}, 600_000);
afterAll(async () => {
  await scenario?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the installed helper by name from PATH, with `node` on PATH being the given one. */
function installed(prefix: string, node: string, args: readonly string[], extraEnv: Record<string, string> = {}) {
  const env = { PATH: [join(prefix, 'bin'), dirname(node), process.env.PATH].join(':'), HOME: work, ...extraEnv };
  return promisify(execFile)('aws_signing_helper', args, { env }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

let appInstall: Promise<string> | undefined;
/** The package installed in an app's folder, without install scripts (so without its native parts), as a dependency. */
function installedInApp(): Promise<string> {
  return (appInstall ??= (async () => {
    const folder = join(work, 'an app');
    mkdirSync(folder);
    writeFileSync(join(folder, 'package.json'), '{"name":"app","private":true}');
    await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball], { cwd: folder });
    return folder;
  })());
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

describe('the packed package', () => {
  it('holds the bundles, types, README, LICENSE and the addon source, and nothing else, in at most 300 kB (issue 11)', () => {
    expect(statSync(tarball).size).toBeLessThanOrEqual(300_000);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const expected of ['package/dist/index.cjs', 'package/dist/index.mjs', 'package/dist/cli.function.js', 'package/dist/cacheHit.function.js',
      'package/dist/shortcutHit.function.js', 'package/dist/runtime.cjs', 'package/dist/emulator.cjs', 'package/dist/emulator.mjs', 'package/dist/types/index.d.ts', 'package/dist/types/emulator/index.d.ts',
      'package/bin/aws_signing_helper.cjs', 'package/README.md', 'package/LICENSE', 'package/binding.gyp', 'package/native/socket_ttl.c']) {
      expect(files).toContain(expected);
    }
    const unexpected = files.filter((file) => /^package\/(src|test|bench|scripts)\/|\.map$|\.ts$(?<!\.d\.ts)/.test(file));
    expect(unexpected).toEqual([]);
    // Nor a comment pointing to a source map it does not hold, which bundlers' source-map loaders warn of.
    const code = execFileSync('tar', ['-xzOf', tarball, '--wildcards', 'package/dist/*.cjs', 'package/dist/*.js', 'package/dist/*.mjs'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(code.length).toBeGreaterThan(100_000);
    expect(code).not.toContain('sourceMappingURL');
    // The licenses of the packages whose code the bundles hold (those the clone's source maps name) go with them (QA: supply).
    const notices = execFileSync('tar', ['-xzOf', tarball, 'package/dist/THIRD-PARTY-NOTICES.txt'], { encoding: 'utf8' });
    const maps = readdirSync(join(projectRoot, 'dist')).filter((name) => name.endsWith('.map'));
    const sources = maps.flatMap((name) => JSON.parse(readFileSync(join(projectRoot, 'dist', name), 'utf8')).sources as string[]);
    const bundled = new Set(sources.flatMap((source) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1] ?? []));
    expect([...bundled]).toEqual(expect.arrayContaining(['@noble/post-quantum', '@smithy/core']));
    // X.509 for check and the emulator is the project's own (src/x509): @peculiar/x509 was 44 kB of the tarball.
    expect([...bundled].filter((name) => /^(@peculiar\/|asn1js$|tsyringe$|pvtsutils$|reflect-metadata$)/.test(name))).toEqual([]);
    for (const name of bundled) expect(notices).toMatch(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\S+ \\(`, 'm'));
  });

  it("declares what users can reach, with doc comments that name none of the project's files: what an editor shows (QA apidoc)", () => {
    const names = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter((file) => file.endsWith('.d.cts'));
    const texts = names.map((name) => execFileSync('tar', ['-xzOf', tarball, name], { encoding: 'utf8' }));
    const all = texts.join('\n');
    expect(all).not.toMatch(/\bsrc\/|dist\/\w|\bthe demo\b/);
    // Each value declared outside the entry points is exported by one, or named by another declaration.
    const unreachable = [...all.matchAll(/^export declare (?:const|function|class) (\w+)/gm)]
      .map(([, name]) => name!)
      .filter((name) => all.split(new RegExp(`\\b${name}\\b`)).length < 3);
    expect(unreachable).toEqual([]);
  });

  it('is the same tarball, byte for byte, packed again in another folder by Node 24 under umask 077, another time zone and SOURCE_DATE_EPOCH', async () => {
    const tree = join(work, 'another tree', 'of the same commit');
    copyTrackedFiles(tree);
    symlinkSync(join(projectRoot, 'node_modules'), join(tree, 'node_modules'));
    const destination = mkdtempSync(join(work, 'repacked-'));
    const env = { ...process.env, PATH: [dirname(nodeBinary(24)), process.env.PATH].join(':'), TZ: 'Pacific/Chatham', SOURCE_DATE_EPOCH: '1' };
    const { stdout } = await promisify(execFile)('sh', ['-c', 'umask 077 && exec npm pack --json --pack-destination "$0"', destination], { cwd: tree, env });
    const repacked = join(destination, JSON.parse(stdout)[0].filename);
    expect(execFileSync('tar', ['-tvzf', repacked], { encoding: 'utf8' })).toBe(execFileSync('tar', ['-tvzf', tarball], { encoding: 'utf8' }));
    expect(readFileSync(repacked).equals(readFileSync(tarball))).toBe(true);
    // Nor does it name the folder it was built in.
    expect(execFileSync('tar', ['-xzOf', repacked], { encoding: 'latin1', maxBuffer: 16 * 1024 * 1024 })).not.toContain(work);
  });

  it('installs in at most 8 MB with its dependencies, leaving the optional native parts out', () => {
    const modules = join(prefixes.withoutScripts, 'lib/node_modules');
    const optional = join(modules, 'roles-anywhere-helper/node_modules/pkcs11js');
    const total = sizeOf(modules) - (statSync(optional, { throwIfNoEntry: false }) ? sizeOf(optional) : 0);
    expect(total).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  for (const [label, index] of [['machine', 0], ['22', 1], ['24', 2], ['26', 3]] as const) {
    describe(`installed, run by Node ${label}`, () => {
      it('prints its version, and credential-process gets credentials from the emulator', async () => {
        for (const prefix of Object.values(prefixes)) {
          const node = nodes[index]![1];
          const { version } = await import('../../package.json', { with: { type: 'json' } }).then((m) => m.default);
          expect(await installed(prefix, node, ['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
          const result = await installed(prefix, node, [
            'credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(),
          ], THROW_DEPRECATIONS);
          expect(result.stderr).toBe('');
          expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
        }
      });

      it('serves without the hop-limit addon, and says how to get it when --hop-limit needs it', async () => {
        const node = nodes[index]![1];
        const flags = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--port', '0'];
        const serve = spawn('aws_signing_helper', ['serve', ...flags], {
          env: { PATH: [join(prefixes.withoutScripts, 'bin'), dirname(node), process.env.PATH].join(':'), HOME: work, ...THROW_DEPRECATIONS },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        try {
          const port = await new Promise<string>((resolve, reject) => {
            let stderr = '';
            serve.stderr!.on('data', (chunk: Buffer) => {
              stderr += chunk;
              const match = /Local server started on port: (\d+)/.exec(stderr);
              if (match) resolve(match[1]!);
            });
            serve.on('close', () => reject(new Error(`serve exited: ${stderr}`)));
          });
          const token = await (await fetch(`http://127.0.0.1:${port}/latest/api/token`, { method: 'PUT' })).text();
          const answer = await fetch(`http://127.0.0.1:${port}/latest/meta-data/iam/security-credentials/test-role`, {
            headers: { 'x-aws-ec2-metadata-token': token },
          });
          expect(answer.status).toBe(200);
        } finally {
          serve.kill('SIGTERM');
        }
        const refused = await installed(prefixes.withoutScripts, node, ['serve', ...flags, '--hop-limit', '1']);
        expect(refused.code).toBe(1);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toContain(
          `--hop-limit 1 needs the socket_ttl native addon, which is not built here: run \`npm rebuild --ignore-scripts=false --prefix ${join(prefixes.withoutScripts, 'lib')} roles-anywhere-helper\` ` +
            "on a machine with python3, make and a C compiler (without --hop-limit, serve uses the system's 64)",
        );
      });
    });
  }

  // package.json's engines: the oldest of each major it takes, real binaries (not a version faked, as the refusals below are).
  for (const version of ['20.19.0', '22.12.0']) {
    it(`installed, run by Node ${version}, the oldest its engines take: credential-process (and its cache hit) and the library as CommonJS and as an ES module`, async () => {
      const node = nodeBinary(version);
      expect(execFileSync(node, ['--version'], { encoding: 'utf8' })).toBe(`v${version}\n`);
      const cache = mkdtempSync(join(work, 'cache-'));
      const flags = ['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--cache'];
      const before = scenario.emulator.issued.length;
      const runs = [];
      for (let run = 0; run < 2; run++) runs.push(await installed(prefixes.withoutScripts, node, flags, { ROLES_ANYWHERE_HELPER_CACHE_DIR: cache, ...THROW_DEPRECATIONS }));
      expect(runs.map(({ code, stderr }) => ({ code, stderr }))).toEqual([{ code: 0, stderr: '' }, { code: 0, stderr: '' }]);
      expect(scenario.emulator.issued.length).toBe(before + 1);
      expect(JSON.parse(runs[1]!.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      const options = JSON.stringify({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url });
      const helper = join(prefixes.withoutScripts, 'lib/node_modules/roles-anywhere-helper');
      for (const [flag, load] of [['--input-type=commonjs', `const { fromRolesAnywhere } = require(${JSON.stringify(helper)});`], ['--input-type=module', `import { fromRolesAnywhere } from ${JSON.stringify(join(helper, 'dist/index.mjs'))};`]] as const) {
        const library = await promisify(execFile)(node, [flag, '-e', `${load} fromRolesAnywhere(${options})().then((c) => console.log(c.accessKeyId));`], { env: { HOME: work, ...THROW_DEPRECATIONS } });
        expect(library).toEqual({ stdout: `${scenario.emulator.issued.at(-1)!.accessKeyId}\n`, stderr: '' });
      }
    });
  }

  it('says how to get PKCS#11 support when pkcs11js was not built', async () => {
    const result = await installed(prefixes.withoutScripts, process.execPath, [
      'credential-process', '--certificate', 'pkcs11:token=none;object=none', ...scenario.sessionFlags(),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // In a global install npm nests pkcs11js in the helper's own node_modules.
    const helper = join(prefixes.withoutScripts, 'lib/node_modules/roles-anywhere-helper');
    expect(result.stderr.replace(/^[\d/]+ [\d:]+ /, '')).toBe(
      `PKCS#11 needs the optional pkcs11js module, which is not built here: run \`npm rebuild --ignore-scripts=false --prefix ${helper} pkcs11js\` on a machine with python3, make and a C compiler\n`,
    );
  });

  it('type-checks in a TypeScript project that installs it, as an ES module and as CommonJS, with the SDK', async () => {
    const project = join(work, 'typed');
    mkdirSync(project);
    const versionOf = (name: string) => JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
    // The SDK's own dependencies as the clone's lockfile has them: installed by their ranges, each new release
    // of one (the SDK publishes several a week; those after January 2027 need Node 22) would be type-checked
    // here first, and one needing a newer TypeScript would fail this test with nothing of ours changed (QA: CI
    // robustness). The packages installed by name are pinned above, and npm refuses an override of one.
    const direct = new Set(['@aws-sdk/client-sts', '@aws-sdk/credential-providers']);
    const locked = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')).packages as Record<string, { version?: string }>;
    const overrides = Object.fromEntries(
      Object.entries(locked).flatMap(([path, { version }]) => {
        const name = /^node_modules\/(@(?:aws-sdk|aws-crypto|smithy)\/[^/]+)$/.exec(path)?.[1];
        return name && version && !direct.has(name) ? [[name, version]] : [];
      }),
    );
    writeFileSync(join(project, 'package.json'), JSON.stringify({ private: true, type: 'module', overrides }));
    await promisify(execFile)(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, `@aws-sdk/client-sts@${versionOf('@aws-sdk/client-sts')}`,
        `@aws-sdk/credential-providers@${versionOf('@aws-sdk/credential-providers')}`, `@types/node@${versionOf('@types/node')}`],
      { cwd: project },
    );
    expect(Object.keys(overrides).length).toBeGreaterThan(20);
    for (const [name, version] of Object.entries(overrides)) {
      const installed = join(project, 'node_modules', name, 'package.json');
      if (existsSync(installed)) expect(`${name}@${JSON.parse(readFileSync(installed, 'utf8')).version}`).toBe(`${name}@${version}`);
    }
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      // exactOptionalPropertyTypes: options given as unset variables (undefined) must pass where it is on.
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false, types: ['node'] },
      files: ['index.ts', 'legacy.cts'],
    }));
    const usage = (from: string) => `
      const options: RolesAnywhereProviderOptions = {
        certificate: '/etc/pki/workload.pem', privateKey: Buffer.from(''), trustAnchorArn: 'a', profileArn: 'p', roleArn: 'r', durationSeconds: 900,
      };
      const provider = fromRolesAnywhere(options);
      const client = new STSClient({ region: 'eu-west-1', credentials: provider });
      export const answer: Promise<unknown> = client.send(new GetCallerIdentityCommand({}));
      export const expiry: Promise<Date> = provider().then((identity) => identity.expiration);
      export const closed: Promise<void> = provider.close();
      // @ts-expect-error a typo is a type error too
      fromRolesAnywhere({ ...options, roleSesionName: 'x' });
      // @ts-expect-error so is a value of the wrong type
      fromRolesAnywhere({ ...options, durationSeconds: '900' });
      // @ts-expect-error and a missing ARN
      fromRolesAnywhere({ certificate: 'c.pem', privateKey: 'k.pem', trustAnchorArn: 'a', profileArn: 'p' });
      // Unset variables are fine: the provider lets an SDK credential chain go on (README).
      export const fromVariables = fromRolesAnywhere({
        certificate: process.env.RA_CERTIFICATE, privateKey: process.env.RA_KEY,
        trustAnchorArn: process.env.RA_TRUST_ANCHOR, profileArn: process.env.RA_PROFILE, roleArn: process.env.RA_ROLE,
        intermediates: process.env.RA_CHAIN, region: process.env.RA_REGION, endpoint: process.env.RA_ENDPOINT, pkcs8Password: process.env.RA_PASSWORD,
        assumeRoleArn: process.env.RA_CHAINED_ROLE, durationSeconds: undefined, cache: undefined, logger: undefined,
        fallbacks: [{ trustAnchorArn: 'a', profileArn: 'p', endpoint: process.env.RA_FALLBACK_ENDPOINT }],
      });
      // In the SDK's credential chain, first or last, with no type named (docs/library.md).
      export const chained = [
        new STSClient({ credentials: createCredentialChain(fromEnv(), fromRolesAnywhere(options)) }),
        new STSClient({ credentials: createCredentialChain(fromRolesAnywhere(options), fromEnv()) }),
      ];
      ${from}`;
    writeFileSync(join(project, 'index.ts'), `
      import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
      import { createCredentialChain, fromEnv } from '@aws-sdk/credential-providers';
      import { fromRolesAnywhere, type RolesAnywhereProviderOptions } from 'roles-anywhere-helper';
      import { CertificateAuthority, KeyUsage, startEmulator, type AttributeMapping, type NotificationSetting, type RunningEmulator, type Tag } from 'roles-anywhere-helper/emulator';
      // The default exports the ES module wrappers give, a CommonJS module's exports as Node imports them.
      import helper from 'roles-anywhere-helper';
      import emulatorModule from 'roles-anywhere-helper/emulator';
      export const byDefault: [typeof fromRolesAnywhere, typeof startEmulator] = [helper.fromRolesAnywhere, emulatorModule.startEmulator];
      export const ca: Promise<CertificateAuthority> = CertificateAuthority.create({ subject: 'CN=CA', keyUsage: KeyUsage.keyCertSign, notAfter: undefined });
      export const leaf = ca.then((authority) => authority.issue({ subject: 'CN=leaf', serialNumber: process.env.SERIAL, subjectAltNames: { dns: undefined } }));
      export const emulator: Promise<RunningEmulator> = startEmulator({});
      export const configured: Promise<RunningEmulator> = startEmulator({
        region: process.env.EMULATOR_REGION, port: undefined, logger: undefined, assumableRoles: [{ roleArn: 'r', externalId: process.env.EXTERNAL_ID }],
        profiles: [{ roleArns: ['r'], name: process.env.PROFILE_NAME, maxDurationSeconds: undefined, tags: [{ key: 'team', value: 'a' }], attributeMappings: undefined }],
      });
      const mappings: AttributeMapping[] = [{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }];
      const settings: NotificationSetting[] = [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: undefined }];
      const tags: Tag[] = [];
      export const tagged: Promise<RunningEmulator> = startEmulator({
        trustAnchors: [{ certificates: 'pem', tags, notificationSettings: settings }], profiles: [{ roleArns: ['r'], tags, attributeMappings: mappings }],
      });
      // @ts-expect-error an event the API has not
      startEmulator({ trustAnchors: [{ certificates: 'pem', notificationSettings: [{ enabled: true, event: 'CRL_EXPIRY' }] }] });
      // @ts-expect-error a mapping's rules are objects, as PutAttributeMapping takes them
      startEmulator({ profiles: [{ roleArns: ['r'], attributeMappings: [{ certificateField: 'x509SAN', mappingRules: ['DNS'] }] }] });
      ${usage('')}`);
    writeFileSync(join(project, 'legacy.cts'), `
      import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
      import { createCredentialChain, fromEnv } from '@aws-sdk/credential-providers';
      import { fromRolesAnywhere, type RolesAnywhereProviderOptions } from 'roles-anywhere-helper';
      // CommonJS has no default export to import: require() gives the exports, marked __esModule.
      // @ts-expect-error
      import helper from 'roles-anywhere-helper';
      export const byDefault = helper;
      ${usage('')}`);
    const tsc = join(projectRoot, 'node_modules/typescript/bin/tsc');
    const checked = await promisify(execFile)(process.execPath, [tsc, '-p', project]).then(() => ({ stdout: '' }), (error: { stdout: string }) => error);
    expect(checked.stdout).toBe('');
    // module node16 (as @tsconfig/node20 sets it) lets CommonJS import no ES module's declarations: the
    // `require` condition has CommonJS ones.
    writeFileSync(join(project, 'legacyEmulator.cts'), `
      import emulator = require('roles-anywhere-helper/emulator');
      export const started: Promise<emulator.RunningEmulator> = emulator.startEmulator({});`);
    writeFileSync(join(project, 'tsconfig.node16.json'), JSON.stringify({
      compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
      files: ['legacy.cts', 'legacyEmulator.cts'],
    }));
    const node16 = await promisify(execFile)(process.execPath, [tsc, '-p', join(project, 'tsconfig.node16.json')]).then(() => ({ stdout: '' }), (error: { stdout: string }) => error);
    expect(node16.stdout).toBe('');
    // The library's declarations need nothing of Node's types (TypeScript 7 loads none unless asked), only
    // the disposable symbols (`await using`).
    writeFileSync(join(project, 'tsconfig.library.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'esnext.disposable'], strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ['library.ts'],
    }));
    writeFileSync(join(project, 'library.ts'), `
      import { fromRolesAnywhere } from 'roles-anywhere-helper';
      export const provider = fromRolesAnywhere({ certificate: 'c.pem', privateKey: 'k.pem', trustAnchorArn: 'a', profileArn: 'p', roleArn: 'r' });`);
    const library = await promisify(execFile)(process.execPath, [tsc, '-p', join(project, 'tsconfig.library.json')]).then(() => ({ stdout: '' }), (error: { stdout: string }) => error);
    expect(library.stdout).toBe('');
  }, 180_000);

  it("type-checks both entry points under TypeScript 5's moduleResolution node (node10), which reads no exports map", async () => {
    const project = join(work, 'typed-node10');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"private":true}');
    const typesNode = JSON.parse(readFileSync(join(projectRoot, 'node_modules/@types/node/package.json'), 'utf8')).version;
    await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball, 'typescript@5.9.3', `@types/node@${typesNode}`], { cwd: project });
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'commonjs', moduleResolution: 'node', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
      files: ['index.ts'],
    }));
    writeFileSync(join(project, 'index.ts'), `
      import { fromRolesAnywhere } from 'roles-anywhere-helper';
      import { CertificateAuthority } from 'roles-anywhere-helper/emulator';
      export const provider = fromRolesAnywhere({ certificate: 'c.pem', privateKey: 'k.pem', trustAnchorArn: 'a', profileArn: 'p', roleArn: 'r' });
      export const ca: Promise<CertificateAuthority> = CertificateAuthority.create({ subject: 'CN=CA' });
      // The CommonJS build node10 reads has no default export: require() gives none, and esModuleInterop's
      // helper takes it from the exports' \`default\`, as they are marked __esModule (review: it type-checked, and was undefined).
      // @ts-expect-error
      import helper from 'roles-anywhere-helper';
      export const byDefault = helper;`);
    writeFileSync(join(project, 'tsconfig.interop.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { esModuleInterop: true } }));
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    for (const config of ['tsconfig.json', 'tsconfig.interop.json']) {
      const checked = await promisify(execFile)(process.execPath, [tsc, '-p', join(project, config)]).then(() => ({ stdout: '' }), (error: { stdout: string }) => error);
      expect(checked.stdout).toBe('');
    }
  }, 180_000);

  it('installs without a toolchain: no native part, and PKCS#11 says to install again where one is', async () => {
    const installedAt = join(prefixes.withoutToolchain, 'lib/node_modules/roles-anywhere-helper');
    expect(statSync(join(installedAt, 'build/Release/socket_ttl.node'), { throwIfNoEntry: false })).toBeUndefined();
    expect(statSync(join(installedAt, 'node_modules/pkcs11js/build/Release/pkcs11.node'), { throwIfNoEntry: false })).toBeUndefined();
    const result = await installed(prefixes.withoutToolchain, process.execPath, ['read-certificate-data', '--certificate', 'pkcs11:token=none']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(
      /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d PKCS#11 needs the optional pkcs11js module, which is not installed here \(npm leaves it out where it cannot build it, and with --omit=optional\): install roles-anywhere-helper again, with its optional dependencies, on a machine with python3, make and a C compiler\n$/,
    );
  });

  it('installs with scripts: the native parts are built and used', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const result = await installed(prefixes.withScripts, process.execPath, [
      'serve', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--port', String(port), '--hop-limit', '1',
    ]);
    taken.close();
    // Past the addon check: it fails later, on a port already taken.
    expect(result.stderr).not.toContain('socket_ttl');
    expect(result.stderr).toContain(`failed to create listener on 127.0.0.1:${port}: address already in use`);
    expect(statSync(join(prefixes.withScripts, 'lib/node_modules/roles-anywhere-helper/node_modules/pkcs11js/build/Release/pkcs11.node')).isFile()).toBe(true);
  });

  it("installs with scripts where nodejs.org cannot be reached and npm names no Node headers: the hop-limit addon is built against the running Node's", async () => {
    // node-gyp's download of the headers is refused at once (a closed port), and it has none from an earlier one.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { npm_config_nodedir: _, ...env } = process.env;
    const userconfig = join(work, 'no-npmrc');
    writeFileSync(userconfig, '');
    const prefix = join(work, 'offline');
    await promisify(execFile)('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      env: { ...env, npm_config_userconfig: userconfig, npm_config_devdir: mkdtempSync(join(work, 'gyp-')), npm_config_dist_url: `http://127.0.0.1:${port}` },
    });
    expect(statSync(join(prefix, 'lib/node_modules/roles-anywhere-helper/build/Release/socket_ttl.node'), { throwIfNoEntry: false })?.isFile()).toBe(true);
  }, 120_000);

  it('installs from a git repository (npm builds it with its prepare script, then packs it), and runs', async () => {
    const repo = join(work, 'repo');
    const files = copyTrackedFiles(repo);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '--', ...files);
    git('commit', '-q', '-m', 'the tree');
    const app = join(work, 'git app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
    await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `git+file://${repo}`], { cwd: app });
    const result = await promisify(execFile)(join(app, 'node_modules/.bin/aws_signing_helper'), ['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], {
      env: { PATH: process.env.PATH, HOME: work },
    });
    expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    // Built as a pack builds: no source maps, and no bundle pointing to one (review).
    const dist = join(app, 'node_modules/roles-anywhere-helper/dist');
    expect(readdirSync(dist).filter((name) => /\.(c?js|map)$/.test(name) && (name.endsWith('.map') || readFileSync(join(dist, name), 'utf8').includes('sourceMappingURL')))).toEqual([]);
  }, 300_000);

  it('with native parts built for another platform (node_modules copied into a container), serve still starts, and --hop-limit and PKCS#11 say what to run (QA)', async () => {
    const prefix = join(work, 'foreign');
    cpSync(prefixes.withScripts, prefix, { recursive: true, verbatimSymlinks: true });
    const helper = join(prefix, 'lib/node_modules/roles-anywhere-helper');
    // A macOS build's header: not an ELF file, which dlopen refuses.
    const foreign = Buffer.concat([Buffer.from('cffaedfe07000001', 'hex'), Buffer.alloc(4096, 1)]);
    for (const addon of ['build/Release/socket_ttl.node', 'node_modules/pkcs11js/build/Release/pkcs11.node']) writeFileSync(join(helper, addon), foreign);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const serve = (...extra: string[]) =>
      installed(prefix, process.execPath, ['serve', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--port', String(port), ...extra]);
    try {
      // Past the addon: it fails later, on a port already taken.
      expect((await serve()).stderr).toContain(`failed to create listener on 127.0.0.1:${port}: address already in use`);
      const limited = await serve('--hop-limit', '1');
      expect(limited.code).toBe(1);
      expect(limited.stderr.replace(/^[\d/]+ [\d:]+ /, '')).toBe(
        `--hop-limit 1 needs the socket_ttl native addon, which cannot be loaded here (${join(helper, 'build/Release/socket_ttl.node')}: invalid ELF header): ` +
          `run \`npm rebuild --ignore-scripts=false --prefix ${join(prefix, 'lib')} roles-anywhere-helper\` on this machine, with python3, make and a C compiler\n`,
      );
    } finally {
      taken.close();
    }
    const pkcs11 = await installed(prefix, process.execPath, ['credential-process', '--certificate', 'pkcs11:token=none;object=none', ...scenario.sessionFlags()]);
    expect([pkcs11.code, pkcs11.stdout]).toEqual([1, '']);
    expect(pkcs11.stderr.replace(/^[\d/]+ [\d:]+ /, '')).toBe(
      `PKCS#11 needs the optional pkcs11js module, whose native part cannot be loaded here (${join(helper, 'node_modules/pkcs11js/build/Release/pkcs11.node')}: invalid ELF header): ` +
        `run \`npm rebuild --ignore-scripts=false --prefix ${helper} pkcs11js\` on this machine, with python3, make and a C compiler\n`,
    );
  });

  it("installed in an app without scripts: the commands the messages give build the native parts as written, from any folder", async () => {
    // npm hoists pkcs11js into the app's node_modules, beside the helper: `npm rebuild pkcs11js` run in the helper's folder would find nothing.
    const app = await installedInApp();
    const bin = join(app, 'node_modules/.bin/aws_signing_helper');
    const run = (args: string[]) => promisify(execFile)(bin, args, { cwd: work }).then(() => '', (error: { stderr: string }) => error.stderr);
    const advice = (stderr: string) => /run `([^`]+)`/.exec(stderr)?.[1];
    const pkcs11 = await run(['read-certificate-data', '--certificate', 'pkcs11:token=none']);
    expect(advice(pkcs11)).toBe(`npm rebuild --ignore-scripts=false --prefix '${app}' pkcs11js`);
    const hopLimit = await run(['serve', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--port', '0', '--hop-limit', '1']);
    expect(advice(hopLimit)).toBe(`npm rebuild --ignore-scripts=false --prefix '${app}' roles-anywhere-helper`);
    // As npm runs them where it is set to run no scripts, the reason they were not built (QA: 'rebuilt dependencies successfully', nothing built).
    const noScripts = { ...process.env, npm_config_ignore_scripts: 'true' };
    for (const command of [advice(pkcs11)!, advice(hopLimit)!]) await promisify(execFile)('sh', ['-c', command], { cwd: work, env: noScripts });
    expect(statSync(join(app, 'node_modules/pkcs11js/build/Release/pkcs11.node')).isFile()).toBe(true);
    expect(statSync(join(app, 'node_modules/roles-anywhere-helper/build/Release/socket_ttl.node')).isFile()).toBe(true);
    // PKCS#11 now gets as far as looking for the token.
    expect(await run(['read-certificate-data', '--certificate', 'pkcs11:token=none'])).not.toContain('pkcs11js');
  }, 300_000);

  it('bundles into an app with esbuild and webpack, pkcs11js marked external as the README says, and the bundle gets credentials', async () => {
    const app = await installedInApp();
    writeFileSync(
      join(app, 'app.mjs'),
      `import { fromRolesAnywhere } from 'roles-anywhere-helper';\n` +
        `fromRolesAnywhere(${JSON.stringify({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url })})()\n` +
        `  .then((credentials) => console.log(credentials.accessKeyId));\n`,
    );
    writeFileSync(
      join(app, 'webpack.config.cjs'),
      `module.exports = { mode: 'production', target: 'node', entry: './app.mjs', output: { path: ${JSON.stringify(join(work, 'webpacked'))}, filename: 'app.cjs' },\n` +
        `  externals: { pkcs11js: 'commonjs pkcs11js' } };\n`,
    );
    await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', 'webpack@5', 'webpack-cli@6'], { cwd: app });
    const esbuild = join(projectRoot, 'node_modules/esbuild/bin/esbuild');
    await promisify(execFile)(esbuild, ['app.mjs', '--bundle', '--platform=node', '--external:pkcs11js', `--outfile=${join(work, 'esbuilt/app.cjs')}`], { cwd: app });
    // As an ES module, the CommonJS inside needs a require (esbuild's advice for any CommonJS package).
    const banner = "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
    await promisify(execFile)(esbuild, ['app.mjs', '--bundle', '--platform=node', '--format=esm', banner, '--external:pkcs11js', `--outfile=${join(work, 'esbuilt/app.mjs')}`], { cwd: app });
    // Without it, the bundle fails as it loads the package, whatever the key (docs/library.md says so; QA).
    await promisify(execFile)(esbuild, ['app.mjs', '--bundle', '--platform=node', '--format=esm', '--external:pkcs11js', `--outfile=${join(work, 'esbuilt/bare.mjs')}`], { cwd: app });
    const bare = await promisify(execFile)(process.execPath, [join(work, 'esbuilt/bare.mjs')]).catch((error: { stderr: string; code: number }) => error);
    expect(bare).toMatchObject({ code: 1, stderr: expect.stringContaining('Dynamic require of "node:fs" is not supported') });
    await promisify(execFile)(join(app, 'node_modules/.bin/webpack'), ['--config', 'webpack.config.cjs'], { cwd: app });
    // Run where there is no node_modules: all the helper needs is in the bundle.
    for (const bundle of [join(work, 'esbuilt/app.cjs'), join(work, 'esbuilt/app.mjs'), join(work, 'webpacked/app.cjs')]) {
      const { stdout } = await promisify(execFile)(process.execPath, [bundle], { cwd: dirname(bundle) });
      expect(stdout).toBe(`${scenario.emulator.issued.at(-1)!.accessKeyId}\n`);
    }
    // A PKCS#11 key there, with no pkcs11js beside the bundle: the message says what the bundle needs (QA).
    writeFileSync(
      join(app, 'token.mjs'),
      `import { fromRolesAnywhere } from 'roles-anywhere-helper';\n` +
        `fromRolesAnywhere(${JSON.stringify({ certificate: 'pkcs11:token=none;object=none', ...ARNS, endpoint: scenario.emulator.url })})()\n` +
        `  .catch((error) => console.log(error.message));\n`,
    );
    await promisify(execFile)(esbuild, ['token.mjs', '--bundle', '--platform=node', '--external:pkcs11js', `--outfile=${join(work, 'esbuilt/token.cjs')}`], { cwd: app });
    const { stdout } = await promisify(execFile)(process.execPath, [join(work, 'esbuilt/token.cjs')], { cwd: join(work, 'esbuilt') });
    expect(stdout).toMatch(/^fromRolesAnywhere: PKCS#11 needs the optional pkcs11js module, which is not installed here .*; an application bundle needs node_modules\/pkcs11js, built for its platform, beside it\n$/);
  }, 180_000);
});
