import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';

const POLL_MS = 25;

/**
 * An exclusive lock on a cache entry, across processes (proper-lockfile: a lock folder beside the entry,
 * kept fresh while held and taken over once stale). While another process holds it, waits at most
 * `waitMs`, then rejects with code ELOCKED; any other failure (a read-only or full disk) rejects at once.
 */
export async function lockEntry(path: string, waitMs: number): Promise<() => Promise<void>> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await lockfile.lock(path, {
        realpath: false,
        stale: 30_000,
        // Losing the lock (a stale takeover by another process) only costs that process one more CreateSession.
        onCompromised: () => {},
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ELOCKED' || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
