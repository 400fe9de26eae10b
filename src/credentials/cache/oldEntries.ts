import { existsSync, lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFileKind } from './cacheFileNames.js';
import { shortcutEntryName } from './shortcut.js';

/**
 * How long after its last write an entry's credentials are surely expired: CreateSession's longest session
 * (12 hours; a chained role's is an hour at most), and an hour more for clocks.
 */
const EXPIRED_AFTER_MS = 13 * 3600_000;

/**
 * Removes the entries of `folder` not written for EXPIRED_AFTER_MS, whose credentials have expired: a renewed
 * certificate, another role or session name is a new entry, and the old ones would stay until `cache clear`
 * (QA: a certificate renewed daily left an entry a day). Then the shortcuts as old whose entry is gone (QA:
 * a session name per job left a shortcut a job), or that another build wrote (QA: each upgrade left one per
 * command line, its entry kept in use by the new build); one of this build whose entry is there is in use,
 * however old (another install that still runs writes its own again, at the cost of one slower hit). Called
 * after a store, not on a hit; entries by the file's time alone, unread. Returns how many entries went. A
 * file that cannot be looked at, read or removed is left.
 */
export function removeOldEntries(folder: string, now: number): number {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  const old = (path: string) => {
    const stat = lstatSync(path);
    return stat.isFile() && now - stat.mtimeMs >= EXPIRED_AFTER_MS;
  };
  let removed = 0;
  for (const name of names) {
    if (cacheFileKind(name) !== 'entry') continue;
    try {
      if (!old(join(folder, name))) continue;
      unlinkSync(join(folder, name));
      removed++;
    } catch {
      // Gone meanwhile, or not this user's to remove: left.
    }
  }
  for (const name of names) {
    if (cacheFileKind(name) !== 'shortcut') continue;
    const path = join(folder, name);
    try {
      if (!old(path)) continue;
      const entry = shortcutEntryName(path);
      if (entry !== undefined && existsSync(join(folder, entry))) continue;
      unlinkSync(path);
    } catch {
      // Gone meanwhile, or not this user's to remove: left.
    }
  }
  return removed;
}
