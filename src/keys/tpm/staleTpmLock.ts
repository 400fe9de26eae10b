import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { lockHolderIsGone } from './tpmLockHolder.js';

/** A holder restamps its lock every 2 s (tpmLock.ts), so that one left unstamped for this long is a hung or dead run's. */
const STALE_MS = 10_000;

/** One lock file as it was when judged stale: which file it was, when it was last stamped, and what it said. */
export interface StaleTpmLock {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mtimeNs: bigint;
  readonly content: string;
}

/**
 * The lock at `path`, if it is abandoned: its holder no longer runs, or has not restamped it for STALE_MS
 * (it hangs, or runs in another PID namespace, where its pid cannot be checked); one stamped more than STALE_MS ahead
 * outlived a clock set back. Undefined when it is held, or gone already.
 */
export function staleTpmLock(path: string): StaleTpmLock | undefined {
  const lock = readLock(path);
  if (!lock) return undefined;
  const age = Date.now() - Number(lock.mtimeNs / 1_000_000n);
  return age > STALE_MS || age < -STALE_MS || lockHolderIsGone(lock.content) ? lock : undefined;
}

/**
 * Removes the lock judged stale, if `path` still names it: true when it did. Another run may have taken it
 * over between the judgement and now and hold a fresh lock of its own there, which a plain remove would
 * delete. So the lock is first renamed aside to a name of this run's own (atomic: whatever `path` named is
 * now this run's alone), then compared with the one judged (same file, same stamp, same content). Anything
 * else (another run's fresh lock, or the judged one restamped by a holder that woke up) is linked back under
 * `path` at once; should a third run have locked `path` in that instant, two runs share the TPM, as they
 * would without a lock.
 */
export function takeOverStaleTpmLock(path: string, stale: StaleTpmLock): boolean {
  const aside = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // gone already: the next try takes the path
  }
  const moved = readLock(aside);
  const same = moved && moved.dev === stale.dev && moved.ino === stale.ino && moved.mtimeNs === stale.mtimeNs && moved.content === stale.content;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // A third run locked `path` meanwhile: see above.
    }
  }
  rmSync(aside, { force: true });
  return same === true;
}

/** The lock file's identity, stamp and content, read through one descriptor so that they belong together. */
function readLock(path: string): StaleTpmLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { dev, ino, mtimeNs } = fstatSync(fd, { bigint: true });
    return { dev, ino, mtimeNs, content: readFileSync(fd, 'utf8') };
  } finally {
    closeSync(fd);
  }
}
