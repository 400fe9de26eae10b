import {
  CreateProfileCommand,
  CreateTrustAnchorCommand,
  DeleteCrlCommand,
  DeleteProfileCommand,
  DeleteTrustAnchorCommand,
  ImportCrlCommand,
  ListTagsForResourceCommand,
  RolesAnywhereClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateProfileCommand,
} from '@aws-sdk/client-rolesanywhere';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/emulator.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { rolesAnywhereRefusal } from '../../../support/rolesAnywhereRefusal.js';

const ROLE = 'arn:aws:iam::111122223333:role/workload';

let emulator: RunningEmulator;
let client: RolesAnywhereClient;
let ca: CertificateAuthority;

beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Tagged Root' });
  emulator = await startEmulator({
    accountId: '111122223333',
    region: 'eu-west-1',
    trustAnchors: [{ name: 'configured', certificates: ca.certificate.pem }],
    profiles: [{ name: 'configured', roleArns: [ROLE] }],
  });
  client = new RolesAnywhereClient({ region: 'eu-west-1', endpoint: emulator.url, credentials: { accessKeyId: 'AKIDSETUP', secretAccessKey: 'setup' }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

const source = () => ({ sourceType: 'CERTIFICATE_BUNDLE' as const, sourceData: { x509CertificateData: ca.certificate.pem } });
const tagsOf = async (resourceArn: string) => (await client.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

describe('TagResource, UntagResource and ListTagsForResource with @aws-sdk/client-rolesanywhere', () => {
  it('lists the tags each Create gave, as Terraform reads them back after creating the resource', async () => {
    const tags = [{ key: 'team', value: 'platform' }, { key: 'cost-center', value: '' }];
    const { trustAnchor } = await client.send(new CreateTrustAnchorCommand({ name: 'tagged', source: source(), tags }));
    const { profile } = await client.send(new CreateProfileCommand({ name: 'tagged', roleArns: [ROLE], tags: [{ key: 'env', value: 'ci' }] }));
    const { crl } = await client.send(new ImportCrlCommand({ name: 'tagged', trustAnchorArn: trustAnchor!.trustAnchorArn!, crlData: Buffer.from(await ca.crl([])), tags }));
    const { profile: untagged } = await client.send(new CreateProfileCommand({ name: 'untagged', roleArns: [ROLE] }));
    expect(await tagsOf(trustAnchor!.trustAnchorArn!)).toEqual(tags);
    expect(await tagsOf(profile!.profileArn!)).toEqual([{ key: 'env', value: 'ci' }]);
    expect(await tagsOf(crl!.crlArn!)).toEqual(tags);
    expect(await tagsOf(untagged!.profileArn!)).toEqual([]);
    // The options' resources are the account's too: none, until tagged.
    const configured = emulator.trustAnchors[0]!.arn;
    expect(await tagsOf(configured)).toEqual([]);
    await client.send(new TagResourceCommand({ resourceArn: configured, tags: [{ key: 'from', value: 'options' }] }));
    expect([await tagsOf(configured), await tagsOf(emulator.profiles[0]!.arn)]).toEqual([[{ key: 'from', value: 'options' }], []]);
    // An update does not touch them.
    await client.send(new UpdateProfileCommand({ profileId: profile!.profileId!, name: 'renamed' }));
    expect(await tagsOf(profile!.profileArn!)).toEqual([{ key: 'env', value: 'ci' }]);
  });

  it('adds, replaces by key (case-sensitive) and removes tags; removing a key it has not is no error', async () => {
    const { profile } = await client.send(new CreateProfileCommand({ name: 'round trip', roleArns: [ROLE], tags: [{ key: 'team', value: 'a' }] }));
    const resourceArn = profile!.profileArn!;
    expect((await client.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'Team', value: 'b' }, { key: 'team', value: 'c' }, { key: 'aws-ish:x/y', value: 'v=1+2@3' }] })))
      .$metadata.httpStatusCode).toBe(201);
    expect(await tagsOf(resourceArn)).toEqual([{ key: 'team', value: 'c' }, { key: 'Team', value: 'b' }, { key: 'aws-ish:x/y', value: 'v=1+2@3' }]);
    await client.send(new TagResourceCommand({ resourceArn, tags: [] }));
    await client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['team', 'absent'] }));
    expect(await tagsOf(resourceArn)).toEqual([{ key: 'Team', value: 'b' }, { key: 'aws-ish:x/y', value: 'v=1+2@3' }]);
    await client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['Team', 'aws-ish:x/y'] }));
    expect(await tagsOf(resourceArn)).toEqual([]);
  });

  it('refuses a 201st tag with TooManyTagsException, adding none of the request, and takes a key it has again at 200', async () => {
    const tags = Array.from({ length: 150 }, (_, i) => ({ key: `k${i}`, value: `${i}` }));
    const { trustAnchor } = await client.send(new CreateTrustAnchorCommand({ name: 'many tags', source: source(), tags }));
    const resourceArn = trustAnchor!.trustAnchorArn!;
    const more = Array.from({ length: 51 }, (_, i) => ({ key: `more${i}`, value: '' }));
    expect(await rolesAnywhereRefusal(client.send(new TagResourceCommand({ resourceArn, tags: more })))).toEqual({
      name: 'TooManyTagsException', status: 400, message: `${resourceArn} would have 201 tags: a resource may have at most 200`,
    });
    expect(await tagsOf(resourceArn)).toHaveLength(150);
    await client.send(new TagResourceCommand({ resourceArn, tags: [...more.slice(0, 50), { key: 'k0', value: 'again' }] }));
    const held = await tagsOf(resourceArn);
    expect([held!.length, held![0]]).toEqual([200, { key: 'k0', value: 'again' }]);
    // More than 200 in one request is beyond the model's TagList: a ValidationException, as CreateProfile's.
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ key: `x${i}`, value: '' }));
    expect(await rolesAnywhereRefusal(client.send(new TagResourceCommand({ resourceArn, tags: tooMany })))).toEqual({ name: 'ValidationException', status: 400, message: 'tags may hold at most 200 items' });
    expect(await rolesAnywhereRefusal(client.send(new CreateProfileCommand({ name: 'too many', roleArns: [ROLE], tags: tooMany })))).toEqual({
      name: 'ValidationException', status: 400, message: 'tags may hold at most 200 items',
    });
  });

  it('answers ResourceNotFoundException, 404, for an ARN the account holds no resource of', async () => {
    const missing = 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/00000000-0000-0000-0000-000000000000';
    for (const call of [
      () => client.send(new ListTagsForResourceCommand({ resourceArn: missing })),
      () => client.send(new TagResourceCommand({ resourceArn: missing, tags: [{ key: 'k', value: 'v' }] })),
      () => client.send(new UntagResourceCommand({ resourceArn: missing, tagKeys: ['k'] })),
    ]) {
      expect(await rolesAnywhereRefusal(call())).toEqual({ name: 'ResourceNotFoundException', status: 404, message: `Resource ${missing} not found` });
    }
  });

  it('refuses, ValidationException 400, what the model does not allow, before it looks for the resource', async () => {
    const { profile } = await client.send(new CreateProfileCommand({ name: 'checked', roleArns: [ROLE], tags: [{ key: 'kept', value: 'yes' }] }));
    const resourceArn = profile!.profileArn!;
    const cases: [() => Promise<unknown>, string][] = [
      [() => client.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'bad!key', value: 'x' }] })), 'tags[0].key must match ^[ a-zA-Z0-9_.:/=+@-]*$'],
      [() => client.send(new TagResourceCommand({ resourceArn, tags: [{ key: '', value: 'x' }] })), 'tags[0].key must be at least 1 characters'],
      [() => client.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'k'.repeat(129), value: 'x' }] })), 'tags[0].key must be at most 128 characters'],
      [() => client.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'k', value: 'v'.repeat(257) }] })), 'tags[0].value must be at most 256 characters'],
      [() => client.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'ok', value: 'x' }, { key: 'k', value: 'é' }] })), 'tags[1].value must match ^[ a-zA-Z0-9_.:/=+@-]*$'],
      [() => client.send(new TagResourceCommand({ resourceArn } as never)), 'tags is required and must be a list'],
      [() => client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['ok', 'bad!key'] })), 'each item of tagKeys must match ^[ a-zA-Z0-9_.:/=+@-]*$'],
      [() => client.send(new UntagResourceCommand({ resourceArn, tagKeys: [''] })), 'each item of tagKeys must be 1 to 128 characters long'],
      [() => client.send(new UntagResourceCommand({ resourceArn } as never)), 'tagKeys is required and must be a list of strings'],
      [() => client.send(new TagResourceCommand({ resourceArn: 'x'.repeat(1012), tags: [] })), 'resourceArn must be at most 1011 characters'],
      [() => client.send(new ListTagsForResourceCommand({ resourceArn: '' })), 'resourceArn must be at least 1 characters'],
    ];
    for (const [call, message] of cases) expect(await rolesAnywhereRefusal(call())).toEqual({ name: 'ValidationException', status: 400, message });
    const unnamed = await fetch(`${emulator.url}/ListTagsForResource`);
    expect([unnamed.status, unnamed.headers.get('x-amzn-errortype'), await unnamed.json()]).toEqual([400, 'ValidationException', { message: 'resourceArn is required and must be a string' }]);
    // A refused request changes nothing.
    expect(await tagsOf(resourceArn)).toEqual([{ key: 'kept', value: 'yes' }]);
  });

  it('drops the tags of a deleted resource: ListTagsForResource then answers ResourceNotFoundException', async () => {
    const tags = [{ key: 'doomed', value: 'yes' }];
    const { trustAnchor } = await client.send(new CreateTrustAnchorCommand({ name: 'deleted', source: source(), tags }));
    const { profile } = await client.send(new CreateProfileCommand({ name: 'deleted', roleArns: [ROLE], tags }));
    const { crl } = await client.send(new ImportCrlCommand({ name: 'deleted', trustAnchorArn: trustAnchor!.trustAnchorArn!, crlData: Buffer.from(await ca.crl([])), tags }));
    await client.send(new DeleteProfileCommand({ profileId: profile!.profileId! }));
    await client.send(new DeleteCrlCommand({ crlId: crl!.crlId! }));
    await client.send(new DeleteTrustAnchorCommand({ trustAnchorId: trustAnchor!.trustAnchorId! }));
    for (const resourceArn of [trustAnchor!.trustAnchorArn!, profile!.profileArn!, crl!.crlArn!]) {
      expect(await rolesAnywhereRefusal(client.send(new ListTagsForResourceCommand({ resourceArn })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    }
  });
});
