import { lstatSync, readdirSync, renameSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { lockAsidePath } from './lockAside.js';
import { isOwnedByUs, swappableFolderOnWay } from './trustedFile.js';

// The locks lockFile finds at a lock's name that this process did not make: removed if no living holder
// can have left them (stale, stamped ahead of the clock, holding files), each looked at again as it is
// removed; else the error that says why they stay (another user's, or holding what no lock leaves).

/**
 * Removes the stale lock at `path` that proper-lockfile found, if it is still stale; throws ELOCKED, as
 * proper-lockfile does for a held lock, if it is not (another process has just taken it over), and ENOENT,
 * which proper-lockfile takes as removed, if it is gone already: another process may be about to make its
 * own there.
 */
export function removeStaleLock(path: string, staleMs: number): void {
  const stale = (stat: Stats) => Date.now() - stat.mtimeMs > staleMs;
  // Looked at in place first: proper-lockfile's look is a turn of the event loop old, in which another run
  // may have taken the lock over; its fresh lock is left untouched rather than moved aside for a moment, in
  // which its holder would find it gone, and a third run take the lock as well.
  const now = lstatSync(path, { throwIfNoEntry: false });
  const removed = !now ? 'gone' : stale(now) ? removedIfStill(path, stale, (aside) => rmdirSync(aside)) : 'kept';
  if (removed === 'gone') throw Object.assign(new Error(`${path} is gone`), { code: 'ENOENT' });
  if (removed === 'kept') throw Object.assign(new Error('Lock file is already being held'), { code: 'ELOCKED' });
}

/**
 * Removes what is at a lock's name if `dead` still says so of it, moved aside first (one rename, atomic)
 * and looked at there, so that what is removed is what was looked at: looked at in place and then removed,
 * a dead lock several processes had found was taken over by one, and the others, between their look and
 * their removal, removed the fresh lock it had made in its place and took the lock too (CI: two
 * CreateSessions of ten runs started on a killed run's lock). What is not dead, or cannot be removed
 * (`remove` throws), is put back. While it is aside, its holder finds it gone (and may leave it, which
 * then waits out the stale bound) and a third run may make its own lock, which putting it back replaces:
 * callers look in place first (see removeStaleLock), so that this takes another run's takeover within the
 * moment between that look and the rename, and then a third run's step within the moment it is aside. A
 * run killed between the two renames leaves the aside name (`.<lock>.<pid>.<random>.gone`), which `cache clear`
 * removes from the credential cache.
 */
function removedIfStill(path: string, dead: (stat: Stats, aside: string) => boolean, remove: (aside: string) => void): 'removed' | 'kept' | 'gone' {
  const aside = lockAsidePath(path);
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    if (dead(lstatSync(aside), aside)) {
      remove(aside);
      return 'removed';
    }
  } catch (error) {
    renameSync(aside, path);
    throw error;
  }
  renameSync(aside, path);
  return 'kept';
}

/**
 * Removes what sits at the lock's name if no living holder can have left it there, which proper-lockfile
 * would wait on or fail over forever: a lock stamped more than `staleMs` ahead of the clock (the clock was
 * set back after its holder died; a holder restamps it every `staleMs / 2`), or, once older than `staleMs`,
 * a file or a folder with something in it (its locks are empty folders). Only this user's, and nothing
 * below its first level: another user's (planted beside a file in /tmp) may hold links that a recursive
 * removal would follow into the user's own folders. True if it removed something.
 */
export function clearedDeadLock(lockPath: string, staleMs: number): boolean {
  const dead = (stat: Stats, path: string) => {
    if (!isOwnedByUs(stat.uid)) return false;
    const age = Date.now() - stat.mtimeMs;
    return age < -staleMs || (age > staleMs && (!stat.isDirectory() || readdirSync(path).length > 0));
  };
  // Files and empty folders in it, as a holder that died while writing could leave; anything deeper stays.
  // Not where another user may rename what the folder holds, or a folder on the way: what was looked at may be
  // their link to another folder by now, whose files the listing and removals would take (hostile-user QA:
  // root's update, with a user's HOME, emptied a folder of /root). rmdir leaves a folder with something in it.
  const remove = (aside: string) => {
    if (!lstatSync(aside).isDirectory()) return unlinkSync(aside);
    if (!swappableLockFolder(lockPath)) {
      for (const entry of readdirSync(aside, { withFileTypes: true })) {
        const inside = join(aside, entry.name);
        if (entry.isDirectory()) rmdirSync(inside);
        else unlinkSync(inside);
      }
    }
    rmdirSync(aside);
  };
  try {
    // Looked at in place first: another user's is never moved, and a living holder's lock is left where it is.
    if (!dead(lstatSync(lockPath), lockPath)) return false;
    return removedIfStill(lockPath, dead, remove) === 'removed';
  } catch {
    return false;
  }
}

/** The error to give for a lock folder that holds a folder with something in it (undefined: it does not). */
export function deepLockError(lockPath: string): Error | undefined {
  try {
    const deep = readdirSync(lockPath, { withFileTypes: true }).find((entry) => entry.isDirectory() && readdirSync(join(lockPath, entry.name)).length > 0);
    if (!deep) return undefined;
    return Object.assign(new Error(`${lockPath} holds ${join(lockPath, deep.name)}, which no lock leaves: remove ${lockPath}, if no update is running`), { code: 'ENOTEMPTY' });
  } catch {
    return undefined;
  }
}

/**
 * Why another user could rename what the lock's folder holds, or a folder on the way to it (undefined: only
 * this user and root can): one of them is theirs, or everyone may write it without the sticky bit.
 */
function swappableLockFolder(lockPath: string): string | undefined {
  const swappable = swappableFolderOnWay(dirname(resolve(lockPath)));
  return swappable && `another user could swap the folder for a link meanwhile (${swappable})`;
}

/** The error to give for a stale lock folder of ours with files in it, left where it is (see clearedDeadLock); undefined when it is not that. */
export function swappableLockError(lockPath: string): Error | undefined {
  try {
    const where = swappableLockFolder(lockPath);
    if (!where || readdirSync(lockPath).length === 0) return undefined;
    return Object.assign(new Error(`${lockPath} holds files, which no lock leaves; they are not removed, as ${where}: remove ${lockPath} yourself if no update is running`), { code: 'ENOTEMPTY' });
  } catch {
    return undefined;
  }
}

/** The error to give for another user's lock (undefined: none there, or ours), and whether it is stale. */
export function othersLock(lockPath: string, staleMs: number): { readonly error: Error; readonly stale: boolean; readonly uid: number } | undefined {
  const stat = lstatSync(lockPath, { throwIfNoEntry: false });
  if (!stat || isOwnedByUs(stat.uid)) return undefined;
  const error = Object.assign(new Error(`${lockPath} is another user's (uid ${stat.uid}): remove it, if no update of theirs is running`), { code: 'ELOCKED' });
  return { error, stale: Date.now() - stat.mtimeMs > staleMs, uid: stat.uid };
}
