import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { rfc3339 } from '../httpServer/rfc3339.js';

/**
 * The body of `GET .../security-credentials/<role>`, as the reference writes it (its key order, the
 * expiration re-rendered in RFC 3339, the local time of the last refresh, a trailing newline); then the
 * role's account, when the service named it, which the SDKs' IMDS providers read (`AccountId`) and the
 * reference leaves out.
 */
export function credentialsDocument(credentials: TemporaryCredentials, lastUpdated: Date): string {
  return `${JSON.stringify({
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Code: 'Success',
    Type: 'AWS-HMAC',
    Expiration: rfc3339(credentials.expiration, 0),
    LastUpdated: rfc3339(lastUpdated, lastUpdated.getTimezoneOffset()),
    ...(credentials.accountId ? { AccountId: credentials.accountId } : {}),
  })}\n`;
}
