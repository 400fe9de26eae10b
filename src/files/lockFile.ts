import * as fs from 'node:fs';
import { lstatSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { nameWithRoom } from './newFile.js';
import { clearedDeadLock, deepLockError, othersLock, removeStaleLock, swappableLockError } from './staleLocks.js';
import lockfile from 'proper-lockfile';
import onExit from 'signal-exit';
// Imported after proper-lockfile: a copy of the package without its dependencies names that one first.
import { signalExitFirst } from './signalExitFirst.js';

const POLL_MS = 25;

/**
 * The lock folders this process made and has not removed, by the identity of the folder it made (see
 * folderIdentity): removed as it exits, a signal ending it too, if they are still that folder.
 */
const made = new Map<string, string>();
onExit(() => {
  for (const path of made.keys()) {
    try {
      removeIfMade(path);
    } catch {
      // Left, to be taken over once stale: nothing more can be done as the process ends.
    }
  }
});
// Ahead of a program's own listeners: a service using the library stops its own way (signalExitFirst).
signalExitFirst();

/** A folder's inode and creation time: another folder made at the same path after it is another. */
function folderIdentity(path: string): string | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  return stat && `${stat.ino}:${stat.birthtimeMs}`;
}

/**
 * Removes the lock folder this process made at `path`, and nothing another process has made there since it lost
 * it (another folder there, or none, is left as it is). Throws the fs error of a folder that could not be removed
 * (EIO, a file in it): it stays, and is taken over once stale; the lock's release says so rather than nothing.
 */
function removeIfMade(path: string): void {
  try {
    if (folderIdentity(path) === made.get(path)) fs.rmdirSync(path);
  } catch (error) {
    // Gone already: nothing to remove.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    made.delete(path);
  }
}

/**
 * proper-lockfile's file system, but its lock folder is made 0700 as every folder of the helper's is
 * (proper-lockfile's is 0777 less the umask: under umask 000, a lock a killed run left took other users'
 * files, which kept every later run from clearing it), and made and removed synchronously, noted in
 * `made` in the same step: proper-lockfile notes a lock for its own exit hook only once it has probed the
 * folder's time, so a Ctrl-C in between left a lock that held up the next run for 10 to 30 s.
 *
 * A stale lock it takes over is removed only if it is still stale at that moment. proper-lockfile removes
 * what it found stale a few steps earlier: when several processes waited on a dead lock, one took it over
 * and made a fresh lock, and the others removed that one and took it too (QA: 6 CreateSessions of 10 runs
 * where one was due).
 */
const lockFs = (staleMs: number) => ({
  ...fs,
  mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
    settle(() => (fs.mkdirSync(path, 0o700), made.set(path, folderIdentity(path) ?? '')), callback),
  // A lock lost to another process is theirs now: releasing it removes nothing. One this process made is
  // removed only if it is still the folder it made (proper-lockfile removes it when it cannot stamp it).
  rmdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
    settle(() => {
      if (lost.has(path)) return made.delete(path);
      if (made.has(path)) return removeIfMade(path);
      if (stamps.has(resolve(path))) return fs.rmdirSync(path);
      return removeStaleLock(path, staleMs);
    }, callback),
  // The times this process stamps its locks with (see HeldLock's stillHeld): pending while the stamp goes out.
  utimes: (path: string, atime: Date, mtime: Date, callback: (error: NodeJS.ErrnoException | null) => void) => {
    const stamp = stamps.get(resolve(path));
    if (stamp) stamp.pending = mtime.getTime();
    fs.utimes(path, atime, mtime, (error) => {
      if (stamp && !error) stamp.confirmed = stamp.pending!;
      if (stamp) stamp.pending = undefined;
      callback(error);
    });
  },
});

/** The time each lock this process holds was stamped with, and the one it is being stamped with. */
const stamps = new Map<string, { confirmed: number; pending?: number }>();
/** The locks this process lost to a takeover and is releasing. */
const lost = new Set<string>();

function settle(step: () => unknown, callback: (error: NodeJS.ErrnoException | null) => void): void {
  let failure: NodeJS.ErrnoException | null = null;
  try {
    step();
  } catch (error) {
    failure = error as NodeJS.ErrnoException;
  }
  // On a promise's turn, not process.nextTick's, which test runners' fake timers (Jest's) hold back until
  // the test moves the clock: the library's calls with `cache` waited for ever on the lock (QA).
  void Promise.resolve(failure).then(callback);
}

/**
 * An exclusive lock on a file, across processes (proper-lockfile: a `<file>.lock` folder beside it, kept
 * fresh while held, and taken over once older than `staleMs`, its holder having died). While another
 * process holds it, waits at most `waitMs`, then rejects with code ELOCKED; any other failure (a read-only
 * or full disk) rejects at once. Losing the lock to a takeover is not an error: what is written under it
 * is written whole (renamed into place), so a takeover costs at most one more fetch or a lost update,
 * where proper-lockfile's default would throw from a timer and end the process. A lock no holder can have
 * left (see clearedDeadLock) is removed rather than waited on; another user's is never touched. `wanted`,
 * asked before each try, ends the wait when the caller no longer wants the lock (it is stopping): rejects
 * with code ECANCELED. `waiting` is called once, when the lock is first found held, with the user ID of
 * its holder if that is another user.
 */
export async function lockFile(
  file: string,
  {
    waitMs,
    staleMs,
    wanted = () => true,
    waiting = () => {},
  }: { readonly waitMs: number; readonly staleMs: number; readonly wanted?: () => boolean; readonly waiting?: (otherUser?: number) => void },
): Promise<HeldLock> {
  // What is locked: the file, or, for a name too long to take `.lock`, that name cut (see nameWithRoom).
  const path = join(dirname(file), nameWithRoom(basename(file)));
  // On a clock that never steps: one set back meanwhile would add the step to the wait (QA time).
  const deadline = performance.now() + waitMs;
  let cleared = false;
  let waited = false;
  for (;;) {
    if (!wanted()) throw Object.assign(new Error('the lock is no longer wanted'), { code: 'ECANCELED' });
    // Another user's lock is waited on while fresh, never touched: proper-lockfile would remove a stale
    // one. A stale one will not go away by waiting.
    const foreign = othersLock(`${path}.lock`, staleMs);
    if (foreign) {
      if (performance.now() >= deadline || foreign.stale) throw foreign.error;
      if (!waited) waiting(foreign.uid);
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    try {
      const lockPath = resolve(`${path}.lock`);
      let compromised = false;
      // Taken over (its holder seemed dead): the lock is another's now, not this process's to remove as it exits.
      const onCompromised = () => {
        compromised = true;
        made.delete(lockPath);
      };
      // A new one each time: proper-lockfile keeps the precision of the times it probed on the object, and
      // another lock may be on a file system of another precision.
      const release = await lockfile.lock(path, { realpath: false, stale: staleMs, onCompromised, fs: lockFs(staleMs) });
      // Its time as taken (the first lock of a process is stamped by proper-lockfile's probe, later ones keep mkdir's).
      stamps.set(lockPath, { confirmed: lstatSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? Number.NaN });
      const stillHeld = () => !compromised && stampedByUs(lockPath);
      return {
        release: async () => {
          const taken = !stillHeld();
          if (taken) {
            lost.add(lockPath);
            made.delete(lockPath);
          }
          try {
            await release();
          } catch (error) {
            // proper-lockfile found it compromised, and let it go already.
            if (!taken) throw error;
          } finally {
            lost.delete(lockPath);
            stamps.delete(lockPath);
          }
        },
        stillHeld,
      };
    } catch (error) {
      if (!cleared && clearedDeadLock(`${path}.lock`, staleMs)) {
        cleared = true;
        continue;
      }
      // A stale lock proper-lockfile could not remove holds folders with something in them, which no lock
      // leaves and clearedDeadLock does not go into: waiting will not remove them.
      if ((error as { code?: string }).code === 'ENOTEMPTY') throw deepLockError(`${path}.lock`) ?? swappableLockError(`${path}.lock`) ?? error;
      // The lock this process had just made was removed before it could stamp it (another process took a
      // stale lock over as it was being replaced): waited on as a held one. Not when the folder is gone.
      const lostAsMade = (error as { code?: string }).code === 'ENOENT' && fs.existsSync(dirname(resolve(path)));
      if ((error as { code?: string }).code !== 'ELOCKED' && !lostAsMade) throw error;
      if (performance.now() >= deadline) {
        const held = Object.assign(new Error(`another process has held its lock, ${path}.lock, for over ${Math.round(waitMs / 1000)} s`), { code: 'ELOCKED' });
        throw othersLock(`${path}.lock`, staleMs)?.error ?? held;
      }
      if (!waited) waiting();
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/**
 * A lock lockFile took: `release()` ends it, and rejects with the fs error if its folder could not be removed
 * (it stays, and another run takes it over once it is stale: callers say so, and go on); `stillHeld()` says
 * whether it is still this process's, for a write that must not land if it is not (a stall past the stale
 * bound, a slow disk's fsync or a stopped process, lets another process take it over): false once
 * proper-lockfile found it compromised, or when its folder is gone or bears another time than this process
 * stamped it with, as proper-lockfile itself tells.
 * Released once lost, it is left to the process that has it now.
 */
export interface HeldLock {
  release(): Promise<void>;
  stillHeld(): boolean;
}

function stampedByUs(lockPath: string): boolean {
  const stat = lstatSync(lockPath, { throwIfNoEntry: false });
  const stamp = stamps.get(lockPath);
  if (stat === undefined || stamp === undefined) return false;
  // libuv keeps microseconds of a stamp: its mtimeMs is a fraction of a millisecond off.
  return [stamp.confirmed, stamp.pending].some((time) => time !== undefined && Math.abs(stat.mtimeMs - time) < 1);
}
