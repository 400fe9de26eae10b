import { randomBytes } from 'node:crypto';
import { partitionOfRegion } from './partitionOfRegion.js';
import type { AssumedRoleIdentity } from './assumedRole.js';
import { idCharacters, stableUuid } from './awsIds.js';
import { isoSeconds } from './timestamps.js';

/** A set of temporary credentials, as the services write them. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ISO 8601 without fractional seconds, as the services write it. */
  readonly expiration: string;
}

/** Credentials CreateSession handed out, with what they were issued for (tests assert on these). */
export interface IssuedSession extends IssuedCredentials {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** How long the credentials are valid: durationSeconds, unless the profile's is shorter or the emulator shortens it. */
  readonly lifetimeSeconds: number;
  /** The end-entity certificate's serial number, decimal. */
  readonly serialNumber: string;
  /** As the service sets it from the end-entity certificate: `CN=<subject CN>`, or `ID=<serial in hex>` without a CN. */
  readonly sourceIdentity: string;
  /** The principal tags the service sets from the end-entity certificate (its default attribute mapping): `x509Subject/CN`, ... */
  readonly sessionTags: readonly { readonly key: string; readonly value: string }[];
  readonly issuedAt: Date;
}

/** Fresh credentials shaped like STS's (`ASIA…` key IDs), valid for `lifetimeSeconds` from `issuedAt`. */
export function newCredentials(issuedAt: Date, lifetimeSeconds: number): IssuedCredentials {
  const expiration = new Date(issuedAt.getTime() + lifetimeSeconds * 1000);
  return {
    accessKeyId: `ASIA${idCharacters(randomBytes(16))}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`,
    expiration: isoSeconds(expiration),
  };
}

export function issueSession(input: Omit<IssuedSession, keyof IssuedCredentials>): IssuedSession {
  return { ...input, ...newCredentials(input.issuedAt, input.lifetimeSeconds) };
}

/**
 * The CreateSession response body for an issued session, of the certificate whose subject is `subject`:
 * the service keeps one Subject resource per certificate subject, so its ARN is the same in every session.
 */
export function createSessionResponse(session: IssuedSession, identity: AssumedRoleIdentity, region: string, subject: string): string {
  return JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: { arn: identity.arn, assumedRoleId: identity.assumedRoleId },
        credentials: {
          accessKeyId: session.accessKeyId,
          expiration: session.expiration,
          secretAccessKey: session.secretAccessKey,
          sessionToken: session.sessionToken,
        },
        packedPolicySize: 0,
        roleArn: session.roleArn,
        sourceIdentity: session.sourceIdentity,
      },
    ],
    subjectArn: `arn:${partitionOfRegion(region)}:rolesanywhere:${region}:${identity.accountId}:subject/${stableUuid('subject', subject)}`,
  });
}
