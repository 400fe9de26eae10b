import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/emulator.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { boto3HasOperations, boto3RolesAnywhere } from '../../../support/boto3RolesAnywhere.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const serviceDefault = (event: string) => ({ enabled: true, event, threshold: 45, channel: 'ALL', configuredBy: 'rolesanywhere.amazonaws.com' });

let emulator: RunningEmulator;
let ca: CertificateAuthority;

beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Notified Root' });
  emulator = await startEmulator({ accountId: ACCOUNT, region: REGION });
});
afterAll(async () => {
  await emulator.close();
});

const calls = (...list: [string, object][]) => boto3RolesAnywhere(emulator.url, REGION, list);
const answerOf = async (operation: string, params: object) => {
  const [answer] = await calls([operation, params]);
  if (!answer || !('answer' in answer)) return expect.unreachable(`${operation} was refused: ${JSON.stringify(answer)}`);
  return answer.answer as { trustAnchor: { trustAnchorId: string; notificationSettings: object[] } };
};
const patch = (path: string, body: object) =>
  fetch(`${emulator.url}${path}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(async (response) => [response.status, response.headers.get('x-amzn-errortype'), await response.json()]);

describe.runIf(boto3HasOperations('PutNotificationSettings', 'ResetNotificationSettings'))('PutNotificationSettings and ResetNotificationSettings with boto3', () => {
  it("sets the account's setting event by event, keeps a threshold left out, and resets events to the service's", async () => {
    const { trustAnchor } = await answerOf('create_trust_anchor', {
      name: 'notified', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.certificate.pem } },
    });
    const trustAnchorId = trustAnchor.trustAnchorId;
    expect(trustAnchor.notificationSettings).toEqual([serviceDefault('CA_CERTIFICATE_EXPIRY'), serviceDefault('END_ENTITY_CERTIFICATE_EXPIRY')]);

    const disabled = await answerOf('put_notification_settings', { trustAnchorId, notificationSettings: [{ enabled: false, event: 'CA_CERTIFICATE_EXPIRY' }] });
    const accountCa = { enabled: false, event: 'CA_CERTIFICATE_EXPIRY', threshold: 45, channel: 'ALL', configuredBy: ACCOUNT };
    expect(disabled.trustAnchor.notificationSettings).toEqual([accountCa, serviceDefault('END_ENTITY_CERTIFICATE_EXPIRY')]);

    const both = await answerOf('put_notification_settings', {
      trustAnchorId,
      notificationSettings: [{ enabled: true, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 10, channel: 'ALL' }],
    });
    const accountEndEntity = { enabled: true, event: 'END_ENTITY_CERTIFICATE_EXPIRY', threshold: 10, channel: 'ALL', configuredBy: ACCOUNT };
    expect(both.trustAnchor.notificationSettings).toEqual([accountCa, accountEndEntity]);
    // GetTrustAnchor, as Terraform reads them back.
    expect((await answerOf('get_trust_anchor', { trustAnchorId })).trustAnchor.notificationSettings).toEqual([accountCa, accountEndEntity]);

    const reset = await answerOf('reset_notification_settings', { trustAnchorId, notificationSettingKeys: [{ event: 'CA_CERTIFICATE_EXPIRY', channel: 'ALL' }] });
    expect(reset.trustAnchor.notificationSettings).toEqual([serviceDefault('CA_CERTIFICATE_EXPIRY'), accountEndEntity]);
    // An empty list changes nothing.
    expect((await answerOf('put_notification_settings', { trustAnchorId, notificationSettings: [] })).trustAnchor.notificationSettings)
      .toEqual([serviceDefault('CA_CERTIFICATE_EXPIRY'), accountEndEntity]);
    // A threshold left out keeps the event's own (10, not the service's 45); an event given twice takes the last setting.
    const kept = await answerOf('put_notification_settings', {
      trustAnchorId,
      notificationSettings: [
        { enabled: false, event: 'END_ENTITY_CERTIFICATE_EXPIRY' },
        { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 20 },
        { enabled: false, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30 },
      ],
    });
    expect(kept.trustAnchor.notificationSettings).toEqual([
      { enabled: false, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30, channel: 'ALL', configuredBy: ACCOUNT },
      { ...accountEndEntity, enabled: false },
    ]);
  });

  it('refuses an ID the emulator does not hold (ResourceNotFoundException, 404) and what the model does not allow (ValidationException), changing nothing', async () => {
    const { trustAnchor } = await answerOf('create_trust_anchor', {
      name: 'refusing', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: ca.certificate.pem } },
    });
    const trustAnchorId = trustAnchor.trustAnchorId;
    const missing = '00000000-0000-0000-0000-000000000000';
    const setting = { enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 30 };
    expect(await calls(
      ['put_notification_settings', { trustAnchorId: missing, notificationSettings: [setting] }],
      ['reset_notification_settings', { trustAnchorId: missing, notificationSettingKeys: [{ event: 'CA_CERTIFICATE_EXPIRY' }] }],
      ['put_notification_settings', { trustAnchorId, notificationSettings: [setting, { ...setting, threshold: 361 }] }],
      ['put_notification_settings', { trustAnchorId, notificationSettings: [{ enabled: true, event: 'CERTIFICATE_EXPIRY' }] }],
      ['put_notification_settings', { trustAnchorId, notificationSettings: [{ ...setting, channel: 'EMAIL' }] }],
      ['reset_notification_settings', { trustAnchorId, notificationSettingKeys: [{ event: 'SOON' }] }],
    )).toEqual([
      { error: { code: 'ResourceNotFoundException', status: 404, message: `Trust anchor ${missing} not found` } },
      { error: { code: 'ResourceNotFoundException', status: 404, message: `Trust anchor ${missing} not found` } },
      { error: { code: 'ValidationException', status: 400, message: 'notificationSettings[1].threshold must be an integer from 1 to 360' } },
      { error: { code: 'ValidationException', status: 400, message: 'notificationSettings[0].event must be one of CA_CERTIFICATE_EXPIRY, END_ENTITY_CERTIFICATE_EXPIRY' } },
      { error: { code: 'ValidationException', status: 400, message: 'notificationSettings[0].channel must be one of ALL' } },
      { error: { code: 'ValidationException', status: 400, message: 'notificationSettingKeys[0].event must be one of CA_CERTIFICATE_EXPIRY, END_ENTITY_CERTIFICATE_EXPIRY' } },
    ]);
    // What botocore checks before sending, sent as another client might.
    expect(await patch('/put-notifications-settings', { trustAnchorId: 'nope', notificationSettings: [] })).toEqual([
      400, 'ValidationException', { message: 'trustAnchorId must be a 36-character ID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' },
    ]);
    expect(await patch('/put-notifications-settings', { trustAnchorId })).toEqual([400, 'ValidationException', { message: 'notificationSettings is required and must be a list' }]);
    expect(await patch('/reset-notifications-settings', { trustAnchorId })).toEqual([400, 'ValidationException', { message: 'notificationSettingKeys is required and must be a list' }]);
    expect(await patch('/put-notifications-settings', { trustAnchorId, notificationSettings: [{ enabled: true, event: 'CA_CERTIFICATE_EXPIRY', threshold: 0 }] }))
      .toEqual([400, 'ValidationException', { message: 'notificationSettings[0].threshold must be an integer from 1 to 360' }]);
    expect((await answerOf('get_trust_anchor', { trustAnchorId })).trustAnchor.notificationSettings)
      .toEqual([serviceDefault('CA_CERTIFICATE_EXPIRY'), serviceDefault('END_ENTITY_CERTIFICATE_EXPIRY')]);
  });
});
