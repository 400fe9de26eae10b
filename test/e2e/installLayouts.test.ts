import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { ARNS, openssl, Scenario, type LeafFiles } from '../support/scenario.js';
import { yarnBerry, yarnEnv } from '../support/yarnBerry.js';

/**
 * The package installed otherwise than by npm (test/e2e/package.test.ts), where its dependencies are not in a
 * node_modules beside it: by Yarn's Plug'n'Play (zip archives, found only by Yarn's runtime), and its folder
 * copied alone.
 */
const work = mkdtempSync(join(tmpdir(), 'rah-layouts-'));
const project = join(work, 'pnp app');
let scenario: Scenario;
let leaf: LeafFiles;
let tarball: string;
let yarn: (args: string[], cwd?: string, extraEnv?: Record<string, string>) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Runs a program, never throwing: its exit code and output. */
function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return promisify(execFile)(file, args, { cwd: options.cwd ?? work, env: options.env ?? { PATH: process.env.PATH, HOME: work } }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const withoutTime = (stderr: string) => stderr.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');

beforeAll(async () => {
  const yarnScript = yarnBerry();
  // The machine's settings (a proxy, its CAs: NODE_EXTRA_CA_CERTS) for the registry.
  const env = { ...process.env, HOME: work, ...yarnEnv() };
  yarn = (args, cwd = project, extraEnv = {}) => run(process.execPath, [yarnScript, ...args], { cwd, env: { ...env, ...extraEnv } });
  // The bundles globalSetup built, packed as they are (no prepare script: it would build them again).
  const packed = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  tarball = join(work, JSON.parse(packed)[0].filename);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{"name":"app","private":true}');
  const added = await yarn(['add', `roles-anywhere-helper@file:${tarball}`]);
  expect(added.code, added.stdout + added.stderr).toBe(0);
  scenario = await Scenario.start();
  leaf = await scenario.leaf('layouts');
}, 300_000);
afterAll(async () => {
  await scenario?.stop();
  rmSync(work, { recursive: true, force: true });
  // Yarn's global cache keeps the registry's packages for the next run, not this build's tarball, another each build.
  const cache = join(yarnEnv().YARN_GLOBAL_FOLDER!, 'cache');
  for (const name of existsSync(cache) ? readdirSync(cache) : []) if (name.startsWith('roles-anywhere-helper-file-')) rmSync(join(cache, name), { force: true });
});

describe("installed by Yarn's Plug'n'Play", () => {
  it('has no node_modules, and run through yarn gets credentials: credential-process, its cache, and the library by yarn node', async () => {
    expect(existsSync(join(project, 'node_modules'))).toBe(false);
    const cache = { ROLES_ANYWHERE_HELPER_CACHE_DIR: mkdtempSync(join(work, 'cache-')) };
    const flags = ['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--cache'];
    const before = scenario.emulator.issued.length;
    // Twice: the second is the cache's hit, and the code cache's.
    for (let i = 0; i < 2; i++) {
      const result = await yarn(['aws_signing_helper', ...flags], project, cache);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    }
    expect(scenario.emulator.issued.length).toBe(before + 1);
    const options = JSON.stringify({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url });
    writeFileSync(join(project, 'app.mjs'), `import { fromRolesAnywhere } from 'roles-anywhere-helper';\nconsole.log((await fromRolesAnywhere(${options})()).accessKeyId);\n`);
    const library = await yarn(['node', 'app.mjs']);
    expect(library).toMatchObject({ code: 0, stdout: `${scenario.emulator.issued.at(-1)!.accessKeyId}\n` });
  }, 180_000);

  it("its bin run by its path, without Yarn's runtime: --cache and PKCS#11 say how to run it, and both ways work as written (QA: 'internal error: Cannot find module')", async () => {
    const bin = (await yarn(['bin', 'aws_signing_helper'])).stdout.trim();
    expect(bin).toContain('/.yarn/');
    const env = { PATH: process.env.PATH, HOME: work, ROLES_ANYWHERE_HELPER_CACHE_DIR: mkdtempSync(join(work, 'cache-')) };
    const args = ['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--cache'];
    const refused = await run(process.execPath, [bin, ...args], { env });
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    const ways = `Yarn Plug'n'Play installed it, whose packages only its runtime finds: run it with \`yarn --cwd '${project}' aws_signing_helper\`, ` +
      `or with \`node --require '${join(project, '.pnp.cjs')}'\` before the bin's path\n`;
    expect(withoutTime(refused.stderr)).toMatch(/^roles-anywhere-helper cannot find its dependency proper-lockfile from \/.*\/dist: /);
    expect(withoutTime(refused.stderr).endsWith(ways)).toBe(true);
    const token = await run(process.execPath, [bin, 'read-certificate-data', '--certificate', 'pkcs11:token=none'], { env });
    expect(withoutTime(token.stderr)).toMatch(/^PKCS#11 needs the optional pkcs11js module, which cannot be found from \/.*\/dist: /);
    expect(withoutTime(token.stderr).endsWith(ways)).toBe(true);
    // As the message writes them.
    const required = await run(process.execPath, ['--require', join(project, '.pnp.cjs'), bin, ...args], { env });
    expect(required).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(required.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    const throughYarn = await yarn(['--cwd', project, 'aws_signing_helper', ...args], work, { ROLES_ANYWHERE_HELPER_CACHE_DIR: env.ROLES_ANYWHERE_HELPER_CACHE_DIR });
    expect(throughYarn).toMatchObject({ code: 0, stdout: required.stdout, stderr: '' });
  });

  it('kept in its zip archive ("unplugged": false), serve --hop-limit says how to have Yarn unplug and build it, which unplugs it; where the node-gyp Yarn runs fails, the npm rebuild it then names builds it (QA: an npm rebuild of the zip)', async () => {
    const zipped = join(work, 'zipped app');
    mkdirSync(zipped);
    const manifest = (meta: object) => writeFileSync(join(zipped, 'package.json'), JSON.stringify({ name: 'zipped', private: true, dependencies: { 'roles-anywhere-helper': `file:${tarball}` }, dependenciesMeta: { 'roles-anywhere-helper': meta } }));
    const install = async () => {
      const installed = await yarn(['install'], zipped);
      expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    };
    manifest({ unplugged: false });
    await install();
    expect((await yarn(['bin', 'aws_signing_helper'], zipped)).stdout).toMatch(/\.zip\/node_modules\/roles-anywhere-helper\/bin\//);
    const serve = await yarn(['aws_signing_helper', 'serve', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--port', '0', '--hop-limit', '1'], zipped);
    expect(serve.code).toBe(1);
    expect(withoutTime(serve.stderr)).toMatch(
      /^--hop-limit 1 needs the socket_ttl native addon, which cannot be built in the zip archive Yarn keeps roles-anywhere-helper in \(\/\S+\.zip\): give it "built": true rather than "unplugged": false in the dependenciesMeta of your package\.json, and run yarn install, on a machine with python3, make and a C compiler \(without --hop-limit, serve uses the system's 64\)\n$/,
    );
    // As it says: Yarn unplugs it, to build it (whether the build succeeds is the machine's: the next message says what to run).
    manifest({ built: true });
    await install();
    expect((await yarn(['bin', 'aws_signing_helper'], zipped)).stdout).toContain('/.yarn/unplugged/');
    // Built there by Yarn where its node-gyp runs (it takes the newest, which crashes on Node 20); else
    // --hop-limit says what to run, and that builds it (serve then stops at the ARNs it was not given).
    const hopLimited = () => yarn(['aws_signing_helper', 'serve', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--port', '0', '--hop-limit', '1'], zipped);
    let served = await hopLimited();
    const rebuild = /run `(npm rebuild [^`]+)`/.exec(served.stderr)?.[1];
    if (rebuild) {
      expect(withoutTime(served.stderr)).toMatch(/^--hop-limit 1 needs the socket_ttl native addon, which is not built here: run `npm rebuild --ignore-scripts=false --prefix '\/.+\/zipped app\/\.yarn\/unplugged\/roles-anywhere-helper-[^\/]+' roles-anywhere-helper` on a machine/);
      const rebuilt = await run('sh', ['-c', rebuild], { cwd: zipped, env: { ...process.env, HOME: work } });
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      served = await hopLimited();
    }
    expect([served.code, withoutTime(served.stderr)]).toEqual([1, 'no trust anchor, profile or role ARN given: use --trust-anchor-arn, --profile-arn and --role-arn\n']);
  }, 300_000);
});

it("the package's folder copied alone, without its dependencies: --cache, a PKCS#12 file (the CLI's and the library's) and serve say to install it with them (QA: 'internal error: Cannot find module')", async () => {
  const copy = join(work, 'copied');
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(projectRoot, part), join(copy, part), { recursive: true });
  expect(readdirSync(copy)).not.toContain('node_modules');
  const env = { PATH: process.env.PATH, HOME: work, ROLES_ANYWHERE_HELPER_CACHE_DIR: mkdtempSync(join(work, 'cache-')) };
  const helper = (args: string[]) => run(process.execPath, [join(copy, 'bin/aws_signing_helper.cjs'), ...args, ...scenario.sessionFlags()], { env });
  const missing = (name: string) => `roles-anywhere-helper cannot find its dependency ${name} from ${join(copy, 'dist')}: install roles-anywhere-helper with its dependencies (its folder copied alone has none)`;
  const cached = await helper(['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--cache']);
  expect([cached.code, cached.stdout, withoutTime(cached.stderr)]).toEqual([1, '', `${missing('proper-lockfile')}\n`]);
  // A PKCS#12 file (node-forge), given to credential-process and, where the failure is another's reason, to the library.
  const pkcs12 = join(work, 'layouts.p12');
  writeFileSync(pkcs12, openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:']));
  const signed = await helper(['credential-process', '--certificate', pkcs12]);
  expect([signed.code, signed.stdout, withoutTime(signed.stderr)]).toEqual([1, '', `${missing('node-forge')}\n`]);
  const options = JSON.stringify({ certificate: pkcs12, ...ARNS, endpoint: scenario.emulator.url });
  const library = await run(process.execPath, ['-e', `require(${JSON.stringify(join(copy, 'dist/index.cjs'))}).fromRolesAnywhere(${options})().catch((e) => console.log(e.message))`], { env });
  expect(library.stdout).toBe(`fromRolesAnywhere: ${missing('node-forge')}\n`);
  // serve, which needs signal-exit from the start (the exit hooks of its token folder and locks).
  const served = await helper(['serve', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--port', '0']);
  expect([served.code, withoutTime(served.stderr)]).toEqual([1, `${missing('signal-exit')}\n`]);
});

it("the library loaded through a link, as pnpm lays packages out, with Node's --preserve-symlinks: cache: true says why its dependencies are not found (QA: 'internal error: Cannot find module')", async () => {
  // pnpm's isolated layout: the app's node_modules holds a link to the package, whose dependencies are beside it in .pnpm/.
  const app = join(work, 'pnpm app');
  const store = join(app, 'node_modules/.pnpm/roles-anywhere-helper@0.1.0/node_modules');
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(projectRoot, part), join(store, 'roles-anywhere-helper', part), { recursive: true });
  for (const dependency of ['node-forge', 'proper-lockfile', 'signal-exit']) symlinkSync(join(projectRoot, 'node_modules', dependency), join(store, dependency));
  symlinkSync(join(store, 'roles-anywhere-helper'), join(app, 'node_modules/roles-anywhere-helper'));
  const options = JSON.stringify({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url, cache: true });
  writeFileSync(join(app, 'app.mjs'), `import { fromRolesAnywhere } from 'roles-anywhere-helper';\nfromRolesAnywhere(${options})().then((c) => console.log(c.accessKeyId), (e) => console.log(e.message));\n`);
  const env = { PATH: process.env.PATH, HOME: work, ROLES_ANYWHERE_HELPER_CACHE_DIR: mkdtempSync(join(work, 'cache-')) };
  const fetched = await run(process.execPath, ['app.mjs'], { cwd: app, env });
  const accessKeyId = `${scenario.emulator.issued.at(-1)!.accessKeyId}\n`;
  expect(fetched.stdout).toBe(accessKeyId);
  // A hit takes no lock, and loads none of the locks' dependencies; a miss says why they are not found.
  expect((await run(process.execPath, ['app.mjs'], { cwd: app, env: { ...env, NODE_OPTIONS: '--preserve-symlinks' } })).stdout).toBe(accessKeyId);
  const missed = { ...env, ROLES_ANYWHERE_HELPER_CACHE_DIR: mkdtempSync(join(work, 'cache-')), NODE_OPTIONS: '--preserve-symlinks' };
  const preserved = await run(process.execPath, ['app.mjs'], { cwd: app, env: missed });
  expect(preserved.stdout).toBe(
    `fromRolesAnywhere: roles-anywhere-helper cannot find its dependency proper-lockfile from ${join(app, 'node_modules/roles-anywhere-helper/dist')}: ` +
      "Node's --preserve-symlinks looks for them beside the link to the package (pnpm's layout), not beside the package itself: run without it, or install with pnpm's node-linker=hoisted\n",
  );
});
