import { CredentialRefresher } from '../../../credentials/credentialRefresher.js';
import { refreshInBackground } from '../../../credentials/refreshInBackground.js';
import { UPDATE_REFRESH_POLICY } from '../../../credentials/refreshPolicies.js';
import { rolesAnywhereSession } from '../../../credentials/rolesAnywhereSession.js';
import { unexpired } from '../../../credentials/unexpired.js';
import { HelperError, reasonOf } from '../../../errors.js';
import { credentialsFilePath } from '../../../outputs/credentialsFile/credentialsFilePath.js';
import { isProfileName, PROFILE_NAME_RULE } from '../../../outputs/credentialsFile/profileName.js';
import { credentialsFileTarget, writeCredentialsFile } from '../../../outputs/credentialsFile/writeCredentialsFile.js';
import type { CommandRun } from '../../command.js';
import { rolesAnywhereOptions } from '../../commandOptions.js';
import { STOP_SIGNALS, untilSignal } from '../../signals.js';
import type { UPDATE_FLAGS } from './flags.js';

/**
 * `update`: writes the profile's credentials into the shared credentials file, then (without --once) keeps
 * them fresh, 5 minutes before they expire. A failed refresh leaves the file untouched; --once then exits
 * non-zero, and otherwise it is retried with backoff. SIGINT, SIGTERM or SIGHUP stop it.
 */
export const run: CommandRun<typeof UPDATE_FLAGS> = async (flags, context) => {
  const { logger, env } = context;
  const profile = flags.profile;
  if (!isProfileName(profile)) throw new HelperError(`invalid --profile ${JSON.stringify(profile)}: ${PROFILE_NAME_RULE}`);
  const path = credentialsFilePath(env);
  // A path no credentials can be written to is refused at once, not after a CreateSession (or in a loop).
  credentialsFileTarget(path);
  const session = rolesAnywhereSession(rolesAnywhereOptions(flags, context), context);
  let warned = false;
  let stopping = false;
  /** The write under way, which a stop lets finish: it gives up waiting for the lock then (a CreateSession in progress is not waited for). */
  let writing: Promise<number | undefined> | undefined;
  const writeFresh = async () => {
    // Credentials that are dead on arrival are a failed refresh, and never replace the ones in the file.
    const credentials = unexpired(await session.getCredentials(), Date.now());
    if (stopping) return credentials;
    writing = writeCredentialsFile(path, profile, credentials, () => !stopping);
    let mode: number | undefined;
    try {
      mode = await writing;
    } finally {
      writing = undefined;
    }
    if (mode === undefined) return credentials;
    // The file keeps its mode (the user's choice, and a file shared on purpose); said once per run.
    if (mode & 0o004 && !warned) {
      warned = true;
      const octal = mode.toString(8).padStart(4, '0');
      logger.warn(`warning: the credentials file ${path} is readable by every user (mode ${octal}), who can then use the credentials: chmod o-r it`);
    }
    return credentials;
  };
  if (flags.once) {
    try {
      await writeFresh();
    } finally {
      await session.close();
    }
    return;
  }

  const refresher = new CredentialRefresher(writeFresh, {
    ...UPDATE_REFRESH_POLICY,
    onRefresh: (_credentials, nextInMs) => {
      if (!stopping) logger.info(`Credentials will be refreshed at ${new Date(Date.now() + nextInMs).toISOString()}`);
    },
    onFailure: (error, retryInMs) => {
      if (!stopping) logger.error(`${reasonOf(error)}; the credentials file is unchanged (retrying in ${Math.ceil(retryInMs / 1000)} s)`);
    },
  });
  const background = refreshInBackground(refresher);
  await untilSignal(STOP_SIGNALS);
  // Stops at once, as the reference does, unless the file is being written: a CreateSession that hangs (up to
  // its 30 s) is left behind, the process ending with the command, and nothing is written after the signal.
  stopping = true;
  void background.stop();
  await writing?.catch(() => undefined);
  await session.close();
};
