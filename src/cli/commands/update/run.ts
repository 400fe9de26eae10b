import { rolesAnywhereSession } from '../../../credentials/rolesAnywhereSession.js';
import { HelperError } from '../../../errors.js';
import { credentialsFilePath } from '../../../outputs/credentialsFile/credentialsFilePath.js';
import { keepCredentialsFileUpdated } from '../../../outputs/credentialsFile/keepUpdated.js';
import { isProfileName, PROFILE_NAME_RULE } from '../../../outputs/credentialsFile/profileName.js';
import { warnIfSwappable } from '../../../outputs/credentialsFile/swappableFolder.js';
import { credentialsFileTarget } from '../../../outputs/credentialsFile/writeCredentialsFile.js';
import type { CommandRun } from '../../command.js';
import { rolesAnywhereOptions } from '../../commandOptions.js';
import { STOP_SIGNALS } from '../../../signalListeners.js';
import { untilSignal } from '../../signals.js';
import type { UPDATE_FLAGS } from './flags.js';

/**
 * `update`: writes the profile's credentials into the shared credentials file, then (without --once) keeps
 * them fresh (src/outputs/credentialsFile/keepUpdated.ts). A failed refresh leaves the file untouched;
 * the first (and --once's only) one exits non-zero, and a later one is retried with backoff. SIGINT,
 * SIGTERM or SIGHUP stop it at once, as the reference does, unless the file is being written.
 */
export const run: CommandRun<typeof UPDATE_FLAGS> = async (flags, context) => {
  const { logger, env } = context;
  const profile = flags.profile;
  if (!isProfileName(profile)) throw new HelperError(`invalid --profile ${JSON.stringify(profile)}: ${PROFILE_NAME_RULE}`);
  // Python's configparser, botocore's reader, takes [DEFAULT] for the defaults of every section (QA: fuzzing).
  if (profile === 'DEFAULT') {
    throw new HelperError(
      "invalid --profile \"DEFAULT\": botocore (the AWS CLI) reads no profile of that name, but reads a [DEFAULT] section's settings as those of every other profile, whose own keys would then go with its session token",
    );
  }
  // The JavaScript SDK's parseIni throws for such a section, and fromIni then reads no profile of the file (review:
  // refused only after a CreateSession, by the write's check, as a file it reads otherwise than botocore).
  if (profile === '__proto__' || profile === 'profile __proto__') {
    throw new HelperError(`invalid --profile ${JSON.stringify(profile)}: the AWS SDK for JavaScript (fromIni) reads none of the profiles of a file holding a section of that name`);
  }
  const path = credentialsFilePath(env);
  // A path no credentials can be written to is refused at once, not after a CreateSession (or in a loop).
  warnIfSwappable(path, credentialsFileTarget(path), logger);
  const session = rolesAnywhereSession(rolesAnywhereOptions(flags, context), context);
  try {
    const stopped = flags.once ? Promise.resolve() : untilSignal(STOP_SIGNALS);
    await keepCredentialsFileUpdated(() => session.getCredentials(), { path, profile, logger, once: flags.once, stopped });
  } finally {
    await session.close();
  }
};
