import { addressWithPort } from '../hostAndPort.js';
import type { EmulatorOptions, EmulatorProfile, EmulatorTrustAnchor } from './emulatorOptions.js';
import { CERTIFICATE_FIELDS, SPECIFIER } from './attributeMappings.js';
import { MAX_NOTIFICATION_SETTINGS, NOTIFICATION_CHANNELS, NOTIFICATION_EVENTS, THRESHOLD_DAYS } from './notificationSettings.js';
import { RESOURCE_NAME } from './stringRules.js';
import { apiString, boolean, integer, list, object, optional, required, string, such, withMethods, type Field, type SetupForm } from './optionChecks.js';
import type { AssumableRole, AttributeMapping, NotificationSetting, Tag } from './records.js';
import { MAX_TAGS, TAG_KEY, TAG_VALUE } from './resourceTags.js';

/** A Region the emulator's ARNs may name (`region`, the command's --region): eu-west-1, us-gov-west-1, eusc-de-east-1. */
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+$/;
const TRUST_ANCHOR_ARN = /^arn:aws(-[a-z]+)*:rolesanywhere:[a-z]{2,4}(-[a-z]+)+-\d+:\d{12}:trust-anchor\/.+$/;
const PROFILE_ARN = /^arn:aws(-[a-z]+)*:rolesanywhere:[a-z]{2,4}(-[a-z]+)+-\d+:\d{12}:profile\/.+$/;

const roleArn = string(ROLE_ARN, 'an IAM role ARN');
// What CreateTrustAnchor and CreateProfile would refuse, so that a set-up is one the service could hold.
const resourceName = apiString(RESOURCE_NAME);
export const serialNumber = string(/^[0-9a-f]+$/i, 'a serial number in hex');

// Tags, notification settings and attribute mappings by the constraints the management API checks them by
// (CreateProfile, PutNotificationSettings, PutAttributeMapping), each key, event and field once.
const TAG = { key: required(apiString(TAG_KEY)), value: required(apiString(TAG_VALUE)) } satisfies { readonly [K in keyof Tag]-?: Field };
const tags = optional(list(object('tag', TAG), { maxItems: MAX_TAGS, unique: 'key' }));

const NOTIFICATION_SETTING = {
  enabled: required(boolean),
  event: required(apiString({ oneOf: NOTIFICATION_EVENTS })),
  threshold: optional(integer(THRESHOLD_DAYS.min, THRESHOLD_DAYS.max)),
  channel: optional(apiString({ oneOf: NOTIFICATION_CHANNELS })),
} satisfies { readonly [K in keyof NotificationSetting]-?: Field };

const ATTRIBUTE_MAPPING = {
  certificateField: required(apiString({ oneOf: CERTIFICATE_FIELDS })),
  mappingRules: required(list(object('mappingRule', { specifier: required(apiString(SPECIFIER)) }))),
} satisfies { readonly [K in keyof AttributeMapping]-?: Field };

const TRUST_ANCHOR = {
  arn: optional(string(TRUST_ANCHOR_ARN, 'a trust anchor ARN')),
  name: optional(resourceName),
  // PEM in a program, a file's path in the config file: what is in it is checked when it is loaded.
  certificates: required(string()),
  crls: optional(list(string())),
  enabled: optional(boolean),
  tags,
  notificationSettings: optional(list(object('notificationSetting', NOTIFICATION_SETTING), { maxItems: MAX_NOTIFICATION_SETTINGS, unique: 'event' })),
} satisfies { readonly [K in keyof Required<EmulatorTrustAnchor>]: Field };

const PROFILE = {
  arn: optional(string(PROFILE_ARN, 'a profile ARN')),
  name: optional(resourceName),
  roleArns: required(list(roleArn)),
  maxDurationSeconds: optional(integer(900, 43200)),
  acceptRoleSessionName: optional(boolean),
  enabled: optional(boolean),
  tags,
  attributeMappings: optional(list(object('attributeMapping', ATTRIBUTE_MAPPING), { unique: 'certificateField' })),
} satisfies { readonly [K in keyof Required<EmulatorProfile>]: Field };

const ASSUMABLE_ROLE = {
  roleArn: required(roleArn),
  // One that no AssumeRole could send would make the role one that can never be assumed.
  externalId: optional(string(/^[\w+=,.@:/-]{2,1224}$/, 'an external ID as STS takes one: 2 to 1224 characters of [\\w+=,.@:/-]')),
} satisfies { readonly [K in keyof Required<AssumableRole>]: Field };

const TLS = {
  certificate: required(string()),
  privateKey: required(string()),
} satisfies { readonly [K in keyof NonNullable<EmulatorOptions['tls']>]: Field };

/** Every option, so that one added to EmulatorOptions and not here does not compile. */
const OPTIONS = {
  trustAnchors: optional(list(object('trustAnchor', TRUST_ANCHOR))),
  profiles: optional(list(object('profile', PROFILE))),
  crls: optional(list(string())),
  revokedSerials: optional(list(serialNumber)),
  assumableRoles: optional(list(object('assumableRole', ASSUMABLE_ROLE))),
  accountId: optional(string(ACCOUNT_ID, 'a 12-digit account ID')),
  region: optional(string(REGION, 'a Region such as eu-west-1')),
  maxClockSkewMs: optional(such((value) => typeof value === 'number' && value >= 0, 'a number of milliseconds, 0 or more')),
  now: optional(such((value) => typeof value === 'function', 'a function returning a Date')),
  credentialLifetimeSeconds: optional(integer(1, 43200)),
  tls: optional(object('tls', TLS)),
  // An IPv6 zone (fe80::1%eth0) is in no URL that Node's URL, and so the SDKs and the helper, take. A port
  // (`127.0.0.1:4000`, `[::1]:4000`, as a URL writes it) is `port`'s: it was looked up as a name (ENOTFOUND).
  host: optional(
    such(
      (value) => typeof value === 'string' && /^[^\s%]+$/.test(value) && addressWithPort(value) === undefined,
      'a host name or IP address, without a port (give it as port) or an IPv6 zone (which no URL can hold)',
    ),
  ),
  port: optional(integer(0, 65535)),
  logger: optional(withMethods(['debug', 'info', 'warn', 'error'])),
} satisfies { readonly [K in keyof Required<EmulatorOptions>]: Field };

/** The config file's names for the options it calls otherwise. */
const CONFIG_FILE_NAMES = { maxDurationSeconds: 'durationSeconds' } satisfies Partial<Record<keyof EmulatorProfile, string>>;

/** `startEmulator`'s options, all of them by their own names. */
const PROGRAM_OPTIONS: SetupForm = { whole: 'the options', keys: {}, names: {}, otherNames: CONFIG_FILE_NAMES };

/**
 * The emulator command's --config file (JSON): the set-up part of the options, a profile's
 * maxDurationSeconds called durationSeconds, and paths where the options hold PEM (the command reads them).
 */
export const CONFIG_FILE: SetupForm = {
  whole: 'the file',
  keys: {
    options: ['accountId', 'region', 'trustAnchors', 'profiles', 'assumableRoles'] satisfies (keyof EmulatorOptions)[],
    trustAnchor: ['name', 'certificates', 'crls', 'tags', 'notificationSettings'] satisfies (keyof EmulatorTrustAnchor)[],
    profile: ['name', 'roleArns', 'acceptRoleSessionName', 'maxDurationSeconds', 'tags', 'attributeMappings'] satisfies (keyof EmulatorProfile)[],
  },
  names: CONFIG_FILE_NAMES,
  otherNames: {},
};

const checkOptions = object('options', OPTIONS);

/** A serial number given at `where` (`revoke(serialNumberHex)`), if it is one in hex, else an EmulatorSetupError naming it. */
export function checkSerialNumber(value: unknown, where: string): string {
  return serialNumber(value, where, PROGRAM_OPTIONS) as string;
}

/**
 * The options as given, if startEmulator can take them; otherwise an EmulatorSetupError naming the key
 * (in the form's names) and what it must be, or the key probably meant by one it does not know. A known
 * key given as undefined counts as left out; the result holds only the keys given.
 */
export function checkEmulatorOptions(value: unknown, form: SetupForm = PROGRAM_OPTIONS): EmulatorOptions {
  return checkOptions(value, '', form) as EmulatorOptions;
}
