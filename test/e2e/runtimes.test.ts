import { execFile, execFileSync, spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/cli.js';
import { jsRuntime } from '../support/jsRuntimes.js';
import { ARNS, openssl, Scenario, type LeafFiles } from '../support/scenario.js';
import { signStringMessage } from '../support/signStringMessage.js';

/**
 * The package packed and installed into a Bun app (by `bun add`) and a Deno app (by npm: Deno's own install
 * does not take a tarball), against the emulator: the library handing an AWS SDK client its credentials, and
 * the CLI through `bunx --bun` and `deno run -A npm:roles-anywhere-helper` (QA: runtimes; docs/install.md).
 */
const DEPLOY_ROLE = 'arn:aws:iam::210987654321:role/deploy';
const work = mkdtempSync(join(tmpdir(), 'rah-runtimes-'));
let scenario: Scenario;
let leaf: LeafFiles;
const files = { encryptedKey: '', pkcs12: '' };

/** Runs a program, never throwing: its exit code and output. */
function run(file: string, args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: work, TZ: 'UTC', ...options.env };
  return promisify(execFile)(file, args, { cwd: options.cwd, env, maxBuffer: 16 * 1024 * 1024 }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** The app's script: each way of giving the key, through fromRolesAnywhere, to an STS client's GetCallerIdentity. */
function appScript(): string {
  const base = { ...ARNS, endpoint: scenario.emulator.url };
  const cases = {
    pem: { certificate: leaf.certPath, privateKey: leaf.keyPath },
    pkcs8Encrypted: { certificate: leaf.certPath, privateKey: files.encryptedKey, pkcs8Password: 's3cret' },
    pkcs12: { certificate: files.pkcs12, pkcs12Password: 'p12pw' },
    cache: { certificate: leaf.certPath, privateKey: leaf.keyPath, cache: true },
    chained: { certificate: leaf.certPath, privateKey: leaf.keyPath, assumeRoleArn: DEPLOY_ROLE, stsEndpoint: scenario.emulator.url },
  };
  return `import { fromRolesAnywhere } from 'roles-anywhere-helper';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const base = ${JSON.stringify(base)};
for (const [name, options] of Object.entries(${JSON.stringify(cases)})) {
  const credentials = fromRolesAnywhere({ ...base, ...options });
  const sts = new STSClient({ region: 'us-east-1', endpoint: base.endpoint, credentials });
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    console.log(JSON.stringify({ name, arn: Arn, accessKeyId: (await credentials()).accessKeyId }));
  } catch (error) {
    console.log(JSON.stringify({ name, error: error.message }));
  }
  await credentials.close();
}
`;
}

beforeAll(async () => {
  scenario = await Scenario.start({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] });
  leaf = await scenario.leaf('runtimes', { keyAlgorithm: 'ec-p256' });
  files.encryptedKey = scenario.workspace.write('runtimes-key.enc.pem', openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', leaf.keyPath, '-passout', 'pass:s3cret']));
  files.pkcs12 = scenario.workspace.write('runtimes.p12', openssl(['pkcs12', '-export', '-in', leaf.certPath, '-inkey', leaf.keyPath, '-passout', 'pass:p12pw']));
  // The bundles globalSetup built, packed as they are (no prepare script: it would build them again).
  const packed = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const tarball = join(work, JSON.parse(packed)[0].filename);
  const sdk = `@aws-sdk/client-sts@${JSON.parse(readFileSync(join(projectRoot, 'node_modules/@aws-sdk/client-sts/package.json'), 'utf8')).version}`;
  for (const app of ['bun', 'deno']) {
    mkdirSync(join(work, app));
    writeFileSync(join(work, app, 'package.json'), JSON.stringify({ name: `${app}-app`, private: true, type: 'module' }));
  }
  // The machine's settings (a proxy, its CAs: NODE_EXTRA_CA_CERTS) for the registry.
  const added = await run(jsRuntime('bun'), ['add', tarball, sdk], { cwd: join(work, 'bun'), env: process.env as Record<string, string> });
  expect(added.code, added.stdout + added.stderr).toBe(0);
  writeFileSync(join(work, 'deno/deno.json'), '{"nodeModulesDir": "manual"}');
  const installed = await run('npm', ['install', '--no-audit', '--no-fund', tarball, sdk], { cwd: join(work, 'deno'), env: process.env as Record<string, string> });
  expect(installed.code, installed.stdout + installed.stderr).toBe(0);
  for (const app of ['bun', 'deno']) writeFileSync(join(work, app, 'app.mjs'), appScript());
}, 600_000);

afterAll(async () => {
  await scenario?.stop();
  rmSync(work, { recursive: true, force: true });
});

const runtimes = {
  bun: { library: ['app.mjs'], cli: ['x', '--bun', 'aws_signing_helper'] },
  deno: { library: ['run', '-A', 'app.mjs'], cli: ['run', '-A', 'npm:roles-anywhere-helper'] },
} as const;

describe.each(Object.keys(runtimes) as (keyof typeof runtimes)[])('on %s', (name) => {
  const cwd = join(work, name);
  const cacheDir = () => mkdtempSync(join(work, 'cache-'));
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(jsRuntime(name), [...runtimes[name].cli, ...args], { cwd, env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir(), ...env } });
  const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()];

  it('the library gives an AWS SDK client credentials: a PEM key, an encrypted PKCS#8 key, PKCS#12, cache: true, and role chaining', async () => {
    const result = await run(jsRuntime(name), [...runtimes[name].library], { cwd, env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir() } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; arn?: string; error?: string });
    const role = /^arn:aws:sts::123456789012:assumed-role\/test-role\//;
    expect(lines.map(({ name, arn, error }) => [name, error ?? arn?.replace(/\/[^/]+$/, '/…')])).toEqual([
      ['pem', 'arn:aws:sts::123456789012:assumed-role/test-role/…'],
      ['pkcs8Encrypted', 'arn:aws:sts::123456789012:assumed-role/test-role/…'],
      ['pkcs12', 'arn:aws:sts::123456789012:assumed-role/test-role/…'],
      ['cache', 'arn:aws:sts::123456789012:assumed-role/test-role/…'],
      ['chained', 'arn:aws:sts::210987654321:assumed-role/deploy/…'],
    ]);
    expect(lines[0]!.arn).toMatch(role);
  });

  it('credential-process, and with --cache one CreateSession for two runs', async () => {
    const plain = await cli(['credential-process', ...keyFlags()]);
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(plain.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    const shared = cacheDir();
    const before = scenario.emulator.issued.length;
    const outputs = [];
    for (let i = 0; i < 2; i++) {
      const cached = await cli(['credential-process', '--cache', ...keyFlags()], { ROLES_ANYWHERE_HELPER_CACHE_DIR: shared });
      expect(cached).toMatchObject({ code: 0, stderr: '' });
      outputs.push(cached.stdout);
    }
    expect(scenario.emulator.issued.length).toBe(before + 1);
    expect(outputs[1]).toBe(outputs[0]);
  });

  it('check, read-certificate-data and sign-string, as on Node', async () => {
    const commands = [
      ['check', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--trust-anchor-certificate', scenario.workspace.path('root.pem')],
      ['read-certificate-data', '--certificate', leaf.certPath],
    ];
    for (const args of commands) {
      const [onRuntime, onNode] = [await cli(args), await runCli(args)];
      expect(onRuntime).toMatchObject({ code: 0, stderr: '', stdout: onNode.stdout });
    }
    // ECDSA signs anew each time: checked with the certificate's key.
    const signed = await cli(['sign-string', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--format', 'text']);
    expect(signed).toMatchObject({ code: 0, stderr: '' });
    const publicKey = createPublicKey(leaf.certificate.pem);
    const message = signStringMessage(publicKey.export({ type: 'spki', format: 'der' }));
    expect(verify('sha256', message, publicKey, Buffer.from(signed.stdout, 'hex'))).toBe(true);
  });

  it('update --once writes the profile', async () => {
    const credentialsFile = join(work, `${name}-credentials`);
    const result = await cli(['update', ...keyFlags(), '--profile', 'runtime', '--once'], { AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(credentialsFile, 'utf8')).toContain(`[runtime]\naws_access_key_id = ${scenario.emulator.issued.at(-1)!.accessKeyId}\n`);
  });

  it.each([[[] as string[]], [['--ecs']]])('serve %j answers with credentials and stops on SIGTERM, exit 0, its token folder removed', async (mode) => {
    const child = spawn(jsRuntime(name), [...runtimes[name].cli, 'serve', ...mode, ...keyFlags(), '--port', '0'], {
      cwd,
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: work, ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const variables = await new Promise<Record<string, string>>((resolve, reject) => {
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        const found = Object.fromEntries([...stderr.matchAll(/export (\w+)=(\S+)/g)].map((match) => [match[1], match[2]]));
        if (Object.keys(found).length === (mode.length ? 2 : 1)) resolve(found as Record<string, string>);
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    let credentials: { AccessKeyId: string };
    if (mode.length) {
      const token = readFileSync(variables.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE!, 'utf8');
      credentials = await (await fetch(variables.AWS_CONTAINER_CREDENTIALS_FULL_URI!, { headers: { Authorization: token } })).json();
    } else {
      const url = variables.AWS_EC2_METADATA_SERVICE_ENDPOINT!;
      const token = await (await fetch(`${url}latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
      const headers = { 'X-aws-ec2-metadata-token': token };
      const role = await (await fetch(`${url}latest/meta-data/iam/security-credentials/`, { headers })).text();
      credentials = await (await fetch(`${url}latest/meta-data/iam/security-credentials/${role}`, { headers })).json();
    }
    expect(credentials.AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    if (mode.length) expect(existsSync(dirname(variables.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE!))).toBe(false);
  });
});

it('on deno without --allow-ffi, serve --hop-limit and PKCS#11 say to run it with --allow-ffi, rather than to rebuild the addon that is there or "internal error"', async () => {
  const cwd = join(work, 'deno');
  const addons = { socketTtl: join(cwd, 'node_modules/roles-anywhere-helper/build/Release/socket_ttl.node'), pkcs11: join(cwd, 'node_modules/pkcs11js/build/Release/pkcs11.node') };
  // npm built both at install (else these would be other messages, said by test/e2e/package.test.ts).
  for (const addon of Object.values(addons)) expect(existsSync(addon), addon).toBe(true);
  const permissions = ['--allow-read', '--allow-write', '--allow-env', '--allow-net', '--allow-sys'];
  const deno = (args: string[]) =>
    run(jsRuntime('deno'), ['run', ...permissions, 'npm:roles-anywhere-helper', ...args], { cwd, env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: mkdtempSync(join(work, 'cache-')) } });
  const withoutTime = (stderr: string) => stderr.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');
  const ffi = (addon: string) => `Requires ffi access to "${addon}", run again with the --allow-ffi flag`;
  const served = await deno(['serve', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--port', '0', '--hop-limit', '1']);
  expect([served.code, served.stdout, withoutTime(served.stderr)]).toEqual([
    1,
    '',
    `--hop-limit 1 needs the socket_ttl native addon, which Deno loads only with --allow-ffi (${ffi(addons.socketTtl)}): run it with --allow-ffi, or -A (without --hop-limit, serve uses the system's 64)\n`,
  ]);
  const read = await deno(['read-certificate-data', '--certificate', 'pkcs11:token=none']);
  expect([read.code, read.stdout, withoutTime(read.stderr)]).toEqual([
    1,
    '',
    `PKCS#11 needs the optional pkcs11js module, whose native part Deno loads only with --allow-ffi (${ffi(addons.pkcs11)}): run it with --allow-ffi, or -A\n`,
  ]);
});

it('on deno without --allow-env or --allow-read, or with only some variables allowed, each command says in one line what to allow, rather than a stack trace or "internal error"', async () => {
  const cwd = join(work, 'deno');
  const deno = (permissions: string[], args: string[]) => run(jsRuntime('deno'), ['run', ...permissions, 'npm:roles-anywhere-helper', ...args], { cwd, env: { NO_COLOR: '1' } });
  const withoutTime = (stderr: string) => stderr.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');
  const session = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()];
  const cases: [string[], string[], string][] = [
    // The launcher's first read of the environment (where its code cache is), then of the bundle.
    [[], ['credential-process', ...session], 'Requires env access to "ROLES_ANYWHERE_HELPER_CACHE_DIR", run again with the --allow-env flag'],
    [['--allow-env'], ['version'], `Requires read access to "${join(cwd, 'node_modules/roles-anywhere-helper/dist/cli.function.js')}", run again with the --allow-read flag`],
    // The CLI's, past the launcher's.
    [['--allow-read', '--allow-env=ROLES_ANYWHERE_HELPER_CACHE_DIR,XDG_CACHE_HOME,HOME'], ['credential-process', ...session], 'Requires env access to "AWS_CONFIG_FILE", run again with the --allow-env flag'],
  ];
  for (const [permissions, args, line] of cases) {
    const result = await deno(permissions, args);
    expect([result.code, result.stdout, withoutTime(result.stderr)], permissions.join(' ')).toEqual([1, '', `${line}\n`]);
  }
});

it('on deno with --allow-net for the endpoint only, serve and the emulator say in one line what to allow to listen, rather than an uncaught exception\'s stack trace', async () => {
  const cwd = join(work, 'deno');
  const endpoint = new URL(scenario.emulator.url).host;
  const deno = (args: string[]) =>
    run(jsRuntime('deno'), ['run', '--allow-read', '--allow-write', '--allow-env', '--allow-sys', `--allow-net=${endpoint}`, 'npm:roles-anywhere-helper', ...args], { cwd, env: { NO_COLOR: '1' } });
  const withoutTime = (stderr: string) => stderr.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');
  const session = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()];
  const denied = (host: string) => `Requires net access to "${host}", run again with the --allow-net flag`;
  const served = await deno(['serve', ...session, '--port', '0']);
  expect([served.code, served.stdout, withoutTime(served.stderr)]).toEqual([1, '', `failed to create listener on 127.0.0.1:0: ${denied('127.0.0.1:0')}\n`]);
  const ipv6 = await deno(['serve', '--ecs', ...session, '--bind', '::1', '--port', '0']);
  expect([ipv6.code, ipv6.stdout, withoutTime(ipv6.stderr)]).toEqual([1, '', `failed to create listener on [::1]:0: ${denied('[::1]:0')}\n`]);
  const emulator = await deno(['emulator', '--port', '0']);
  expect([emulator.code, emulator.stdout, withoutTime(emulator.stderr)]).toEqual([1, '', `failed to listen on 127.0.0.1:0: ${denied('127.0.0.1:0')}\n`]);
});

it('Bun, Deno and Node running one install with one cache folder keep a code cache each, named after the runtime, rather than throw out and rewrite each other\'s at every run', async () => {
  // One install, run by each: the Deno app's, which npm installed.
  const cwd = join(work, 'deno');
  const bin = join(cwd, 'node_modules/roles-anywhere-helper/bin/aws_signing_helper.cjs');
  const cacheFolder = mkdtempSync(join(work, 'code-cache-'));
  const args = ['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()];
  for (const [name, command] of [['bun', [jsRuntime('bun'), bin]], ['deno', [jsRuntime('deno'), 'run', '-A', bin]], ['node', [process.execPath, bin]]] as const) {
    const result = await run(command[0], [...command.slice(1), ...args], { cwd, env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheFolder } });
    expect(result, name).toMatchObject({ code: 0, stderr: '' });
  }
  const bunVersion = execFileSync(jsRuntime('bun'), ['--version'], { encoding: 'utf8' }).trim();
  const denoVersion = /^deno (\S+)/.exec(execFileSync(jsRuntime('deno'), ['--version'], { encoding: 'utf8' }))![1];
  const caches = readdirSync(cacheFolder).filter((name) => name.startsWith('cli-')).map((name) => name.replace(/^cli-[0-9a-f]+-[0-9a-f]+-/, ''));
  expect(caches.sort()).toEqual([`bun${bunVersion}-${process.arch}.v8cache`, `deno${denoVersion}-${process.arch}.v8cache`, `${process.version}-${process.arch}.v8cache`].sort());
});
