import { fromHttp } from '@aws-sdk/credential-providers';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientEnv, botocoreFeatures, expectVerifiedCaller } from '../support/awsClients.js';
import { expectFailure, runCli } from '../support/cli.js';
import { imds, imdsToken } from '../support/imdsClient.js';
import { hanging, relaying } from '../support/fakeEndpoints.js';
import { startCommand, startEcsServe, startServe } from '../support/longRunning.js';
import { ARNS, Scenario, type LeafFiles } from '../support/scenario.js';
import { generateKey } from '../../src/emulator/pki/generateKey.js';

/** Several roles in one serve (--roles-file): each under its own name, with its own profile, key and refresh. */
const READER_ROLE = 'arn:aws:iam::123456789012:role/reader';
const READER_PROFILE = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const WEST_TRUST_ANCHOR = 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/aaaaaaaa-2222-3333-4444-555555555555';
const WEST_PROFILE = 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/bbbbbbbb-7777-8888-9999-000000000000';

let scenario: Scenario;
let writerLeaf: LeafFiles;
let readerLeaf: LeafFiles;

beforeAll(async () => {
  scenario = await Scenario.start({
    profiles: [
      { arn: ARNS.profileArn, roleArns: [ARNS.roleArn] },
      { arn: READER_PROFILE, roleArns: [READER_ROLE] },
    ],
  });
  writerLeaf = await scenario.leaf('writer');
  readerLeaf = await scenario.leaf('reader');
});
afterAll(async () => scenario.stop());

/** The command line: the first role's key and ARNs, the defaults of every role in the file. */
const commandLine = (endpoint = scenario.emulator.url) => [
  '--certificate', writerLeaf.certPath, '--private-key', writerLeaf.keyPath,
  '--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--endpoint', endpoint,
];

/** A roles file: `writer` as the command line says, `reader` with its own role, profile, certificate and key. */
function rolesFile(name: string, readerSettings: Record<string, unknown> = {}, writerSettings: Record<string, unknown> = {}): string {
  return scenario.workspace.write(
    name,
    JSON.stringify({
      roles: [
        { name: 'writer', 'role-arn': ARNS.roleArn, ...writerSettings },
        { 'role-arn': READER_ROLE, 'profile-arn': READER_PROFILE, certificate: readerLeaf.certPath, 'private-key': readerLeaf.keyPath, ...readerSettings },
      ],
    }),
  );
}

const serial = (leaf: LeafFiles) => BigInt(`0x${leaf.certificate.serialNumberHex}`).toString();

describe('serve --ecs --roles-file', () => {
  let server: Awaited<ReturnType<typeof startEcsServe>>;
  beforeAll(async () => {
    server = await startEcsServe([...commandLine(), '--roles-file', rolesFile('roles.json')]);
    await server.waitFor(/For role reader instead: export AWS_CONTAINER_CREDENTIALS_FULL_URI=\S+\/role\/reader\n/);
  });
  afterAll(async () => server.stop());

  it('prints the first role\'s URL with the token file, and the others\'', () => {
    expect(server.fullUri).toBe(`http://127.0.0.1:${server.port}/role/writer`);
    expect(server.stderr()).toContain(`For role reader instead: export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:${server.port}/role/reader\n`);
  });

  it('each role at /role/<name>, signed with its own key: fromHttp() and a GetCallerIdentity the emulator verifies', async () => {
    for (const [name, roleArn, leaf] of [['writer', ARNS.roleArn, writerLeaf], ['reader', READER_ROLE, readerLeaf]] as const) {
      const credentials = fromHttp({ awsContainerCredentialsFullUri: `${server.origin}/role/${name}`, awsContainerAuthorizationTokenFile: server.tokenFile, maxRetries: 0 });
      await expectVerifiedCaller(scenario, credentials, roleArn);
      const { accessKeyId } = await credentials();
      const issued = scenario.emulator.issued.find((session) => session.accessKeyId === accessKeyId)!;
      expect(issued).toMatchObject({ roleArn, serialNumber: serial(leaf) });
    }
  });

  // Debian 12's botocore (1.29) reads neither AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE nor AWS_ENDPOINT_URL_STS (support/awsClients.ts).
  it.runIf(botocoreFeatures().tokenFile && botocoreFeatures().endpointVariable)('botocore with the second role\'s URL', async () => {
    const { stdout } = await promisify(execFile)('python3', ['-c', "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"], {
      env: awsClientEnv(scenario, { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.origin}/role/reader`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: server.tokenFile }),
    });
    expect(stdout.trim()).toMatch(/^arn:aws:sts::123456789012:assumed-role\/reader\//);
  });

  it('a path of no role is 404, naming the roles\' paths', async () => {
    const response = await imds(server.origin, 'GET', '/role/test-role', { Authorization: readFileSync(server.tokenFile, 'utf8') });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).Message).toBe('no credentials at /role/test-role: they are at /role/writer, /role/reader');
  });
});

describe('serve --roles-file (IMDS)', () => {
  it("lists the names, warns that only the Go SDK takes such a listing, and answers each role and the first one's Region", async () => {
    // The reader in a Region of its own, which is not the one answered (mutation QA: the last role's passed, all being in one).
    const west = await scenario.otherEmulator({
      region: 'us-west-2',
      trustAnchors: [{ arn: WEST_TRUST_ANCHOR, certificates: scenario.ca.certificate.pem }],
      profiles: [{ arn: WEST_PROFILE, roleArns: [READER_ROLE] }],
    });
    const westReader = { region: 'us-west-2', 'trust-anchor-arn': WEST_TRUST_ANCHOR, 'profile-arn': WEST_PROFILE, endpoint: west.url };
    const server = await startServe([...commandLine(), '--roles-file', rolesFile('imds-roles.json', westReader), '--region', 'us-east-1']);
    try {
      await server.waitFor(/Roles listed at \/latest\/meta-data\/iam\/security-credentials\/: writer, reader\n.* warning: botocore \(the AWS CLI, boto3\) and the JavaScript SDK take a listing of several roles as one name and find no credentials; serve them with --ecs\n/);
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(server.url) };
      expect((await imds(server.url, 'GET', '/latest/meta-data/iam/security-credentials/', token)).body).toBe('writer\nreader');
      const writer = JSON.parse((await imds(server.url, 'GET', '/latest/meta-data/iam/security-credentials/writer', token)).body);
      const reader = JSON.parse((await imds(server.url, 'GET', '/latest/meta-data/iam/security-credentials/reader', token)).body);
      expect(scenario.emulator.issued.find((session) => session.accessKeyId === writer.AccessKeyId)?.roleArn).toBe(ARNS.roleArn);
      expect(west.issued.find((session) => session.accessKeyId === reader.AccessKeyId)?.roleArn).toBe(READER_ROLE);
      expect((await imds(server.url, 'GET', '/latest/meta-data/placement/region', token)).body).toBe('us-east-1');
    } finally {
      await server.stop();
    }
  });
});

describe('serve --roles-file of many roles', () => {
  it('paces their first CreateSessions, five a second, under the service\'s quota of ten (QA: 40 roles at once were throttled out of starting)', async () => {
    const own = await scenario.otherEmulator({});
    const roles = Array.from({ length: 11 }, (_, i) => ({ name: `role-${i}`, 'role-arn': ARNS.roleArn }));
    const path = scenario.workspace.write('many-roles.json', JSON.stringify({ roles }));
    const server = await startEcsServe([...commandLine(own.url), '--roles-file', path]);
    try {
      expect(own.issued).toHaveLength(11);
      const times = own.issued.map((session) => session.issuedAt.getTime()).sort((a, b) => a - b);
      // Eleven started at least 200 ms apart span two seconds (less the first's cold start, its key read and
      // code compiled), and any ten of them 1.8 s: never the quota's ten in one second. The times are the
      // emulator's, on arrival: a loaded machine delays some, so the bound leaves 0.8 s for that (a bound of
      // six in any second failed once at a load average of 20).
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1500);
      for (const [i, time] of times.slice(0, -9).entries()) expect(times[i + 9]! - time, `from #${i}`).toBeGreaterThanOrEqual(1000);
    } finally {
      await server.stop();
    }
  });
});

describe('serve --roles-file of many roles, after an outage they all shared', () => {
  it('keeps the pace of five CreateSessions a second when every role asks again at once (QA: a clock step or a resume had them all at once, and at every refresh after)', async () => {
    let skew = 0; // the emulator's clock an hour off refuses every CreateSession, as an outage would
    const own = await scenario.otherEmulator({ credentialLifetimeSeconds: 3, now: () => new Date(Date.now() + skew) });
    const roles = Array.from({ length: 4 }, (_, i) => ({ name: `role-${i}`, 'role-arn': ARNS.roleArn }));
    const server = await startEcsServe([...commandLine(own.url), '--roles-file', scenario.workspace.write('outage-roles.json', JSON.stringify({ roles }))]);
    try {
      skew = 3_600_000;
      // Every role's credentials expired, and its refresh refused with its retries ended (the next is 10 s away).
      await new Promise((resolve) => setTimeout(resolve, 6000));
      skew = 0;
      own.clearRecords();
      const authorization = { Authorization: readFileSync(server.tokenFile, 'utf8') };
      await Promise.all(roles.map((role) => imds(server.origin, 'GET', `/role/${role.name}`, authorization)));
      await expect.poll(() => own.issued.length, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
      // Four started 200 ms apart span 600 ms (at once: a few ms); the emulator's arrival times leave 0.3 s for
      // a loaded machine's delays.
      const times = own.issued.slice(0, 4).map((session) => session.issuedAt.getTime());
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(300);
    } finally {
      await server.stop();
    }
  });
});

describe('serve --roles-file of many roles, one of which fails', () => {
  it('stops at the failure: the roles after it are neither tried nor waited for (QA: 40 roles took 8 s to say the third failed)', async () => {
    const own = await scenario.otherEmulator({});
    const roles = Array.from({ length: 60 }, (_, i) => ({ name: `role-${i}`, 'role-arn': i === 1 ? 'arn:aws:iam::123456789012:role/not-in-the-profile' : ARNS.roleArn }));
    const path = scenario.workspace.write('failing-roles.json', JSON.stringify({ roles }));
    const result = await runCli(['serve', '--port', '0', ...commandLine(own.url), '--roles-file', path], { env: { AWS_MAX_ATTEMPTS: '1' } });
    expectFailure(result, new RegExp(`^unable to obtain credentials for role 2 \\("role-1"\\) of roles file ${path} at start-up, not serving: .*AccessDeniedException`));
    expect(own.issued).toHaveLength(1);
    // Sixty roles paced take 12 s; the second's failure is said well before, even on a loaded machine.
    expect(result.ms).toBeLessThan(6_000);
  });
});

describe('several roles refresh on their own', () => {
  it('a role of short-lived credentials is refreshed, the other untouched', async () => {
    const shortLived = await scenario.otherEmulator({
      credentialLifetimeSeconds: 4,
      profiles: [{ arn: READER_PROFILE, roleArns: [READER_ROLE] }],
    });
    const server = await startEcsServe([...commandLine(), '--roles-file', rolesFile('refresh-roles.json', { endpoint: shortLived.url })]);
    try {
      const authorization = { Authorization: readFileSync(server.tokenFile, 'utf8') };
      const keys = async () => ({
        writer: JSON.parse((await imds(server.origin, 'GET', '/role/writer', authorization)).body).AccessKeyId,
        reader: JSON.parse((await imds(server.origin, 'GET', '/role/reader', authorization)).body).AccessKeyId,
      });
      const before = await keys();
      const writerSessions = scenario.emulator.issued.length;
      await new Promise((resolve) => setTimeout(resolve, 3000)); // four-second credentials are refreshed at half their life
      const after = await keys();
      expect(after.reader).not.toBe(before.reader);
      expect(shortLived.issued.map((session) => session.accessKeyId)).toContain(after.reader);
      expect(after.writer).toBe(before.writer);
      expect(scenario.emulator.issued.length).toBe(writerSessions);
    } finally {
      await server.stop();
    }
  });
});

describe('serve --roles-file logging', () => {
  it("names the role in its session's lines: each role's wait for an unanswered CreateSession", async () => {
    const endpoint = await hanging();
    const running = startCommand(['serve', '--port', '0', ...commandLine(endpoint.url), '--roles-file', rolesFile('waiting-roles.json')]);
    try {
      for (const name of ['writer', 'reader']) {
        await running.waitFor(new RegExp(`role ${name}: waiting for ${endpoint.url} to answer CreateSession \\(attempt 1 of \\d+\\)\n`), 10_000);
      }
    } finally {
      await running.stop('SIGKILL');
      await endpoint.close();
    }
  });
});

describe('serve --roles-file of roles sharing a key', () => {
  it("reads the command line's key from standard input once for the roles that take it (mutation QA: each role read it, the second finding it empty)", async () => {
    const path = scenario.workspace.write('shared-key-roles.json', JSON.stringify({ roles: [{ name: 'writer', 'role-arn': ARNS.roleArn }, { name: 'writer-too', 'role-arn': ARNS.roleArn }] }));
    const args = commandLine().map((arg) => (arg === writerLeaf.keyPath ? '-' : arg));
    const server = await startServe([...args, '--roles-file', path], {}, readFileSync(writerLeaf.keyPath));
    try {
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(server.url) };
      for (const name of ['writer', 'writer-too']) expect((await imds(server.url, 'GET', `/latest/meta-data/iam/security-credentials/${name}`, token)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('serve --roles-file refresh failures', () => {
  it("name the role whose refresh fails, and whose refreshes work again (mutation QA: either role's lines passed unnamed)", async () => {
    const shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 4, profiles: [{ arn: READER_PROFILE, roleArns: [READER_ROLE] }] });
    const front = await relaying(shortLived.url);
    const running = await startServe([...commandLine(), '--roles-file', rolesFile('failing-refresh-roles.json', { endpoint: front.url })], { AWS_MAX_ATTEMPTS: '1' });
    try {
      front.mode = 'fail';
      await running.waitFor(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d role reader: Error generating credentials: .*StatusCode: 500.*the front is failing \(retrying in \d+ s\)\n/m);
      front.mode = 'forward';
      await running.waitFor(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d role reader: credentials refreshed again: the failures logged before have ended\n/m, 30_000);
    } finally {
      await running.stop();
      await front.close();
    }
  });
});

describe('serve --roles-file refusals', () => {
  it('a role that gets no credentials at start: exit 1, naming the role', async () => {
    // The reader's profile does not allow the writer's role.
    const path = rolesFile('denied-roles.json', { 'role-arn': ARNS.roleArn, name: 'denied' });
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, new RegExp(`^unable to obtain credentials for role 2 \\("denied"\\) of roles file ${path} at start-up, not serving: operation error RolesAnywhere: CreateSession, .*AccessDenied`));
  });

  it('the only role of a file is named too', async () => {
    const missing = scenario.workspace.path('no-such-key.pem');
    const path = scenario.workspace.write('one-role.json', JSON.stringify({ roles: [{ name: 'r2', 'role-arn': READER_ROLE, certificate: readerLeaf.certPath, 'private-key': missing }] }));
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, `unable to obtain credentials for role 1 ("r2") of roles file ${path} at start-up, not serving: unable to read private key ${missing}: no such file or directory`);
  });

  it("a role's relative path is the working folder's, as the flags' are, and a missing one says so (QA: the folder was not named)", async () => {
    const path = scenario.workspace.write('relative-roles.json', JSON.stringify({ roles: [{ name: 'r3', 'role-arn': READER_ROLE, certificate: 'leaf.pem', 'private-key': readerLeaf.keyPath }] }));
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path], { cwd: '/' });
    expectFailure(
      result,
      `unable to obtain credentials for role 1 ("r3") of roles file ${path} at start-up, not serving: unable to read certificate leaf.pem: no such file or directory (a relative path, looked for in the working folder /)`,
    );
  });

  it('a key setting without the key: a role that gives one gives its whole key', async () => {
    const path = rolesFile('password-only-roles.json', { certificate: undefined, 'private-key': undefined, 'pkcs8-password': 'x' });
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(
      result,
      `role 2 of roles file ${path}: "pkcs8-password" without "certificate" or "private-key": a role that gives a key setting gives its whole key, and takes none of the command line's`,
    );
  });

  it("a role's key without its password names the role's setting, not the command line's flags, which do not reach it", async () => {
    const key = generateKey('ec-p256');
    const issued = await scenario.ca.issue({ subject: 'CN=encrypted reader', publicKey: key.spki });
    const encrypted = scenario.workspace.write('reader-encrypted.pem', key.keyObject!.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }) as string);
    const certificate = scenario.workspace.write('reader-encrypted-cert.pem', issued.pem);
    const path = rolesFile('encrypted-roles.json', { name: 'reader', certificate, 'private-key': encrypted, 'profile-arn': ARNS.profileArn, 'role-arn': ARNS.roleArn });
    // The command line's key is the same, with its password: the role, which gives its own key, takes neither.
    const passwordFile = scenario.workspace.write('command-line-password.txt', 'right', 0o600);
    const keyFlags = ['--certificate', certificate, '--private-key', encrypted, '--pkcs8-password-file', passwordFile];
    const result = await runCli(['serve', '--port', '0', ...commandLine().slice(4), ...keyFlags, '--roles-file', path]);
    expectFailure(
      result,
      `unable to obtain credentials for role 2 ("reader") of roles file ${path} at start-up, not serving: unable to parse private key ${encrypted}: ` +
        'the key is encrypted and no password was given (use "pkcs8-password" or AWS_ROLESANYWHERE_PKCS8_PASSWORD); unable to ask for it: no terminal to ask on',
    );
  });

  it('a setting that is not one: exit 1, naming the file and the role', async () => {
    const path = rolesFile('typo-roles.json', { 'role_arn': READER_ROLE });
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, new RegExp(`^role 2 of roles file ${path}: unknown setting "role_arn" \\(did you mean "role-arn"\\?\\)$`));
  });

  it.each([
    [{ 'external-id': 'partner-7' }, '"external-id" needs "assume-role-arn": it is an option of role chaining'],
    [{ 'sts-endpoint': 'http://127.0.0.1:9' }, '"sts-endpoint" needs "assume-role-arn": STS is called only to chain into a role'],
  ])('a role that lacks a setting another needs is told to give it, named as the file names it, not as a flag (QA): %j', async (settings, reason) => {
    const path = rolesFile('unchained-roles.json', settings);
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, `role 2 ("reader") of roles file ${path}: ${reason}`);
  });

  it('an option the role takes from the command line is named by its flag', async () => {
    const path = rolesFile('command-line-roles.json');
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--external-id', 'partner-7', '--roles-file', path]);
    expectFailure(result, `role 1 ("writer") of roles file ${path}: --external-id needs "assume-role-arn": it is an option of role chaining`);
  });

  it('an invalid setting of a role is named with the role', async () => {
    const path = rolesFile('duration-roles.json', { 'session-duration': 60 });
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, `role 2 ("reader") of roles file ${path}: invalid "session-duration" 60: it must be a whole number of seconds between 900 and 43200`);
    // With --debug, the cause's line names the option by its flag too, not as the library does.
    const debug = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path, '--debug']);
    expect(debug.stderr).toContain('caused by: Error: invalid --session-duration 60: it must be a whole number');
    expect(debug.stderr).not.toContain('durationSeconds');
  });

  // Consistency QA: a role named after its ARN was told to give it a "name", and then the ARN was refused.
  it.each([
    [{ 'role-arn': 'arn:aws:iam::123:bad' }, 'failed to parse role arn "arn:aws:iam::123:bad": not a role ARN (expected arn:<partition>:iam::<account>:role/<id>)'],
    [{ 'role-arn': 'arn:aws:iam::123456789012:role/has space' }, 'invalid "role-arn" "arn:aws:iam::123456789012:role/has space": ARNs hold no whitespace or control characters'],
    [{ 'assume-role-arn': 'arn:aws:iam::123456789012:role/' }, 'invalid "assume-role-arn": failed to parse role arn "arn:aws:iam::123456789012:role/": it names no role (it ends with "/", where the name goes)'],
  ])('a role named after an ARN that is none is told the ARN\'s mistake, as a role with a name is: %j', async (settings, reason) => {
    const path = scenario.workspace.write('unnamed-roles.json', JSON.stringify({ roles: [{ 'role-arn': ARNS.roleArn, ...settings }] }));
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, `role 1 of roles file ${path}: ${reason}`);
  });

  it('two roles named after the same ARN that is none are told its mistake, not that they share a name (review: told to give them "name"s, then refused all the same)', async () => {
    const unset = 'arn:aws:iam::123456789012:role/';
    const path = scenario.workspace.write('unset-roles.json', JSON.stringify({ roles: [{ 'role-arn': unset }, { 'role-arn': unset }] }));
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, `role 1 of roles file ${path}: failed to parse role arn "${unset}": it names no role (it ends with "/", where the name goes)`);
  });

  it("a role's Region that is none is named as its setting, as its endpoint is (consistency QA: `invalid region`, naming no input)", async () => {
    const path = rolesFile('region-roles.json', { region: 'us_east!1' });
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', path]);
    expectFailure(result, `role 2 ("reader") of roles file ${path}: invalid "region" "us_east!1": a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)`);
  });

  it('an empty --roles-file, as an unset variable leaves it, is refused, not taken as none (QA)', async () => {
    const result = await runCli(['serve', '--port', '0', ...commandLine(), '--roles-file', '']);
    expectFailure(result, 'invalid --roles-file "": it names no file (leave it out to serve the command line\'s role)');
  });
});
