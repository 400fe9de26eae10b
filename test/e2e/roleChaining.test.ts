import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { fromIni, fromInstanceMetadata, fromProcess } from '@aws-sdk/credential-providers';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botocoreFeatures, withEnv } from '../support/awsClients.js';
import type { fromRolesAnywhere as FromRolesAnywhere } from '../../src/index.js';
import { cliCommandLine, errorLine, expectFailure, projectRoot, runCli } from '../support/cli.js';
import { imds, imdsToken } from '../support/imdsClient.js';
import { answering } from '../support/fakeEndpoints.js';
import { expectValidPastHeldExpiry } from '../support/fakeClock.js';
import { startServe } from '../support/longRunning.js';
import { ARNS, printedCredentials, Scenario, type LeafFiles } from '../support/scenario.js';

const { fromRolesAnywhere } = createRequire(import.meta.url)(join(projectRoot, 'dist/index.cjs')) as { fromRolesAnywhere: typeof FromRolesAnywhere };

const DEPLOY_ROLE = 'arn:aws:iam::210987654321:role/deploy';
const PARTNER_ROLE = 'arn:aws:iam::210987654321:role/partner';
/** A fallback Region's trust anchor and profile, as a --fallback value. */
const WEST = 'trust-anchor-arn=arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west,profile-arn=arn:aws:rolesanywhere:us-west-2:123456789012:profile/west';

let scenario: Scenario;
let leaf: LeafFiles;

beforeAll(async () => {
  scenario = await Scenario.start({ assumableRoles: [{ roleArn: DEPLOY_ROLE }, { roleArn: PARTNER_ROLE, externalId: 'partner-7' }] });
  leaf = await scenario.leaf('chaining-workload');
});
afterAll(async () => scenario.stop());

const EMPTY_ROLE = 'invalid --assume-role-arn "": it names no role to chain into (leave it out for the Roles Anywhere role\'s own credentials)';
/** What reached the emulator: CreateSessions it answered, STS calls, and requests it refused. */
const emulatorCalls = () => [scenario.emulator.issued.length, scenario.emulator.stsCalls.length, scenario.emulator.rejections.length];

const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];
const chainFlags = (role = DEPLOY_ROLE) => ['--assume-role-arn', role, '--sts-endpoint', scenario.emulator.url];
const credentialProcess = (...extra: string[]) => runCli(['credential-process', ...keyFlags(), ...scenario.sessionFlags(), ...extra]);
/** The emulator's STS, called with these credentials. */
const sts = (credentials: STSClientConfig['credentials']) =>
  new STSClient({ region: 'us-east-1', endpoint: scenario.emulator.url, credentials, maxAttempts: 1 });


describe('credential-process --assume-role-arn', () => {
  it('prints the chained role\'s credentials, which STS issued with the Roles Anywhere session\'s', async () => {
    const result = await credentialProcess(...chainFlags());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const session = scenario.emulator.issued.at(-1)!;
    const chained = scenario.emulator.assumedRoles.at(-1)!;
    expect(result.stdout).toBe(printedCredentials(chained));
    expect(chained).toMatchObject({
      roleArn: DEPLOY_ROLE,
      // Derived from the Roles Anywhere session's (the certificate's serial number), and valid for STS.
      roleSessionName: session.roleSessionName,
      durationSeconds: 3600,
      sourceIdentity: 'CN=chaining-workload',
      callerArn: `arn:aws:sts::123456789012:assumed-role/test-role/${session.roleSessionName}`,
    });
    for (const secret of [session.accessKeyId, session.secretAccessKey, session.sessionToken]) expect(result.stdout).not.toContain(secret);
  });

  it('is read by the AWS SDK for JavaScript v3 fromProcess(), and STS says the credentials are the chained role\'s', async () => {
    const command = cliCommandLine(['credential-process', ...keyFlags(), ...scenario.sessionFlags(), ...chainFlags()]);
    const config = scenario.workspace.write('config-chained', `[profile chained]\ncredential_process = ${command}\nregion = us-east-1\n`);
    const credentials = await fromProcess({ profile: 'chained', configFilepath: config, filepath: '/dev/null' })();
    expect(credentials.accessKeyId).toBe(scenario.emulator.assumedRoles.at(-1)!.accessKeyId);
    const identity = await sts(credentials).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '210987654321', Arn: `arn:aws:sts::210987654321:assumed-role/deploy/${scenario.emulator.issued.at(-1)!.roleSessionName}` });
  });

  it('is read by botocore (boto3), which gets the chained role\'s identity from STS', async () => {
    const command = cliCommandLine(['credential-process', ...keyFlags(), ...scenario.sessionFlags(), ...chainFlags()]);
    const config = scenario.workspace.write('config-boto', `[profile chained]\ncredential_process = ${command}\nregion = us-east-1\n`);
    const script = 'import sys, boto3\nprint(boto3.Session(profile_name="chained").client("sts", endpoint_url=sys.argv[1]).get_caller_identity()["Arn"])';
    const { stdout } = await promisify(execFile)('python3', ['-c', script, scenario.emulator.url], {
      env: { PATH: process.env.PATH, HOME: scenario.workspace.dir, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    expect(stdout.trim()).toBe(`arn:aws:sts::210987654321:assumed-role/deploy/${scenario.emulator.issued.at(-1)!.roleSessionName}`);
  });

  it('takes the session name, external ID and duration, and STS from AWS_ENDPOINT_URL_STS', async () => {
    const result = await runCli(
      ['credential-process', ...keyFlags(), ...scenario.sessionFlags(), '--assume-role-arn', PARTNER_ROLE,
        '--assume-role-session-name', 'nightly-build', '--external-id', 'partner-7', '--assume-role-duration', '900'],
      { env: { AWS_ENDPOINT_URL_STS: scenario.emulator.url } },
    );
    expect(result.stderr).toBe('');
    expect(scenario.emulator.assumedRoles.at(-1)).toMatchObject({ roleArn: PARTNER_ROLE, roleSessionName: 'nightly-build', externalId: 'partner-7', durationSeconds: 900 });
    expect(result.stdout).toBe(printedCredentials(scenario.emulator.assumedRoles.at(-1)!));
  });

  it('passes the session tags and transitive tag keys to STS, which a session chained from the credentials carries on (field notes: chaining takes tags)', async () => {
    const result = await credentialProcess(
      ...chainFlags(), '--assume-role-tag', 'team=payments', '--assume-role-tag', 'cost-center=cc=42', '--assume-role-tag', 'empty=',
      '--assume-role-transitive-tag-key', 'team', '--debug',
    );
    expect(result.code).toBe(0);
    const chained = scenario.emulator.assumedRoles.at(-1)!;
    expect(result.stdout).toBe(printedCredentials(chained));
    expect(chained.tags).toEqual([{ key: 'team', value: 'payments' }, { key: 'cost-center', value: 'cc=42' }, { key: 'empty', value: '' }]);
    expect(chained.transitiveTagKeys).toEqual(['team']);
    // Keys, not values, in the debug line.
    expect(result.stderr).toContain(`(role ${DEPLOY_ROLE}, session ${chained.roleSessionName}, 3600 s, tags team, cost-center, empty)`);
    expect(result.stderr).not.toContain('payments');
    // STS refuses to set a transitive key again in a session chained from these: the tag did carry on.
    const output = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const again = sts({ accessKeyId: output.AccessKeyId, secretAccessKey: output.SecretAccessKey, sessionToken: output.SessionToken });
    await expect(again.send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: 'next', Tags: [{ Key: 'Team', Value: 'other' }] }))).rejects.toThrow(
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    );
  });

  it('reports STS\'s refusal as STS wrote it, naming the role, with nothing on stdout', async () => {
    const admin = 'arn:aws:iam::210987654321:role/admin';
    const result = await credentialProcess(...chainFlags(admin));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const session = scenario.emulator.issued.at(-1)!;
    expect(errorLine(result)).toMatch(
      new RegExp(
        `^unable to assume role ${admin}: operation error STS: AssumeRole, http response error StatusCode: 403, RequestID: [\\w-]+, ` +
          `api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/test-role/${session.roleSessionName} is not authorized to perform: sts:AssumeRole on resource: ${admin}$`,
      ),
    );
    const withoutExternalId = await credentialProcess(...chainFlags(PARTNER_ROLE));
    expect(errorLine(withoutExternalId)).toContain(`api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/test-role/`);
  });

  it('never prints the session token an STS endpoint that echoes the request quotes back in its refusal (QA)', async () => {
    const echo = await answering((req, res) => {
      const body = `<ErrorResponse><Error><Code>AccessDenied</Code><Message>${JSON.stringify(req.headers)}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
      res.writeHead(403, { 'Content-Type': 'text/xml' }).end(body);
    });
    try {
      const result = await credentialProcess('--assume-role-arn', DEPLOY_ROLE, '--sts-endpoint', echo.url);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toContain('api error AccessDenied: {');
      expect(errorLine(result)).toContain('"x-amz-security-token":"<redacted>"');
      expect(result.stderr).not.toContain(scenario.emulator.issued.at(-1)!.sessionToken);
    } finally {
      await echo.close();
    }
  });

  it('nor the one an endpoint echoes in a 200 that is not STS\'s answer, whose start the message quotes (QA: secret canaries)', async () => {
    const echo = await answering((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`x-amz-security-token: ${String(req.headers['x-amz-security-token'])}`);
    });
    try {
      const result = await credentialProcess('--assume-role-arn', DEPLOY_ROLE, '--sts-endpoint', echo.url, '--log-level', 'error');
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toMatch(/the answer is not STS's \(Content-Type text\/plain\): x-amz-security-token: <redacted>$/);
      expect(result.stderr).not.toContain(scenario.emulator.issued.at(-1)!.sessionToken.slice(0, 40));
    } finally {
      await echo.close();
    }
  });

  it('nor the one an endpoint echoes in the Location of a redirect, which the message names (QA: secret canaries)', async () => {
    const echo = await answering((req, res) => {
      res.writeHead(302, { Location: `http://portal.example.test/?r=${encodeURIComponent(JSON.stringify(req.headers))}` }).end();
    });
    try {
      const result = await credentialProcess('--assume-role-arn', DEPLOY_ROLE, '--sts-endpoint', echo.url);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toContain(`the answer is not STS's (a redirect to http://portal.example.test/?r=`);
      expect(errorLine(result)).toContain(`${encodeURIComponent('"x-amz-security-token":"')}<redacted>`);
      expect(result.stderr).not.toContain(encodeURIComponent(scenario.emulator.issued.at(-1)!.sessionToken).slice(0, 40));
    } finally {
      await echo.close();
    }
  });

  it('--debug shows the AssumeRole call and never a secret key or session token', async () => {
    const result = await credentialProcess(...chainFlags(), '--debug');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`AssumeRole request: POST ${scenario.emulator.url}/ (role ${DEPLOY_ROLE}, session `);
    expect(result.stderr).toContain('AssumeRole response: HTTP 200');
    const session = scenario.emulator.issued.at(-1)!;
    const chained = scenario.emulator.assumedRoles.at(-1)!;
    for (const secret of [session.secretAccessKey, session.sessionToken, chained.secretAccessKey, chained.sessionToken]) {
      expect(result.stderr).not.toContain(secret);
    }
    // Nor a signature: neither CreateSession's nor STS's (whose Authorization header is not shown at all).
    expect(result.stderr).not.toMatch(/Signature=[0-9a-f]|AWS4-HMAC-SHA256/);
  });
});

describe('credential-process --cache --assume-role-arn', () => {
  it('shares the chained credentials between runs, in an entry of their own', async () => {
    const folder = scenario.workspace.path('cache-chained');
    const run = (...extra: string[]) => runCli(['credential-process', '--cache', ...keyFlags(), ...scenario.sessionFlags(), ...extra], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder } });
    const sessions = scenario.emulator.issued.length;
    const chainings = scenario.emulator.assumedRoles.length;
    const first = await run(...chainFlags());
    expect(first.stdout).toBe(printedCredentials(scenario.emulator.assumedRoles.at(-1)!));
    expect((await run(...chainFlags())).stdout).toBe(first.stdout);
    expect([scenario.emulator.issued.length, scenario.emulator.assumedRoles.length]).toEqual([sessions + 1, chainings + 1]);
    // Another chained session, and the Roles Anywhere session itself, are other entries.
    const named = await run(...chainFlags(), '--assume-role-session-name', 'cached-other');
    expect(named.stdout).toBe(printedCredentials(scenario.emulator.assumedRoles.at(-1)!));
    const plain = await run();
    expect(plain.stdout).toBe(printedCredentials(scenario.emulator.issued.at(-1)!));
    expect([scenario.emulator.issued.length, scenario.emulator.assumedRoles.length]).toEqual([sessions + 3, chainings + 2]);
    // Other tags are another chained session: the cache must not hand out one tagged otherwise.
    const tagged = await run(...chainFlags(), '--assume-role-tag', 'team=payments');
    expect(scenario.emulator.assumedRoles.at(-1)!.tags).toEqual([{ key: 'team', value: 'payments' }]);
    expect(tagged.stdout).toBe(printedCredentials(scenario.emulator.assumedRoles.at(-1)!));
    await run(...chainFlags(), '--assume-role-tag', 'team=payments', '--assume-role-transitive-tag-key', 'team');
    expect((await run(...chainFlags(), '--assume-role-tag', 'team=payments')).stdout).toBe(tagged.stdout);
    expect([scenario.emulator.issued.length, scenario.emulator.assumedRoles.length]).toEqual([sessions + 5, chainings + 4]);
  });

  it('leaves the cache alone for chained credentials of 15 minutes, which it would never serve', async () => {
    const folder = scenario.workspace.path('cache-chained-short');
    const result = await runCli(['credential-process', '--cache', ...keyFlags(), ...scenario.sessionFlags(), ...chainFlags(), '--assume-role-duration', '900', '--debug'], {
      env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('credential cache: not used: credentials of 900 s (--assume-role-duration) would never be served from it');
    expect(existsSync(join(folder, 'credentials'))).toBe(false);
  });
});

describe('refusals before anything is sent: exit 1, one line, nothing on stdout', () => {
  it.each([
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-duration', '7200'], 'invalid --assume-role-duration 7200: AWS caps a chained role session at 3600 seconds (one hour), and STS refuses more'],
    [['--assume-role-arn', 'arn:aws:iam::210987654321:user/deploy'],
      'invalid --assume-role-arn: failed to parse role arn "arn:aws:iam::210987654321:user/deploy": not a role ARN (expected arn:<partition>:iam::<account>:role/<id>)'],
    [['--assume-role-arn', 'deploy'], 'invalid --assume-role-arn: failed to parse role arn "deploy": arn: invalid prefix'],
    // An empty role (a variable that came out empty) is not taken as none: that would hand out another role's credentials.
    [['--assume-role-arn='], EMPTY_ROLE],
    [['--assume-role-arn', '', '--external-id', 'partner-7'], EMPTY_ROLE],
    // Roles IAM could not have made: the key signs no CreateSession for them, and nothing reaches STS.
    [['--assume-role-arn', 'arn:aws:iam::12345:role/deploy'], 'invalid --assume-role-arn "arn:aws:iam::12345:role/deploy": its account "12345" is not the 12 digits of an AWS account'],
    [['--assume-role-arn', 'arn:aws:iam::210987654321:role/ünïcode'],
      'invalid --assume-role-arn "arn:aws:iam::210987654321:role/ünïcode": its role name "ünïcode" is not 1 to 64 ASCII letters, digits and +=,.@_- (IAM\'s rule for role names)'],
    [['--assume-role-arn', 'arn:aws:iam::210987654321:role//deploy'],
      'invalid --assume-role-arn "arn:aws:iam::210987654321:role//deploy": its path "//" is not / or /…/ of at most 512 printable ASCII characters (IAM\'s rule for paths)'],
    // Too long for STS: not echoed.
    [['--assume-role-arn', `arn:aws:iam::210987654321:role/${'a'.repeat(3000)}`], 'invalid --assume-role-arn: it is 3031 characters long, and a role ARN at most 2048'],
    // Named once, not "invalid --assume-role-arn: invalid --assume-role-arn …".
    [['--assume-role-arn', 'arn:aws:iam::210987654321:role/a b'], 'invalid --assume-role-arn "arn:aws:iam::210987654321:role/a b": ARNs hold no whitespace or control characters'],
    [['--external-id', 'partner-7'], '--external-id needs --assume-role-arn: it is an option of role chaining'],
    [['--assume-role-tag', 'team=payments'], '--assume-role-tag needs --assume-role-arn: it is an option of role chaining'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', 'team'],
      'invalid argument "team" for "--assume-role-tag" flag: it is not KEY=VALUE (see aws_signing_helper credential-process --help)'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', 'team=a', '--assume-role-tag', 'team=b'],
      'invalid argument "team=b" for "--assume-role-tag" flag: the key team is given twice (see aws_signing_helper credential-process --help)'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', 'team=a', '--assume-role-tag', 'Team=b'],
      'invalid --assume-role-tag: the keys team and Team are one to STS, which takes tag keys whatever their case'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', '=a'], 'invalid --assume-role-tag: a tag key is empty'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', 'aws:team=a'], 'invalid --assume-role-tag: the tag key aws:team starts with aws:, which AWS keeps for its own'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', 'team(x)=a'], 'invalid --assume-role-tag: the tag key team(x) has characters a tag key cannot have'],
    // Quoted where printed as it is a newline would read as a space (QA).
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', 'team\nx=a'], 'invalid --assume-role-tag: the tag key "team\\nx" has characters a tag key cannot have'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', `team=${'v'.repeat(257)}`], 'invalid --assume-role-tag: the value of team is longer than 256 characters'],
    [['--assume-role-arn', DEPLOY_ROLE, ...Array.from({ length: 51 }, (_, i) => ['--assume-role-tag', `k${i}=v`]).flat()],
      'invalid --assume-role-tag: 51 tags, more than the 50 STS takes'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-tag', 'team=a', '--assume-role-transitive-tag-key', 'project'],
      'invalid --assume-role-transitive-tag-key "project": it is not one of the tags given with --assume-role-tag'],
    // Empty, as an unset variable leaves them: refused, not taken as left out (QA: no external ID sent, STS's own endpoint used).
    [['--assume-role-arn', DEPLOY_ROLE, '--external-id', ''], 'invalid --external-id "": it is empty (leave it out when the role asks for none)'],
    [['--assume-role-arn', DEPLOY_ROLE, '--assume-role-session-name', ''], 'invalid --assume-role-session-name "": it is empty (leave it out for a name of the helper\'s)'],
    [['--assume-role-arn', DEPLOY_ROLE, '--sts-endpoint', ''], 'invalid --sts-endpoint "": it is empty (leave it out for STS\'s own in the Region)'],
    [['--fallback', `${WEST},endpoint=`], 'invalid --fallback #1: endpoint "": it is empty (leave it out for its Region\'s own)'],
    [['--assume-role-arn', DEPLOY_ROLE, '--fallback', `${WEST},sts-endpoint=`], 'invalid --fallback #1: sts-endpoint "": it is empty (leave it out for its Region\'s own)'],
    [['--fallback', 'trust-anchor-arn=arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west'],
      'invalid argument "trust-anchor-arn=arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west" for "--fallback" flag: no profile-arn ' +
        '(expected trust-anchor-arn=ARN,profile-arn=ARN[,endpoint=URL][,sts-endpoint=URL]) (see aws_signing_helper credential-process --help)'],
    [['--fallback', 'trust-anchor-arn=arn:aws-cn:rolesanywhere:cn-north-1:123456789012:trust-anchor/cn,profile-arn=arn:aws-cn:rolesanywhere:cn-north-1:123456789012:profile/cn'],
      `invalid --fallback #1: its trust anchor is in the aws-cn partition, the primary's in aws (the role, ${ARNS.roleArn}, is the same in every Region, so fallbacks stay in its partition)`],
    // A part of a --fallback is named as that part of it, not as the flag of the same name (which may be fine).
    [['--assume-role-arn', DEPLOY_ROLE, '--fallback', `${WEST},sts-endpoint=ftp://x`], 'invalid --fallback #1: sts-endpoint "ftp://x": the scheme must be https or http'],
    [['--fallback', `${WEST},endpoint=ftp://x`], 'invalid --fallback #1: endpoint "ftp://x": the scheme must be https or http'],
  ])('%j', async (extra, message) => {
    const before = emulatorCalls();
    const result = await credentialProcess(...extra);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(message);
    expect(emulatorCalls()).toEqual(before);
  });

  it('a --fallback that asks what the primary (or an earlier fallback) asks, which could only fail as it does', async () => {
    const primary = `trust-anchor-arn=${ARNS.trustAnchorArn},profile-arn=${ARNS.profileArn},endpoint=${scenario.emulator.url}`;
    const before = emulatorCalls();
    expectFailure(
      await credentialProcess('--fallback', primary),
      "invalid --fallback #1: it names the same trust anchor, profile and endpoints as us-east-1 (primary), so it could only fail as that does: give another Region's trust anchor and profile, or another endpoint",
    );
    expectFailure(await credentialProcess(...chainFlags(), '--fallback', `${primary},sts-endpoint=${scenario.emulator.url}`), /^invalid --fallback #1: it names the same trust anchor, profile and endpoints as us-east-1 \(primary\)/);
    expectFailure(await credentialProcess('--fallback', WEST, '--fallback', WEST), /^invalid --fallback #2: it names the same trust anchor, profile and endpoints as us-west-2 \(fallback 1\)/);
    expect(emulatorCalls()).toEqual(before);
    // The same trust anchor and profile at another endpoint, or with another STS, may answer where the primary does not.
    const otherSts = await credentialProcess(...chainFlags(), '--fallback', `${primary},sts-endpoint=http://127.0.0.1:9`);
    expect(otherSts.stderr).toBe('');
    expect(otherSts.stdout).toBe(printedCredentials(scenario.emulator.assumedRoles.at(-1)!));
  });

  it('serve --roles-file: a role\'s empty "assume-role-arn" keeps it from chaining, and from the command line\'s chaining options and STS-only fallbacks', async () => {
    const path = scenario.workspace.write('roles-opt-out.json', JSON.stringify({ roles: [{ name: 'deploy' }, { name: 'plain', 'assume-role-arn': '' }] }));
    // Fallbacks that differ by their STS endpoint only: for the plain role, which calls no STS, one Region.
    const fallbacks = ['--fallback', `${WEST},sts-endpoint=${scenario.emulator.url}`, '--fallback', `${WEST},sts-endpoint=http://127.0.0.1:9`];
    const server = await startServe([...keyFlags(), ...scenario.sessionFlags(), ...chainFlags(), '--assume-role-session-name', 'chained', ...fallbacks, '--roles-file', path]);
    try {
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(server.url) };
      const keyOf = async (role: string) => JSON.parse((await imds(server.url, 'GET', `/latest/meta-data/iam/security-credentials/${role}`, token)).body).AccessKeyId;
      expect(scenario.emulator.assumedRoles.map((chained) => chained.accessKeyId)).toContain(await keyOf('deploy'));
      const plain = await keyOf('plain');
      expect(scenario.emulator.issued.map((issued) => issued.accessKeyId)).toContain(plain);
      expect(scenario.emulator.assumedRoles.map((chained) => chained.accessKeyId)).not.toContain(plain);
    } finally {
      await server.stop();
    }
  });
});

describe('serve and update --assume-role-arn', () => {
  it('serve hands the chained role\'s credentials to fromInstanceMetadata(), under the chained role\'s name', async () => {
    const server = await startServe([...keyFlags(), ...scenario.sessionFlags(), ...chainFlags()]);
    try {
      await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: `${server.url}/` }, async () => {
        const credentials = await fromInstanceMetadata({ maxRetries: 0, timeout: 5000 })();
        expect(credentials.accessKeyId).toBe(scenario.emulator.assumedRoles.at(-1)!.accessKeyId);
        // The chained role's account, from STS's answer, not the Roles Anywhere role's.
        expect(credentials.accountId).toBe('210987654321');
        const roles = await imds(server.url, 'GET', '/latest/meta-data/iam/security-credentials/', { 'X-aws-ec2-metadata-token': await imdsToken(server.url) });
        expect(roles.body).toBe('deploy');
        const identity = await sts(credentials).send(new GetCallerIdentityCommand({}));
        expect(identity.Arn).toMatch(/^arn:aws:sts::210987654321:assumed-role\/deploy\//);
      });
    } finally {
      await server.stop();
    }
  });

  it('serve --roles-file with chained and plain roles: the command line\'s STS endpoints are for the chained ones', async () => {
    const path = scenario.workspace.write('roles-mixed.json', JSON.stringify({ roles: [{ name: 'deploy', 'assume-role-arn': DEPLOY_ROLE }, { name: 'plain' }] }));
    const west = 'trust-anchor-arn=arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west,profile-arn=arn:aws:rolesanywhere:us-west-2:123456789012:profile/west';
    const server = await startServe([
      ...keyFlags(), ...scenario.sessionFlags(), '--sts-endpoint', scenario.emulator.url, '--fallback', `${west},sts-endpoint=${scenario.emulator.url}`, '--roles-file', path,
    ]);
    try {
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(server.url) };
      const keyOf = async (role: string) => JSON.parse((await imds(server.url, 'GET', `/latest/meta-data/iam/security-credentials/${role}`, token)).body).AccessKeyId;
      expect(scenario.emulator.assumedRoles.map((chained) => chained.accessKeyId)).toContain(await keyOf('deploy'));
      expect(scenario.emulator.issued.map((issued) => issued.accessKeyId)).toContain(await keyOf('plain'));
    } finally {
      await server.stop();
    }
  });

  it('update --once writes them into the credentials file', async () => {
    const file = scenario.workspace.path('credentials-chained');
    const result = await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags(), ...chainFlags()], { env: { AWS_SHARED_CREDENTIALS_FILE: file } });
    expect(result.stderr).toBe('');
    expect(readFileSync(file, 'utf8')).toContain(`aws_access_key_id = ${scenario.emulator.assumedRoles.at(-1)!.accessKeyId}`);
  });
});

describe('fromRolesAnywhere({ assumeRoleArn })', () => {
  it('gives @aws-sdk/client-sts the chained role\'s credentials', async () => {
    const provider = fromRolesAnywhere({
      certificate: leaf.certPath,
      privateKey: leaf.keyPath,
      trustAnchorArn: ARNS.trustAnchorArn,
      profileArn: ARNS.profileArn,
      roleArn: ARNS.roleArn,
      endpoint: scenario.emulator.url,
      assumeRoleArn: DEPLOY_ROLE,
      assumeRoleSessionName: 'library',
      stsEndpoint: scenario.emulator.url,
    });
    const identity = await sts(provider).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:sts::210987654321:assumed-role/deploy/library');
    expect((await provider()).accountId).toBe('210987654321');
    await provider.close();
  });

  it("chains with new Roles Anywhere credentials once a test's fake timers set the clock past the held ones' expiry (QA testfw: AssumeRole with them, ExpiredToken)", async () => {
    await expectValidPastHeldExpiry(fromRolesAnywhere({
      certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url,
      assumeRoleArn: DEPLOY_ROLE, stsEndpoint: scenario.emulator.url,
    }));
  });

  it('names a fallback\'s endpoint or STS endpoint as its field, fallbacks[0].stsEndpoint', async () => {
    const west = { trustAnchorArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west', profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/west' };
    for (const [field, fallback] of [['stsEndpoint', { ...west, stsEndpoint: 'ftp://x' }], ['endpoint', { ...west, endpoint: 'ftp://x' }]] as const) {
      const provider = fromRolesAnywhere({ ...ARNS, certificate: leaf.certPath, privateKey: leaf.keyPath, assumeRoleArn: DEPLOY_ROLE, fallbacks: [fallback] });
      await expect(provider()).rejects.toMatchObject({ message: `fromRolesAnywhere: invalid fallbacks[0].${field} "ftp://x": the scheme must be https or http` });
    }
  });

  it('refuses an empty assumeRoleArn rather than handing out the Roles Anywhere role\'s credentials, and a malformed one before sending', async () => {
    const before = emulatorCalls();
    for (const [assumeRoleArn, message] of [
      ['', 'invalid assumeRoleArn "": it names no role to chain into (leave it out for the Roles Anywhere role\'s own credentials)'],
      ['arn:aws:iam::2109876543:role/deploy', 'invalid assumeRoleArn "arn:aws:iam::2109876543:role/deploy": its account "2109876543" is not the 12 digits of an AWS account'],
    ]) {
      const provider = fromRolesAnywhere({ ...ARNS, certificate: leaf.certPath, privateKey: leaf.keyPath, endpoint: scenario.emulator.url, assumeRoleArn, stsEndpoint: scenario.emulator.url });
      await expect(provider()).rejects.toMatchObject({ name: 'CredentialsProviderError', message: `fromRolesAnywhere: ${message}` });
    }
    expect(emulatorCalls()).toEqual(before);
  });

  it('passes assumeRoleTags and assumeRoleTransitiveTagKeys to STS, and names them in a refusal', async () => {
    const options = { ...ARNS, certificate: leaf.certPath, privateKey: leaf.keyPath, endpoint: scenario.emulator.url, assumeRoleArn: DEPLOY_ROLE, stsEndpoint: scenario.emulator.url };
    const provider = fromRolesAnywhere({ ...options, assumeRoleTags: { team: 'payments' }, assumeRoleTransitiveTagKeys: ['team'] });
    await provider();
    expect(scenario.emulator.assumedRoles.at(-1)).toMatchObject({ tags: [{ key: 'team', value: 'payments' }], transitiveTagKeys: ['team'] });
    await provider.close();
    const refused = fromRolesAnywhere({ ...options, assumeRoleTags: { team: 'payments' }, assumeRoleTransitiveTagKeys: ['project'] });
    await expect(refused()).rejects.toMatchObject({
      message: 'fromRolesAnywhere: invalid assumeRoleTransitiveTagKeys "project": it is not one of the tags given with assumeRoleTags',
    });
    for (const tags of [{ team: 7 }, new Map([['team', 'payments']]), [{ Key: 'team', Value: 'payments' }]]) {
      // A Map's entries are no properties of it: it would chain with no tags (review).
      expect(() => fromRolesAnywhere({ ...options, assumeRoleTags: tags as unknown as Record<string, string> })).toThrow(
        "invalid assumeRoleTags: it must be an object of tag keys and their values, strings: { team: 'payments' }",
      );
    }
  });

  it('refuses a chained duration over an hour, naming the option', async () => {
    const provider = fromRolesAnywhere({ ...ARNS, certificate: leaf.certPath, privateKey: leaf.keyPath, assumeRoleArn: DEPLOY_ROLE, assumeRoleDurationSeconds: 7200 });
    await expect(provider()).rejects.toMatchObject({
      name: 'CredentialsProviderError',
      message: 'fromRolesAnywhere: invalid assumeRoleDurationSeconds 7200: AWS caps a chained role session at 3600 seconds (one hour), and STS refuses more',
    });
  });
});

describe('the seed\'s pattern, with no helper flag: credential_process as the source profile of an assumed role', () => {
  let config: string;
  beforeAll(() => {
    const command = cliCommandLine(['credential-process', ...keyFlags(), ...scenario.sessionFlags()]);
    config = scenario.workspace.write(
      'config-seed',
      `[profile rolesanywhere]\ncredential_process = ${command}\n\n[default]\nsource_profile = rolesanywhere\nrole_arn = ${DEPLOY_ROLE}\nregion = us-east-1\n`,
    );
  });

  it('the AWS SDK for JavaScript v3 fromIni() assumes the role through AWS_ENDPOINT_URL_STS', async () => {
    await withEnv({ AWS_ENDPOINT_URL_STS: scenario.emulator.url }, async () => {
      const credentials = await fromIni({ profile: 'default', configFilepath: config, filepath: '/dev/null' })();
      expect(credentials.accessKeyId).toBe(scenario.emulator.assumedRoles.at(-1)!.accessKeyId);
      const identity = await sts(credentials).send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toMatch(/^arn:aws:sts::210987654321:assumed-role\/deploy\//);
    });
  });

  // Debian 12's botocore (1.29) reads no AWS_ENDPOINT_URL_STS (support/awsClients.ts).
  it.runIf(botocoreFeatures().endpointVariable)('botocore (boto3) does the same', async () => {
    const { stdout } = await promisify(execFile)('python3', ['-c', 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])'], {
      env: { PATH: process.env.PATH, HOME: scenario.workspace.dir, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_ENDPOINT_URL_STS: scenario.emulator.url },
    });
    expect(stdout.trim()).toMatch(/^arn:aws:sts::210987654321:assumed-role\/deploy\/botocore-session-\d+$/);
  });
});
