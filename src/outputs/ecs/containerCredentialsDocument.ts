import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { rfc3339 } from '../httpServer/rfc3339.js';

/**
 * The body of the container-credentials answer, as ECS and EKS Pod Identity write it and every SDK's
 * container provider reads it: the four strings (the JavaScript SDK refuses the answer without any of them),
 * the expiration in RFC 3339, and the account when the service said which.
 */
export function containerCredentialsDocument(credentials: TemporaryCredentials): string {
  return JSON.stringify({
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: rfc3339(credentials.expiration, 0),
    ...(credentials.accountId ? { AccountId: credentials.accountId } : {}),
  });
}
