import { CredentialRefresher } from '../../credentials/credentialRefresher.js';
import { openRolesAnywhereSession } from '../../credentials/rolesAnywhereSession.js';
import { HelperError, reasonOf } from '../../errors.js';
import { log } from '../../log/logger.js';
import { credentialsFilePath } from '../../outputs/credentialsFile/credentialsFilePath.js';
import { writeCredentialsFile } from '../../outputs/credentialsFile/writeCredentialsFile.js';
import { applyDebugFlag, rolesAnywhereOptions } from '../commandOptions.js';
import type { FlagValues } from '../commandLine.js';
import { untilSignal } from '../signals.js';

const MINUTE = 60_000;

/**
 * `update`: writes the profile's credentials into the shared credentials file, then (without --once) keeps
 * them fresh, 5 minutes before they expire. A failed refresh leaves the file untouched; --once then exits
 * non-zero, and the loop retries with backoff instead of exiting. SIGINT/SIGTERM stop the loop.
 */
export async function run(flags: FlagValues): Promise<void> {
  applyDebugFlag(flags);
  const profile = flags.profile as string;
  if (!profile || /[\]\r\n]/.test(profile)) throw new HelperError(`invalid --profile "${profile}": it must be a section name`);
  const path = credentialsFilePath();
  const session = await openRolesAnywhereSession(rolesAnywhereOptions(flags));
  const refresher = new CredentialRefresher(
    async () => {
      const credentials = await session.getCredentials();
      await writeCredentialsFile(path, profile, credentials);
      return credentials;
    },
    { refreshAheadMs: 5 * MINUTE, minRetryMs: 10_000, maxRetryMs: 5 * MINUTE },
  );

  if (flags.once) {
    try {
      await refresher.refresh();
    } finally {
      await session.close();
    }
    return;
  }

  const stop = untilSignal(['SIGINT', 'SIGTERM']);
  for (;;) {
    try {
      await refresher.refresh();
      log(`Credentials will be refreshed at ${new Date(Date.now() + refresher.msUntilNextRefresh()).toISOString()}`);
    } catch (error) {
      log(`${reasonOf(error)}; the credentials file is unchanged (retrying in ${Math.ceil(refresher.msUntilNextRefresh() / 1000)} s)`);
    }
    let timer: NodeJS.Timeout | undefined;
    const next = new Promise<'refresh'>((resolve) => (timer = setTimeout(() => resolve('refresh'), refresher.msUntilNextRefresh())));
    if ((await Promise.race([next, stop])) !== 'refresh') {
      clearTimeout(timer);
      await session.close();
      return;
    }
  }
}
