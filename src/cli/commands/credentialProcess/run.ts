import { rolesAnywhereSession } from '../../../credentials/rolesAnywhereSession.js';
import { unexpired } from '../../../credentials/unexpired.js';
import { formatCredentialProcessOutput } from '../../../outputs/credentialProcess.js';
import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { rolesAnywhereOptions } from '../../commandOptions.js';
import { noteCredentialsFetched } from '../../codeCacheWorth.js';
import type { CREDENTIAL_PROCESS_FLAGS } from './flags.js';

/**
 * Prints the credential_process JSON on stdout, and nothing else there. With --cache, a valid entry is
 * answered before this bundle loads (src/cli/cacheHit.ts); what reaches here fetches through the cache.
 */
export const run: CommandRun<typeof CREDENTIAL_PROCESS_FLAGS> = async (flags, context) => {
  const options = rolesAnywhereOptions(flags, context);
  const opened = rolesAnywhereSession(options, context);
  const session = {
    ...opened,
    getCredentials: async () => {
      const credentials = await opened.getCredentials();
      noteCredentialsFetched();
      return credentials;
    },
  };
  try {
    const getCredentials = flags.cache
      ? (await import('../../../credentials/cache/sessionCache.js')).withSessionCache(session, options, context)
      : session.getCredentials;
    // Credentials dead on arrival (a clock far off, here or at the service) fail here, as update and serve
    // refuse them, rather than leave the AWS CLI to say only that they are "still expired".
    writeOut(formatCredentialProcessOutput(unexpired(await getCredentials(), Date.now())));
  } finally {
    await session.close();
  }
};
