import { fromProcess, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException, type STSClientConfig } from '@aws-sdk/client-sts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommandLine, runCli } from '../support/cli.js';
import { Scenario, type LeafFiles } from '../support/scenario.js';

const DEPLOY_ROLE = 'arn:aws:iam::210987654321:role/deploy';
/** Assumable, but of another partition than the caller's: no trust reaches it (QA: it was assumed). */
const CHINA_ROLE = 'arn:aws-cn:iam::210987654321:role/deploy';

let scenario: Scenario;
let leaf: LeafFiles;
let configPath: string;

/** An AWS config file whose profile runs our CLI as its credential_process against the emulator. */
function configFile(): string {
  const command = cliCommandLine([
    'credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath,
    ...scenario.sessionFlags(),
  ]);
  return `[profile workload]\ncredential_process = ${command}\nregion = us-east-1\n`;
}

beforeAll(async () => {
  scenario = await Scenario.start({ assumableRoles: [{ roleArn: DEPLOY_ROLE }, { roleArn: CHINA_ROLE }] });
  leaf = await scenario.leaf('sts-workload');
  configPath = scenario.workspace.write('config', configFile());
});
afterAll(async () => scenario.stop());

const sts = (credentials: STSClientConfig['credentials'], endpoint = scenario.emulator.url) =>
  new STSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });

/** Credentials printed by credential-process, in the SDK's shape. */
async function credentialProcess(endpoint = scenario.emulator.url) {
  const result = await runCli([
    'credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath,
    ...scenario.sessionFlags(endpoint),
  ]);
  expect(result.code).toBe(0);
  const printed = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  return { accessKeyId: printed.AccessKeyId, secretAccessKey: printed.SecretAccessKey, sessionToken: printed.SessionToken };
}

async function refusal(promise: Promise<unknown>): Promise<[string, number | undefined]> {
  const error = await promise.then(() => expect.unreachable('the call succeeded'), (e: unknown) => e);
  expect(error).toBeInstanceOf(STSServiceException);
  return [(error as STSServiceException).name, (error as STSServiceException).$metadata.httpStatusCode];
}

describe('the AWS SDK for JavaScript v3 against the emulator\'s STS, with credentials from credential-process', () => {
  it('GetCallerIdentity with fromProcess() names the role session', async () => {
    const identity = await sts(fromProcess({ profile: 'workload', configFilepath: configPath, filepath: '/dev/null' })).send(new GetCallerIdentityCommand({}));
    const session = scenario.emulator.issued.at(-1)!;
    expect(identity).toMatchObject({ Account: '123456789012', Arn: `arn:aws:sts::123456789012:assumed-role/test-role/${session.roleSessionName}` });
  });

  it('fromTemporaryCredentials() chains into another account\'s role, as users are told to', async () => {
    const chained = fromTemporaryCredentials({
      masterCredentials: fromProcess({ profile: 'workload', configFilepath: configPath, filepath: '/dev/null' }),
      params: { RoleArn: DEPLOY_ROLE, RoleSessionName: 'chained' },
      clientConfig: { region: 'us-east-1', endpoint: scenario.emulator.url },
    });
    const identity = await sts(chained).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:sts::210987654321:assumed-role/deploy/chained');
    expect(scenario.emulator.assumedRoles.at(-1)).toMatchObject({ roleArn: DEPLOY_ROLE, durationSeconds: 3600, sourceIdentity: 'CN=sts-workload' });
    expect((await chained()).accessKeyId).toBe(scenario.emulator.assumedRoles.at(-1)!.accessKeyId);
  });

  it('clearRecords() empties what it recorded, in the arrays a test holds, and what it issued still works (QA: no way to start a test afresh)', async () => {
    const emulator = await scenario.otherEmulator({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] });
    const credentials = await credentialProcess(emulator.url);
    await sts(credentials, emulator.url).send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: 'before' }));
    await refusal(sts({ ...credentials, secretAccessKey: 'wrong' }, emulator.url).send(new GetCallerIdentityCommand({})));
    const held = [emulator.issued, emulator.assumedRoles, emulator.stsCalls, emulator.rejections];
    expect(held.map((records) => records.length)).toEqual([1, 1, 2, 1]);
    emulator.clearRecords();
    expect(held.map((records) => records.length)).toEqual([0, 0, 0, 0]);
    expect((await sts(credentials, emulator.url).send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    expect(emulator.stsCalls.map((call) => call.status)).toEqual([200]);
  });

  it("sends its own clock in Date, from which the SDK corrects a skewed clock and retries, as against STS (QA)", async () => {
    let aheadMs = 0;
    const skewed = await scenario.otherEmulator({ now: () => new Date(Date.now() + aheadMs) });
    const credentials = await credentialProcess(skewed.url);
    aheadMs = 20 * 60_000; // past STS's 15 minutes
    const client = new STSClient({ region: 'us-east-1', endpoint: skewed.url, credentials, maxAttempts: 3 });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    expect(skewed.stsCalls.map((call) => call.status)).toEqual([403, 200]);
    expect(skewed.stsCalls[0]!.message).toMatch(/^Signature expired: /);
    expect(client.config.systemClockOffset).toBeGreaterThan(19 * 60_000);
  });

  it('refuses a wrong secret, an unknown key, a chained duration over an hour, a role not allowed, and expired credentials', async () => {
    const credentials = await credentialProcess();
    expect(await refusal(sts({ ...credentials, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})))).toEqual(['SignatureDoesNotMatch', 403]);
    expect(await refusal(sts({ ...credentials, accessKeyId: 'ASIAUNKNOWNUNKNOWN00' }).send(new GetCallerIdentityCommand({})))).toEqual(['InvalidClientTokenId', 403]);
    expect(await refusal(sts(credentials).send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: 'long', DurationSeconds: 7200 })))).toEqual(['ValidationError', 400]);
    expect(scenario.emulator.stsCalls.at(-1)!.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    expect(await refusal(sts(credentials).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/admin', RoleSessionName: 'nope' })))).toEqual(['AccessDenied', 403]);
    expect(await refusal(sts(credentials).send(new AssumeRoleCommand({ RoleArn: CHINA_ROLE, RoleSessionName: 'china' })))).toEqual(['AccessDenied', 403]);
    expect(scenario.emulator.stsCalls.at(-1)!.message).toMatch(/^User: arn:aws:sts::123456789012:assumed-role\/.* is not authorized to perform: sts:AssumeRole on resource: arn:aws-cn:iam::210987654321:role\/deploy$/);

    const shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 1 });
    const expiring = await credentialProcess(shortLived.url);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await refusal(sts(expiring, shortLived.url).send(new GetCallerIdentityCommand({})))).toEqual(['ExpiredToken', 403]);
  });

  it('refuses a RoleSessionName or SourceIdentity of 65 characters and an ExternalId of 1225, one over what STS takes (mutation QA)', async () => {
    const credentials = await credentialProcess();
    const messages: string[] = [];
    for (const params of [{ RoleSessionName: 'n'.repeat(65) }, { RoleSessionName: 'edge', SourceIdentity: 's'.repeat(65) }, { RoleSessionName: 'edge', ExternalId: 'x'.repeat(1225) }]) {
      expect(await refusal(sts(credentials).send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, ...params })))).toEqual(['ValidationError', 400]);
      messages.push(scenario.emulator.stsCalls.at(-1)!.message!);
    }
    const tooLong = (value: string, field: string, max: number) =>
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`;
    expect(messages).toEqual([tooLong('n'.repeat(65), 'roleSessionName', 64), tooLong('s'.repeat(65), 'sourceIdentity', 64), tooLong('x'.repeat(1225), 'externalId', 1224)]);
  });

  it('holds session tags to STS\'s rules: keys unique whatever their case, transitive keys among the tags, and a transitive tag kept down the chain', async () => {
    const credentials = await credentialProcess();
    const assume = (from: typeof credentials, params: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      sts(from).send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: 'tagged', ...params }));
    const refusedWith = async (params: Parameters<typeof assume>[1], message: string, from = credentials) => {
      expect(await refusal(assume(from, params))).toEqual(['InvalidParameterValue', 400]);
      expect(scenario.emulator.stsCalls.at(-1)!.message).toBe(message);
    };
    await refusedWith({ Tags: [{ Key: 'Team', Value: 'a' }, { Key: 'team', Value: 'b' }] }, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    await refusedWith({ Tags: [{ Key: 'team', Value: 'a' }], TransitiveTagKeys: ['other'] }, 'The specified transitive tag key must be included in the requested tags.');

    const first = await assume(credentials, { Tags: [{ Key: 'team', Value: 'blue' }], TransitiveTagKeys: ['Team'] });
    const hop = { accessKeyId: first.Credentials!.AccessKeyId!, secretAccessKey: first.Credentials!.SecretAccessKey!, sessionToken: first.Credentials!.SessionToken! };
    await refusedWith(
      { Tags: [{ Key: 'TEAM', Value: 'red' }] },
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      hop,
    );
    await assume(hop, { Tags: [{ Key: 'stage', Value: 'prod' }] });
    expect(scenario.emulator.assumedRoles.at(-1)!.transitiveTagKeys).toEqual(['Team']);
  });
});

describe('botocore (boto3) and the AWS CLI against the emulator\'s STS, signing with their own SigV4', () => {
  const env = () => ({ PATH: process.env.PATH, HOME: scenario.workspace.dir, AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });

  it('sts.get_caller_identity() and a refused assume_role', async () => {
    const script = [
      'import sys, boto3, botocore.exceptions',
      'sts = boto3.Session(profile_name="workload").client("sts", endpoint_url=sys.argv[1])',
      'print(sts.get_caller_identity()["Arn"])',
      'try:',
      '    sts.assume_role(RoleArn=sys.argv[2], RoleSessionName="boto", DurationSeconds=7200)',
      'except botocore.exceptions.ClientError as e:',
      '    print(e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])',
      'print(sts.assume_role(RoleArn=sys.argv[2], RoleSessionName="boto")["AssumedRoleUser"]["Arn"])',
    ].join('\n');
    const { stdout } = await promisify(execFile)('python3', ['-c', script, scenario.emulator.url, DEPLOY_ROLE], { env: env() });
    const session = scenario.emulator.issued.at(-1)!;
    expect(stdout.trim().split('\n')).toEqual([
      `arn:aws:sts::123456789012:assumed-role/test-role/${session.roleSessionName}`,
      'ValidationError 400',
      'arn:aws:sts::210987654321:assumed-role/deploy/boto',
    ]);
  });

  it('a presigned GetCallerIdentity URL (generate_presigned_url), as IAM authenticators send it; tampered, refused', async () => {
    const script = [
      'import sys, json, boto3, urllib.request, urllib.error',
      'sts = boto3.Session(profile_name="workload").client("sts", endpoint_url=sys.argv[1])',
      'def get(url):',
      '    try:',
      '        with urllib.request.urlopen(url) as r: return r.status',
      '    except urllib.error.HTTPError as e: return e.code',
      // Signed for GET, as it is sent (without HttpMethod, botocore signs STS's POST).
      'url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=300, HttpMethod="GET")',
      'print(json.dumps([get(url), get(url.replace("Version=2011-06-15", "Version=2011-06-16"))]))',
    ].join('\n');
    const { stdout } = await promisify(execFile)('python3', ['-c', script, scenario.emulator.url], { env: env() });
    const [answered, tampered] = JSON.parse(stdout) as [number, number];
    expect([answered, tampered]).toEqual([200, 403]);
    expect(scenario.emulator.stsCalls.at(-2)).toMatchObject({
      action: 'GetCallerIdentity',
      status: 200,
      callerArn: `arn:aws:sts::123456789012:assumed-role/test-role/${scenario.emulator.issued.at(-1)!.roleSessionName}`,
    });
    expect(scenario.emulator.stsCalls.at(-1)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('a presigned URL is good for the 15 minutes of skew whatever its ExpiresIn, as STS takes an EKS token of 60 s for 15 minutes', async () => {
    let aheadMs = 0;
    const later = await scenario.otherEmulator({ now: () => new Date(Date.now() + aheadMs) });
    const credentials = await credentialProcess(later.url);
    const script = [
      'import sys, json, boto3',
      'sts = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3], aws_session_token=sys.argv[4])',
      'print(json.dumps([sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=n, HttpMethod="GET") for n in (60, 604800)]))',
    ].join('\n');
    const { stdout } = await promisify(execFile)('python3', ['-c', script, later.url, credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken], { env: env() });
    const [minute, week] = JSON.parse(stdout) as [string, string];
    aheadMs = 10 * 60_000;
    expect((await fetch(minute)).status).toBe(200);
    aheadMs = 20 * 60_000;
    expect((await fetch(week)).status).toBe(403);
    expect(later.stsCalls.map((call) => call.status)).toEqual([200, 403]);
    expect(later.stsCalls[1]!.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('aws sts get-caller-identity --endpoint-url', async () => {
    const { stdout } = await promisify(execFile)('aws', ['sts', 'get-caller-identity', '--profile', 'workload', '--endpoint-url', scenario.emulator.url, '--output', 'json'], { env: env() });
    expect(JSON.parse(stdout).Arn).toBe(`arn:aws:sts::123456789012:assumed-role/test-role/${scenario.emulator.issued.at(-1)!.roleSessionName}`);
  });
});
