import type { TemporaryCredentials } from '../temporaryCredentials.js';

/**
 * The credential_process document (Version 1), keys in the reference's order, the expiration exactly as
 * the service wrote it, and no trailing newline.
 */
export function formatCredentialProcessOutput(credentials: TemporaryCredentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expirationText,
  });
}
