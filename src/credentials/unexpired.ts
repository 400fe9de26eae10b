import { HelperError } from '../errors.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import { thisClockReads } from '../isoSeconds.js';

/**
 * The credentials, if they have not expired by `now`: credentials that are dead on arrival (a clock far off,
 * here or at the service) are a failed refresh, to back off from, not a result to refresh again at once.
 */
export function unexpired(credentials: TemporaryCredentials, now: number): TemporaryCredentials {
  if (credentials.expiration.getTime() > now) return credentials;
  // With this clock's reading: a clock ahead of the service's is the usual cause (QA time).
  throw new HelperError(`the credentials obtained expired at ${credentials.expirationText}, before they could be used: ${thisClockReads(new Date(now))}`);
}
