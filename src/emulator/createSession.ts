import { assumedRoleIdentity } from './assumedRole.js';
import { mappedSessionTags } from './attributeMappings.js';
import { amzDateSkewProblem, parseAmzDate } from './timestamps.js';
import { remember, type CredentialStore } from './credentialStore.js';
import type { EmulatorRequest } from './httpExchange.js';
import { createSessionResponse, issueSession } from './issueCredentials.js';
import { factsOf } from './leafFacts.js';
import { constraintViolations } from './parameterConstraints.js';
import { inAnchorsScope, roleOutsideScope, type RolesAnywhereResources } from './resources.js';
import { accessDenied, notFound, validationError } from './serviceErrors.js';
import { sessionTagProblem } from './sessionTagProblem.js';
import { loadCertificate, verifyCertificateChain, type CheckedCertificate } from './verifyCertificates.js';
import { parseAuthorization, stringToSignOf, verifyRequestSignature } from './verifySignature.js';
import type { IssuedSession } from './records.js';
import { subjectArn, type SubjectAttempt } from './subjects.js';

/** The durations CreateSession takes; the profile's own duration then bounds the session. */
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43200;
/** What a request that leaves durationSeconds out (the API makes it optional) gets: the API's default of an hour. */
const DEFAULT_DURATION_SECONDS = 3600;

export interface CreateSessionContext {
  readonly resources: RolesAnywhereResources;
  readonly credentials: CredentialStore;
  readonly now: () => Date;
  readonly maxSkewMs: number;
  readonly credentialLifetimeSeconds: number | undefined;
}

/**
 * CreateSession, checked the way the service documents it: the SigV4-X509 signature over the request as
 * received, the date skew, the serial number in the scope, the certificate chain to a trust anchor
 * (validity, basic constraints, key usage, weak signatures, revocation), the ARNs (in the query string or
 * the body, all of one account and Region), the duration (900–43200, the session bounded by the
 * profile's), the session name, and the certificate's attributes as session tags. Returns the issued
 * session and the 201 body, or throws the service's error.
 */
export async function createSession(request: EmulatorRequest, context: CreateSessionContext): Promise<{ issued: IssuedSession; body: string }> {
  const { resources, now } = context;
  const auth = parseAuthorization(request.headers.authorization);

  const amzDate = parseAmzDate(request.headers['x-amz-date']);
  if (!amzDate) throw accessDenied('Missing or malformed X-Amz-Date');
  const skewed = amzDateSkewProblem(amzDate, now(), context.maxSkewMs);
  if (skewed) throw accessDenied(skewed);
  if (auth.date !== String(request.headers['x-amz-date']).slice(0, 8)) throw accessDenied('Credential scope date does not match X-Amz-Date');
  if (auth.service !== 'rolesanywhere' || auth.terminator !== 'aws4_request') throw accessDenied('Credential scope must end in rolesanywhere/aws4_request');

  const leaf = receivedCertificate(request.headers['x-amz-x509'], 'X-Amz-X509');
  const chainHeader = request.headers['x-amz-x509-chain'];
  const intermediates = chainHeader ? String(chainHeader).split(',').map((part) => receivedCertificate(part, 'X-Amz-X509-Chain')) : [];
  const facts = factsOf(leaf);
  if (facts.serialNumber !== auth.serialNumber) {
    throw accessDenied("The serial number in the credential scope is not the certificate's");
  }
  await verifyRequestSignature(facts.key, auth, stringToSignOf(request, auth));

  const body = parseBody(request.body);
  // In the query string, as the Go SDK sends them, or in the JSON body.
  const arns = ARN_PARAMETERS.map((name) => request.query[name] ?? body[name]);
  // The three are required members of the API's model: one left out (or empty) is a ValidationException, as REST-JSON services answer it.
  const missing = constraintViolations(ARN_PARAMETERS.map((name, index) => ({ name, value: arns[index], required: true, minLength: 1 })));
  if (missing) throw validationError(missing);
  const [profileArn, roleArn, trustAnchorArn] = arns as [string, string, string];
  const anchor = resources.trustAnchor(trustAnchorArn);
  if (!anchor) throw notFound(`Trust anchor ${trustAnchorArn} not found`);
  if (!anchor.enabled) throw accessDenied('Trust anchor is disabled');
  if (auth.region !== anchor.region) throw accessDenied(`Credential scope region ${auth.region} is not ${anchor.region}`);
  const profile = resources.profile(profileArn);
  if (!profile) throw notFound(`Profile ${profileArn} not found`);
  if (!profile.enabled) throw accessDenied('Profile is disabled');
  if (!inAnchorsScope(profile.arn, anchor)) {
    throw accessDenied(`Profile ${profile.arn} is not of the trust anchor's account and Region (${anchor.accountId}, ${anchor.region})`);
  }

  verifyCertificateChain(leaf, intermediates, {
    anchors: anchor.certificates,
    revokedCertificates: resources.revokedCertificates(anchor.arn),
    revokedSerials: resources.revokedByHand,
    now: now(),
  });

  // The subject is recorded once its certificate is trusted: each attempt, refused or not (ListSubjects, GetSubject).
  const attempt: SubjectAttempt = {
    region: anchor.region,
    accountId: anchor.accountId,
    x509Subject: leaf.parsed.subject,
    credential: { serialNumber: facts.serialNumber, issuer: leaf.parsed.issuer, pem: leaf.parsed.pem },
    instanceProperties: body.instanceProperties,
  };
  try {
    if (!profile.roleArns.includes(roleArn)) throw accessDenied(`Unable to assume role ${roleArn}: it is not in the profile`);
    const outside = roleOutsideScope(roleArn, anchor.arn);
    if (outside) throw accessDenied(`Unable to assume role ${roleArn}: it is not of the profile's ${outside}`);
    if (body.roleSessionName !== undefined && !profile.acceptRoleSessionName) {
      throw accessDenied('Not authorized to set roleSessionName.');
    }
    // The profile's mapping decides which attributes STS is given: one it leaves out cannot fail (User Guide, attribute mapping).
    const sessionTags = mappedSessionTags(facts.sessionTags, profile.attributeMappings);
    const tagProblem = sessionTagProblem(sessionTags);
    if (tagProblem) throw accessDenied(`Some attributes failed to be mapped into session tags: ${tagProblem}`);
    // The service sets it on the session STS makes, which refuses what its pattern does not take.
    if (facts.sourceIdentityProblem) throw accessDenied(`Unable to set the source identity ${JSON.stringify(facts.sourceIdentity)}: ${facts.sourceIdentityProblem}`);
    const issued = issueSession({
      roleArn,
      roleSessionName: body.roleSessionName ?? leaf.parsed.serialNumber,
      durationSeconds: body.durationSeconds,
      // The session is bounded by the profile's duration.
      lifetimeSeconds: context.credentialLifetimeSeconds ?? Math.min(body.durationSeconds, profile.maxDurationSeconds),
      serialNumber: auth.serialNumber,
      sourceIdentity: facts.sourceIdentity,
      sessionTags,
      issuedAt: now(),
    });
    const identity = assumedRoleIdentity(roleArn, issued.roleSessionName);
    remember(context.credentials, issued.accessKeyId, {
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: new Date(issued.expiration),
      identity,
      sourceIdentity: issued.sourceIdentity,
      transitiveTagKeys: [],
    }, issued.issuedAt);
    const subject = subjectArn(anchor.region, anchor.accountId, leaf.parsed.subject);
    resources.subjects.seen(attempt, false, now());
    return { issued, body: createSessionResponse(issued, identity, subject) };
  } catch (error) {
    resources.subjects.seen(attempt, true, now());
    throw error;
  }
}

function receivedCertificate(value: string | string[] | undefined, header: string): CheckedCertificate {
  const text = String(value ?? '').trim();
  if (!text || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw accessDenied(`Missing or malformed ${header}`);
  try {
    return loadCertificate(Buffer.from(text, 'base64'));
  } catch {
    throw accessDenied(`${header} is not a certificate`);
  }
}

const ARN_PARAMETERS = ['profileArn', 'roleArn', 'trustAnchorArn'] as const;
const STRING_PARAMETERS = [...ARN_PARAMETERS, 'roleSessionName'] as const;

/** What CreateSession's JSON body may hold. */
type CreateSessionBody = { readonly durationSeconds: number; readonly instanceProperties?: Readonly<Record<string, string>> } & {
  readonly [name in (typeof STRING_PARAMETERS)[number]]?: string;
};

function parseBody(body: string): CreateSessionBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw validationError('The request body is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw validationError('The request body is not a JSON object');
  return parameters(json as Record<string, unknown>);
}

function parameters(json: Record<string, unknown>): CreateSessionBody {
  const duration = json.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  if (!Number.isInteger(duration)) throw validationError('durationSeconds must be an integer');
  if ((duration as number) < MIN_DURATION_SECONDS || (duration as number) > MAX_DURATION_SECONDS) {
    throw validationError(`durationSeconds must be between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS}`);
  }
  for (const name of STRING_PARAMETERS) {
    if (json[name] !== undefined && typeof json[name] !== 'string') throw validationError(`${name} must be a string`);
  }
  // Recorded on the subject (GetSubject), not otherwise acted on: the API's InstancePropertyMap, strings by name.
  const properties = json.instanceProperties;
  if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties) || Object.values(properties).some((value) => typeof value !== 'string'))) {
    throw validationError('instanceProperties must be a map of strings');
  }
  // A role session name as STS takes one (the service passes it to AssumeRole).
  const invalid = constraintViolations([
    { name: 'roleSessionName', value: json.roleSessionName as string | undefined, minLength: 2, maxLength: 64, pattern: '[\\w+=,.@-]*' },
  ]);
  if (invalid) throw validationError(invalid);
  return { ...json, durationSeconds: duration } as CreateSessionBody;
}
