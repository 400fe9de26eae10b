import type { CredentialProvider } from '../../credentials/credentialProvider.js';
import { CredentialRefresher } from '../../credentials/credentialRefresher.js';
import { refreshInBackground } from '../../credentials/refreshInBackground.js';
import { UPDATE_REFRESH_POLICY } from '../../credentials/refreshPolicies.js';
import { unexpired } from '../../credentials/unexpired.js';
import { InterruptedError, reasonOf } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { TakenOverAfterWriteError, writeCredentialsFile } from './writeCredentialsFile.js';
import { MAKE_UNREADABLE_BY_OTHERS, modeText } from '../../files/modeText.js';

export interface KeepUpdatedOptions {
  /** The credentials file and the profile in it to write. */
  readonly path: string;
  readonly profile: string;
  readonly logger: Logger;
  /** Write once and return (a failure rejects), rather than keep the profile fresh until `stopped`. */
  readonly once: boolean;
  /** Settles when the caller stops (a signal). */
  readonly stopped: Promise<unknown>;
}

/**
 * `update`'s sink: writes the profile's credentials from `provider` into the credentials file, then (unless
 * `once`) keeps them fresh, 5 minutes before they expire, until `stopped`. A failed refresh leaves the file
 * untouched and is retried with backoff; a failure of the first write rejects, as with `once`. A stop ends
 * it at once, unless the file is being written: a fetch that hangs is left behind, and nothing is written
 * after the stop.
 */
export async function keepCredentialsFileUpdated(provider: CredentialProvider, options: KeepUpdatedOptions): Promise<void> {
  const { path, profile, logger } = options;
  let warned = false;
  let warnedMisread = false;
  let stopping = false;
  /** The write under way, which a stop lets finish: it gives up waiting for the lock then (a fetch in progress is not waited for). */
  let writing: Promise<number | undefined> | undefined;
  const writeFresh = async () => {
    // Credentials that are dead on arrival are a failed refresh, and never replace the ones in the file.
    const credentials = unexpired(await provider(), Date.now());
    if (stopping) return credentials;
    // A lock a killed update left holds the write up for up to 10 s: said, so that a run by hand does not seem to hang.
    const waiting = (otherUser?: number) =>
      logger.info(
        otherUser === undefined
          ? `waiting for another update to finish with ${path} (a lock left by one that died is taken over after 10 s)`
          : `waiting for another user's update (uid ${otherUser}) to finish with ${path} (another user's lock is never taken over: given up on after 20 s)`,
      );
    const lockLeft = (reason: string) =>
      logger.warn(`unable to remove the lock of the credentials file ${path}: ${reason}; another update waits for it until it is 10 s old`);
    // Said once per run, as the file's mode is: the file stays as the user keeps it.
    const misread = (problem: string) => {
      if (!warnedMisread) logger.warn(problem);
      warnedMisread = true;
    };
    writing = writeCredentialsFile(path, profile, credentials, () => !stopping, waiting, { lockLeft, misread });
    let mode: number | undefined;
    try {
      mode = await writing;
    } catch (error) {
      // Written, but another update's write may be lost: said, and this refresh counted done (its write
      // landed; another CreateSession would change nothing), except for --once, whose exit code says it.
      if (options.once || !(error instanceof TakenOverAfterWriteError)) throw error;
      logger.error(reasonOf(error));
    } finally {
      writing = undefined;
    }
    if (mode === undefined) return credentials;
    // The file keeps its mode (the user's choice, and a file shared on purpose); said once per run.
    if (mode & 0o004 && !warned) {
      warned = true;
      logger.warn(`the credentials file ${path} is readable by every user (mode ${modeText(mode)}), who can then use the credentials: ${MAKE_UNREADABLE_BY_OTHERS}`);
    }
    return credentials;
  };
  if (options.once) {
    await writeFresh();
    return;
  }

  let started = false;
  const refresher = new CredentialRefresher(writeFresh, {
    ...UPDATE_REFRESH_POLICY,
    onRefresh: (_credentials, nextInMs) => {
      if (!stopping) logger.info(`Credentials will be refreshed at ${new Date(Date.now() + nextInMs).toISOString()}`);
    },
    onFailure: (error, retryInMs) => {
      if (stopping || !started) return;
      if (error instanceof InterruptedError) return error.raise();
      logger.error(`${reasonOf(error)}; the credentials file is unchanged (retrying in ${Math.ceil(retryInMs / 1000)} s)`);
    },
  });
  // The first write's failure ends the command, as serve's first credentials' does (and the reference's
  // update any failure): a unit whose set-up is wrong (a role it may not assume, a revoked certificate)
  // then fails where its supervisor sees it, rather than run on, logging. Later failures are retried.
  const first = refresher.refresh();
  if (await Promise.race([first.then(() => false), options.stopped.then(() => true)])) {
    stopping = true;
    await writing?.catch(() => undefined);
    return;
  }
  started = true;
  const background = refreshInBackground(refresher);
  await options.stopped;
  stopping = true;
  void background.stop();
  await writing?.catch(() => undefined);
}
