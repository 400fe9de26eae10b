import { dirname } from 'node:path';
import type { Context } from '../../context.js';
import { passedOverCacheHome } from '../../files/cacheFolder.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import type { RolesAnywhereOptions } from '../rolesAnywhereSession.js';
import { hitMessage } from './cacheEntry.js';
import type { CacheSlot } from './cacheSlot.js';
import { lookUpEntry } from './entryLookup.js';

/**
 * The credentials of a valid entry for these options, read without a session (none made, its code not
 * loaded: keys, signing, HTTP, node:crypto and node:net), nor the cache's locks and writes
 * (sessionCache.ts), said at debug level as a hit through withSessionCache is: what the library's first
 * call hands out, as credential-process's hit does (src/cli/cacheHit.ts). Else, having said nothing, the
 * entry's slot (for withSessionCache, which then need not read the certificate again), or nothing when
 * something is to be said first (no cache folder, XDG_CACHE_HOME passed over, options the key source
 * refuses, a certificate that cannot be read): the session and withSessionCache then say it, as they did.
 */
export function sessionCacheHit(options: RolesAnywhereOptions, context: Context): { readonly credentials?: TemporaryCredentials; readonly slot?: CacheSlot } {
  try {
    const { slot, hit } = lookUpEntry(options, context.env, Date.now()) ?? {};
    if (!slot || passedOverCacheHome(context.env, dirname(slot.path))) return {};
    if (!hit) return { slot };
    context.logger.debug(hitMessage(slot.path, hit.remainingMs));
    return { credentials: hit.credentials };
  } catch {
    return {};
  }
}
