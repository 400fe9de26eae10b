import type { TemporaryCredentials } from '../temporaryCredentials.js';
import type { BoundedProvider } from './credentialProvider.js';

/** Trades credentials for others (STS AssumeRole), giving up by the deadline when there is one. */
export type CredentialExchange = (source: TemporaryCredentials, deadline?: number) => Promise<TemporaryCredentials>;

/** Source credentials are reused while more than this much of their validity remains: ample for one exchange and its retries. */
export const SOURCE_REUSE_MARGIN_MS = 5 * 60_000;

/**
 * Role chaining as a wrapper: each call exchanges the source's credentials for the chained role's. The
 * source's credentials are kept and reused while they are valid (a refresh of the chained credentials,
 * which last an hour at most, then costs one STS call and no CreateSession or signature with the key).
 * An exchange that fails drops them: STS may have refused them (revoked, or expired by its clock), and
 * reusing them would fail every refresh until they expire here, up to 12 hours later. A forced fetch (the
 * SDK's forceRefresh) gets new ones too: chained credentials refused before their end (a session revoked,
 * an emulator started again) are as likely refused for their source's sake (QA: the first forceRefresh
 * failed, InvalidClientTokenId, with the source the restarted emulator no longer knew).
 */
export function chained(source: BoundedProvider, exchange: CredentialExchange, options: { readonly now?: () => number } = {}): BoundedProvider {
  const now = options.now ?? Date.now;
  let held: TemporaryCredentials | undefined;
  return async (deadline, options) => {
    if (!held || options?.forceRefresh === true || held.expiration.getTime() - now() <= SOURCE_REUSE_MARGIN_MS) held = await source(deadline);
    const used = held;
    try {
      return await exchange(used, deadline);
    } catch (error) {
      // Only these: a call that overlapped this one may have fetched newer ones meanwhile.
      if (held === used) held = undefined;
      throw error;
    }
  };
}
