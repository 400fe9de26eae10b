import type { TemporaryCredentials } from '../temporaryCredentials.js';

/**
 * The chained session's name when none is given: the Roles Anywhere session's (the certificate's serial
 * number, unless a name was asked for), so that CloudTrail ties the chained session to the certificate.
 * Kept to what STS accepts (2 to 64 of [\w+=,.@-]); `roles-anywhere-<ms>` when the service named none,
 * as the SDKs name theirs.
 */
export function chainedSessionName(source: TemporaryCredentials, now: () => number = Date.now): string {
  const name = (source.roleSessionName ?? '').replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : `roles-anywhere-${now()}`;
}
