import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/emulator.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { pkcs8Pem } from '../../../../src/emulator/pki/generateKey.js';
import { boto3HasOperations, boto3RolesAnywhere } from '../../../support/boto3RolesAnywhere.js';
import { errorLine, runCli } from '../../../support/cli.js';
import { Workspace, type LeafFiles } from '../../../support/scenario.js';

const REGION = 'eu-west-1';
const ROLE = 'arn:aws:iam::111122223333:role/workload';
const DEFAULT_MAPPINGS = [
  { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
  { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
  { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
];

let emulator: RunningEmulator;
let ca: CertificateAuthority;
let workspace: Workspace;

beforeAll(async () => {
  workspace = new Workspace();
  ca = await CertificateAuthority.create({ subject: 'CN=Mapping Root,O=Example CA' });
  emulator = await startEmulator({
    accountId: '111122223333',
    region: REGION,
    trustAnchors: [{ name: 'root', certificates: ca.certificate.pem }],
    profiles: [{ name: 'mapped', roleArns: [ROLE] }, { name: 'untouched', roleArns: [ROLE] }],
  });
});
afterAll(async () => {
  await emulator.close();
  workspace.cleanup();
});

async function leaf(name: string, subject: string): Promise<LeafFiles> {
  const certificate = await ca.issue({
    subject,
    subjectAltNames: { dns: ['first.example', 'second.example'], uri: ['spiffe://example/workload'], directoryName: ['CN=directory,O=Directory Org'] },
  });
  return { certificate, certPath: workspace.write(`${name}.pem`, certificate.pem), keyPath: workspace.write(`${name}-key.pem`, pkcs8Pem(certificate.key!)) };
}

const idOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const profile = (name: string) => emulator.profiles.find((candidate) => candidate.name === name)!;

/** credential-process through a profile: the session tags the emulator issued, or the CLI's error line. */
async function sessionTags(files: LeafFiles, profileName: string) {
  const result = await runCli([
    'credential-process', '--certificate', files.certPath, '--private-key', files.keyPath, '--trust-anchor-arn', emulator.trustAnchors[0]!.arn,
    '--profile-arn', profile(profileName).arn, '--role-arn', ROLE, '--endpoint', emulator.url,
  ]);
  if (result.code !== 0) return errorLine(result);
  return emulator.issued.at(-1)!.sessionTags.map(({ key, value }) => `${key}=${value}`);
}

async function call(operation: string, params: object) {
  const [answer] = await boto3RolesAnywhere(emulator.url, REGION, [[operation, params]]);
  if (!answer || !('answer' in answer)) return expect.unreachable(`${operation} was refused: ${JSON.stringify(answer)}`);
  return (answer.answer as { profile: { attributeMappings: unknown } }).profile.attributeMappings;
}

describe.runIf(boto3HasOperations('PutAttributeMapping', 'DeleteAttributeMapping'))('PutAttributeMapping and DeleteAttributeMapping with boto3', () => {
  it("change a profile's mapping, and CreateSession's session tags (credential-process) follow it; other profiles keep theirs", async () => {
    const files = await leaf('workload', 'CN=workload,OU=team-a,OU=team-b,O=Example');
    const profileId = idOf(profile('mapped').arn);
    const everything = [
      'x509Subject/CN=workload', 'x509Subject/OU=team-a/team-b', 'x509Subject/O=Example', 'x509Issuer/CN=Mapping Root', 'x509Issuer/O=Example CA',
      'x509SAN/DNS=first.example', 'x509SAN/URI=spiffe://example/workload', 'x509SAN/Name/CN=directory', 'x509SAN/Name/O=Directory Org',
    ];
    expect(await sessionTags(files, 'mapped')).toEqual(everything);

    expect(await call('put_attribute_mapping', { profileId, certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }, { specifier: 'CN' }] })).toEqual([
      DEFAULT_MAPPINGS[0], DEFAULT_MAPPINGS[1], { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] },
    ]);
    expect(await sessionTags(files, 'mapped')).toEqual(everything.filter((tag) => tag !== 'x509Subject/O=Example'));

    await call('put_attribute_mapping', { profileId, certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'Name/O' }, { specifier: 'IP' }] });
    expect(await call('delete_attribute_mapping', { profileId, certificateField: 'x509Issuer' })).toEqual([
      { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'Name/O' }, { specifier: 'IP' }] },
      { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] },
    ]);
    expect(await sessionTags(files, 'mapped')).toEqual(['x509Subject/CN=workload', 'x509Subject/OU=team-a/team-b', 'x509SAN/DNS=first.example', 'x509SAN/Name/O=Directory Org']);

    // Specifiers remove those rules of the field (one it has not is passed over); the field goes with its last rule.
    expect(await call('delete_attribute_mapping', { profileId, certificateField: 'x509Subject', specifiers: ['OU', 'UID'] })).toEqual([
      { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'Name/O' }, { specifier: 'IP' }] },
      { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] },
    ]);
    await call('delete_attribute_mapping', { profileId, certificateField: 'x509SAN', specifiers: ['DNS', 'Name/O', 'IP'] });
    // A field mapped again comes last; GetProfile reports what the operations answered.
    const mappings = await call('put_attribute_mapping', { profileId, certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] });
    expect(mappings).toEqual([{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }, DEFAULT_MAPPINGS[0]]);
    expect(await call('get_profile', { profileId })).toEqual(mappings);
    expect(await sessionTags(files, 'mapped')).toEqual(['x509Subject/CN=workload', 'x509Issuer/CN=Mapping Root', 'x509Issuer/O=Example CA']);

    expect(await call('get_profile', { profileId: idOf(profile('untouched').arn) })).toEqual(DEFAULT_MAPPINGS);
    expect(await sessionTags(files, 'untouched')).toEqual(everything);
  });

  it('lets through a certificate whose attribute STS would refuse as a tag once the mapping leaves that attribute out', async () => {
    const files = await leaf('parenthesised', 'CN=builder,OU=build (ci),O=Builders');
    const profileId = (await boto3RolesAnywhere(emulator.url, REGION, [['create_profile', { name: 'strict', roleArns: [ROLE], enabled: true }]]))
      .map((answer) => ('answer' in answer ? (answer.answer as { profile: { profileId: string } }).profile.profileId : ''))[0]!;
    const through = async () => {
      const result = await runCli([
        'credential-process', '--certificate', files.certPath, '--private-key', files.keyPath, '--trust-anchor-arn', emulator.trustAnchors[0]!.arn,
        '--profile-arn', `arn:aws:rolesanywhere:${REGION}:111122223333:profile/${profileId}`, '--role-arn', ROLE, '--endpoint', emulator.url,
      ]);
      return result.code === 0 ? emulator.issued.at(-1)!.sessionTags.filter(({ key }) => key.startsWith('x509Subject')) : errorLine(result);
    };
    expect(await through()).toMatch(/Some attributes failed to be mapped into session tags: the value of x509Subject\/OU, "build \(ci\)", has characters a tag value cannot have$/);
    await call('put_attribute_mapping', { profileId, certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'O' }] });
    expect(await through()).toEqual([{ key: 'x509Subject/CN', value: 'builder' }, { key: 'x509Subject/O', value: 'Builders' }]);
  });

  it('refuses a profile the emulator does not hold (ResourceNotFoundException, 404) and what the model does not allow (ValidationException), changing nothing', async () => {
    const profileId = idOf(profile('untouched').arn);
    const missing = '00000000-0000-0000-0000-000000000000';
    expect(await boto3RolesAnywhere(emulator.url, REGION, [
      ['put_attribute_mapping', { profileId: missing, certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }],
      ['delete_attribute_mapping', { profileId: missing, certificateField: 'x509Subject' }],
      ['put_attribute_mapping', { profileId, certificateField: 'subject', mappingRules: [{ specifier: 'CN' }] }],
      ['put_attribute_mapping', { profileId, certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'x'.repeat(61) }] }],
      ['delete_attribute_mapping', { profileId, certificateField: 'x509san' }],
    ])).toEqual([
      { error: { code: 'ResourceNotFoundException', status: 404, message: `Profile ${missing} not found` } },
      { error: { code: 'ResourceNotFoundException', status: 404, message: `Profile ${missing} not found` } },
      { error: { code: 'ValidationException', status: 400, message: 'certificateField must be one of x509Subject, x509Issuer, x509SAN' } },
      { error: { code: 'ValidationException', status: 400, message: 'mappingRules[1].specifier must be at most 60 characters' } },
      { error: { code: 'ValidationException', status: 400, message: 'certificateField must be one of x509Subject, x509Issuer, x509SAN' } },
    ]);
    // What botocore checks before sending, sent as another client might.
    const send = (method: string, path: string, body?: object) =>
      fetch(`${emulator.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) })
        .then(async (response) => [response.status, response.headers.get('x-amzn-errortype'), await response.json()]);
    expect(await send('PUT', '/profiles/nope/mappings', { certificateField: 'x509Subject', mappingRules: [] })).toEqual([
      400, 'ValidationException', { message: 'profileId must be a 36-character ID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' },
    ]);
    expect(await send('PUT', `/profiles/${profileId}/mappings`, { certificateField: 'x509Subject' })).toEqual([
      400, 'ValidationException', { message: 'mappingRules is required and must be a list' },
    ]);
    expect(await send('PUT', `/profiles/${profileId}/mappings`, { certificateField: 'x509Subject', mappingRules: [{}] })).toEqual([
      400, 'ValidationException', { message: 'mappingRules[0].specifier is required and must be a string' },
    ]);
    expect(await send('DELETE', `/profiles/${profileId}/mappings`)).toEqual([400, 'ValidationException', { message: 'certificateField is required and must be a string' }]);
    expect(await call('get_profile', { profileId })).toEqual(DEFAULT_MAPPINGS);
  });
});
