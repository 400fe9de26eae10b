import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRY_NAME } from './cacheFileNames.js';

/**
 * How long after its last write an entry's credentials are surely expired: CreateSession's longest session
 * (12 hours; a chained role's is an hour at most), and an hour more for clocks.
 */
const EXPIRED_AFTER_MS = 13 * 3600_000;

/**
 * Removes the entries of `folder` not written for EXPIRED_AFTER_MS, whose credentials have expired: a renewed
 * certificate, another role or session name is a new entry, and the old ones would stay until `cache clear`
 * (QA: a certificate renewed daily left an entry a day). Called after a store, not on a hit; by the file's
 * time alone, no entry read. Returns how many went. A file that cannot be looked at or removed is left.
 */
export function removeOldEntries(folder: string, now: number): number {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!ENTRY_NAME.test(name)) continue;
    const path = join(folder, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isFile() || now - stat.mtimeMs < EXPIRED_AFTER_MS) continue;
      unlinkSync(path);
      removed++;
    } catch {
      // Gone meanwhile, or not this user's to remove: left.
    }
  }
  return removed;
}
