import type { RefreshPolicy } from './credentialRefresher.js';

const MINUTE = 60_000;

/**
 * serve: refresh 20 minutes ahead, so that clients never hold credentials inside their own refresh windows:
 * botocore (boto3, the AWS CLI) fetches again on every call once fewer than 15 minutes remain (and, from
 * IMDS, logs that it extends such credentials' expiry), the JavaScript and Go SDKs at 5 minutes.
 */
export const SERVE_REFRESH_POLICY: RefreshPolicy = { refreshAheadMs: 20 * MINUTE, minRetryMs: 10_000, maxRetryMs: 5 * MINUTE };

/** update: refresh 5 minutes ahead, as the reference does. */
export const UPDATE_REFRESH_POLICY: RefreshPolicy = { refreshAheadMs: 5 * MINUTE, minRetryMs: 10_000, maxRetryMs: 5 * MINUTE };

/**
 * The library: SDK clients ask again 5 minutes before expiry, inside the 10 minutes ahead of it when a
 * refresh is due: they get the held credentials at once, the refresh going on in the background, until
 * only a minute is left (a CreateSession that hangs for its 30 s must not hold up every call of a program).
 * Retries are quicker than serve's: a program waiting on its first credentials is there.
 */
export const LIBRARY_REFRESH_POLICY: RefreshPolicy = { refreshAheadMs: 10 * MINUTE, minRetryMs: 1_000, maxRetryMs: MINUTE, waitWithinMs: MINUTE };
