import { createHash } from 'node:crypto';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../context.js';
import { HelperError } from '../../errors.js';
import { describeFsError } from '../../files/describeFsError.js';
import type { Logger } from '../../log/logger.js';
import { staleTpmLock, takeOverStaleTpmLock } from './staleTpmLock.js';
import type { Tcti } from './tcti.js';
import { tpmLockContent } from './tpmLockHolder.js';
import { tpmLockFolder } from './tpmLockFolder.js';
import { undoneOnExit } from './undoneOnExit.js';

/**
 * How long a run waits for another to finish with the TPM: one holds it for a load, a signature and the
 * flushes (a fraction of a second; seconds on a slow TPM that must create an RSA storage key).
 */
const WAIT_MS = 60_000;
const POLL_MS = 20;
/** A holder restamps its lock this often, so that one left unstamped for a while (staleTpmLock.ts) is a hung or dead run's. */
const RESTAMP_MS = 2_000;

/**
 * Runs `use` (one operation's tpm2-tools calls: load, sign, flush) while holding this user's lock on the
 * TPM, across processes. Without a resource manager the TPM has room for few objects, and each run's
 * `tpm2_flushcontext -t` flushes every transient object, another run's too: two runs at once (the AWS CLI
 * and SDKs run credential_process in parallel) failed with 0x902, 0x903 or 0x910. With a resource manager
 * the lock only costs a file. The lock is named after a hash of the TCTI, in a private folder of the
 * user's (tpmLockFolder); where none may be used, the run goes on without a lock, after a warning. The
 * wait ends, failing, once `wanted` says no (the key source is closing: serve and update stop at once).
 */
export async function withTpmLock<T>(tcti: Tcti, env: Env, logger: Logger, use: () => Promise<T>, waitMs = WAIT_MS, wanted = () => true): Promise<T> {
  const release = await lock(tcti, env, logger, waitMs, wanted);
  try {
    // Released too when a signal ends the helper meanwhile, rather than left for the next run to find dead.
    return await (release ? undoneOnExit(release, use) : use());
  } finally {
    release?.();
  }
}

async function lock(tcti: Tcti, env: Env, logger: Logger, waitMs: number, wanted: () => boolean): Promise<(() => void) | undefined> {
  const folder = tpmLockFolder(env, logger);
  if (!folder) return undefined;
  const path = join(folder, `${createHash('sha256').update(tcti.config).digest('hex').slice(0, 32)}.lock`);
  const deadline = Date.now() + waitMs;
  const content = tpmLockContent();
  for (;;) {
    try {
      // Not proper-lockfile (src/files/lockFile.ts): its signal-exit hook re-raises a SIGTERM that `serve`
      // handles itself, so that serve, once it had signed, no longer stopped cleanly.
      writeFileSync(path, content, { flag: 'wx', mode: 0o600 });
      return held(path, content, logger);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        logger.warn(`TPM: not locking the TPM against other runs of the helper: the lock folder ${folder} cannot hold a lock: ${describeFsError(error)}`);
        return undefined;
      }
    }
    const stale = staleTpmLock(path);
    if (stale && takeOverStaleTpmLock(path, stale)) {
      logger.debug(`TPM: took over the lock ${path} of a run that died or hung`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new HelperError(`unable to use the TPM: another run of the helper has held it for over ${waitMs / 1000} s (TCTI ${tcti.config})`);
    }
    if (!wanted()) throw new HelperError('unable to use the TPM: stopping, while waiting for another run of the helper to finish with it');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Keeps the lock stamped while held; the release removes it, unless another run has taken it over. */
function held(path: string, content: string, logger: Logger): () => void {
  const restamp = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // Taken over or removed: the release below finds out.
    }
  }, RESTAMP_MS);
  restamp.unref();
  return () => {
    clearInterval(restamp);
    try {
      if (readFileSync(path, 'utf8') === content) rmSync(path);
    } catch (error) {
      logger.debug(`TPM: releasing the lock ${path} failed: ${describeFsError(error)}`);
    }
  };
}
