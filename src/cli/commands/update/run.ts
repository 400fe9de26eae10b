import { rolesAnywhereSession } from '../../../credentials/rolesAnywhereSession.js';
import { HelperError } from '../../../errors.js';
import { credentialsFilePath } from '../../../outputs/credentialsFile/credentialsFilePath.js';
import { keepCredentialsFileUpdated } from '../../../outputs/credentialsFile/keepUpdated.js';
import { profileNameProblem } from '../../../outputs/credentialsFile/profileName.js';
import { warnIfSwappable } from '../../../outputs/credentialsFile/swappableFolder.js';
import { credentialsFileTarget } from '../../../outputs/credentialsFile/credentialsFileTarget.js';
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
  const problem = profileNameProblem(profile);
  if (problem) throw new HelperError(`invalid --profile ${JSON.stringify(profile)}: ${problem}`);
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
