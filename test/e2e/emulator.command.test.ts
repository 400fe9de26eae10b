import { CreateProfileCommand, CreateTrustAnchorCommand, ImportCrlCommand, RolesAnywhereClient } from '@aws-sdk/client-rolesanywhere';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliFeatures } from '../support/awsClients.js';
import { children, readRoot } from '../../src/asn1/der.js';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { cleanEnv, errorLine, expectFailure, runCli } from '../support/cli.js';
import { startCommand, type RunningCommand } from '../support/longRunning.js';
import { Workspace, type LeafFiles } from '../support/scenario.js';
import { pkcs8Pem } from '../../src/emulator/pki/generateKey.js';

/** What the emulator command prints on stdout once it listens. */
interface Announcement {
  readonly endpoint: string;
  readonly region: string;
  readonly trustAnchorArn?: string;
  readonly profileArn?: string;
  readonly roleArn?: string;
  readonly trustAnchors: { name: string; arn: string }[];
  readonly profiles: { name: string; arn: string; roleArns: string[] }[];
  readonly assumableRoleArns: string[];
}

/** `aws_signing_helper emulator …` as a child process, once it has printed its one line. */
async function startEmulatorCommand(args: readonly string[]): Promise<RunningCommand & { announced: Announcement }> {
  const command = startCommand(['emulator', ...args]);
  const [line] = await command.waitFor(/^.*\n/, 20_000, 'stdout');
  return { ...command, announced: JSON.parse(line) as Announcement };
}

let workspace: Workspace;
let ca: CertificateAuthority;
const running: RunningCommand[] = [];

beforeAll(async () => {
  workspace = new Workspace();
  ca = await CertificateAuthority.create({ subject: 'CN=Emulator Command Root' });
  workspace.write('root.pem', ca.certificate.pem);
  workspace.write('foreign.crl', await (await CertificateAuthority.create({ subject: 'CN=Foreign Root' })).crl([]));
  await leaf('anchor');
});
afterAll(async () => {
  await Promise.all(running.map((command) => command.stop()));
  workspace.cleanup();
});

async function leaf(name: string, issuer = ca): Promise<LeafFiles> {
  const certificate = await issuer.issue({ subject: `CN=${name}` });
  return { certificate, certPath: workspace.write(`${name}-cert.pem`, certificate.pem), keyPath: workspace.write(`${name}-key.pem`, pkcs8Pem(certificate.key!)) };
}

/** The root certificate with its signature in an OCTET STRING: OpenSSL refuses it; the helper's parser does not look there. */
function octetStringSignature(): Buffer {
  const der = Buffer.from(ca.certificate.der);
  const [, signatureAlgorithm] = children(readRoot(der));
  der[signatureAlgorithm!.end] = 0x04;
  return der;
}

/** `aws … --endpoint-url <the emulator> --output json`, with set-up credentials and a Region and none of the tester's configuration. */
function awsCli(args: readonly string[], endpoint: string) {
  return promisify(execFile)('aws', [...args, '--endpoint-url', endpoint, '--output', 'json'], {
    env: cleanEnv({ HOME: workspace.dir, AWS_ACCESS_KEY_ID: 'AKIDSETUP', AWS_SECRET_ACCESS_KEY: 'setup', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null' }),
  });
}

function credentialProcess(files: LeafFiles, arns: { trustAnchorArn: string; profileArn: string; roleArn: string }, endpoint: string, extra: string[] = []) {
  return runCli([
    'credential-process', '--certificate', files.certPath, '--private-key', files.keyPath,
    '--trust-anchor-arn', arns.trustAnchorArn, '--profile-arn', arns.profileArn, '--role-arn', arns.roleArn, '--endpoint', endpoint, ...extra,
  ]);
}

describe('the emulator command, started as a user starts it', () => {
  it('starts empty, is set up by @aws-sdk/client-rolesanywhere, serves credential-process and STS, refuses what ImportCrl revokes, and stops on SIGTERM', async () => {
    const emulator = await startEmulatorCommand(['--region', 'eu-west-1']);
    running.push(emulator);
    expect(emulator.announced).toEqual({ endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), region: 'eu-west-1', trustAnchors: [], profiles: [], assumableRoleArns: [] });
    const { endpoint } = emulator.announced;

    const setup = new RolesAnywhereClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'AKIDSETUP', secretAccessKey: 'setup' } });
    const { trustAnchor } = await setup.send(
      new CreateTrustAnchorCommand({ name: 'ci root', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.certificate.pem } } }),
    );
    const roleArn = 'arn:aws:iam::123456789012:role/ci';
    const { profile } = await setup.send(new CreateProfileCommand({ name: 'ci', roleArns: [roleArn], enabled: true }));
    const arns = { trustAnchorArn: trustAnchor!.trustAnchorArn!, profileArn: profile!.profileArn!, roleArn };
    expect(arns.trustAnchorArn).toMatch(/^arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor\//);

    const workload = await leaf('ci-workload');
    const result = await credentialProcess(workload, arns, endpoint);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const credentials = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const identity = await new STSClient({
      region: 'eu-west-1',
      endpoint,
      credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken },
    }).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/ci\/[0-9a-f]+$/);

    await setup.send(new ImportCrlCommand({ name: 'ci crl', trustAnchorArn: arns.trustAnchorArn, crlData: Buffer.from(await ca.crl([workload.certificate.serialNumberHex])) }));
    const refused = await credentialProcess(workload, arns, endpoint);
    expect([refused.code, refused.stdout, errorLine(refused)]).toEqual([1, '', expect.stringMatching(/AccessDeniedException.*Untrusted Signing Certificate: certificate serial [0-9a-f]+ has been revoked/)]);

    expect(await emulator.stop('SIGTERM')).toBe(0);
    expect(emulator.stderr()).toMatch(/Roles Anywhere emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(emulator.stderr()).toMatch(/CreateSession refused: 403 AccessDeniedException: Untrusted Signing Certificate: certificate serial [0-9a-f]+ has been revoked\n/);
    expect(emulator.stdout().split('\n')).toHaveLength(2);
  });

  it('with --trust-anchor-certificate and --crl: prints the ARNs it accepts, the same at every start, and refuses the revoked serial', async () => {
    const good = await leaf('flag-good');
    const revoked = await leaf('flag-revoked');
    const crlPath = workspace.write('flags.crl.pem', await ca.crl([revoked.certificate.serialNumberHex]));
    const args = ['--trust-anchor-certificate', workspace.path('root.pem'), '--crl', crlPath];
    const emulator = await startEmulatorCommand(args);
    running.push(emulator);
    const { announced } = emulator;
    expect(announced).toMatchObject({
      region: 'us-east-1',
      trustAnchorArn: expect.stringMatching(/^arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor\/[0-9a-f-]{36}$/),
      profileArn: expect.stringMatching(/^arn:aws:rolesanywhere:us-east-1:123456789012:profile\/[0-9a-f-]{36}$/),
      roleArn: 'arn:aws:iam::123456789012:role/roles-anywhere-emulator',
    });
    // A path that starts with // is a path, not a host: answered, and the process lives on (it exited on '//').
    for (const path of ['//', '//[', '//a:99999/']) expect((await fetch(`${announced.endpoint}${path}`)).status).toBe(501);
    const arns = { trustAnchorArn: announced.trustAnchorArn!, profileArn: announced.profileArn!, roleArn: announced.roleArn! };
    const named = await credentialProcess(good, arns, announced.endpoint, ['--role-session-name', 'named', '--session-duration', '43200']);
    expect(named.code).toBe(0);
    // Without --credential-lifetime, the session lasts as asked, not an hour (mutation testing: a default lifetime went unnoticed).
    expect(Date.parse(JSON.parse(named.stdout).Expiration) - Date.now()).toBeGreaterThan(3 * 3600_000);
    // Without --host, on loopback alone: no other machine reaches a default emulator (mutation testing: 0.0.0.0 went unnoticed).
    const { port } = new URL(announced.endpoint);
    const others = Object.values(networkInterfaces()).flat().filter((address) => address && !address.internal && address.family === 'IPv4');
    for (const address of others) await expect(fetch(`http://${address!.address}:${port}/`)).rejects.toThrow();
    expect(errorLine(await credentialProcess(revoked, arns, announced.endpoint))).toMatch(/has been revoked/);

    const again = await startEmulatorCommand(['--port', '0', ...args]);
    running.push(again);
    expect([again.announced.trustAnchorArn, again.announced.profileArn]).toEqual([arns.trustAnchorArn, arns.profileArn]);
    expect(await again.stop('SIGHUP')).toBe(0);
  });

  it('--crl of 2,500 serial numbers (118 KB, well under the 300,000 bytes ImportCrl takes): revokes its last (QA emu: "not an X.509 CRL")', async () => {
    const revoked = await leaf('long-crl-revoked');
    const serials = Array.from({ length: 2499 }, (_, i) => (i + 0x1000).toString(16));
    const crlPath = workspace.write('long.crl.pem', await ca.crl([...serials, revoked.certificate.serialNumberHex]));
    const emulator = await startEmulatorCommand(['--trust-anchor-certificate', workspace.path('root.pem'), '--crl', crlPath]);
    running.push(emulator);
    const { announced } = emulator;
    const arns = { trustAnchorArn: announced.trustAnchorArn!, profileArn: announced.profileArn!, roleArn: announced.roleArn! };
    expect(errorLine(await credentialProcess(revoked, arns, announced.endpoint))).toMatch(/has been revoked/);
  });

  it('with --config: several trust anchors, profiles with their roles and settings, roles for AssumeRole', async () => {
    const other = await CertificateAuthority.create({ subject: 'CN=Second Root' });
    workspace.write('second.pem', other.certificate.pem);
    const revokedBySecond = await leaf('second-revoked', other);
    workspace.write('second.crl', await other.crl([revokedBySecond.certificate.serialNumberHex]));
    const config = workspace.write('emulator.json', JSON.stringify({
      accountId: '111122223333',
      region: 'ap-southeast-2',
      trustAnchors: [{ name: 'first', certificates: 'root.pem' }, { name: 'second', certificates: 'second.pem', crls: ['second.crl'] }],
      profiles: [
        { name: 'strict', roleArns: ['arn:aws:iam::111122223333:role/strict'], durationSeconds: 3600 },
        { name: 'lenient', roleArns: ['arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'], acceptRoleSessionName: true },
      ],
      assumableRoles: [{ roleArn: 'arn:aws:iam::444455556666:role/deploy', externalId: 'ci' }],
    }));
    const emulator = await startEmulatorCommand(['--config', config]);
    running.push(emulator);
    const { announced } = emulator;
    expect(announced.trustAnchors.map((a) => a.name)).toEqual(['first', 'second']);
    expect(announced.profiles.map(({ name, roleArns }) => ({ name, roleArns }))).toEqual([
      { name: 'strict', roleArns: ['arn:aws:iam::111122223333:role/strict'] },
      { name: 'lenient', roleArns: ['arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'] },
    ]);
    expect(announced.assumableRoleArns).toEqual(['arn:aws:iam::444455556666:role/deploy']);
    expect(announced.trustAnchorArn).toMatch(/^arn:aws:rolesanywhere:ap-southeast-2:111122223333:trust-anchor\//);

    const [first, second] = announced.trustAnchors;
    const [strict, lenient] = announced.profiles;
    // The shortcuts are the first of each, as --help says, not the last (mutation testing).
    expect([announced.trustAnchorArn, announced.profileArn, announced.roleArn]).toEqual([first!.arn, strict!.arn, 'arn:aws:iam::111122223333:role/strict']);
    const workload = await leaf('config-workload', other);
    const use = (profile: typeof strict, roleArn: string, extra: string[] = []) =>
      credentialProcess(workload, { trustAnchorArn: second!.arn, profileArn: profile!.arn, roleArn }, announced.endpoint, extra);
    expect((await use(lenient, 'arn:aws:iam::111122223333:role/b', ['--role-session-name', 'ci-run'])).code).toBe(0);
    expect(errorLine(await use(strict, 'arn:aws:iam::111122223333:role/strict', ['--role-session-name', 'ci-run']))).toMatch(/Not authorized to set roleSessionName/);
    // The profile's 3600 s bound the session asked for 7200 s.
    const capped = await use(strict, 'arn:aws:iam::111122223333:role/strict', ['--session-duration', '7200']);
    expect(capped.code).toBe(0);
    expect(Date.parse(JSON.parse(capped.stdout).Expiration) - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(errorLine(await credentialProcess(workload, { trustAnchorArn: first!.arn, profileArn: lenient!.arn, roleArn: 'arn:aws:iam::111122223333:role/a' }, announced.endpoint)))
      .toMatch(/Untrusted Signing Certificate/);
    expect(errorLine(await credentialProcess(revokedBySecond, { trustAnchorArn: second!.arn, profileArn: lenient!.arn, roleArn: 'arn:aws:iam::111122223333:role/a' }, announced.endpoint)))
      .toMatch(/has been revoked/);
  });

  it('warns at the start, in its log format, of a profile CreateSession will refuse every time', async () => {
    const config = workspace.write('roleless.json', JSON.stringify({ trustAnchors: [{ certificates: 'root.pem' }], profiles: [{ name: 'roleless', roleArns: [] }] }));
    const emulator = await startEmulatorCommand(['--config', config]);
    running.push(emulator);
    const profileArn = emulator.announced.profiles[0]!.arn;
    await emulator.waitFor(/listening/);
    expect(emulator.stderr()).toMatch(new RegExp(`^\\S+ \\S+ warning: profiles\\[0\\] \\(${profileArn.replace(/[/.]/g, '\\$&')}\\) has no roleArns: CreateSession will refuse it\n\\S+ \\S+ Roles Anywhere emulator listening on `));
  });

  it.each([['cn-north-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov']])('in %s: ARNs of the %s partition, which credential-process chains through to STS', async (region, partition) => {
    const role = (name: string) => `arn:${partition}:iam::123456789012:role/${name}`;
    const config = workspace.write(`${region}.json`, JSON.stringify({
      region, trustAnchors: [{ name: 'root', certificates: 'root.pem' }], profiles: [{ name: 'workload', roleArns: [role('workload')] }], assumableRoles: [{ roleArn: role('deploy') }],
    }));
    const emulator = await startEmulatorCommand(['--config', config]);
    running.push(emulator);
    const { announced } = emulator;
    expect([announced.trustAnchorArn, announced.profileArn]).toEqual([
      expect.stringMatching(new RegExp(`^arn:${partition}:rolesanywhere:${region}:123456789012:trust-anchor/[0-9a-f-]{36}$`)),
      expect.stringMatching(new RegExp(`^arn:${partition}:rolesanywhere:${region}:123456789012:profile/[0-9a-f-]{36}$`)),
    ]);
    const arns = { trustAnchorArn: announced.trustAnchorArn!, profileArn: announced.profileArn!, roleArn: role('workload') };
    const result = await credentialProcess(await leaf(`${region}-workload`), arns, announced.endpoint, ['--assume-role-arn', role('deploy'), '--sts-endpoint', announced.endpoint]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { AccessKeyId, SecretAccessKey, SessionToken } = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const identity = await new STSClient({ region, endpoint: announced.endpoint, credentials: { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken } })
      .send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(new RegExp(`^arn:${partition}:sts::123456789012:assumed-role/deploy/[0-9a-f]+$`));
  });

  it('--trust-anchor-certificate with --region cn-north-1: its role too is of the aws-cn partition, and credential-process gets it', async () => {
    const emulator = await startEmulatorCommand(['--trust-anchor-certificate', workspace.path('root.pem'), '--region', 'cn-north-1']);
    running.push(emulator);
    const { announced } = emulator;
    expect(announced.roleArn).toBe('arn:aws-cn:iam::123456789012:role/roles-anywhere-emulator');
    const arns = { trustAnchorArn: announced.trustAnchorArn!, profileArn: announced.profileArn!, roleArn: announced.roleArn! };
    const result = await credentialProcess(await leaf('cn-flags-workload'), arns, announced.endpoint);
    expect([result.code, result.stderr]).toEqual([0, '']);
  });

  // Debian 12's AWS CLI (2.9) knows no --accept-role-session-name (support/awsClients.ts).
  it.runIf(awsCliFeatures().acceptRoleSessionName)('AWS CLI v1 sets it up, updates it and tears it down with `aws rolesanywhere … --endpoint-url`', async () => {
    const emulator = await startEmulatorCommand([]);
    running.push(emulator);
    const aws = (args: string[]) => awsCli(args, emulator.announced.endpoint).then(({ stdout }) => JSON.parse(stdout));
    const { trustAnchor } = await aws([
      'rolesanywhere', 'create-trust-anchor', '--name', 'cli', '--enabled',
      '--source', JSON.stringify({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.certificate.pem } }),
    ]);
    const { profile } = await aws(['rolesanywhere', 'create-profile', '--name', 'cli', '--role-arns', 'arn:aws:iam::123456789012:role/cli', '--enabled', '--accept-role-session-name']);
    expect(profile).toMatchObject({ acceptRoleSessionName: true, enabled: true, durationSeconds: 3600 });
    // The default mapping every profile has, which CreateSession's session tags follow, as the service reports it (User Guide).
    expect(profile.attributeMappings).toEqual([
      { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
      { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
      { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
    ]);
    const { profiles } = await aws(['rolesanywhere', 'list-profiles']);
    expect(profiles.map((p: { profileArn: string }) => p.profileArn)).toEqual([profile.profileArn]);
    const workload = await leaf('cli-workload');
    const arns = { trustAnchorArn: trustAnchor.trustAnchorArn, profileArn: profile.profileArn, roleArn: 'arn:aws:iam::123456789012:role/cli' };
    expect((await credentialProcess(workload, arns, emulator.announced.endpoint, ['--role-session-name', 'from-cli'])).code).toBe(0);

    const updated = await aws(['rolesanywhere', 'update-profile', '--profile-id', profile.profileId, '--duration-seconds', '7200', '--name', 'cli renamed']);
    expect(updated.profile).toMatchObject({ name: 'cli renamed', durationSeconds: 7200, acceptRoleSessionName: true, enabled: true });
    expect((await aws(['rolesanywhere', 'disable-profile', '--profile-id', profile.profileId])).profile.enabled).toBe(false);
    const refused = await credentialProcess(workload, arns, emulator.announced.endpoint);
    expect([refused.code, refused.stdout, errorLine(refused)]).toEqual([1, '', expect.stringMatching(/AccessDeniedException: Profile is disabled$/)]);
    expect((await aws(['rolesanywhere', 'delete-profile', '--profile-id', profile.profileId])).profile.profileArn).toBe(profile.profileArn);
    expect((await aws(['rolesanywhere', 'delete-trust-anchor', '--trust-anchor-id', trustAnchor.trustAnchorId])).trustAnchor.name).toBe('cli');
    expect([(await aws(['rolesanywhere', 'list-profiles'])).profiles, (await aws(['rolesanywhere', 'list-trust-anchors'])).trustAnchors]).toEqual([[], []]);
  }, 180_000);

  it('AWS CLI tags what it creates and reads the tags back, as Terraform does after creating a profile (tag-resource, untag-resource, list-tags-for-resource)', async () => {
    const emulator = await startEmulatorCommand([]);
    running.push(emulator);
    const aws = (args: string[]) => awsCli(['rolesanywhere', ...args], emulator.announced.endpoint).then(({ stdout }) => (stdout ? JSON.parse(stdout) : undefined));
    const refused = (args: string[]) =>
      aws(args).then(
        () => expect.unreachable('the call succeeded'),
        // AWS CLI v1 exits 255, v2 254.
        (error: { code: number; stdout: string; stderr: string }) => [error.code > 0, error.stdout, error.stderr.trim()],
      );
    const { profile } = await aws(['create-profile', '--name', 'tagged', '--role-arns', 'arn:aws:iam::123456789012:role/cli', '--tags', 'key=team,value=platform', 'key=Team,value=other']);
    const resourceArn = profile.profileArn;
    const list = async () => (await aws(['list-tags-for-resource', '--resource-arn', resourceArn])).tags;
    expect(await list()).toEqual([{ key: 'team', value: 'platform' }, { key: 'Team', value: 'other' }]);
    await aws(['tag-resource', '--resource-arn', resourceArn, '--tags', 'key=team,value=payments', 'key=env,value=ci']);
    expect(await list()).toEqual([{ key: 'team', value: 'payments' }, { key: 'Team', value: 'other' }, { key: 'env', value: 'ci' }]);
    await aws(['untag-resource', '--resource-arn', resourceArn, '--tag-keys', 'Team', 'absent']);
    expect(await list()).toEqual([{ key: 'team', value: 'payments' }, { key: 'env', value: 'ci' }]);

    const tooMany = Array.from({ length: 199 }, (_, i) => `key=k${i},value=`);
    expect(await refused(['tag-resource', '--resource-arn', resourceArn, '--tags', ...tooMany])).toEqual([
      true, '', `An error occurred (TooManyTagsException) when calling the TagResource operation: ${resourceArn} would have 201 tags: a resource may have at most 200`,
    ]);
    expect(await refused(['tag-resource', '--resource-arn', resourceArn, '--tags', 'key=bad!key,value=x'])).toEqual([
      true, '', 'An error occurred (ValidationException) when calling the TagResource operation: tags[0].key must match ^[ a-zA-Z0-9_.:/=+@-]*$',
    ]);
    await aws(['delete-profile', '--profile-id', profile.profileId]);
    expect(await refused(['list-tags-for-resource', '--resource-arn', resourceArn])).toEqual([
      true, '', `An error occurred (ResourceNotFoundException) when calling the ListTagsForResource operation: Resource ${resourceArn} not found`,
    ]);
  });

  it.runIf(awsCliFeatures().mappingsAndNotifications)(
    'AWS CLI sets notification settings and attribute mappings, and credential-process is refused, then served, as the mapping leaves out an attribute STS would refuse as a tag',
    async () => {
      const emulator = await startEmulatorCommand([]);
      running.push(emulator);
      const aws = (args: string[]) => awsCli(['rolesanywhere', ...args], emulator.announced.endpoint).then(({ stdout }) => JSON.parse(stdout));
      const { trustAnchor } = await aws([
        'create-trust-anchor', '--name', 'mapped', '--enabled',
        '--source', JSON.stringify({ sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.certificate.pem } }),
      ]);
      const notified = await aws(['put-notification-settings', '--trust-anchor-id', trustAnchor.trustAnchorId, '--notification-settings', 'enabled=false,event=CA_CERTIFICATE_EXPIRY']);
      expect(notified.trustAnchor.notificationSettings[0]).toEqual({ enabled: false, event: 'CA_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: '123456789012' });
      const reset = await aws(['reset-notification-settings', '--trust-anchor-id', trustAnchor.trustAnchorId, '--notification-setting-keys', 'event=CA_CERTIFICATE_EXPIRY']);
      expect(reset.trustAnchor.notificationSettings[0]).toMatchObject({ enabled: true, configuredBy: 'rolesanywhere.amazonaws.com' });

      const roleArn = 'arn:aws:iam::123456789012:role/mapped';
      const { profile } = await aws(['create-profile', '--name', 'mapped', '--role-arns', roleArn, '--enabled']);
      const certificate = await ca.issue({ subject: 'CN=mapped,OU=build (ci)' });
      const files = { certificate, certPath: workspace.write('mapped-cert.pem', certificate.pem), keyPath: workspace.write('mapped-key.pem', pkcs8Pem(certificate.key!)) };
      const arns = { trustAnchorArn: trustAnchor.trustAnchorArn, profileArn: profile.profileArn, roleArn };
      const refused = await credentialProcess(files, arns, emulator.announced.endpoint);
      expect([refused.code, refused.stdout, errorLine(refused)]).toEqual([1, '', expect.stringMatching(/Some attributes failed to be mapped into session tags: the value of x509Subject\/OU, "build \(ci\)", has characters/)]);
      const mapped = await aws(['put-attribute-mapping', '--profile-id', profile.profileId, '--certificate-field', 'x509Subject', '--mapping-rules', 'specifier=CN']);
      expect(mapped.profile.attributeMappings.at(-1)).toEqual({ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] });
      expect((await credentialProcess(files, arns, emulator.announced.endpoint)).code).toBe(0);
      // Deleting the field's rules maps none of it; putting '*' back maps all of it again, and refuses again.
      await aws(['delete-attribute-mapping', '--profile-id', profile.profileId, '--certificate-field', 'x509Subject', '--specifiers', 'CN', 'OU']);
      expect((await aws(['get-profile', '--profile-id', profile.profileId])).profile.attributeMappings.map((mapping: { certificateField: string }) => mapping.certificateField))
        .toEqual(['x509Issuer', 'x509SAN']);
      expect((await credentialProcess(files, arns, emulator.announced.endpoint)).code).toBe(0);
      await aws(['put-attribute-mapping', '--profile-id', profile.profileId, '--certificate-field', 'x509Subject', '--mapping-rules', 'specifier=*']);
      expect(errorLine(await credentialProcess(files, arns, emulator.announced.endpoint))).toMatch(/Some attributes failed to be mapped into session tags/);
    },
  );

  it("with --config: tags at the start, which the AWS CLI lists, and a profile's attribute mapping, which credential-process's session tags follow", async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/mapped';
    const config = workspace.write('tagged.json', JSON.stringify({
      trustAnchors: [{ name: 'root', certificates: 'root.pem', tags: [{ key: 'team', value: 'platform' }, { key: 'cost-centre', value: '' }] }],
      profiles: [
        { name: 'mapped', roleArns: [roleArn], tags: [{ key: 'env', value: 'ci' }], attributeMappings: [{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }] },
        { name: 'default', roleArns: [roleArn] },
      ],
    }));
    const emulator = await startEmulatorCommand(['--config', config]);
    running.push(emulator);
    const { announced } = emulator;
    const tagsOf = async (resourceArn: string) => JSON.parse((await awsCli(['rolesanywhere', 'list-tags-for-resource', '--resource-arn', resourceArn], announced.endpoint)).stdout).tags;
    expect(await tagsOf(announced.trustAnchorArn!)).toEqual([{ key: 'team', value: 'platform' }, { key: 'cost-centre', value: '' }]);
    expect(await tagsOf(announced.profiles[0]!.arn)).toEqual([{ key: 'env', value: 'ci' }]);
    expect(await tagsOf(announced.profiles[1]!.arn)).toEqual([]);
    // STS would refuse the OU as a tag value: the default mapping maps it, the start-up one leaves it out.
    const certificate = await ca.issue({ subject: 'CN=mapped,OU=build (ci)' });
    const files = { certificate, certPath: workspace.write('startup-mapped-cert.pem', certificate.pem), keyPath: workspace.write('startup-mapped-key.pem', pkcs8Pem(certificate.key!)) };
    const through = (profileArn: string) => credentialProcess(files, { trustAnchorArn: announced.trustAnchorArn!, profileArn, roleArn }, announced.endpoint);
    const served = await through(announced.profiles[0]!.arn);
    expect([served.code, served.stderr]).toEqual([0, '']);
    const refused = await through(announced.profiles[1]!.arn);
    expect([refused.code, refused.stdout, errorLine(refused)]).toEqual([1, '', expect.stringMatching(/Some attributes failed to be mapped into session tags: the value of x509Subject\/OU, "build \(ci\)", has characters/)]);
  });

  it.runIf(awsCliFeatures().mappingsAndNotifications)("with --config: a trust anchor's notification settings and a profile's attribute mappings, as the AWS CLI gets them", async () => {
    const config = workspace.write('notified.json', JSON.stringify({
      accountId: '111122223333',
      trustAnchors: [{ name: 'root', certificates: 'root.pem', notificationSettings: [{ enabled: true, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 14, channel: 'ALL' }] }],
      profiles: [{ name: 'mapped', roleArns: ['arn:aws:iam::111122223333:role/mapped'], attributeMappings: [
        { certificateField: 'x509SAN', mappingRules: [{ specifier: 'URI' }] }, { certificateField: 'x509Issuer', mappingRules: [] },
      ] }],
    }));
    const emulator = await startEmulatorCommand(['--config', config]);
    running.push(emulator);
    const { announced } = emulator;
    const aws = async (args: string[]) => JSON.parse((await awsCli(['rolesanywhere', ...args], announced.endpoint)).stdout);
    const idOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
    const { trustAnchor } = await aws(['get-trust-anchor', '--trust-anchor-id', idOf(announced.trustAnchorArn!)]);
    expect(trustAnchor.notificationSettings).toEqual([
      { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: 'rolesanywhere.amazonaws.com' },
      { enabled: true, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 14, channel: 'ALL', configuredBy: '111122223333' },
    ]);
    const { profile } = await aws(['get-profile', '--profile-id', idOf(announced.profileArn!)]);
    expect(profile.attributeMappings).toEqual([
      { certificateField: 'x509Issuer', mappingRules: [] },
      { certificateField: 'x509SAN', mappingRules: [{ specifier: 'URI' }] },
      { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
    ]);
  });

  it('--host and --credential-lifetime: on every address, credentials of a minute that clients must soon refresh (QA: only a program could set them)', async () => {
    const emulator = await startEmulatorCommand(['--trust-anchor-certificate', workspace.path('root.pem'), '--host', '0.0.0.0', '--credential-lifetime', '60']);
    running.push(emulator);
    const { announced } = emulator;
    // Announced on loopback, as serve prints it: 0.0.0.0 would be no loopback address to the helper (QA).
    expect(announced.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const arns = { trustAnchorArn: announced.trustAnchorArn!, profileArn: announced.profileArn!, roleArn: announced.roleArn! };
    const result = await credentialProcess(await leaf('lifetime-workload'), arns, announced.endpoint, ['--session-duration', '3600']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const left = new Date(JSON.parse(result.stdout).Expiration).getTime() - Date.now();
    expect(left).toBeGreaterThan(50_000);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  it('--host in brackets, as a URL writes it, the longest --credential-lifetime, and every CA of a PEM bundle as the trust anchor (mutation testing)', async () => {
    const other = await CertificateAuthority.create({ subject: 'CN=Bundle Root' });
    // The CA that issued the workload's certificate last in the bundle: the first alone would not trust it.
    const bundle = workspace.write('bundle.pem', other.certificate.pem + ca.certificate.pem);
    const emulator = await startEmulatorCommand(['--trust-anchor-certificate', bundle, '--host', '[::1]', '--credential-lifetime', '43200']);
    running.push(emulator);
    const { announced } = emulator;
    expect(announced.endpoint).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const arns = { trustAnchorArn: announced.trustAnchorArn!, profileArn: announced.profileArn!, roleArn: announced.roleArn! };
    const result = await credentialProcess(await leaf('bundle-workload'), arns, announced.endpoint);
    expect([result.code, result.stderr]).toEqual([0, '']);
  });
});

describe('the emulator command refuses bad input with one line', () => {
  it.each<[string, () => string[], RegExp]>([
    ['a credential lifetime past 12 hours', () => ['--credential-lifetime', '43201'], /^invalid --credential-lifetime 43201: it must be 1 to 43200 seconds \(or 0: as asked\)$/],
    ['a negative credential lifetime', () => ['--credential-lifetime', '-1'], /^invalid --credential-lifetime -1: it must be 1 to 43200 seconds \(or 0: as asked\)$/],
    ['a host that is no address', () => ['--host', 'no such host'], /^invalid --host "no such host": it must be a host name or IP address$/],
    // As serve's --bind says it (QA: "no such host (ENOTFOUND)").
    ['an IPv6 address with a port, as a URL writes it', () => ['--host', '[::1]:4000'], /^invalid --host "\[::1\]:4000": give the address alone \(\[::1\]\), and the port with --port$/],
    ['an address with a port', () => ['--host', '127.0.0.1:4000'], /^invalid --host "127\.0\.0\.1:4000": give the address alone \(127\.0\.0\.1\), and the port with --port$/],
    // QA: it listened, printing an endpoint (http://[fe80::1%eth0]:PORT) that no client could use.
    ['an IPv6 address with a zone', () => ['--host', 'fe80::1%lo'],
      /^invalid --host "fe80::1%lo": an IPv6 address with a zone \(%lo\) cannot be in the endpoint's URL, which clients refuse; give another address of the interface$/],
    ['a host that does not resolve (review: an internal error)', () => ['--host', 'nosuch.invalid'], /^invalid --host "nosuch\.invalid": no such host \(E[A-Z_]+\)$/],
    ['an unreadable certificate', () => ['--trust-anchor-certificate', workspace.path('missing.pem')], /^invalid --trust-anchor-certificate .*missing\.pem: no such file or directory$/],
    ['a certificate file without a certificate', () => ['--trust-anchor-certificate', workspace.write('notcert.pem', 'hello')], /^invalid --trust-anchor-certificate .*notcert\.pem: it is neither PEM \(no "-----BEGIN" line\) nor DER$/],
    // Unlike --intermediates, where an empty file is no chain: a trust anchor without a certificate is a mistake.
    ['an empty certificate file', () => ['--trust-anchor-certificate', workspace.write('empty.pem', '')], /^invalid --trust-anchor-certificate .*empty\.pem: it is empty$/],
    ['a certificate file with a damaged PEM block', () => ['--trust-anchor-certificate', workspace.write('no-end.pem', ca.certificate.pem.replace(/-----END[^]*/, ''))],
      /^invalid --trust-anchor-certificate .*no-end\.pem: it holds a damaged PEM block \(no END line, or not base64\)$/],
    ['a certificate the emulator cannot read, though the helper can', () => ['--trust-anchor-certificate', workspace.write('octet-signature.der', octetStringSignature())],
      /^invalid --trust-anchor-certificate .*octet-signature\.der: not PEM-encoded X\.509 certificates$/],
    ['standard input as the certificate', () => ['--trust-anchor-certificate', '-'],
      /^invalid --trust-anchor-certificate -: it takes a file path, not standard input or a variable \(for a file of that name, write \.\/-\)$/],
    ['a variable as the CRL', () => ['--trust-anchor-certificate', workspace.path('root.pem'), '--crl', 'env:CRL'],
      /^invalid --crl env:CRL: it takes a file path, not standard input or a variable \(for a file of that name, write \.\/env:CRL\)$/],
    ['a CRL without the certificate', () => ['--crl', workspace.write('lonely.crl', 'x')], /^--crl needs the --trust-anchor-certificate whose CA signed it$/],
    ['a CRL file that is text', () => ['--trust-anchor-certificate', workspace.path('root.pem'), '--crl', workspace.write('garbage.crl', 'garbage\n')],
      /^invalid --crl .*garbage\.crl: it is neither PEM \(no "-----BEGIN" line\) nor DER$/],
    ['a CRL another CA signed', () => ['--trust-anchor-certificate', workspace.path('root.pem'), '--crl', workspace.path('foreign.crl')],
      /^invalid --crl .*foreign\.crl: the CRL of CN=[^:]+ is not signed by a certificate of the trust anchor$/],
    ['a config whose CRL another CA signed', () => ['--config', workspace.write('foreign-crl.json', '{"trustAnchors":[{"name":"first","certificates":"root.pem"},{"certificates":"root.pem","crls":["foreign.crl"]}]}')],
      /^invalid emulator config .*foreign-crl\.json: trustAnchors\[1\]\.crls\[0\] \(foreign\.crl\): the CRL of CN=[^:]+ is not signed by a certificate of the trust anchor$/],
    // As the roles file's: by line and column, the file not quoted (QA: JSON.parse's message quoted it).
    ['a config that is not JSON', () => ['--config', workspace.write('broken.json', '{\n  "trustAnchors": [ }')], /^invalid emulator config .*broken\.json: not valid JSON at line 2, column 21$/],
    ['a config on standard input', () => ['--config', '-'], /^invalid --config -: it takes a file path, not standard input or a variable \(for a file of that name, write \.\/-\)$/],
    ['a config whose certificate path is empty', () => ['--config', workspace.write('empty-path.json', '{"trustAnchors": [{"certificates": ""}]}')],
      /^invalid emulator config .*empty-path\.json: trustAnchors\[0\]\.certificates is empty: it must name a file$/],
    ['a config that gives a key twice in one object', () => ['--config', workspace.write('twice.json', '{"trustAnchors": [],\n "trustAnchors": []}')],
      /^invalid emulator config .*twice\.json: "trustAnchors" is given twice in one object, the second time at line 2, column 2$/],
    ['a config that starts with a byte order mark', () => ['--config', workspace.write('bom.json', '\ufeff{"trustAnchors": []}')],
      /^invalid emulator config .*bom\.json: not valid JSON: it starts with a byte order mark \(save it without one\)$/],
    // As the roles file's (QA: a UTF-16 file, as PowerShell 5 writes one, was said to be no JSON at line 1, column 1).
    ['a config in UTF-16', () => ['--config', workspace.write('utf16.json', Buffer.from('\ufeff{"trustAnchors": []}', 'utf16le'))],
      /^invalid emulator config .*utf16\.json: it is UTF-16 text \(save it as UTF-8\)$/],
    ['a config with a misspelt key', () => ['--config', workspace.write('typo.json', '{"profiles":[{"roleArn":[]}]}')],
      /^invalid emulator config .*typo\.json: unknown key profiles\[0\]\.roleArn \(did you mean roleArns\?\)$/],
    ['a config with a misspelt top-level key', () => ['--config', workspace.write('top-typo.json', '{"trustAnchor":[]}')],
      /^invalid emulator config .*top-typo\.json: unknown key trustAnchor \(did you mean trustAnchors\?\)$/],
    ['a config with a key it does not have', () => ['--config', workspace.write('unknown.json', '{"profiles":[{"policies":[]}]}')],
      /^invalid emulator config .*unknown\.json: unknown key profiles\[0\]\.policies \(expected one of name, roleArns, acceptRoleSessionName, durationSeconds, tags, attributeMappings\)$/],
    ["a config with the program's name for durationSeconds", () => ['--config', workspace.write('program-name.json', '{"profiles":[{"roleArns":[],"maxDurationSeconds":3600}]}')],
      /^invalid emulator config .*program-name\.json: unknown key profiles\[0\]\.maxDurationSeconds \(did you mean durationSeconds\?\)$/],
    ['a config with one role ARN instead of a list', () => ['--config', workspace.write('one-role.json', '{"profiles":[{"roleArns":"arn:aws:iam::123456789012:role/x"}]}')],
      /^invalid emulator config .*one-role\.json: profiles\[0\]\.roleArns must be a list$/],
    ['a config with a trust anchor name CreateTrustAnchor refuses', () => ['--config', workspace.write('anchor-name.json', '{"trustAnchors":[{"name":"ünï/../x","certificates":"root.pem"}]}')],
      /^invalid emulator config .*anchor-name\.json: trustAnchors\[0\]\.name must match \^\[ a-zA-Z0-9-_\]\*\$$/],
    ['a config with a profile name of 100,000 characters', () => ['--config', workspace.write('profile-name.json', `{"profiles":[{"name":"${'a'.repeat(100_000)}","roleArns":[]}]}`)],
      /^invalid emulator config .*profile-name\.json: profiles\[0\]\.name must be at most 255 characters$/],
    ['a config with a wrong value', () => ['--config', workspace.write('value.json', '{"profiles":[{"roleArns":["arn:aws:iam::123456789012:role/x"],"durationSeconds":60}]}')],
      /^invalid emulator config .*value\.json: profiles\[0\]\.durationSeconds must be an integer from 900 to 43200$/],
    // Tags, notification settings and attribute mappings, refused as the management API refuses them, or as a key of the file.
    ['a config with a tag key CreateProfile refuses', () => ['--config', workspace.write('tag-key.json', '{"profiles":[{"roleArns":[],"tags":[{"key":"bad!","value":""}]}]}')],
      /^invalid emulator config .*tag-key\.json: profiles\[0\]\.tags\[0\]\.key must match \^\[ a-zA-Z0-9_\.:\/=\+@-\]\*\$$/],
    ['a config with 201 tags', () => ['--config', workspace.write('tags-201.json', JSON.stringify({ trustAnchors: [{ certificates: 'root.pem', tags: Array.from({ length: 201 }, (_, i) => ({ key: `k${i}`, value: '' })) }] }))],
      /^invalid emulator config .*tags-201\.json: trustAnchors\[0\]\.tags may hold at most 200 items$/],
    ["a config with a tag in CloudFormation's spelling", () => ['--config', workspace.write('tag-case.json', '{"trustAnchors":[{"certificates":"root.pem","tags":[{"Key":"team","Value":"x"}]}]}')],
      /^invalid emulator config .*tag-case\.json: unknown key trustAnchors\[0\]\.tags\[0\]\.Key \(did you mean key\?\)$/],
    ['a config with a tag key given twice', () => ['--config', workspace.write('tag-twice.json', '{"profiles":[{"roleArns":[],"tags":[{"key":"team","value":"a"},{"key":"team","value":"b"}]}]}')],
      /^invalid emulator config .*tag-twice\.json: profiles\[0\]\.tags\[1\]\.key repeats profiles\[0\]\.tags\[0\]'s: give each key once$/],
    ['a config with a notification event there is not', () => ['--config', workspace.write('event.json', '{"trustAnchors":[{"certificates":"root.pem","notificationSettings":[{"enabled":true,"event":"CRL_EXPIRY"}]}]}')],
      /^invalid emulator config .*event\.json: trustAnchors\[0\]\.notificationSettings\[0\]\.event must be one of CA_CERTIFICATE_EXPIRY, END_ENTITY_CERTIFICATE_EXPIRY$/],
    ['a config with a notification threshold past 360 days', () => ['--config', workspace.write('threshold.json', '{"trustAnchors":[{"certificates":"root.pem","notificationSettings":[{"enabled":true,"event":"CA_CERTIFICATE_EXPIRY","threshold":400}]}]}')],
      /^invalid emulator config .*threshold\.json: trustAnchors\[0\]\.notificationSettings\[0\]\.threshold must be an integer from 1 to 360$/],
    ['a config with a notification setting as a string', () => ['--config', workspace.write('enabled.json', '{"trustAnchors":[{"certificates":"root.pem","notificationSettings":[{"enabled":"yes","event":"CA_CERTIFICATE_EXPIRY"}]}]}')],
      /^invalid emulator config .*enabled\.json: trustAnchors\[0\]\.notificationSettings\[0\]\.enabled must be true or false$/],
    ['a config with a certificate field there is not', () => ['--config', workspace.write('field.json', '{"profiles":[{"roleArns":[],"attributeMappings":[{"certificateField":"subject","mappingRules":[]}]}]}')],
      /^invalid emulator config .*field\.json: profiles\[0\]\.attributeMappings\[0\]\.certificateField must be one of x509Subject, x509Issuer, x509SAN$/],
    ['a config with a specifier longer than PutAttributeMapping takes', () => ['--config', workspace.write('specifier.json', JSON.stringify({ profiles: [{ roleArns: [], attributeMappings: [{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'x'.repeat(61) }] }] }] }))],
      /^invalid emulator config .*specifier\.json: profiles\[0\]\.attributeMappings\[0\]\.mappingRules\[0\]\.specifier must be at most 60 characters$/],
    ['a config with a mapping without its rules', () => ['--config', workspace.write('no-rules.json', '{"profiles":[{"roleArns":[],"attributeMappings":[{"certificateField":"x509Subject"}]}]}')],
      /^invalid emulator config .*no-rules\.json: profiles\[0\]\.attributeMappings\[0\]\.mappingRules is required and must be a list$/],
    ['a config with a certificate field given twice', () => ['--config', workspace.write('field-twice.json', JSON.stringify({ profiles: [{ roleArns: [], attributeMappings: [
      { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }, { certificateField: 'x509Subject', mappingRules: [] }] }] }))],
      /^invalid emulator config .*field-twice\.json: profiles\[0\]\.attributeMappings\[1\]\.certificateField repeats profiles\[0\]\.attributeMappings\[0\]'s: give each certificateField once$/],
    ['a config with attribute mappings on a trust anchor', () => ['--config', workspace.write('anchor-mapping.json', '{"trustAnchors":[{"certificates":"root.pem","attributeMappings":[]}]}')],
      /^invalid emulator config .*anchor-mapping\.json: unknown key trustAnchors\[0\]\.attributeMappings \(expected one of name, certificates, crls, tags, notificationSettings\)$/],
    ['a config naming a missing certificate', () => ['--config', workspace.write('missing.json', '{"trustAnchors":[{"certificates":"gone.pem"}]}')],
      /^invalid emulator config (.*)\/missing\.json: trustAnchors\[0\]\.certificates \(gone\.pem, relative to the config's folder \1\): no such file or directory$/],
    ['a config naming a key file as the certificates', () => ['--config', workspace.write('key-as-anchor.json', '{"trustAnchors":[{"certificates":"anchor-key.pem"}]}')],
      /^invalid emulator config .*key-as-anchor\.json: trustAnchors\[0\]\.certificates \(anchor-key\.pem\): it holds a PRIVATE KEY block$/],
    ['a config naming a certificate as a CRL', () => ['--config', workspace.write('cert-as-crl.json', '{"trustAnchors":[{"certificates":"root.pem","crls":["root.pem"]}]}')],
      /^invalid emulator config .*cert-as-crl\.json: trustAnchors\[0\]\.crls\[0\] \(root\.pem\): no X509 CRL block found$/],
    ['a bad region', () => ['--region', 'mars'], /^invalid --region mars: not a Region such as eu-west-1$/],
    // It was taken for the default, us-east-1, and the ARNs printed in another Region than asked.
    ['an empty region', () => ['--region', ''], /^invalid --region "": not a Region such as eu-west-1$/],
    ['a config with an external ID no AssumeRole can send', () => ['--config', workspace.write('external-id.json', '{"assumableRoles":[{"roleArn":"arn:aws:iam::123456789012:role/r","externalId":"has space"}]}')],
      /^invalid emulator config .*external-id\.json: assumableRoles\[0\]\.externalId must be an external ID as STS takes one: 2 to 1224 characters of \[\\w\+=,\.@:\/-\]$/],
    ['a config with a bad region', () => ['--config', workspace.write('region.json', '{"region":"mars"}')], /^invalid emulator config .*region\.json: region must be a Region such as eu-west-1$/],
    ['a port out of range', () => ['--port', '-1'], /^invalid --port -1: it must be between 0 and 65535$/],
    // As a config's empty path, and serve's --roles-file "": a variable left unset started an empty emulator (QA emu).
    ['an empty --config', () => ['--config', ''], /^invalid --config "": it names no file \(leave it out if there is none\)$/],
    ['an empty --trust-anchor-certificate', () => ['--trust-anchor-certificate', ''], /^invalid --trust-anchor-certificate "": it names no file \(leave it out if there is none\)$/],
    ['an empty --crl', () => ['--trust-anchor-certificate', workspace.path('root.pem'), '--crl', ''], /^invalid --crl "": it names no file \(leave it out if there is none\)$/],
  ])('%s', async (_name, args, message) => {
    const result = await runCli(['emulator', ...args()]);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(message);
  });

  it("a config's relative path that names no file: said to be read from the config's folder when that is not the current one (QA: ca.pem beside the command seemed not found)", async () => {
    mkdirSync(workspace.path('configs'), { recursive: true });
    writeFileSync(workspace.path('configs/relative.json'), '{"trustAnchors":[{"certificates":"root.pem"}]}');
    // root.pem is in the current folder, not the config's.
    expectFailure(
      await runCli(['emulator', '--config', 'configs/relative.json'], { cwd: workspace.dir }),
      "invalid emulator config configs/relative.json: trustAnchors[0].certificates (root.pem, relative to the config's folder configs): no such file or directory",
    );
    // From the config's folder, the path is where the user looks.
    expectFailure(
      await runCli(['emulator', '--config', 'relative.json'], { cwd: workspace.path('configs') }),
      'invalid emulator config relative.json: trustAnchors[0].certificates (root.pem): no such file or directory',
    );
    // An absolute path is where the user looks wherever the config is (mutation testing: said relative to its folder).
    const absolute = workspace.path('configs/gone.pem');
    writeFileSync(workspace.path('configs/absolute.json'), JSON.stringify({ trustAnchors: [{ certificates: absolute }] }));
    expectFailure(
      await runCli(['emulator', '--config', 'configs/absolute.json'], { cwd: workspace.dir }),
      `invalid emulator config configs/absolute.json: trustAnchors[0].certificates (${absolute}): no such file or directory`,
    );
  });

  it('names a port in use in one line', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      expectFailure(await runCli(['emulator', '--port', String(port)]), `failed to listen on 127.0.0.1:${port}: address already in use`);
    } finally {
      taken.close();
    }
  });

  // Root may take any port: another user is refused one below 1024.
  it.runIf(process.getuid?.() === 0)('names a port it may not take in one line (QA: it was an internal error)', async () => {
    const home = { HOME: tmpdir(), ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' };
    const result = await runCli(['emulator', '--port', '80'], { env: home, via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
    expectFailure(result, 'failed to listen on 127.0.0.1:80: permission denied (a port below 1024 needs privileges)');
  });

  it('--config together with --trust-anchor-certificate', async () => {
    const result = await runCli(['emulator', '--config', 'a.json', '--trust-anchor-certificate', 'b.pem']);
    expectFailure(result, /^if any flags in the group \[config trust-anchor-certificate\] are set none of the others can be/);
    // Nor a --crl, which belongs to the command line's one trust anchor (mutation testing: said to need --trust-anchor-certificate, which --config excludes).
    expectFailure(await runCli(['emulator', '--config', 'a.json', '--crl', 'b.crl']), /^if any flags in the group \[config crl\] are set none of the others can be; \[config crl\] were all set/);
  });

  it('--help documents the output, the routes and the config file', async () => {
    const result = await runCli(['emulator', '--help']);
    expect(result.code).toBe(0);
    for (const text of ['"endpoint":"http://127.0.0.1:PORT"', 'CreateSession (POST /sessions)', 'STS GetCallerIdentity and AssumeRole', 'ImportCrl', '--config FILE', '"assumableRoles"', '"attributeMappings"', 'SIGINT, SIGTERM or SIGHUP']) {
      expect(result.stdout).toContain(text);
    }
  });
});
