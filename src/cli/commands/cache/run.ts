import { lstatSync, readdirSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { cacheTurnedOff, credentialCacheFolder, missingHomeFolder, noCacheFolderReason, noHomeFolder, passedOverCacheHome, untrustedCacheFolder } from '../../../files/cacheFolder.js';
import { HelperError, UsageError } from '../../../errors.js';
import { describeFsError } from '../../../files/describeFsError.js';
import type { CommandRun } from '../../command.js';
import { CACHE_LOCK_STALE_MS } from '../../../credentials/cache/cacheEntry.js';
import { cacheFileKind, type CacheFileKind } from '../../../credentials/cache/cacheFileNames.js';
import { isStaleTemporary } from '../../../files/newFile.js';

/**
 * `cache clear`: removes the credential cache's entries and shortcuts (and what dead runs left with them),
 * and only what the cache writes: a file or a folder of another name or kind (a README, a link) stays.
 */
export const run: CommandRun<Record<never, never>> = async (_flags, { positionals, env, logger }) => {
  if (positionals[0] !== 'clear' || positionals.length > 1) {
    throw new UsageError(`cache needs one action: clear (got ${positionals.length ? `"${positionals.join(' ')}"` : 'none'})`);
  }
  const folder = credentialCacheFolder(env);
  const passedOver = folder && passedOverCacheHome(env, folder);
  if (passedOver) logger.warn(passedOver);
  // A test suite that turned the cache off may clear it all the same (docs/emulator.md has suites clear it as they start).
  if (!folder && cacheTurnedOff(env)) {
    logger.info('the credential cache is off (ROLES_ANYWHERE_HELPER_CACHE_DIR=off): nothing to clear');
    return;
  }
  // No home folder (HOME=/nonexistent, a service user's): no cache was ever kept, so none is left to clear.
  const home = folder ? undefined : missingHomeFolder(env);
  if (home) {
    logger.info(`the home folder ${JSON.stringify(home)} does not exist: no credential cache to clear`);
    return;
  }
  // No home folder at all (no HOME, a user the user database does not know): likewise, none was kept.
  if (!folder && noHomeFolder(env)) {
    logger.info('there is no home folder: no credential cache to clear');
    return;
  }
  if (!folder) throw new HelperError(`there is no credential cache: ${noCacheFolderReason(env)}`);
  // The cache's rule for a folder it writes to: clearing through a link would empty whatever folder it names.
  let problem: string | undefined;
  try {
    problem = untrustedCacheFolder(folder);
  } catch (error) {
    throw new HelperError(`unable to read the credential cache ${folder}: ${describeFsError(error)}`);
  }
  if (problem) throw new HelperError(`refusing to clear the credential cache ${folder}: it ${problem}`);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') names = [];
    else throw new HelperError(`unable to read the credential cache ${folder}: ${describeFsError(error)}`);
  }
  let removed = 0;
  for (const name of names) {
    const path = join(folder, name);
    const kind = cacheFileKind(name);
    const stat = kind && lstatSync(path, { throwIfNoEntry: false });
    if (!kind || !stat || !isWhatTheCacheWrites(kind, stat) || inUse(kind, stat)) continue;
    try {
      if (kind === 'lock') rmdirSync(path);
      else unlinkSync(path);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      // Gone meanwhile (its run ended), or a lock holding what no lock of the cache holds, which its next run deals with (lockFile).
      if (code === 'ENOENT' || (kind === 'lock' && code === 'ENOTEMPTY')) continue;
      throw new HelperError(`unable to remove ${path}: ${describeFsError(error)}`);
    }
    if (kind === 'entry') removed++;
  }
  logger.info(`removed ${removed} cached set${removed === 1 ? '' : 's'} of credentials from ${folder}`);
};

/** Whether a file of a cache name is of the kind the cache writes there: a lock is a folder, the others regular files (never a link). */
function isWhatTheCacheWrites(kind: CacheFileKind, stat: Stats): boolean {
  return kind === 'lock' ? stat.isDirectory() : stat.isFile();
}

/**
 * Whether a file is a run's in progress: the lock of an entry being fetched, or the temporary copy of one
 * being written, while fresh. Removed, the run would warn that the cache cannot be used; its entry, once
 * written, is a new one. A dead run's goes.
 */
function inUse(kind: CacheFileKind, stat: Stats): boolean {
  if (kind === 'temporary') return !isStaleTemporary(stat.mtimeMs);
  if (kind !== 'lock') return false;
  // Its holder restamps it; one dated ahead by more than its bound was left before the clock was set back (lockFile's rule).
  const age = Date.now() - stat.mtimeMs;
  return age < CACHE_LOCK_STALE_MS && age >= -CACHE_LOCK_STALE_MS;
}
