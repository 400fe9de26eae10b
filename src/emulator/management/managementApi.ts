import { randomUUID } from 'node:crypto';
import { jsonReply, type EmulatorRequest } from '../httpExchange.js';
import type { RolesAnywhereResources } from '../resources.js';
import type { Tag } from '../records.js';
import { attributeMappingOperation } from './attributeMappingOperations.js';
import { crlDetail, profileDetail, subjectDetail, subjectSummary, trustAnchorDetail } from './resourceDetails.js';
import { page } from './pagination.js';
import { requestBody, type RequestBody } from './requestBody.js';
import { crlData, notCertificates, notificationSettings, profileSettings, refusingCrl, resourceName, resourceTags, trustAnchorSource } from './resourceBodies.js';
import { putNotificationSettings, resetNotificationSettings } from './notificationOperations.js';
import { decodedId, heldResource, resourceOperation, type Operation } from './resourceOperations.js';
import { listTagsForResource, tagResource, untagResource } from './tagOperations.js';

const TRUST_ANCHOR_ARN = /^arn:aws(-[^:]+)?:rolesanywhere(:.*){2}(:trust-anchor.*)$/;

const created = (body: object) => jsonReply(201, body);
const listed = (body: object) => jsonReply(200, body);

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
  'GET /trustanchors': ['ListTrustAnchors', async (request, resources) => listed(page('trustAnchors', resources.trustAnchors, trustAnchorDetail, request.query))],
  'POST /profiles': ['CreateProfile', async (request, resources) => created({ profile: profileDetail(createProfile(requestBody(request), resources)) })],
  'GET /profiles': ['ListProfiles', async (request, resources) => listed(page('profiles', resources.profiles, profileDetail, request.query))],
  'POST /crls': ['ImportCrl', async (request, resources) => created({ crl: crlDetail(await importCrl(requestBody(request), resources)) })],
  'GET /crls': ['ListCrls', async (request, resources) => listed(page('crls', resources.crls, crlDetail, request.query))],
  'GET /subjects': ['ListSubjects', async (request, resources) => listed(page('subjects', resources.subjects.list, subjectSummary, request.query))],
  'PATCH /put-notifications-settings': ['PutNotificationSettings', putNotificationSettings],
  'PATCH /reset-notifications-settings': ['ResetNotificationSettings', resetNotificationSettings],
  'POST /TagResource': ['TagResource', tagResource],
  'POST /UntagResource': ['UntagResource', untagResource],
  'GET /ListTagsForResource': ['ListTagsForResource', listTagsForResource],
};

/** The management operation a request asks for (its name and how to run it), if any. */
export function managementOperation(request: EmulatorRequest): readonly [name: string, run: Operation] | undefined {
  return OPERATIONS[`${request.method} ${request.path.replace(/\/$/, '')}`] ?? resourceOperation(request) ?? attributeMappingOperation(request) ?? subjectOperation(request);
}

/** `GET /subject/{subjectId}`: GetSubject, ResourceNotFoundException for a subject CreateSession has not seen. */
function subjectOperation(request: EmulatorRequest): readonly [name: string, run: Operation] | undefined {
  const [, encodedId] = /^\/subject\/([^/]+)$/.exec(request.path.replace(/\/$/, '')) ?? [];
  if (encodedId === undefined || request.method !== 'GET') return undefined;
  return [
    'GetSubject',
    async (_request, resources) => {
      const subject = heldResource(resources.subjects.list, decodedId(encodedId), { idName: 'subjectId', noun: 'Subject' });
      return jsonReply(200, { subject: subjectDetail(subject) });
    },
  ];
}

function createTrustAnchor(body: RequestBody, resources: RolesAnywhereResources) {
  const name = resourceName(body)!;
  const certificates = trustAnchorSource(body)!;
  const tags = resourceTags(body);
  const settings = notificationSettings(body);
  const enabled = body.boolean('enabled') ?? false;
  // What throws here is the bundle's refusal alone: every field is read before.
  try {
    return tagged(resources.addTrustAnchor({ name, certificates, enabled, notificationSettings: settings }, randomUUID()), tags, resources);
  } catch {
    throw notCertificates();
  }
}

function createProfile(body: RequestBody, resources: RolesAnywhereResources) {
  const settings = profileSettings(body);
  const tags = resourceTags(body);
  const profile = resources.addProfile(
    {
      ...settings,
      roleArns: settings.roleArns!,
      maxDurationSeconds: settings.maxDurationSeconds ?? 3600,
      acceptRoleSessionName: settings.acceptRoleSessionName ?? false,
      enabled: body.boolean('enabled') ?? false,
      // Recorded and reported, not applied: the emulator evaluates no policies and takes no instance properties.
      requireInstanceProperties: body.boolean('requireInstanceProperties'),
    },
    randomUUID(),
  );
  return tagged(profile, tags, resources);
}

async function importCrl(body: RequestBody, resources: RolesAnywhereResources) {
  const name = resourceName(body)!;
  const trustAnchorArn = body.string('trustAnchorArn', { pattern: TRUST_ANCHOR_ARN, minLength: 1, maxLength: 1011 });
  const pem = crlData(body)!;
  const tags = resourceTags(body);
  const crl = await refusingCrl(() => resources.importCrl({ name, trustAnchorArn, pem, enabled: body.boolean('enabled') ?? true }));
  return tagged(crl, tags, resources);
}

/** A resource just made, given the tags its Create asked for (ListTagsForResource lists them). */
function tagged<R extends { readonly arn: string }>(record: R, tags: readonly Tag[], resources: RolesAnywhereResources): R {
  resources.tags.add(record.arn, tags);
  return record;
}
