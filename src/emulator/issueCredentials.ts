import { randomBytes, randomUUID } from 'node:crypto';

/** Credentials the emulator handed out, with what they were issued for (tests assert on these). */
export interface IssuedSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** As written in the response: ISO 8601 without fractional seconds. */
  readonly expiration: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** How long the credentials are valid (durationSeconds unless the emulator shortens it). */
  readonly lifetimeSeconds: number;
  /** The end-entity certificate's serial number, decimal. */
  readonly serialNumber: string;
  /** The end-entity certificate's subject CN, as the service sets the source identity. */
  readonly sourceIdentity: string;
  readonly issuedAt: Date;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomText(length: number, alphabet: string): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export function issueSession(input: Omit<IssuedSession, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>): IssuedSession {
  const expiration = new Date(input.issuedAt.getTime() + input.lifetimeSeconds * 1000);
  return {
    ...input,
    accessKeyId: `ASIA${randomText(16, ALPHANUMERIC)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`,
    expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** The CreateSession response body for an issued session. */
export function createSessionResponse(session: IssuedSession, accountId: string, region: string): string {
  const roleName = session.roleArn.slice(session.roleArn.lastIndexOf('/') + 1);
  return JSON.stringify({
    credentialSet: [
      {
        assumedRoleUser: {
          arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session.roleSessionName}`,
          assumedRoleId: `AROA${randomText(17, ALPHANUMERIC)}:${session.roleSessionName}`,
        },
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
    subjectArn: `arn:aws:rolesanywhere:${region}:${accountId}:subject/${randomUUID()}`,
  });
}
