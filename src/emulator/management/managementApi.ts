import { randomUUID } from 'node:crypto';
import type { EmulatorRequest, Reply } from '../httpExchange.js';
import { CrlRejected, type RolesAnywhereResources } from '../resources.js';
import { validationError } from '../serviceErrors.js';
import { RESOURCE_NAME } from '../stringRules.js';
import { NOTIFICATION_EVENTS, type NotificationSetting } from '../notificationSettings.js';
import { crlDetail, profileDetail, trustAnchorDetail } from './resourceDetails.js';
import { page } from './pagination.js';
import { requestBody, type RequestBody } from './requestBody.js';
import { resourceOperation } from './resourceOperations.js';

type Operation = (request: EmulatorRequest, resources: RolesAnywhereResources) => Promise<Reply>;

const ROLE_ARN = /^arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)$/;
const POLICY_ARN = /^arn:aws(-[^:]+)?:iam::(aws|\d{12}):policy\/.+$/;
const TRUST_ANCHOR_ARN = /^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:trust-anchor.*)$/;
const TAG_TEXT = /^[ a-zA-Z0-9_.:/=+@-]*$/;

const created = (body: object): Reply => ({ status: 201, contentType: 'application/json', body: JSON.stringify(body) });
const listed = (body: object): Reply => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

/**
 * The management operations a setup script needs, routed as the Roles Anywhere REST-JSON API routes them
 * (`POST /trustanchors`, `GET /profiles`, …). What they create is used by CreateSession at once. They are
 * not authenticated: the emulator has no IAM to check callers against.
 *
 * An `enabled` left out is read the cautious way, whatever the service's default: trust anchors and profiles
 * stay disabled, CRLs apply. A setup script that works here then works against the service too.
 */
const OPERATIONS: Readonly<Record<string, readonly [name: string, run: Operation]>> = {
  'POST /trustanchors': ['CreateTrustAnchor', async (request, resources) => created({ trustAnchor: trustAnchorDetail(createTrustAnchor(requestBody(request), resources)) })],
  'GET /trustanchors': ['ListTrustAnchors', async (request, resources) => listed(page('trustAnchors', resources.trustAnchors.map(trustAnchorDetail), request.query))],
  'POST /profiles': ['CreateProfile', async (request, resources) => created({ profile: profileDetail(createProfile(requestBody(request), resources)) })],
  'GET /profiles': ['ListProfiles', async (request, resources) => listed(page('profiles', resources.profiles.map(profileDetail), request.query))],
  'POST /crls': ['ImportCrl', async (request, resources) => created({ crl: crlDetail(await importCrl(requestBody(request), resources)) })],
  'GET /crls': ['ListCrls', async (request, resources) => listed(page('crls', resources.crls.map(crlDetail), request.query))],
};

/** The management operation a request asks for (its name and how to run it), if any. */
export function managementOperation(request: EmulatorRequest): readonly [name: string, run: Operation] | undefined {
  return OPERATIONS[`${request.method} ${request.path.replace(/\/$/, '')}`] ?? resourceOperation(request);
}

function createTrustAnchor(body: RequestBody, resources: RolesAnywhereResources) {
  const name = body.string('name', RESOURCE_NAME);
  const source = body.object('source');
  const sourceType = source.string('sourceType', { optional: true });
  if (sourceType !== undefined && sourceType !== 'CERTIFICATE_BUNDLE') {
    throw validationError(`sourceType ${sourceType} is not supported by the emulator: use CERTIFICATE_BUNDLE`);
  }
  const certificates = source.object('sourceData').string('x509CertificateData', { minLength: 1, maxLength: 8000 });
  checkTags(body);
  const notificationSettings = body.objects('notificationSettings', { maxItems: 50 }).map((setting) => ({
    enabled: setting.boolean('enabled', { required: true }),
    event: setting.string('event', { oneOf: NOTIFICATION_EVENTS }) as NotificationSetting['event'],
    threshold: setting.integer('threshold', { min: 1, max: 360 }),
    channel: setting.string('channel', { oneOf: ['ALL'], optional: true }) as NotificationSetting['channel'],
  }));
  try {
    return resources.addTrustAnchor({ name, certificates, enabled: body.boolean('enabled') ?? false, notificationSettings }, randomUUID());
  } catch {
    throw validationError('x509CertificateData is not a PEM-encoded certificate bundle');
  }
}

function createProfile(body: RequestBody, resources: RolesAnywhereResources) {
  const roleArns = body.strings('roleArns', { maxItems: 250 });
  const badRole = roleArns.find((arn) => !ROLE_ARN.test(arn));
  if (badRole !== undefined) throw validationError(`roleArns: ${badRole} is not an IAM role ARN`);
  const managedPolicyArns = body.strings('managedPolicyArns', { maxItems: 50, maxLength: 200, optional: true });
  const badPolicy = managedPolicyArns?.find((arn) => !POLICY_ARN.test(arn));
  if (badPolicy !== undefined) throw validationError(`managedPolicyArns: ${badPolicy} is not an IAM policy ARN`);
  checkTags(body);
  return resources.addProfile(
    {
      name: body.string('name', RESOURCE_NAME),
      roleArns,
      maxDurationSeconds: body.integer('durationSeconds', { min: 900, max: 43200 }) ?? 3600,
      acceptRoleSessionName: body.boolean('acceptRoleSessionName') ?? false,
      enabled: body.boolean('enabled') ?? false,
      // Recorded and reported, not applied: the emulator evaluates no policies and takes no instance properties.
      managedPolicyArns,
      sessionPolicy: body.string('sessionPolicy', { optional: true }),
      requireInstanceProperties: body.boolean('requireInstanceProperties'),
    },
    randomUUID(),
  );
}

async function importCrl(body: RequestBody, resources: RolesAnywhereResources) {
  const name = body.string('name', RESOURCE_NAME);
  const trustAnchorArn = body.string('trustAnchorArn', { pattern: TRUST_ANCHOR_ARN, minLength: 1, maxLength: 1011 });
  const crlData = body.string('crlData', { minLength: 1, maxLength: 400000 });
  checkTags(body);
  try {
    return await resources.importCrl({ name, trustAnchorArn, pem: Buffer.from(crlData, 'base64').toString('utf8'), enabled: body.boolean('enabled') ?? true });
  } catch (error) {
    if (error instanceof CrlRejected) throw validationError(error.message);
    throw error;
  }
}

/** A request's tags, checked as the API's model constrains them (TagList), and not kept: ListTagsForResource is not emulated. */
function checkTags(body: RequestBody): void {
  for (const tag of body.objects('tags', { maxItems: 200 })) {
    tag.string('key', { minLength: 1, maxLength: 128, pattern: TAG_TEXT });
    tag.string('value', { maxLength: 256, pattern: TAG_TEXT });
  }
}
