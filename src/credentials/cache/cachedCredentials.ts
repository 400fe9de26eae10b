import { statfsSync } from 'node:fs';
import { makeFolders } from '../../files/makeFolders.js';
import { dirname } from 'node:path';
import type { Context } from '../../context.js';
import { HelperError, InterruptedError, OperationStoppedError, reasonOf } from '../../errors.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { describeFsError } from '../../files/describeFsError.js';
import type { CredentialProvider } from '../credentialProvider.js';
import { CACHE_LOCK_STALE_MS, hitMessage, MAX_REMAINING_MS, MIN_REMAINING_MS, readEntry, validFor, writeEntry, writeMarker, type CertificateValidity, type EntryMarker, type EntryReading } from './cacheEntry.js';
import { failedAtTheService, keptAfterFailure, recordFailedRefresh, RETRY_AFTER_FAILURE_MS } from './failedRefresh.js';
import type { CacheSlot } from './cacheSlot.js';
import { removeOldEntries } from './oldEntries.js';
import type { HeldLock } from '../../files/lockFile.js';
import { DEFAULT_RETRY_POLICY, WAITING_NOTICE_MS } from '../../http/retry.js';

export interface CacheOptions {
  readonly now?: () => number;
  /** How long to wait for another process's CreateSession before making one (default 33 s: LOCK_WAIT_MS). */
  readonly lockWaitMs?: number;
  /** The validity of the certificate the credentials fetched were had with, stored with them: an entry without it is not handed out (see readEntry). */
  readonly certificateValidity: () => Promise<CertificateValidity | undefined>;
  /** Why the fetch is no longer wanted (its session closed), checked while the lock is waited for; undefined while it is. */
  readonly stopped?: () => string | undefined;
}

/**
 * Adds the shared credential cache to a provider. Many processes that miss at once make one CreateSession:
 * an exclusive lock per entry, a second look inside it (another process may have just written the entry),
 * then the fetch and an atomic write. A process that waits too long for the lock fetches for itself. The
 * cache never makes a fetch fail: a damaged, foreign or unwritable entry or folder means no caching, with
 * at most one warning each time the provider is called.
 */
export function cachedCredentials(fetch: CredentialProvider, slot: CacheSlot, context: Context, options: CacheOptions): CredentialProvider {
  const { logger } = context;
  const now = options.now ?? Date.now;
  const file = slot.path;
  return async (fetchOptions) => {
    // The SDK's forceRefresh: the entry is neither handed out nor kept on a failure, and is written over.
    const force = fetchOptions?.forceRefresh === true;
    let warned = false;
    const warn = (message: string) => {
      if (!warned) logger.warn(message);
      warned = true;
    };
    // The second look, inside the lock, says only what changed meanwhile: a hit another process wrote.
    const look = (again: boolean, reading = readEntry(file, slot.key, now())) => {
      if ('credentials' in reading) {
        logger.debug(hitMessage(file, reading.remainingMs, again));
        return reading.credentials;
      }
      if (!reading.missing) warn(`ignoring the cached credentials ${file}: ${reading.unusable}`);
      else if (!again) logger.debug(`credential cache: ${reading.expired ? 'refresh' : 'miss'} (${file}: ${reading.unusable})`);
      return undefined;
    };

    /**
     * A refresh that failed: the entry's credentials while they are still valid, as serve, update and the
     * library keep their last good ones (an outage of the endpoint does not fail every AWS CLI call of the
     * entry's last 15 minutes), with a warning naming the failure; else the failure. A failure at the
     * service (one every run would meet, not a wrong password of this run's) is recorded, under the lock.
     */
    const lastGoodOrThrow = (error: unknown, lock: HeldLock | undefined) => {
      // Stopped by the session's close(): nobody is there to hand the entry's credentials to (review: a warning after close()).
      // Ctrl-C at the key's prompt: the command ends, as of the signal (review: the entry was handed out with a warning).
      if (force || error instanceof OperationStoppedError || error instanceof InterruptedError) throw error;
      const reading = readEntry(file, slot.key, now());
      if ('credentials' in reading) return reading.credentials;
      if (!reading.lastGood) {
        // Nothing to keep: the runs waiting for this one's fetch are told how it failed (see EntryMarker).
        if (lock && failedAtTheService(error)) mark({ failedAt: new Date(now()), failure: reasonOf(error) }, lock);
        throw error;
      }
      const recorded = lock !== undefined && failedAtTheService(error) && recordFailedRefresh(slot, reading.lastGood, lock, context, now);
      logger.warn(
        `unable to refresh the cached credentials (${reasonOf(error)}); handing out those of ${file}, ${validFor(reading.lastGood.remainingMs)}` +
          (recorded ? ` (next try in ${RETRY_AFTER_FAILURE_MS / 1000} s)` : ''),
      );
      return reading.lastGood.credentials;
    };
    /** A marker in place of the entry, only while the lock is still this process's. */
    const mark = (marker: EntryMarker, lock: HeldLock) => {
      try {
        writeMarker(file, slot.key, marker, () => {
          if (!lock.stillHeld()) throw new Error('the lock was taken over');
        });
      } catch (error) {
        logger.debug(`credential cache: no marker written (${file}): ${describeFsError(error)}`);
      }
    };
    /** The failure of the fetch this run waited for (it started waiting at `since`), as its own: not the same call again. */
    const failedMeanwhile = (reading: EntryReading, since: number) => {
      const failure = 'failure' in reading ? reading.failure : undefined;
      // One dated ahead of the clock (recorded while the clock was set ahead) is no run's waited for: it would
      // otherwise fail every run until the clock caught up with it (QA).
      if (failure && failure.at >= since && failure.at <= now()) {
        throw new HelperError(`${failure.reason} (the CreateSession of another run this one waited for; not tried again at once)`);
      }
    };
    const first = readEntry(file, slot.key, now());
    if ('folderUntrusted' in first && first.folderUntrusted) {
      // Neither read, locked in nor written to: someone else could put there what they like.
      warn(`not using the credential cache in ${dirname(file)}: ${first.unusable.replace(/^its folder /, 'it ')}`);
      return fetch(fetchOptions);
    }
    if ('shortLived' in first && first.shortLived) {
      logger.debug(`credential cache: not used (${file}): ${first.unusable}`);
      return fetch(fetchOptions);
    }
    if (force) logger.debug(`credential cache: refresh forced (${file})`);
    const cached = force ? undefined : look(false, first);
    if (cached) return cached;
    // In the entry's last 15 minutes its credentials still serve: while a refresh that failed is not due
    // again, or another process is making one, they are handed out without waiting for the endpoint.
    const kept = !force && 'lastGood' in first ? first.lastGood : undefined;
    const waitedOut = keptAfterFailure(kept, file, context, now);
    if (waitedOut) return waitedOut;
    if (noRoomIn(dirname(file))) {
      // The lock folder could be made but no entry written: runs would queue for a lock whose holder stores
      // nothing (QA: 10 runs took up to 14 s). No caching, as on a read-only folder.
      warn(`not using the credential cache in ${dirname(file)}: no space left on device`);
      try {
        return await fetch(fetchOptions);
      } catch (error) {
        return lastGoodOrThrow(error, undefined);
      }
    }
    // While another process refreshes the entry, its credentials are handed out at once, unless so little is
    // left that the SDKs would take them for expired (QA: 6 s left, through the AWS CLI): then its refresh is waited for.
    const keptWhileRefreshing = kept && kept.remainingMs > WAIT_FOR_REFRESH_BELOW_MS ? kept : undefined;
    // Loaded for a lock only: proper-lockfile, graceful-fs and signal-exit's listeners cost a hit, which
    // takes none, more than the rest of its work (a program with the library's `cache: true`).
    const { lockFile } = await import('../../files/lockFile.js');
    let lock: HeldLock | undefined;
    // Waited for the lock in vain: what is fetched is stored all the same (whole, as ever), so that the next
    // run has it at once even if the lock stays taken (a holder that hangs).
    let gaveUp = false;
    const waitingSince = now();
    // Said once, as a CreateSession of this run's own that goes unanswered is (QA: the runs waiting on a
    // hanging one printed nothing for 30 s; and the holder may be at a prompt, not a CreateSession).
    const waitingNotice = setTimeout(() => logger.info(`waiting for another run's CreateSession (or its prompt for a password or PIN), which holds the lock of ${file}`), WAITING_NOTICE_MS).unref();
    try {
      makeFolders(dirname(file), 0o700);
      // A lock lost to a takeover (this process stalled) costs at most one more fetch: entries are written whole.
      const wanted = () => options.stopped?.() === undefined;
      lock = await lockFile(file, { waitMs: keptWhileRefreshing ? 0 : (options.lockWaitMs ?? LOCK_WAIT_MS), staleMs: CACHE_LOCK_STALE_MS, wanted });
    } catch (error) {
      // The session closed while another process's CreateSession was waited for (review: up to 33 s after close()).
      if ((error as { code?: string }).code === 'ECANCELED') {
        throw new OperationStoppedError(`stopped waiting for another process's CreateSession (${file}): ${options.stopped?.()}`);
      }
      gaveUp = (error as { code?: string }).code === 'ELOCKED';
      if (gaveUp) {
        // What the process holding the lock (or another run that gave up too) may have stored meanwhile.
        const reading = readEntry(file, slot.key, now());
        const stored = force ? undefined : look(true, reading);
        if (stored) return stored;
        if (!force) failedMeanwhile(reading, waitingSince);
        if (keptWhileRefreshing) {
          // Its refresh is under way: the entry's credentials meanwhile.
          logger.debug(`credential cache: another process is refreshing ${file}; handing out its credentials, ${validFor(keptWhileRefreshing.remainingMs)}`);
          return keptWhileRefreshing.credentials;
        }
        logger.debug(`credential cache: gave up waiting for another process; fetching`);
      } else warn(`unable to use the credential cache in ${dirname(file)}: ${folderFailure(error)}`);
    } finally {
      clearTimeout(waitingNotice);
    }
    try {
      if (lock && !force) {
        const again = readEntry(file, slot.key, now());
        const current = look(true, again) ?? keptAfterFailure('lastGood' in again ? again.lastGood : undefined, file, context, now);
        if (current) return current;
        failedMeanwhile(again, waitingSince);
      }
      let credentials: TemporaryCredentials;
      try {
        credentials = await fetch(fetchOptions);
      } catch (error) {
        return lastGoodOrThrow(error, lock);
      }
      const remainingMs = credentials.expiration.getTime() - now();
      const store = lock !== undefined || gaveUp;
      if (store && remainingMs <= MIN_REMAINING_MS) {
        // Shorter-lived than asked for (the profile's own duration caps the session): an entry would never be
        // served, and until these expire the runs go without the lock (see EntryMarker).
        logger.debug(`credential cache: not stored (${file}): the credentials expire in ${Math.round(remainingMs / 60_000)} min, too soon to be handed out again`);
        if (lock) mark({ shortLivedUntil: credentials.expiration }, lock);
      } else if (store && remainingMs > MAX_REMAINING_MS) {
        // An entry that every run would refuse (see MAX_REMAINING_MS), with a warning each time.
        logger.debug(`credential cache: not stored (${file}): they expire at ${credentials.expirationText}, past any session's 12 hours (this clock behind?)`);
      } else if (store) {
        let certificate: CertificateValidity | undefined;
        try {
          certificate = await options.certificateValidity();
        } catch (error) {
          // The key source closed meanwhile (the library's close() during a refresh): nothing wrong with the cache.
          logger.debug(`credential cache: not stored (${file}): the certificate's validity is not known: ${reasonOf(error)}`);
          return credentials;
        }
        try {
          writeEntry(file, slot.key, credentials, { certificate });
          logger.debug(`credential cache: stored ${file}`);
          const removed = removeOldEntries(dirname(file), now());
          if (removed) logger.debug(`credential cache: removed ${removed} entr${removed === 1 ? 'y' : 'ies'} not written for 13 hours, whose credentials have expired`);
        } catch (error) {
          warn(`unable to cache the credentials in ${dirname(file)}: ${describeFsError(error)}`);
        }
      }
      return credentials;
    } finally {
      // A lock left behind (its folder could not be removed: EIO, a file system remounted read-only) holds the
      // next run up until it is stale: said, where it went unsaid; the credentials are handed out all the same.
      await lock?.release().catch((error: unknown) =>
        logger.warn(`unable to remove the lock of credential cache entry ${file}: ${describeFsError(error)}; a run that needs it waits until it is ${CACHE_LOCK_STALE_MS / 1000} s old`),
      );
    }
  };
}

/**
 * How long a run waits for another's CreateSession (the entry's lock) before making one itself: that call's
 * own bound, over every Region and the chained role, and a few seconds to sign and store. During an outage
 * the runs waiting then learn its outcome rather than each make the whole call again (QA: with 12 s, three
 * runs against an endpoint that hung took up to 42 s and made it 9 CreateSessions, not 3).
 */
const LOCK_WAIT_MS = DEFAULT_RETRY_POLICY.deadlineMs + 3_000;

/**
 * Less validity than this, and an entry's credentials are not handed out while another process refreshes
 * it: the JS SDK takes credentials with 5 minutes left for expired (and asks again at once), botocore with
 * 10 minutes left must refresh them.
 */
const WAIT_FOR_REFRESH_BELOW_MS = 10 * 60_000;

/**
 * Why the cache's folder (or an entry's lock folder) could not be used: a folder mkdir(2) refused is named, as
 * it may be one above the cache folder (QA: "…/credentials: permission denied" for a ~/.cache that `sudo`
 * left root's, where no credentials/ folder is there to look at).
 */
function folderFailure(error: unknown): string {
  const { syscall, path } = error as NodeJS.ErrnoException;
  return syscall === 'mkdir' && path ? `cannot make the folder ${path}: ${describeFsError(error)}` : describeFsError(error);
}

/** Whether the folder's filesystem has no room left for an entry (a few kB); a folder not made yet has room. */
function noRoomIn(folder: string): boolean {
  try {
    const { bavail, bsize, ffree } = statfsSync(folder);
    return bavail * bsize < 64 * 1024 || ffree === 0;
  } catch {
    return false;
  }
}
