import type { Context } from '../../context.js';
import { ServiceCallError } from '../../errors.js';
import { describeFsError } from '../../files/describeFsError.js';
import type { HeldLock } from '../../files/lockFile.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { readEntry, validFor, writeEntry, type LastGood } from './cacheEntry.js';
import type { CacheSlot } from './cacheSlot.js';

// An entry in its last 15 minutes whose refresh failed at the service: its credentials, still valid, are
// handed out at once for a while, rather than each run (the AWS CLI runs one per command) wait for an
// endpoint that does not answer.

/** After a refresh of an entry in its last 15 minutes failed, how long its credentials are handed out before the next try. */
export const RETRY_AFTER_FAILURE_MS = 60_000;

/** Whether a refresh failed at the service (its endpoint unreachable, or its answer), as every run would, rather than at this run's key. */
export function failedAtTheService(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) if (cause instanceof ServiceCallError) return true;
  return false;
}

/** The entry's credentials, with a warning, when a refresh of them failed less than RETRY_AFTER_FAILURE_MS ago; else undefined. */
export function keptAfterFailure(kept: LastGood | undefined, file: string, { logger }: Context, now: () => number): TemporaryCredentials | undefined {
  const failedAgo = kept?.refreshFailedAt === undefined ? undefined : now() - kept.refreshFailedAt;
  if (!kept || failedAgo === undefined || failedAgo < 0 || failedAgo >= RETRY_AFTER_FAILURE_MS) return undefined;
  logger.warn(
    `the cached credentials' refresh failed ${Math.round(failedAgo / 1000)} s ago; handing out those of ${file}, ` +
      `${validFor(kept.remainingMs)} (next try in ${Math.ceil((RETRY_AFTER_FAILURE_MS - failedAgo) / 1000)} s)`,
  );
  return kept.credentials;
}

/**
 * Records in the entry, kept as it is, that its refresh failed: only while the lock is still this
 * process's and the entry still holds those credentials (not over fresh ones another process stored
 * after taking the lock over). Says whether it did.
 */
export function recordFailedRefresh(slot: CacheSlot, kept: LastGood, lock: HeldLock, { logger }: Context, now: () => number): boolean {
  try {
    writeEntry(slot.path, slot.key, kept.credentials, {
      certificate: kept.certificate,
      refreshFailedAt: new Date(now()),
      beforeRename: () => {
        const current = readEntry(slot.path, slot.key, now());
        const same = 'lastGood' in current && current.lastGood?.credentials.accessKeyId === kept.credentials.accessKeyId;
        if (!lock.stillHeld() || !same) throw new Error('the entry changed meanwhile');
      },
    });
    return true;
  } catch (error) {
    logger.debug(`credential cache: the failed refresh not recorded (${slot.path}): ${describeFsError(error)}`);
    return false;
  }
}
