import type { Env } from '../../context.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import type { RolesAnywhereOptions } from '../rolesAnywhereSession.js';
import { readEntry } from './cacheEntry.js';
import { cacheSlotFor, type CacheSlot } from './cacheSlot.js';
import { refusedForItsKey } from './refusedForItsKey.js';

/** Where these options' entry is, and, when it is a hit, the credentials it holds with the validity left. */
export interface EntryLookup {
  readonly slot: CacheSlot;
  readonly hit?: { readonly credentials: TemporaryCredentials; readonly remainingMs: number };
}

/**
 * The entry these options would be handed out from, read as a hit reads it: the certificate (and chain) for
 * its key, and the entry, nothing else (no key, no session). Undefined when there is no cache folder, or when
 * the options and the certificate say the key source would refuse them (refusedForItsKey); no `hit` when the
 * entry holds nothing to hand out (missing, expiring, untrusted, damaged). What answers a hit before any
 * session is made: `credential-process --cache`'s (src/cli/cacheHit.ts) and the library's first call
 * (sessionCacheHit).
 */
export function lookUpEntry(options: RolesAnywhereOptions, env: Env, now: number): EntryLookup | undefined {
  if (refusedForItsKey(options)) return undefined;
  const slot = cacheSlotFor(options, env);
  if (!slot) return undefined;
  const reading = readEntry(slot.path, slot.key, now);
  return 'credentials' in reading ? { slot, hit: { credentials: reading.credentials, remainingMs: reading.remainingMs } } : { slot };
}
