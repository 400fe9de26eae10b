import { dirname } from 'node:path';
import type { Context } from '../../context.js';
import { option } from '../../optionNames.js';
import type { CredentialProvider } from '../credentialProvider.js';
import type { RolesAnywhereOptions, RolesAnywhereSession } from '../rolesAnywhereSession.js';
import { MIN_REMAINING_MS } from './cacheEntry.js';
import { cachedCredentials } from './cachedCredentials.js';
import { cacheSlotFor, type CacheSlot } from './cacheSlot.js';
import { cacheTurnedOff, noCacheFolderReason, passedOverCacheHome } from '../../files/cacheFolder.js';
import { refusedForItsKey } from './refusedForItsKey.js';

/**
 * A session's credentials through the shared cache, or straight from it when there is no cache folder, or
 * when the credentials asked for would never be served from it (an entry is served only while more than
 * 15 minutes remain): those would cost every run a lock and a write for nothing. `slot`: the options' own,
 * when the caller has just found it.
 */
export function withSessionCache(
  session: RolesAnywhereSession,
  options: RolesAnywhereOptions,
  context: Context,
  // The library's, from its look for a hit (sessionCacheHit.ts) just before.
  slot = cacheSlotFor(options, context.env),
): CredentialProvider {
  if (!slot) {
    // Turned off on purpose is no news; a cache asked for that has no folder is.
    if (cacheTurnedOff(context.env)) context.logger.debug('credential cache: off (ROLES_ANYWHERE_HELPER_CACHE_DIR=off)');
    else context.logger.warn(`no credential cache: ${noCacheFolderReason(context.env)}`);
    return session.getCredentials;
  }
  const passedOver = passedOverCacheHome(context.env, dirname(slot.path));
  if (passedOver) context.logger.warn(passedOver);
  // Left to the key source, which says what is wrong.
  if (refusedForItsKey(options)) return session.getCredentials;
  const { assumeRole } = session.route;
  const seconds = assumeRole?.durationSeconds ?? session.config.durationSeconds;
  if (seconds * 1000 <= MIN_REMAINING_MS) {
    context.logger.debug(
      `credential cache: not used: credentials of ${seconds} s (${option(assumeRole ? 'assumeRoleDurationSeconds' : 'durationSeconds')}) would never ` +
        `be served from it, which hands out only credentials valid for more than ${MIN_REMAINING_MS / 60_000} more min`,
    );
    return session.getCredentials;
  }
  const cacheOptions = {
    // Read from the key source the fetch opened: an entry is handed out only while its certificate is valid.
    certificateValidity: async () => (await (await session.keySource()).current()).certificate,
    stopped: session.stopped,
  };
  // A provider that lives on (the library's) names its entry again at each later fetch: a certificate renewed
  // in place is a new entry, as it is for the next credential-process run.
  let named: CacheSlot | undefined = slot;
  // Async, so that a certificate it cannot read now rejects as a fetch does, which the library's refresher
  // meets with the credentials it holds (review: it threw, past the refresher, to the SDK's call).
  return async (fetchOptions) => {
    const current = named ?? cacheSlotFor(options, context.env) ?? slot;
    named = undefined;
    return cachedCredentials(session.getCredentials, current, context, cacheOptions)(fetchOptions);
  };
}
