import { rolesAnywhereSession } from '../../../credentials/rolesAnywhereSession.js';
import { formatCredentialProcessOutput } from '../../../outputs/credentialProcess.js';
import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { rolesAnywhereOptions } from '../../commandOptions.js';
import type { CREDENTIAL_FLAGS } from '../../flags.js';

/** Prints the credential_process JSON on stdout, and nothing else there. */
export const run: CommandRun<typeof CREDENTIAL_FLAGS> = async (flags, context) => {
  const session = rolesAnywhereSession(rolesAnywhereOptions(flags), context);
  try {
    writeOut(formatCredentialProcessOutput(await session.getCredentials()));
  } finally {
    await session.close();
  }
};
