import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClientEnv } from '../support/awsClients.js';
import { cliCommandLine, projectRoot, runCli } from '../support/cli.js';
import { startEcsServe, startServe } from '../support/longRunning.js';
import { ARNS, Scenario, type LeafFiles } from '../support/scenario.js';

// The AWS SDK for Go, v2 and v1 (Debian's golang-github-aws-aws-sdk-go-v2-dev and golang-github-aws-aws-sdk-go-dev,
// scripts/setup.sh), which most tools Roles Anywhere users run are built with (Terraform, rclone, kubectl's
// and eksctl's AWS parts): its own INI reader (v1's reads keys in lower case only), Go's RFC 3339 parser for
// Expiration, an IMDS client that reads the token's TTL from the PUT's answer, and a container provider that
// takes only loopback hosts and, in these versions, no token file.

const GO_SDK = '/usr/share/gocode';
const DEPLOY_ROLE = 'arn:aws:iam::210987654321:role/deploy';

let scenario: Scenario;
let leaf: LeafFiles;
let client: string;
let imdsServer: Awaited<ReturnType<typeof startServe>>;
let ecsServer: Awaited<ReturnType<typeof startEcsServe>>;

const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];

interface GoResult {
  readonly sdk: 'v1' | 'v2';
  readonly provider: string;
  readonly key: string;
  readonly expiration?: string;
  readonly arn: string;
}

/** Builds test/support/goSdkClient.go in GOPATH mode against Debian's SDK sources, its build cache in the clone's .cache. */
async function buildClient(): Promise<string> {
  const cache = join(projectRoot, '.cache/go');
  mkdirSync(cache, { recursive: true });
  const output = join(cache, 'go-sdk-client');
  await promisify(execFile)('go', ['build', '-o', output, join(projectRoot, 'test/support/goSdkClient.go')], {
    env: { PATH: process.env.PATH, HOME: cache, GO111MODULE: 'off', GOPATH: GO_SDK, GOCACHE: join(cache, 'build'), GOFLAGS: '', CGO_ENABLED: '0' },
  }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`the Go SDK client did not build (scripts/setup.sh installs golang-go and the two SDKs' -dev packages): ${error.stderr || error.message}`);
  });
  return output;
}

/** The Go client, with only `env` (and STS at the emulator): no configuration of the tester's, IMDS off unless asked for. */
async function go(sdk: 'v1' | 'v2', env: Record<string, string>): Promise<GoResult> {
  const { stdout } = await promisify(execFile)(client, [sdk], {
    env: sdkClientEnv(scenario, env),
  });
  return JSON.parse(stdout);
}

/** The Go client's error (it exits 1 with the SDK's error on stderr). */
async function goFailure(sdk: 'v1' | 'v2', env: Record<string, string>): Promise<string> {
  return go(sdk, env).then(
    (result) => {
      throw new Error(`the Go client got credentials: ${JSON.stringify(result)}`);
    },
    (error: { stderr: string }) => error.stderr,
  );
}

/** The caller is this role, and the emulator verified the signature of Go's GetCallerIdentity with a key it issued. */
function expectVerified(result: GoResult, roleArn: string = ARNS.roleArn): void {
  const role = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  expect(result.arn).toMatch(new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/${role}/`));
  expect(scenario.emulator.stsCalls.at(-1)).toMatchObject({ action: 'GetCallerIdentity', status: 200, callerArn: result.arn });
  const issued = [...scenario.emulator.issued, ...scenario.emulator.assumedRoles];
  expect(issued.some((credentials) => credentials.accessKeyId === result.key)).toBe(true);
}

/** The expiry the emulator gave the credentials of this key. */
function issuedExpiration(key: string): string | undefined {
  return [...scenario.emulator.issued, ...scenario.emulator.assumedRoles].find((issued) => issued.accessKeyId === key)?.expiration;
}

/** An AWS config file of these profiles, each a list of settings. */
function configFile(name: string, profiles: Record<string, string[]>): string {
  const text = Object.entries(profiles).map(([profile, settings]) => `[profile ${profile}]\n${settings.join('\n')}\n`).join('\n');
  return scenario.workspace.write(name, text);
}

const credentialProcess = (...extra: string[]) => `credential_process = ${cliCommandLine(['credential-process', ...keyFlags(), ...scenario.sessionFlags(), ...extra])}`;

beforeAll(async () => {
  [scenario, client] = await Promise.all([Scenario.start({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] }), buildClient()]);
  leaf = await scenario.leaf('go');
  [imdsServer, ecsServer] = await Promise.all([
    startServe([...keyFlags(), ...scenario.sessionFlags()]),
    startEcsServe([...keyFlags(), ...scenario.sessionFlags()]),
  ]);
}, 240_000);
afterAll(async () => {
  await Promise.all([imdsServer?.stop(), ecsServer?.stop()]);
  await scenario?.stop();
});

describe.each(['v2', 'v1'] as const)('the AWS SDK for Go %s', (sdk) => {
  it('runs credential-process from a config profile, reads its Expiration, and signs with what it printed', async () => {
    const config = configFile(`go-${sdk}-config`, { go: [credentialProcess()] });
    const result = await go(sdk, { AWS_CONFIG_FILE: config, AWS_PROFILE: 'go' });
    const issued = scenario.emulator.issued.at(-1)!;
    expect(result).toMatchObject({ provider: 'ProcessProvider', key: issued.accessKeyId, expiration: issued.expiration });
    expectVerified(result);
  });

  it("runs credential-process --cache: a second client's run is answered from the cache", async () => {
    const cache = join(scenario.workspace.dir, `cache-${sdk}`);
    const config = configFile(`go-${sdk}-cached`, { go: [credentialProcess('--cache')] });
    const env = { AWS_CONFIG_FILE: config, AWS_PROFILE: 'go', ROLES_ANYWHERE_HELPER_CACHE_DIR: cache };
    const first = await go(sdk, env);
    const sessions = scenario.emulator.issued.length;
    const second = await go(sdk, env);
    expect(scenario.emulator.issued.length).toBe(sessions);
    expect(second).toMatchObject({ provider: 'ProcessProvider', key: first.key, expiration: issuedExpiration(first.key) });
    expectVerified(second);
  });

  it("signs as the chained role: credential-process --assume-role-arn, and the SDK's own role_arn over a credential-process profile", async () => {
    const config = configFile(`go-${sdk}-chained`, {
      chained: [credentialProcess('--assume-role-arn', DEPLOY_ROLE, '--sts-endpoint', scenario.emulator.url)],
      base: [credentialProcess()],
      assumed: [`role_arn = ${DEPLOY_ROLE}`, 'source_profile = base'],
    });
    const chained = await go(sdk, { AWS_CONFIG_FILE: config, AWS_PROFILE: 'chained' });
    expect(chained).toMatchObject({ provider: 'ProcessProvider', expiration: issuedExpiration(chained.key) });
    expect(scenario.emulator.assumedRoles.at(-1)).toMatchObject({ roleArn: DEPLOY_ROLE, accessKeyId: chained.key });
    expectVerified(chained, DEPLOY_ROLE);
    // The SDK's AssumeRole, signed with what credential-process printed, at the emulator's STS.
    const assumed = await go(sdk, { AWS_CONFIG_FILE: config, AWS_PROFILE: 'assumed' });
    expect(assumed).toMatchObject({ provider: 'AssumeRoleProvider', expiration: issuedExpiration(assumed.key) });
    expect(scenario.emulator.stsCalls.at(-2)).toMatchObject({ action: 'AssumeRole', status: 200, callerArn: expect.stringContaining(':assumed-role/test-role/') });
    expectVerified(assumed, DEPLOY_ROLE);
  });

  it("gets serve's credentials with its EC2 instance-metadata provider (IMDSv2), at the endpoint serve printed", async () => {
    const result = await go(sdk, { AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: `${imdsServer.url}/` });
    expect(result.provider).toBe('EC2RoleProvider');
    // v2 holds them until the expiry serve gave (at most an hour); v1's default chain tells none.
    if (sdk === 'v2') expect(result.expiration).toBe(issuedExpiration(result.key));
    expectVerified(result);
  });

  it("gets serve --ecs's credentials with its container provider, given the token itself, at 127.0.0.1 or localhost", async () => {
    const token = readFileSync(ecsServer.tokenFile, 'utf8');
    for (const uri of [ecsServer.fullUri, ecsServer.fullUri.replace('127.0.0.1', 'localhost')]) {
      const result = await go(sdk, { AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, AWS_CONTAINER_AUTHORIZATION_TOKEN: token });
      expect(result.provider).toBe('CredentialsEndpointProvider');
      // v2 counts them expired 5 minutes early (its container provider's window).
      if (sdk === 'v2') expect(Date.parse(issuedExpiration(result.key)!) - Date.parse(result.expiration!)).toBe(300_000);
      expectVerified(result);
    }
  });

  it("reads the credentials file update writes, and a profile whose keys were upper case once update has refreshed it (QA: v1 read none)", async () => {
    const path = scenario.workspace.write(`go-${sdk}-credentials`, '[upper]\nAWS_ACCESS_KEY_ID = OLD\nAWS_SECRET_ACCESS_KEY = old\nAWS_SESSION_TOKEN = old\n');
    for (const profile of ['go', 'upper']) {
      const update = await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags(), '--profile', profile], { env: { AWS_SHARED_CREDENTIALS_FILE: path } });
      expect(update.code).toBe(0);
      const result = await go(sdk, { AWS_SHARED_CREDENTIALS_FILE: path, AWS_PROFILE: profile });
      expect(result).toMatchObject({ provider: `SharedConfigCredentials: ${path}`, key: scenario.emulator.issued.at(-1)!.accessKeyId });
      expectVerified(result);
    }
  });
});

describe('serve --ecs and the Go SDK of Debian 12, which reads no AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', () => {
  const readsTokenFile = () => readFileSync(join(GO_SDK, 'src/github.com/aws/aws-sdk-go-v2/config/env_config.go'), 'utf8').includes('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');

  it('tells v2, given only the token file serve printed, to send the token itself', async () => {
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: ecsServer.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: ecsServer.tokenFile };
    if (readsTokenFile()) {
      // A later SDK than Debian 12's: it reads the file.
      expectVerified(await go('v2', env));
      return;
    }
    const error = await goFailure('v2', env);
    expect(error).toContain('Unauthorized: no Authorization header: send the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    expect(error).toContain('(SDKs that predate EKS Pod Identity read only AWS_CONTAINER_AUTHORIZATION_TOKEN)');
  });
});
