import { randomBytes } from 'node:crypto';
import type { AssumedRoleIdentity } from './assumedRole.js';
import { idCharacters } from './awsIds.js';
import { isoSeconds } from './timestamps.js';
import type { IssuedCredentials, IssuedSession } from './records.js';

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

/** The CreateSession response body for an issued session, of the subject of that ARN (subjects.ts). */
export function createSessionResponse(session: IssuedSession, identity: AssumedRoleIdentity, subjectArn: string): string {
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
    subjectArn,
  });
}
