import lockfile from 'proper-lockfile';

const POLL_MS = 25;

/**
 * An exclusive lock on a file, across processes (proper-lockfile: a `<file>.lock` folder beside it, kept
 * fresh while held, and taken over once older than `staleMs`, its holder having died). While another
 * process holds it, waits at most `waitMs`, then rejects with code ELOCKED; any other failure (a read-only
 * or full disk) rejects at once. Losing the lock to a takeover is not an error: what is written under it
 * is written whole (renamed into place), so a takeover costs at most one more fetch or a lost update,
 * where proper-lockfile's default would throw from a timer and end the process.
 */
export async function lockFile(path: string, { waitMs, staleMs }: { readonly waitMs: number; readonly staleMs: number }): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await lockfile.lock(path, { realpath: false, stale: staleMs, onCompromised: () => {} });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ELOCKED' || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
