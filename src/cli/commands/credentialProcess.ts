import { openRolesAnywhereSession } from '../../credentials/rolesAnywhereSession.js';
import { formatCredentialProcessOutput } from '../../outputs/credentialProcess.js';
import { applyDebugFlag, rolesAnywhereOptions } from '../commandOptions.js';
import type { FlagValues } from '../commandLine.js';
import { writeOut } from '../../stdio.js';

/** Prints the credential_process JSON on stdout, and nothing else there. */
export async function run(flags: FlagValues): Promise<void> {
  applyDebugFlag(flags);
  const session = await openRolesAnywhereSession(rolesAnywhereOptions(flags));
  try {
    const credentials = await session.getCredentials();
    writeOut(formatCredentialProcessOutput(credentials));
  } finally {
    await session.close();
  }
}
