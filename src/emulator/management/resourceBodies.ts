import { MAX_NOTIFICATION_SETTINGS, NOTIFICATION_CHANNELS, NOTIFICATION_EVENTS, THRESHOLD_DAYS } from '../notificationSettings.js';
import type { NotificationSetting, Tag } from '../records.js';
import { CrlRejected, type ProfileInput } from '../resources.js';
import { MAX_TAGS, TAG_KEY, TAG_VALUE } from '../resourceTags.js';
import { validationError } from '../serviceErrors.js';
import { MAX_TRUST_ANCHOR_CHARACTERS, RESOURCE_NAME } from '../stringRules.js';
import type { RequestBody } from './requestBody.js';

// The fields CreateX and UpdateX share, read and checked as the API's model constrains them. An update
// leaves out what it does not change: read with `update`, every field is optional and has no default.

const ROLE_ARN = /^arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)$/;
const POLICY_ARN = /^arn:aws(-[^:]+)?:iam::(aws|\d{12}):policy\/.+$/;

export function resourceName(body: RequestBody, update = false): string | undefined {
  return update ? body.string('name', { ...RESOURCE_NAME, optional: true }) : body.string('name', RESOURCE_NAME);
}

/** A trust anchor's `source`: its certificate bundle's PEM (AWS Private CA sources are not emulated). */
export function trustAnchorSource(body: RequestBody, update = false): string | undefined {
  const source = update ? body.object('source', { optional: true }) : body.object('source');
  if (!source) return undefined;
  const sourceType = source.string('sourceType', { optional: true });
  if (sourceType !== undefined && sourceType !== 'CERTIFICATE_BUNDLE') {
    throw validationError(`sourceType ${sourceType} is not supported by the emulator: use CERTIFICATE_BUNDLE`);
  }
  return source.object('sourceData').string('x509CertificateData', { minLength: 1, maxLength: MAX_TRUST_ANCHOR_CHARACTERS });
}

type ProfileSettings = Partial<Pick<ProfileInput, 'name' | 'roleArns' | 'managedPolicyArns' | 'sessionPolicy' | 'maxDurationSeconds' | 'acceptRoleSessionName'>>;

/** What CreateProfile and UpdateProfile set alike; CreateProfile requires a name and roleArns. */
export function profileSettings(body: RequestBody, update = false): ProfileSettings {
  const roleRules = { maxItems: 250, maxLength: 1011 };
  const roleArns = update ? body.strings('roleArns', { ...roleRules, optional: true }) : body.strings('roleArns', roleRules);
  const badRole = roleArns?.find((arn) => !ROLE_ARN.test(arn));
  if (badRole !== undefined) throw validationError(`roleArns: ${badRole} is not an IAM role ARN`);
  const managedPolicyArns = body.strings('managedPolicyArns', { maxItems: 50, maxLength: 200, optional: true });
  const badPolicy = managedPolicyArns?.find((arn) => !POLICY_ARN.test(arn));
  if (badPolicy !== undefined) throw validationError(`managedPolicyArns: ${badPolicy} is not an IAM policy ARN`);
  return {
    name: resourceName(body, update),
    roleArns,
    managedPolicyArns,
    // Not evaluated, but the service hands it to STS as a session policy, which must parse (QA: 'not json' was kept).
    sessionPolicy: body.string('sessionPolicy', { optional: true, minLength: 1, maxLength: 100000, jsonObject: true }),
    maxDurationSeconds: body.integer('durationSeconds', { min: 900, max: 43200 }),
    acceptRoleSessionName: body.boolean('acceptRoleSessionName'),
  };
}

/**
 * A request's `notificationSettings` (CreateTrustAnchor's, PutNotificationSettings'), checked as the API's model
 * constrains them (NotificationSettings: at most 50); left out, none, unless `required`.
 */
export function notificationSettings(body: RequestBody, required = false): NotificationSetting[] {
  return body.objects('notificationSettings', { maxItems: MAX_NOTIFICATION_SETTINGS, required }).map((setting) => ({
    enabled: setting.boolean('enabled', { required: true }),
    event: notificationEvent(setting),
    threshold: setting.integer('threshold', THRESHOLD_DAYS),
    channel: notificationChannel(setting),
  }));
}

/** ResetNotificationSettings' `notificationSettingKeys` (NotificationSettingKeys: at most 50), as the events they name. */
export function notificationSettingKeys(body: RequestBody): NotificationSetting['event'][] {
  return body.objects('notificationSettingKeys', { maxItems: MAX_NOTIFICATION_SETTINGS, required: true }).map((key) => {
    const event = notificationEvent(key);
    notificationChannel(key);
    return event;
  });
}

const notificationEvent = (setting: RequestBody) => setting.string('event', { oneOf: NOTIFICATION_EVENTS }) as NotificationSetting['event'];
const notificationChannel = (setting: RequestBody) => setting.string('channel', { oneOf: NOTIFICATION_CHANNELS, optional: true }) as NotificationSetting['channel'];

/**
 * A CRL's `crlData` (base64 of its PEM, as the SDK sends a blob), as PEM; empty or past the model's 300,000 bytes, refused
 * in bytes, which the caller passed (QA pyemu: boto3 was told of 400,000 characters).
 */
export function crlData(body: RequestBody, update = false): string | undefined {
  const data = update ? body.string('crlData', { optional: true }) : body.string('crlData');
  const crl = data === undefined ? undefined : Buffer.from(data, 'base64');
  if (crl && (crl.length < 1 || crl.length > 300000)) throw validationError('crlData must be 1 to 300000 bytes');
  return crl?.toString('utf8');
}

/**
 * A request's `tags` (CreateProfile's, TagResource's, …), checked as the API's model constrains them (TagList: at
 * most 200); left out, none, unless `required` (TagResource).
 */
export function resourceTags(body: RequestBody, required = false): Tag[] {
  return body.objects('tags', { maxItems: MAX_TAGS, required }).map((tag) => ({
    key: tag.string('key', TAG_KEY),
    value: tag.string('value', TAG_VALUE),
  }));
}

/** The fields an update gave: a spread of it changes those and leaves the others. */
export function given<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The refusal of an x509CertificateData that is not certificates. */
export const notCertificates = () => validationError('x509CertificateData is not a PEM-encoded certificate bundle');

/** Runs what takes a CRL, answering its refusal (CrlRejected) as the API does, a ValidationException. */
export async function refusingCrl<T>(take: () => Promise<T>): Promise<T> {
  try {
    return await take();
  } catch (error) {
    if (error instanceof CrlRejected) throw validationError(error.message);
    throw error;
  }
}
