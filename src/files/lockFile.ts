import { lstatSync, readdirSync, rmSync } from 'node:fs';
import lockfile from 'proper-lockfile';

const POLL_MS = 25;

/**
 * An exclusive lock on a file, across processes (proper-lockfile: a `<file>.lock` folder beside it, kept
 * fresh while held, and taken over once older than `staleMs`, its holder having died). While another
 * process holds it, waits at most `waitMs`, then rejects with code ELOCKED; any other failure (a read-only
 * or full disk) rejects at once. Losing the lock to a takeover is not an error: what is written under it
 * is written whole (renamed into place), so a takeover costs at most one more fetch or a lost update,
 * where proper-lockfile's default would throw from a timer and end the process. A lock no holder can have
 * left (see clearedDeadLock) is removed rather than waited on.
 */
export async function lockFile(path: string, { waitMs, staleMs }: { readonly waitMs: number; readonly staleMs: number }): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  let cleared = false;
  for (;;) {
    try {
      return await lockfile.lock(path, { realpath: false, stale: staleMs, onCompromised: () => {} });
    } catch (error) {
      if (!cleared && clearedDeadLock(`${path}.lock`, staleMs)) {
        cleared = true;
        continue;
      }
      if ((error as { code?: string }).code !== 'ELOCKED' || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/**
 * Removes what sits at the lock's name if no living holder can have left it there, which proper-lockfile
 * would wait on or fail over forever: a lock stamped more than `staleMs` ahead of the clock (the clock was
 * set back after its holder died; a holder restamps it every `staleMs / 2`), or, once older than `staleMs`,
 * a file or a folder with something in it (its locks are empty folders). True if it removed something.
 */
function clearedDeadLock(lockPath: string, staleMs: number): boolean {
  try {
    const stat = lstatSync(lockPath);
    const age = Date.now() - stat.mtimeMs;
    const stray = age > staleMs && (!stat.isDirectory() || readdirSync(lockPath).length > 0);
    if (age >= -staleMs && !stray) return false;
    rmSync(lockPath, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}
