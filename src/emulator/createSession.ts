import { assumedRoleIdentity } from './assumedRole.js';
import { parseAmzDate } from './timestamps.js';
import type { CredentialStore } from './credentialStore.js';
import type { EmulatorRequest } from './httpExchange.js';
import { createSessionResponse, issueSession, type IssuedSession } from './issueCredentials.js';
import { factsOf } from './leafFacts.js';
import type { RolesAnywhereResources } from './resources.js';
import { accessDenied, notFound, validationError } from './serviceErrors.js';
import { loadCertificate, verifyCertificateChain, type CheckedCertificate } from './verifyCertificates.js';
import { parseAuthorization, stringToSignOf, verifyRequestSignature } from './verifySignature.js';

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
 * (validity, basic constraints, key usage, weak signatures, revocation), the ARNs, the duration and the
 * session name. Returns the issued session and the 201 body, or throws the service's error.
 */
export async function createSession(request: EmulatorRequest, context: CreateSessionContext): Promise<{ issued: IssuedSession; body: string }> {
  const { resources, now } = context;
  const auth = parseAuthorization(request.headers.authorization);

  const amzDate = parseAmzDate(request.headers['x-amz-date']);
  if (!amzDate) throw accessDenied('Missing or malformed X-Amz-Date');
  if (Math.abs(amzDate.getTime() - now().getTime()) > context.maxSkewMs) {
    throw accessDenied('Signature expired: X-Amz-Date is too far from the current time');
  }
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

  const { profileArn, roleArn, trustAnchorArn } = request.query;
  const anchor = resources.trustAnchor(trustAnchorArn);
  if (!anchor) throw notFound(`Trust anchor ${trustAnchorArn ?? ''} not found`);
  if (!anchor.enabled) throw accessDenied('Trust anchor is disabled');
  if (auth.region !== anchor.region) throw accessDenied(`Credential scope region ${auth.region} is not ${anchor.region}`);
  const profile = resources.profile(profileArn);
  if (!profile) throw notFound(`Profile ${profileArn ?? ''} not found`);
  if (!profile.enabled) throw accessDenied('Profile is disabled');

  verifyCertificateChain(leaf, intermediates, { anchors: anchor.certificates, revokedSerials: resources.revokedSerials(anchor.arn), now: now() });

  const body = parseBody(request.body);
  if (!roleArn || !profile.roleArns.includes(roleArn)) throw accessDenied(`Unable to assume role ${roleArn ?? ''}: it is not in the profile`);
  if (body.durationSeconds < 900 || body.durationSeconds > profile.maxDurationSeconds) {
    throw validationError(`durationSeconds must be between 900 and ${profile.maxDurationSeconds}`);
  }
  if (body.roleSessionName !== undefined && !profile.acceptRoleSessionName) {
    throw accessDenied('Not authorized to set roleSessionName.');
  }
  const issued = issueSession({
    roleArn,
    roleSessionName: body.roleSessionName ?? leaf.parsed.serialNumber,
    durationSeconds: body.durationSeconds,
    lifetimeSeconds: context.credentialLifetimeSeconds ?? body.durationSeconds,
    serialNumber: auth.serialNumber,
    sourceIdentity: facts.sourceIdentity,
    issuedAt: now(),
  });
  const identity = assumedRoleIdentity(roleArn, issued.roleSessionName);
  context.credentials.set(issued.accessKeyId, {
    secretAccessKey: issued.secretAccessKey,
    sessionToken: issued.sessionToken,
    expiration: new Date(issued.expiration),
    identity,
    sourceIdentity: issued.sourceIdentity,
  });
  return { issued, body: createSessionResponse(issued, identity, anchor.region) };
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

function parseBody(body: string): { durationSeconds: number; roleSessionName?: string } {
  let json: { durationSeconds?: unknown; roleSessionName?: unknown };
  try {
    json = JSON.parse(body);
  } catch {
    throw validationError('The request body is not JSON');
  }
  if (!Number.isInteger(json.durationSeconds)) throw validationError('durationSeconds must be an integer');
  if (json.roleSessionName !== undefined && typeof json.roleSessionName !== 'string') {
    throw validationError('roleSessionName must be a string');
  }
  return { durationSeconds: json.durationSeconds as number, roleSessionName: json.roleSessionName as string | undefined };
}
