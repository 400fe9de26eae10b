import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { pkcs8Pem } from '../../../src/emulator/pki/generateKey.js';
import { boto3HasOperations, boto3RolesAnywhere } from '../../support/boto3RolesAnywhere.js';
import { errorLine, runCli } from '../../support/cli.js';
import { setupRefusal } from '../../support/setupRefusal.js';
import { Workspace } from '../../support/scenario.js';

// Tags, notification settings and attribute mappings given at start-up: taken as the management API takes
// them (CreateTrustAnchor, CreateProfile, PutNotificationSettings, PutAttributeMapping), refused where it
// refuses them.

const REGION = 'eu-west-1';
const ROLE = 'arn:aws:iam::111122223333:role/workload';
const TAG_PATTERN = '^[ a-zA-Z0-9_.:/=+@-]*$';

let ca: CertificateAuthority;
let workspace: Workspace;
/** An emulator of no resources, whose management API the refusals are compared with. */
let api: RunningEmulator;
const started: RunningEmulator[] = [];

beforeAll(async () => {
  workspace = new Workspace();
  ca = await CertificateAuthority.create({ subject: 'CN=Startup Root,O=Example CA' });
  api = await startEmulator({ accountId: '111122223333', region: REGION });
  started.push(api);
});
afterAll(async () => {
  await Promise.all(started.map((emulator) => emulator.close()));
  workspace.cleanup();
});

async function start(options: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = await startEmulator({ accountId: '111122223333', region: REGION, ...options });
  started.push(emulator);
  return emulator;
}

/** The management API's answer to a request: its status, error type and message. */
async function apiAnswer(method: string, path: string, body: object): Promise<[number, string | null, string]> {
  const response = await fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return [response.status, response.headers.get('x-amzn-errortype'), ((await response.json()) as { message: string }).message];
}

const anchor = (fields: object) => ({ trustAnchors: [{ name: 'root', certificates: ca.certificate.pem, ...fields }] });
const profile = (fields: object) => ({ profiles: [{ name: 'workload', roleArns: [ROLE], ...fields }] });
const createTrustAnchor = (fields: object) =>
  apiAnswer('POST', '/trustanchors', { name: 'root', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.certificate.pem } }, ...fields });
const createProfile = (fields: object) => apiAnswer('POST', '/profiles', { name: 'workload', roleArns: [ROLE], ...fields });
/** PutAttributeMapping of a profile made for it. */
async function putAttributeMapping(mapping: object) {
  const response = await fetch(`${api.url}/profiles`, { method: 'POST', body: JSON.stringify({ name: 'mapped', roleArns: [ROLE] }) });
  const { profile: made } = (await response.json()) as { profile: { profileId: string } };
  return apiAnswer('PUT', `/profiles/${made.profileId}/mappings`, mapping);
}

describe('startEmulator starts trust anchors and profiles with tags, notification settings and attribute mappings', () => {
  it.runIf(boto3HasOperations('ListTagsForResource', 'PutAttributeMapping', 'PutNotificationSettings'))(
    'as boto3 reads them back: tags as listed, the settings of the events given in place of the defaults, each mapping as PutAttributeMapping puts it',
    async () => {
      const emulator = await start({
        trustAnchors: [{
          name: 'root', certificates: ca.certificate.pem, tags: [{ key: 'team', value: 'platform' }, { key: 'Team', value: '' }],
          notificationSettings: [{ enabled: false, event: 'END_ENTITY_CERTIFICATE_EXPIRY' }, { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30, channel: 'ALL' }],
        }],
        profiles: [
          { name: 'mapped', roleArns: [ROLE], tags: [{ key: 'env', value: 'ci' }], attributeMappings: [
            { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] },
            { certificateField: 'x509SAN', mappingRules: [] },
          ] },
          { name: 'default', roleArns: [ROLE] },
        ],
      });
      const [root] = emulator.trustAnchors;
      const [mapped, plain] = emulator.profiles;
      const idOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
      const answers = await boto3RolesAnywhere(emulator.url, REGION, [
        ['list_tags_for_resource', { resourceArn: root!.arn }],
        ['list_tags_for_resource', { resourceArn: mapped!.arn }],
        ['list_tags_for_resource', { resourceArn: plain!.arn }],
        ['get_trust_anchor', { trustAnchorId: idOf(root!.arn) }],
        ['get_profile', { profileId: idOf(mapped!.arn) }],
        ['get_profile', { profileId: idOf(plain!.arn) }],
      ]);
      const [anchorTags, profileTags, noTags, gotAnchor, gotMapped, gotPlain] = answers.map((answer) => ('answer' in answer ? answer.answer : answer));
      expect([anchorTags, profileTags, noTags]).toEqual([
        { tags: [{ key: 'team', value: 'platform' }, { key: 'Team', value: '' }] }, { tags: [{ key: 'env', value: 'ci' }] }, { tags: [] },
      ]);
      expect(gotAnchor).toMatchObject({ trustAnchor: { notificationSettings: [
        { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30, channel: 'ALL', configuredBy: '111122223333' },
        { enabled: false, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: '111122223333' },
      ] } });
      const issuer = { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] };
      expect(gotMapped).toMatchObject({ profile: { attributeMappings: [
        issuer, { certificateField: 'x509SAN', mappingRules: [] }, { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'OU' }] },
      ] } });
      expect(gotPlain).toMatchObject({ profile: { attributeMappings: [
        issuer,
        { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
        { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
      ] } });
    },
  );

  it("makes CreateSession's session tags (credential-process) by a profile's start-up mapping; another profile keeps the default", async () => {
    const emulator = await start({
      ...anchor({}),
      profiles: [
        { name: 'mapped', roleArns: [ROLE], attributeMappings: [{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }, { certificateField: 'x509Issuer', mappingRules: [] }] },
        { name: 'default', roleArns: [ROLE] },
      ],
    });
    const certificate = await ca.issue({ subject: 'CN=builder,OU=build (ci),O=Builders', subjectAltNames: { dns: ['builder.example'] } });
    const files = { certPath: workspace.write('builder.pem', certificate.pem), keyPath: workspace.write('builder-key.pem', pkcs8Pem(certificate.key!)) };
    const through = async (profileArn: string) => {
      const result = await runCli([
        'credential-process', '--certificate', files.certPath, '--private-key', files.keyPath, '--trust-anchor-arn', emulator.trustAnchors[0]!.arn,
        '--profile-arn', profileArn, '--role-arn', ROLE, '--endpoint', emulator.url,
      ]);
      return result.code === 0 ? emulator.issued.at(-1)!.sessionTags : errorLine(result);
    };
    expect(await through(emulator.profiles[0]!.arn)).toEqual([{ key: 'x509Subject/CN', value: 'builder' }, { key: 'x509SAN/DNS', value: 'builder.example' }]);
    expect(await through(emulator.profiles[1]!.arn)).toMatch(/Some attributes failed to be mapped into session tags: the value of x509Subject\/OU, "build \(ci\)", has characters a tag value cannot have$/);
  });
});

describe('startEmulator refuses what the management API refuses, naming the key', () => {
  const tags201 = Array.from({ length: 201 }, (_, i) => ({ key: `k${i}`, value: '' }));
  const settings51 = Array.from({ length: 51 }, () => ({ enabled: true, event: 'CA_CERTIFICATE_EXPIRY' }));
  it.each<[string, () => unknown, string, () => Promise<[number, string | null, string]>, string]>([
    ['a tag key CreateTrustAnchor refuses', () => anchor({ tags: [{ key: 'bad!key', value: 'x' }] }), `trustAnchors[0].tags[0].key must match ${TAG_PATTERN}`,
      () => createTrustAnchor({ tags: [{ key: 'bad!key', value: 'x' }] }), `tags[0].key must match ${TAG_PATTERN}`],
    ['an empty tag key', () => profile({ tags: [{ key: '', value: 'x' }] }), 'profiles[0].tags[0].key must be at least 1 characters',
      () => createProfile({ tags: [{ key: '', value: 'x' }] }), 'tags[0].key must be at least 1 characters'],
    ['a tag key of 129 characters', () => profile({ tags: [{ key: 'k'.repeat(129), value: 'x' }] }), 'profiles[0].tags[0].key must be at most 128 characters',
      () => createProfile({ tags: [{ key: 'k'.repeat(129), value: 'x' }] }), 'tags[0].key must be at most 128 characters'],
    ['a tag value of 257 characters', () => anchor({ tags: [{ key: 'k', value: 'v'.repeat(257) }] }), 'trustAnchors[0].tags[0].value must be at most 256 characters',
      () => createTrustAnchor({ tags: [{ key: 'k', value: 'v'.repeat(257) }] }), 'tags[0].value must be at most 256 characters'],
    ['a tag value CreateProfile refuses', () => profile({ tags: [{ key: 'k', value: 'a,b' }] }), `profiles[0].tags[0].value must match ${TAG_PATTERN}`,
      () => createProfile({ tags: [{ key: 'k', value: 'a,b' }] }), `tags[0].value must match ${TAG_PATTERN}`],
    ['a tag without its value', () => profile({ tags: [{ key: 'k' }] }), 'profiles[0].tags[0].value is required and must be a string',
      () => createProfile({ tags: [{ key: 'k' }] }), 'tags[0].value is required and must be a string'],
    ['201 tags', () => profile({ tags: tags201 }), 'profiles[0].tags may hold at most 200 items', () => createProfile({ tags: tags201 }), 'tags may hold at most 200 items'],
    ['tags as a map', () => anchor({ tags: { team: 'platform' } }), 'trustAnchors[0].tags must be a list',
      () => createTrustAnchor({ tags: { team: 'platform' } }), 'tags must be a list'],
    ['an event there is not', () => anchor({ notificationSettings: [{ enabled: true, event: 'CRL_EXPIRY' }] }),
      'trustAnchors[0].notificationSettings[0].event must be one of CA_CERTIFICATE_EXPIRY, END_ENTITY_CERTIFICATE_EXPIRY',
      () => createTrustAnchor({ notificationSettings: [{ enabled: true, event: 'CRL_EXPIRY' }] }),
      'notificationSettings[0].event must be one of CA_CERTIFICATE_EXPIRY, END_ENTITY_CERTIFICATE_EXPIRY'],
    ['a threshold of 0 days', () => anchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 0 }] }),
      'trustAnchors[0].notificationSettings[0].threshold must be an integer from 1 to 360',
      () => createTrustAnchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 0 }] }),
      'notificationSettings[0].threshold must be an integer from 1 to 360'],
    ['a threshold of 361 days', () => anchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 361 }] }),
      'trustAnchors[0].notificationSettings[0].threshold must be an integer from 1 to 360',
      () => createTrustAnchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 361 }] }),
      'notificationSettings[0].threshold must be an integer from 1 to 360'],
    ['a setting that does not say whether it is enabled', () => anchor({ notificationSettings: [{ event: 'CA_CERTIFICATE_EXPIRY' }] }),
      'trustAnchors[0].notificationSettings[0].enabled is required and must be true or false',
      () => createTrustAnchor({ notificationSettings: [{ event: 'CA_CERTIFICATE_EXPIRY' }] }), 'notificationSettings[0].enabled is required and must be a boolean'],
    ['a channel there is not', () => anchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', channel: 'EMAIL' }] }),
      'trustAnchors[0].notificationSettings[0].channel must be one of ALL',
      () => createTrustAnchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', channel: 'EMAIL' }] }),
      'notificationSettings[0].channel must be one of ALL'],
    ['51 notification settings', () => anchor({ notificationSettings: settings51 }), 'trustAnchors[0].notificationSettings may hold at most 50 items',
      () => createTrustAnchor({ notificationSettings: settings51 }), 'notificationSettings may hold at most 50 items'],
    ['a certificate field there is not', () => profile({ attributeMappings: [{ certificateField: 'x509Extension', mappingRules: [{ specifier: 'CN' }] }] }),
      'profiles[0].attributeMappings[0].certificateField must be one of x509Subject, x509Issuer, x509SAN',
      () => putAttributeMapping({ certificateField: 'x509Extension', mappingRules: [{ specifier: 'CN' }] }), 'certificateField must be one of x509Subject, x509Issuer, x509SAN'],
    ['a specifier of 61 characters', () => profile({ attributeMappings: [{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'x'.repeat(61) }] }] }),
      'profiles[0].attributeMappings[0].mappingRules[1].specifier must be at most 60 characters',
      () => putAttributeMapping({ certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }, { specifier: 'x'.repeat(61) }] }),
      'mappingRules[1].specifier must be at most 60 characters'],
    ['a mapping without its rules', () => profile({ attributeMappings: [{ certificateField: 'x509Subject' }] }),
      'profiles[0].attributeMappings[0].mappingRules is required and must be a list',
      () => putAttributeMapping({ certificateField: 'x509Subject' }), 'mappingRules is required and must be a list'],
    ['a rule that is a bare specifier', () => profile({ attributeMappings: [{ certificateField: 'x509Subject', mappingRules: ['CN'] }] }),
      'profiles[0].attributeMappings[0].mappingRules[0] must be an object',
      () => putAttributeMapping({ certificateField: 'x509Subject', mappingRules: ['CN'] }), 'mappingRules[0] must be an object'],
  ])('%s', async (_name, options, message, byApi, apiMessage) => {
    const error = await setupRefusal({ accountId: '111122223333', region: REGION, ...(options() as object) });
    expect(error.message).toBe(message);
    expect(await byApi()).toEqual([400, 'ValidationException', apiMessage]);
  });
});

describe('startEmulator refuses, naming the key, what would be dropped without a word', () => {
  it.each<[string, () => unknown, string]>([
    // CloudFormation's spelling, whose Value the API would not read.
    ['a tag key misspelt', () => anchor({ tags: [{ Key: 'team', Value: 'x' }] }), 'unknown key trustAnchors[0].tags[0].Key (did you mean key?)'],
    ['a setting key misspelt', () => anchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', thresholdDays: 30 }] }),
      'unknown key trustAnchors[0].notificationSettings[0].thresholdDays (did you mean threshold?)'],
    ["DeleteAttributeMapping's specifiers in a mapping", () => profile({ attributeMappings: [{ certificateField: 'x509Subject', specifiers: ['CN'] }] }),
      'unknown key profiles[0].attributeMappings[0].specifiers (expected one of certificateField, mappingRules)'],
    ['a mapping on a trust anchor', () => anchor({ attributeMappings: [] }),
      'unknown key trustAnchors[0].attributeMappings (expected one of arn, name, certificates, crls, enabled, tags, notificationSettings)'],
    ['a tag key given twice', () => profile({ tags: [{ key: 'team', value: 'a' }, { key: 'env', value: 'b' }, { key: 'team', value: 'c' }] }),
      "profiles[0].tags[2].key repeats profiles[0].tags[0]'s: give each key once"],
    ['an event given twice', () => anchor({ notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY' }, { enabled: false, event: 'CA_CERTIFICATE_EXPIRY' }] }),
      "trustAnchors[0].notificationSettings[1].event repeats trustAnchors[0].notificationSettings[0]'s: give each event once"],
    ['a certificate field given twice', () => profile({ attributeMappings: [
      { certificateField: 'x509Subject', mappingRules: [{ specifier: 'CN' }] }, { certificateField: 'x509Subject', mappingRules: [{ specifier: 'OU' }] }] }),
    "profiles[0].attributeMappings[1].certificateField repeats profiles[0].attributeMappings[0]'s: give each certificateField once"],
  ])('%s', async (_name, options, message) => {
    expect((await setupRefusal(options())).message).toBe(message);
  });
});
