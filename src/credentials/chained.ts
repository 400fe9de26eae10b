import type { TemporaryCredentials } from '../temporaryCredentials.js';
import type { BoundedProvider } from './credentialProvider.js';

/** Trades credentials for others (STS AssumeRole), giving up by the deadline when there is one. */
export type CredentialExchange = (source: TemporaryCredentials, deadline?: number) => Promise<TemporaryCredentials>;

export interface ChainedOptions {
  readonly now?: () => number;
  /** The certificate (DER) CreateSession would sign with now; undefined where it has none (a key-only source). A failure is taken for no change. */
  readonly certificate?: () => Promise<Buffer | undefined>;
}

/** Source credentials are reused while more than this much of their validity remains: ample for one exchange and its retries. */
const SOURCE_REUSE_MARGIN_MS = 5 * 60_000;

/**
 * Role chaining as a wrapper: each call exchanges the source's credentials for the chained role's. The
 * source's credentials are kept and reused while they are valid (a refresh of the chained credentials,
 * which last an hour at most, then costs one STS call and no CreateSession or signature with the key).
 * An exchange that fails drops them: STS may have refused them (revoked, or expired by its clock), and
 * reusing them would fail every refresh until they expire here, up to 12 hours later. A forced fetch (the
 * SDK's forceRefresh) gets new ones too: chained credentials refused before their end (a session revoked,
 * an emulator started again) are as likely refused for their source's sake (QA: the first forceRefresh
 * failed, InvalidClientTokenId, with the source the restarted emulator no longer knew). So does a
 * certificate renewed on disk (`certificate` tells it): the chained sessions are to be the new one's, as
 * CreateSession's are without chaining (QA: serve chained from the old certificate's session, with its
 * source identity, up to 12 hours on; the cache stored that under the new certificate's entry).
 */
export function chained(source: BoundedProvider, exchange: CredentialExchange, options: ChainedOptions = {}): BoundedProvider {
  const now = options.now ?? (() => Date.now());
  const certificateNow = options.certificate ?? (async () => undefined);
  let held: TemporaryCredentials | undefined;
  let heldFor: Buffer | undefined;
  return async (deadline, fetchOptions) => {
    // One that cannot be read just then (a token pulled out, a certificate file mid-renewal) is taken for
    // unchanged: held source credentials still serve, as before it was looked at, and a CreateSession,
    // which needs it, says why it cannot be read (review: every refresh failed while the held ones were good).
    const certificate = await certificateNow().then((der) => ({ der }), () => undefined);
    const renewed = certificate !== undefined && certificate.der !== heldFor && !(certificate.der && heldFor?.equals(certificate.der));
    if (!held || renewed || fetchOptions?.forceRefresh === true || held.expiration.getTime() - now() <= SOURCE_REUSE_MARGIN_MS) {
      held = await source(deadline);
      // The certificate read before CreateSession: one renewed meanwhile only makes the next call fetch again.
      if (certificate) heldFor = certificate.der;
    }
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
