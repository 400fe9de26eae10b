/**
 * The credential cache's entries as a hit reads them: their names (the options' key), reading and judging
 * one, and the library's look for a hit before any session is made (sessionCacheHit). The library's first
 * call loads only these for a hit; withSessionCache (the locks, the writes, the refreshes), which a fetch
 * needs, and the `cache` command use them too: their bundles require one copy,
 * dist/credentials.cache.entries.cjs (scripts/build.mjs), rather than each hold its own.
 */
export * from './cacheEntry.js';
export * from './cacheKey.js';
export * from './cacheSlot.js';
export * from './entryLookup.js';
export * from './refusedForItsKey.js';
export * from './sessionCacheHit.js';
