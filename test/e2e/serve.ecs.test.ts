import { fromContainerMetadata, fromHttp, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { connect, createServer, type Socket } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliFeatures, awsClientEnv, botocoreFeatures, expectVerifiedCaller, withEnv } from '../support/awsClients.js';
import { expectFailure, runCli } from '../support/cli.js';
import { imds } from '../support/imdsClient.js';
import { hanging, refusing } from '../support/fakeEndpoints.js';
import { startCommand, startEcsServe, startServe } from '../support/longRunning.js';
import { Scenario, leafFilesOf, type LeafFiles } from '../support/scenario.js';

/**
 * `serve --ecs` as the SDKs' container providers use it: each client's credentials end in a
 * GetCallerIdentity that the emulator's STS answers only after verifying its signature with the secret it
 * issued.
 */
let scenario: Scenario;
let leaf: LeafFiles;
let server: Awaited<ReturnType<typeof startEcsServe>>;

const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];
const token = () => readFileSync(server.tokenFile, 'utf8');
const run = promisify(execFile);
/** An IPv4 address of this machine that is not a loopback one, if it has one (a test binds to it). */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((candidate) => candidate && candidate.family === 'IPv4' && !candidate.internal)?.address;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('ecs');
  server = await startEcsServe([...keyFlags(), ...scenario.sessionFlags()]);
});
afterAll(async () => {
  await server.stop();
  await scenario.stop();
});

/** Whether serve can run in a network namespace of its own (root, allowed to unshare one, with ip and sysctl to set its lo up). */
const canUnshareNetwork =
  process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up && sysctl -qw net.ipv6.conf.lo.disable_ipv6=1']).status === 0;

/**
 * Starts serve in a network namespace of its own, set up by the shell command `setup` (an address added to its
 * lo, say), and resolves once it listens. It reaches the emulator through a Unix socket relayed here: a
 * forwarder in the namespace takes 127.0.0.1:8080 to it, and ends with its first connection, which stop ends.
 */
async function serveInNetworkNamespace(setup: string, args: readonly string[]) {
  const folder = mkdtempSync(join(scenario.workspace.dir, 'netns-'));
  const socket = join(folder, 'emulator.sock');
  const emulator = new URL(scenario.emulator.url);
  const links = new Set<Socket>();
  const relay = createServer((client) => {
    const upstream = connect(Number(emulator.port), emulator.hostname);
    for (const end of [client, upstream]) {
      links.add(end);
      end.on('error', () => {}).on('close', () => [client, upstream].forEach((link) => link.destroy()));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(socket, resolve));
  const forwarder =
    "const net = require('net'); net.connect(process.argv[1]).on('close', () => process.exit()).on('error', () => {}); " +
    "net.createServer((c) => { const u = net.connect(process.argv[1]); for (const e of [c, u]) e.on('error', () => c.destroy()); c.pipe(u).pipe(c); })" +
    ".listen(8080, '127.0.0.1', () => require('fs').writeFileSync(process.argv[2], 'listening\\n'));";
  const inNamespace = [
    'unshare', '--net', 'sh', '-c',
    `ip link set lo up && ${setup} && mkfifo "$4" && { "$1" -e "$2" "$3" "$4" </dev/null >/dev/null 2>&1 & } && read -r _ < "$4" && shift 4 && exec "$@"`,
    'sh', process.execPath, forwarder, socket, join(folder, 'ready'),
  ];
  const running = startCommand(['serve', '--port', '0', ...keyFlags(), ...scenario.sessionFlags('http://127.0.0.1:8080'), ...args], {}, undefined, inNamespace);
  const stop = async (signal?: NodeJS.Signals) => {
    const code = await running.stop(signal);
    for (const link of links) link.destroy();
    await new Promise((resolve) => relay.close(resolve));
    return code;
  };
  try {
    const [, port] = await running.waitFor(/Local server started on port: (\d+)\n/);
    return { ...running, port: Number(port), stop };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}

/** The variables the container provider reads, unset around each use so that the tester's own cannot leak in. */
const CONTAINER_VARIABLES = ['AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];
const withContainerEnv = <T>(variables: Record<string, string>, use: () => Promise<T>) => withEnv(variables, use, CONTAINER_VARIABLES);

describe('serve --ecs, as real SDKs use it', () => {
  it('prints the two variables to export, never the token; the token file is 0600 in a 0700 folder, without a newline', () => {
    expect(server.stderr()).toMatch(
      /Make it available to the sdk by running:\n.*export AWS_CONTAINER_CREDENTIALS_FULL_URI=http:\/\/127\.0\.0\.1:\d+\/role\/test-role\n.*export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=\/\S+\/token\n/,
    );
    expect(token()).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits, base64url
    expect(server.stderr()).not.toContain(token());
    expect(server.stderr()).not.toContain('warning');
    expect(server.stdout()).toBe('');
    expect(statSync(server.tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(server.tokenFile)).mode & 0o777).toBe(0o700);
  });

  it('the JavaScript SDK fromContainerMetadata() (legacy: localhost or 127.0.0.1, the token from the variable only)', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const fullUri = server.fullUri.replace('127.0.0.1', host);
      await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN: token() }, async () => {
        await expectVerifiedCaller(scenario, fromContainerMetadata({ maxRetries: 0, timeout: 2000 }));
      });
    }
  });

  it('the JavaScript SDK fromHttp(), with the token file and with the token variable', async () => {
    await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: server.tokenFile }, async () => {
      await expectVerifiedCaller(scenario, fromHttp({ maxRetries: 0 }));
    });
    await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN: token() }, async () => {
      await expectVerifiedCaller(scenario, fromHttp({ maxRetries: 0 }));
    });
  });

  it('the JavaScript SDK default chain, fromNodeProviderChain()', async () => {
    const none = scenario.workspace.path('no-such-config');
    await withContainerEnv(
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: server.tokenFile, AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none },
      async () => {
        const saved = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE'].filter((name) => process.env[name]);
        expect(saved).toEqual([]); // nothing earlier in the chain answers
        await expectVerifiedCaller(scenario, fromNodeProviderChain());
      },
    );
  });

  it('the JavaScript SDK gives the server\'s JSON refusal for a wrong token', async () => {
    await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'not-the-token' }, async () => {
      await expect(fromHttp({ maxRetries: 0 })()).rejects.toThrow(/Server responded with status: 403/);
    });
  });

  // Debian 12's botocore (1.29) and AWS CLI (2.9) read neither AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE nor AWS_ENDPOINT_URL_STS (support/awsClients.ts).
  it.runIf(botocoreFeatures().tokenFile && botocoreFeatures().endpointVariable)('botocore (boto3) with the token file', async () => {
    const script = [
      'import boto3',
      'session = boto3.Session()',
      'print(session.get_credentials().method)',
      "print(session.client('sts').get_caller_identity()['Arn'])",
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script], {
      env: awsClientEnv(scenario, { AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: server.tokenFile }),
    });
    const [method, arn] = stdout.trim().split('\n');
    expect(method).toBe('container-role');
    expect(arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/test-role\//);
    expect(scenario.emulator.stsCalls.at(-1)).toMatchObject({ action: 'GetCallerIdentity', status: 200, callerArn: arn });
  });

  it.runIf(awsCliFeatures().tokenFile && awsCliFeatures().endpointVariable)('the AWS CLI with the token variable, with the token file, and with both (the file wins)', async () => {
    const variants: Record<string, string>[] = [
      { AWS_CONTAINER_AUTHORIZATION_TOKEN: token() },
      { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: server.tokenFile },
      { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'not-the-token', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: server.tokenFile },
    ];
    for (const variables of variants) {
      const { stdout } = await run('aws', ['sts', 'get-caller-identity', '--output', 'json'], {
        env: awsClientEnv(scenario, { AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, ...variables }),
      });
      const identity = JSON.parse(stdout);
      expect(identity.Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/test-role\//);
      expect(scenario.emulator.stsCalls.at(-1)).toMatchObject({ action: 'GetCallerIdentity', status: 200, callerArn: identity.Arn });
    }
  });
});

describe('serve --ecs speaks the container-credentials protocol', () => {
  const get = (headers: Record<string, string> = {}, path = '/role/test-role', method = 'GET') => imds(server.origin, method, path, headers);

  it('answers the credentials as JSON: the four strings, Expiration in RFC 3339, the account', async () => {
    const response = await get({ Authorization: token() });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    const issued = scenario.emulator.issued.at(-1)!;
    expect(JSON.parse(response.body)).toEqual({
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      Token: issued.sessionToken,
      Expiration: issued.expiration,
      AccountId: '123456789012',
    });
    expect((await get({ Authorization: token() }, '/role/test-role/')).status).toBe(200);
  });

  it('no token: 401; a wrong one, or one a character longer or shorter: 403; both with a JSON {Code, Message}', async () => {
    const refusal = async (headers: Record<string, string>, status: number, code: string) => {
      const response = await get(headers);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/json');
      const body = JSON.parse(response.body);
      expect(Object.keys(body)).toEqual(['Code', 'Message']);
      expect(body.Code).toBe(code);
      expect(response.body).not.toContain(scenario.emulator.issued.at(-1)!.accessKeyId);
      return body.Message as string;
    };
    expect(await refusal({}, 401, 'Unauthorized')).toBe('no Authorization header: send the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (SDKs that predate EKS Pod Identity read only AWS_CONTAINER_AUTHORIZATION_TOKEN)');
    for (const wrong of ['wrong', `${token()}x`, token().slice(0, -1), `Bearer ${token()}`]) {
      expect(await refusal({ Authorization: wrong }, 403, 'AccessDenied')).toBe('the Authorization header is not the token this server expects');
    }
  });

  it('other paths are 404 (once the token is right), other methods 405, other Hosts 400', async () => {
    const notFound = await get({ Authorization: token() }, '/role/some-other-role');
    expect(notFound.status).toBe(404);
    expect(JSON.parse(notFound.body)).toEqual({ Code: 'NotFound', Message: 'no credentials at /role/some-other-role: they are at /role/test-role' });
    expect((await get({}, '/role/some-other-role')).status).toBe(401);
    expect((await get({ Authorization: token() }, '/')).status).toBe(404);
    expect((await get({ Authorization: token() }, '/role/test-role', 'POST')).status).toBe(405);
    const rebound = await get({ Authorization: token(), Host: 'rebind.attacker.example' });
    expect(rebound.status).toBe(400);
    expect(JSON.parse(rebound.body).Code).toBe('InvalidHost');
  });

  it('never logs the token, nor a change of its file that did not happen (QA: the file it made was taken for changed)', () => {
    expect(server.stderr()).not.toContain(token());
    expect(server.stderr()).not.toContain('changed');
    expect(server.stderr()).not.toContain(scenario.emulator.issued.at(-1)!.secretAccessKey);
  });

  it('under load: wrk, 50 connections on the credentials path, no errors', async () => {
    const script = scenario.workspace.write('authorization.lua', `wrk.headers["Authorization"] = "${token()}"\n`);
    const { stdout } = await run('wrk', ['-t2', '-c50', '-d3s', '-s', script, server.fullUri]);
    const requests = Number(/(\d+) requests in/.exec(stdout)![1]);
    expect(requests).toBeGreaterThan(1000);
    expect(stdout).not.toMatch(/Non-2xx or 3xx responses/);
    expect(stdout).not.toMatch(/Socket errors/);
  });
});

describe('serve --ecs --auth-token-file', () => {
  it('creates a missing file 0600 with a random token without a newline, and reads it as it is at the next start', async () => {
    const path = scenario.workspace.path('created-token');
    const first = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
    let created: string;
    try {
      expect(first.tokenFile).toBe(path);
      created = readFileSync(path, 'utf8');
      expect(created).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect((await imds(first.origin, 'GET', '/role/test-role', { Authorization: created })).status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(readFileSync(path, 'utf8')).toBe(created); // left where it is at stop
    const modified = statSync(path).mtimeMs;
    const second = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
    try {
      expect((await imds(second.origin, 'GET', '/role/test-role', { Authorization: created })).status).toBe(200);
      expect(statSync(path).mtimeMs).toBe(modified);
    } finally {
      await second.stop();
    }
  });

  it('says to export the absolute path of a token file given as a relative one', async () => {
    const path = scenario.workspace.path('relative-token');
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', relative(process.cwd(), path)]);
    try {
      expect(running.tokenFile).toBe(path);
    } finally {
      await running.stop();
    }
  });

  it("prints the export of a token file whose path holds a space and a quote as one shell word, which a shell reads back as the path", async () => {
    mkdirSync(scenario.workspace.path("my folder's"), { recursive: true });
    const path = scenario.workspace.path("my folder's/token");
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
    try {
      expect(running.tokenFile).toBe(path);
      const line = running.stderr().split('\n').find((text) => text.includes('export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE='))!;
      const exported = await promisify(execFile)('sh', ['-c', `${line.slice(line.indexOf('export '))}; printf %s "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"`]);
      expect(exported.stdout).toBe(path);
    } finally {
      await running.stop();
    }
  });

  it('prints the export of a token file whose path holds a line break and an escape as one line, which bash reads back as the path (QA: the line was folded, naming another file)', async () => {
    const folder = scenario.workspace.path("line\nbreak\x1b[31m it's");
    mkdirSync(folder, { recursive: true });
    // A token file of the user's: one to be made at a path holding a line break is refused as content given for a path.
    const path = join(folder, 'token');
    writeFileSync(path, 'a-token-of-my-own', { mode: 0o600 });
    const running = startCommand(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
    try {
      const [line] = await running.waitFor(/export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=.*\n/);
      expect(running.stderr()).not.toMatch(/[\x1b\r]/);
      const exported = await promisify(execFile)('bash', ['-c', `${line!.slice(line!.indexOf('export ')).trimEnd()}; printf %s "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"`]);
      expect(exported.stdout).toBe(path);
    } finally {
      await running.stop();
    }
  });

  it.each(['-', 'env:MY_TOKEN'])('refuses --auth-token-file %s, which names no file the SDKs could read', async (value) => {
    const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', value], { env: { MY_TOKEN: 'abcdefgh' } });
    expectFailure(
      result,
      `invalid --auth-token-file ${value}: it takes a file path, not standard input or a variable (for a file of that name, write ./${value})`,
    );
    expect(existsSync(value)).toBe(false);
  });

  it('with --debug, says each refusal, its status, path, client and reason, never the token sent (QA: nothing was said)', async () => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--debug']);
    try {
      expect((await imds(running.origin, 'GET', '/role/test-role', { Authorization: 'a-wrong-token-sent' })).status).toBe(403);
      expect((await imds(running.origin, 'GET', '/role/other', { Authorization: readFileSync(running.tokenFile, 'utf8') })).status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const lines = running.stderr().split('\n').filter((line) => line.includes(' answered '));
      expect(lines).toEqual([
        expect.stringMatching(/ answered 403 AccessDenied to GET \/role\/test-role from 127\.0\.0\.1: the Authorization header is not the token this server expects$/),
        expect.stringMatching(/ answered 404 NotFound to GET \/role\/other from 127\.0\.0\.1: no credentials at \/role\/other: they are at \/role\/test-role$/),
      ]);
      expect(running.stderr()).not.toContain('a-wrong-token-sent');
      expect(running.stderr()).not.toContain(readFileSync(running.tokenFile, 'utf8'));
    } finally {
      await running.stop();
    }
  });

  it('takes a token written by someone else, and its replacement without a restart, refusing the old one', async () => {
    const path = scenario.workspace.write('given-token', 'a-token-of-my-own', 0o644);
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
    try {
      expect((await imds(running.origin, 'GET', '/role/test-role', { Authorization: 'a-token-of-my-own' })).status).toBe(200);
      expect(statSync(path).mode & 0o777).toBe(0o644); // left unchanged
      writeFileSync(`${path}.new`, 'the-rotated-token');
      writeFileSync(path, readFileSync(`${path}.new`));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await imds(running.origin, 'GET', '/role/test-role', { Authorization: 'a-token-of-my-own' })).status).toBe(403);
      expect((await imds(running.origin, 'GET', '/role/test-role', { Authorization: 'the-rotated-token' })).status).toBe(200);
      expect(running.stderr()).toMatch(/auth token file .*given-token changed: expecting its new token/);
      expect(running.stderr()).not.toContain('the-rotated-token');
    } finally {
      await running.stop();
    }
  });

  it('refuses a token file written with a trailing newline, as botocore would, saying so', async () => {
    const path = scenario.workspace.write('echoed-token', 'a-token-of-my-own\n', 0o644);
    const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
    expectFailure(
      result,
      `unable to use the token in auth token file ${path}: it ends with a newline, which botocore (boto3, the AWS CLI) refuses as "not a legal header value" ` +
        `and the AWS SDK for JavaScript cannot send; write the token without one (printf '%s' "$TOKEN" > FILE)`,
    );
    expect(result.stderr).not.toContain('a-token-of-my-own');
    expect(readFileSync(path, 'utf8')).toBe('a-token-of-my-own\n');
  });

  it('refuses a file in a folder that does not exist', async () => {
    const path = scenario.workspace.path('missing/token');
    const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
    expectFailure(result, `unable to create auth token file ${path}: folder ${dirname(path)} does not exist`);
  });

  it('refuses a token file path that is not UTF-8 (Latin-1 systems), the file there or not, rather than make another file (QA: it made `tok\uFFFD` and told clients its path)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-ecs-latin1-'));
    try {
      // The shell passes the byte 0xE9 (é in Latin-1) on as it is; Node reads it as U+FFFD.
      for (const existing of [false, true]) {
        const via = ['sh', '-c', `${existing ? `printf 'a-token-of-my-own' > "${folder}/tok$(printf '\\351')" && ` : ''}exec "$@" --auth-token-file "${folder}/tok$(printf '\\351')"`, 'sh'];
        const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags()], { env: { LC_ALL: 'C' }, via });
        expectFailure(result, `unable to use auth token file ${folder}/tok\uFFFD: its path holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name`);
        // No `tok\uFFFD` file beside the one named in Latin-1, if any.
        expect(readdirSync(folder, { encoding: 'buffer' }).map((name) => name.toString('latin1'))).toEqual(existing ? ['tok\xe9'] : []);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.runIf(process.getuid?.() === 0)("says why another user's token file cannot be read, naming it (QA: as another user, /root/token was an internal error, EACCES)", async () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-ecs-nobody-'));
    const closed = mkdtempSync(join(tmpdir(), 'rah-ecs-closed-'));
    try {
      chmodSync(home, 0o755);
      const [certificate, key] = leafFilesOf(65534, leaf, home);
      // root's folder of mode 0700, which that user may not enter: the token file in it, and one further down.
      chmodSync(closed, 0o700);
      for (const path of [join(closed, 'token'), join(closed, 'sub/token')]) {
        const result = await runCli(['serve', '--ecs', '--port', '0', '--certificate', certificate, '--private-key', key, ...scenario.sessionFlags(), '--auth-token-file', path], {
          env: { HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' },
          via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
        });
        expectFailure(result, `unable to read auth token file ${path}: permission denied (this user may not enter ${closed}: mode 0700, owner 0)`);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it('refuses a path ending in /, which names a folder, not a file (QA: it named the folder\'s parent as missing)', async () => {
    for (const path of [`${scenario.workspace.path('missing-folder')}/`, `${scenario.workspace.dir}/`]) {
      const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', path]);
      expectFailure(result, `unable to use auth token file ${path}: the path ends in "/", so it names a folder, not a file`);
    }
    expect(existsSync(scenario.workspace.path('missing-folder'))).toBe(false);
  });

  it('is refused without --ecs, before any CreateSession', async () => {
    const before = scenario.emulator.issued.length;
    const result = await runCli(['serve', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--auth-token-file', scenario.workspace.path('t')]);
    expectFailure(result, '--auth-token-file is for --ecs: the IMDS endpoint takes no token from a file');
    // Mutation QA: refused once the credentials were had, it passed.
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('removes the token and its folder made for the run when it stops on %s', async (signal) => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags()]);
    expect(existsSync(running.tokenFile)).toBe(true);
    expect(await running.stop(signal)).toBe(0);
    expect(existsSync(dirname(running.tokenFile))).toBe(false);
  });

  it.each(['SIGQUIT', 'SIGUSR2'] as const)('removes them too when %s ends it (Ctrl-\\ is SIGQUIT), of that signal (QA: the folder and its token left behind)', async (signal) => {
    const temporary = scenario.workspace.path(`tmp-${signal}`);
    mkdirSync(temporary, { mode: 0o700 });
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags()], { TMPDIR: temporary });
    expect(existsSync(running.tokenFile)).toBe(true);
    await running.stop(signal);
    expect(running.child.signalCode).toBe(signal);
    expect(readdirSync(temporary)).toEqual([]);
  });

  it('removes them too when a second signal comes while it lets a request in flight finish (Ctrl-C twice)', async () => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags()]);
    // A request that never ends holds the stop for its 5 s drain.
    const stalled = connect(running.port, '127.0.0.1');
    // Node 26 may reset a connection it closes with a request half-read (Node QA: an uncaught ECONNRESET failed the run).
    stalled.on('error', () => {});
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write('GET /role/test-role HTTP/1.1\r\nHost: 127');
    try {
      const exited = new Promise<number | null>((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 500));
      running.child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(dirname(running.tokenFile))).toBe(false);
    } finally {
      stalled.destroy();
      await running.stop('SIGKILL');
    }
  });

  it('refuses to start without credentials, as serve does, and removes the token and its folder made for the run', async () => {
    const temporary = mkdtempSync(join(scenario.workspace.dir, 'tmp-'));
    const sessionFlags = scenario.sessionFlags().slice(0, -2); // all but --endpoint
    const env = { TMPDIR: temporary, AWS_MAX_ATTEMPTS: '1' };
    const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...sessionFlags, '--endpoint', await refusing()], { env });
    expectFailure(result, /^unable to obtain credentials at start-up, not serving: operation error RolesAnywhere: CreateSession, request send failed, .*ECONNREFUSED/);
    expect(result.stderr).not.toContain('export AWS_CONTAINER');
    expect(readdirSync(temporary)).toEqual([]);
  });

  it('removes them too when stopped while the first CreateSession is still unanswered', async () => {
    const endpoint = await hanging();
    try {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const temporary = mkdtempSync(join(scenario.workspace.dir, 'tmp-'));
        const before = endpoint.hits();
        const sessionFlags = scenario.sessionFlags().slice(0, -2); // all but --endpoint
        const running = startCommand(['serve', '--ecs', '--port', '0', ...keyFlags(), ...sessionFlags, '--endpoint', endpoint.url], { TMPDIR: temporary });
        try {
          for (let waited = 0; endpoint.hits() === before && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
          expect(endpoint.hits()).toBe(before + 1);
          expect(readdirSync(temporary)).toHaveLength(1); // the token's folder
          expect(await running.stop(signal)).toBe(0);
          expect(readdirSync(temporary)).toEqual([]);
          expect(running.stderr()).toBe('');
        } finally {
          await running.stop('SIGKILL');
        }
      }
    } finally {
      await endpoint.close();
    }
  });
});

describe('serve --ecs with a temporary folder everyone may write without the sticky bit (a Kubernetes emptyDir at /tmp, 0777)', () => {
  const asRoot = process.getuid?.() === 0;

  it.runIf(asRoot)('makes the token\'s folder in /dev/shm instead, where clients read it (review: refused outright, where it worked before the refusal of such folders)', async () => {
    const emptyDir = mkdtempSync(join(scenario.workspace.dir, 'emptydir-'));
    chmodSync(emptyDir, 0o777);
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags()], { TMPDIR: emptyDir });
    try {
      expect(dirname(dirname(running.tokenFile))).toBe('/dev/shm');
      expect(readdirSync(emptyDir)).toEqual([]);
      const token = readFileSync(running.tokenFile, 'utf8');
      const credentials = await fromHttp({ awsContainerCredentialsFullUri: running.fullUri, awsContainerAuthorizationToken: token })();
      expect(credentials.accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      expect(await running.stop('SIGTERM')).toBe(0);
      expect(existsSync(dirname(running.tokenFile))).toBe(false);
    } finally {
      await running.stop('SIGKILL');
    }
  });

  // A mount namespace of its own, where /dev/shm is a tmpfs everyone may write without the sticky bit too.
  it.runIf(asRoot)('refuses in one line, making nothing, where /dev/shm will not do either', async () => {
    const emptyDir = mkdtempSync(join(scenario.workspace.dir, 'emptydir-'));
    chmodSync(emptyDir, 0o777);
    const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags()], {
      env: { TMPDIR: emptyDir },
      via: ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs -o mode=0777 none /dev/shm && exec "$@"', 'sh'],
    });
    expectFailure(
      result,
      `unable to create a folder for the auth token in ${emptyDir} (the temporary folder, from TMPDIR): another user could swap the token's folder there ` +
        `(${emptyDir}, which everyone may write), and /dev/shm will not do either; ` +
        "point TMPDIR at a folder of this user's that no other user may write, nor any folder above it, or give --auth-token-file",
    );
    expect(readdirSync(emptyDir)).toEqual([]);
  });

  // /dev/shm full (a tmpfs with no inode left): the folder it could not make there is not TMPDIR's (review).
  it.runIf(asRoot)('names /dev/shm as taken in place of the temporary folder, and why, where the folder cannot be made there', async () => {
    const emptyDir = mkdtempSync(join(scenario.workspace.dir, 'emptydir-'));
    chmodSync(emptyDir, 0o777);
    const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags()], {
      env: { TMPDIR: emptyDir },
      via: ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs -o mode=1777,nr_inodes=1 none /dev/shm && exec "$@"', 'sh'],
    });
    expectFailure(
      result,
      `unable to create a folder for the auth token in /dev/shm, in place of the temporary folder ${emptyDir}, where another user could swap it ` +
        `(${emptyDir}, which everyone may write): no space left on device; ` +
        "point TMPDIR at a folder of this user's that no other user may write, nor any folder above it, or give --auth-token-file",
    );
  });
});

describe('serve --bind', () => {
  it('refuses 0.0.0.0 without --ecs, saying why, before any CreateSession', async () => {
    const before = scenario.emulator.issued.length;
    const result = await runCli(['serve', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--bind', '0.0.0.0']);
    expectFailure(
      result,
      'refusing --bind 0.0.0.0 without --ecs: the IMDS endpoint has no authentication (any process that reaches it can get a token and the credentials), ' +
        'so it listens on loopback addresses only; use --ecs, whose clients must send a secret token',
    );
    // Mutation QA: refused once the credentials were had, it passed.
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it('refuses any address that is not a loopback one without --ecs, not only all of them (mutation testing: only 0.0.0.0 was tried)', async () => {
    for (const address of ['198.51.100.7', '::', '::ffff:10.0.0.1']) {
      const result = await runCli(['serve', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--bind', address]);
      expectFailure(result, new RegExp(`^refusing --bind ${address.replace(/\./g, '\\.')} without --ecs: the IMDS endpoint has no authentication`));
    }
  });

  it('refuses an address that is not on this machine, and what is not an address', async () => {
    const absent = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--bind', '198.51.100.7']);
    expectFailure(absent, 'failed to create listener on 198.51.100.7:0: no interface of this machine has that address');
    const name = await runCli(['serve', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--bind', 'example.com']);
    expectFailure(name, 'invalid --bind "example.com": it must be an IP address of this machine, or localhost (127.0.0.1 and ::1)');
  });

  it('refuses an address with a port, pointing to --port, and one with an IPv6 zone, saying why', async () => {
    const withPort = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--bind', '127.0.0.1:9911']);
    expectFailure(withPort, 'invalid --bind "127.0.0.1:9911": give the address alone (127.0.0.1), and the port with --port');
    const zone = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags(), '--bind', 'fe80::1%lo']);
    expectFailure(
      zone,
      'invalid --bind "fe80::1%lo": an address with an IPv6 zone (%lo) is link-local, and no AWS SDK asks one for credentials over plain HTTP; ' +
        'give another address of the interface',
    );
  });

  it('::1: fromHttp() reaches it at [::1]', async () => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--bind', '::1']);
    try {
      expect(running.fullUri).toBe(`http://[::1]:${running.port}/role/test-role`);
      await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: running.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: running.tokenFile }, async () => {
        await expectVerifiedCaller(scenario, fromHttp({ maxRetries: 0 }));
      });
    } finally {
      await running.stop();
    }
  });

  it('::1: the AWS CLI reaches it at another spelling of ::1, whose Host it sends as written (QA: [0:0:0:0:0:0:0:1] got 400 "invalid Host header")', async () => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--bind', '::1']);
    try {
      // With the token as an AWS CLI that reads no AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE takes it (Debian 12's: support/awsClients.ts).
      const token: Record<string, string> = awsCliFeatures().tokenFile ? { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: running.tokenFile } : { AWS_CONTAINER_AUTHORIZATION_TOKEN: readFileSync(running.tokenFile, 'utf8') };
      const fullUri = `http://[0:0:0:0:0:0:0:1]:${running.port}/role/test-role`;
      const { stdout } = await run('aws', ['sts', 'get-caller-identity', '--endpoint-url', scenario.emulator.url, '--output', 'json'], {
        env: awsClientEnv(scenario, { AWS_CONTAINER_CREDENTIALS_FULL_URI: fullUri, ...token }),
      });
      expect(JSON.parse(stdout).Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/test-role\//);
    } finally {
      await running.stop();
    }
  });

  it('::ffff:127.0.0.1 is 127.0.0.1: served, and advertised, as that (the AWS CLI refuses ::ffff:7f00:1), for IMDS too (QA)', async () => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--bind', '::ffff:127.0.0.1']);
    try {
      expect(running.fullUri).toBe(`http://127.0.0.1:${running.port}/role/test-role`);
      const authorization = { Authorization: readFileSync(running.tokenFile, 'utf8') };
      for (const origin of [running.origin, `http://[::ffff:127.0.0.1]:${running.port}`]) {
        expect((await imds(origin, 'GET', '/role/test-role', authorization)).status).toBe(200);
      }
      // With the token as an AWS CLI that reads no AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE takes it (Debian 12's: support/awsClients.ts).
      const token: Record<string, string> = awsCliFeatures().tokenFile ? { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: running.tokenFile } : { AWS_CONTAINER_AUTHORIZATION_TOKEN: authorization.Authorization };
      const { stdout } = await run('aws', ['sts', 'get-caller-identity', '--endpoint-url', scenario.emulator.url, '--output', 'json'], {
        env: awsClientEnv(scenario, { AWS_CONTAINER_CREDENTIALS_FULL_URI: running.fullUri, ...token }),
      });
      expect(JSON.parse(stdout).Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/test-role\//);
    } finally {
      await running.stop();
    }
    const imdsServe = await startServe([...keyFlags(), ...scenario.sessionFlags(), '--bind', '::ffff:127.0.0.1']);
    try {
      expect(imdsServe.stderr()).toContain(`export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:${imdsServe.port}/`);
    } finally {
      await imdsServe.stop();
    }
  });

  it(':: (dual-stack): advertised as 127.0.0.1, which the JavaScript SDK\'s fromContainerMetadata() takes, without a warning', async () => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--bind', '::']);
    try {
      expect(running.fullUri).toBe(`http://127.0.0.1:${running.port}/role/test-role`);
      await withContainerEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: running.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN: readFileSync(running.tokenFile, 'utf8') }, async () => {
        await expectVerifiedCaller(scenario, fromContainerMetadata({ maxRetries: 0, timeout: 2000 }));
      });
      expect(running.stderr()).not.toContain('warning');
    } finally {
      await running.stop();
    }
  });

  it('localhost: both loopback addresses on one port, for IMDS too', async () => {
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--bind', 'localhost']);
    try {
      const authorization = { Authorization: readFileSync(running.tokenFile, 'utf8') };
      expect((await imds(`http://127.0.0.1:${running.port}`, 'GET', '/role/test-role', authorization)).status).toBe(200);
      expect((await imds(`http://[::1]:${running.port}`, 'GET', '/role/test-role', authorization)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  it.runIf(canUnshareNetwork)("a container address (a pod's 169.254.170.23 alias): advertised as it is, which the SDKs take, without the warning of other addresses (mutation QA: untested)", async () => {
    const running = await serveInNetworkNamespace('ip addr add 169.254.170.23/32 dev lo', ['--ecs', '--bind', '169.254.170.23']);
    expect(await running.stop()).toBe(0);
    expect(running.stderr()).toContain(`export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23:${running.port}/role/test-role\n`);
    expect(running.stderr()).not.toContain('warning');
  });

  it.runIf(canUnshareNetwork)('localhost where IPv6 is off (a container\'s network, often): serves on 127.0.0.1 alone, advertised as that (mutation QA: untested)', async () => {
    const running = await serveInNetworkNamespace('sysctl -qw net.ipv6.conf.lo.disable_ipv6=1', ['--bind', 'localhost']);
    expect(await running.stop()).toBe(0);
    expect(running.stderr()).toContain(`export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:${running.port}/\n`);
  });

  it.runIf(externalAddress)('an address of this machine that is not a loopback one, with --ecs: its Host is answered, the token still required, the SDKs\' refusal of it warned of', async () => {
    const address = externalAddress!;
    const running = await startEcsServe([...keyFlags(), ...scenario.sessionFlags(), '--bind', address]);
    try {
      expect(running.fullUri).toBe(`http://${address}:${running.port}/role/test-role`);
      await running.waitFor(/warning/, 5000);
      expect(running.stderr()).toContain(
        `warning: the SDKs refuse http://${address}:${running.port} over plain HTTP, taking only a loopback address, 169.254.170.2, 169.254.170.23, fd00:ec2::23: ` +
          "a client in another network namespace needs one of those (a pod's 169.254.170.23 alias, say)\n",
      );
      expect((await imds(running.origin, 'GET', '/role/test-role')).status).toBe(401);
      expect((await imds(running.origin, 'GET', '/role/test-role', { Authorization: readFileSync(running.tokenFile, 'utf8') })).status).toBe(200);
      await expect(imds(`http://127.0.0.1:${running.port}`, 'GET', '/role/test-role')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await running.stop();
    }
  });
});
