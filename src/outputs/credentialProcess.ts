import type { TemporaryCredentials } from '../temporaryCredentials.js';

/**
 * The credential_process document (Version 1), keys in the reference's order, the expiration exactly as
 * the service wrote it, and no trailing newline; then the role's account, when the service named it, which
 * the SDKs read (`AccountId`: the JavaScript, Go, Rust and Python SDKs and the AWS CLI) for account-based
 * endpoints, and which the reference leaves out.
 */
export function formatCredentialProcessOutput(credentials: TemporaryCredentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expirationText,
    ...(credentials.accountId ? { AccountId: credentials.accountId } : {}),
  });
}
