import { accessSync, constants, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describeFsError } from '../../files/describeFsError.js';

/**
 * Why SoftHSM 2 could not initialise, where it is a file this user may not read: C_Initialize says only
 * CKR_GENERAL_ERROR, and SoftHSM writes its reason to syslog, which an ordinary user seldom reads (QA: a token
 * folder root made, used by another user). Its configuration (SOFTHSM2_CONF, else the one it was built
 * with) and the token folder that names are looked at; undefined for any other module, or when both may
 * be read. SoftHSM reads the process's own environment, not a library caller's `env`: so does this.
 */
export function softHsmProblem(modulePath: string): string | undefined {
  if (!/^libsofthsm2\.(so|dylib)$/.test(basename(modulePath))) return undefined;
  const configuration = process.env.SOFTHSM2_CONF || DEFAULT_CONFIGURATION;
  let text: string;
  try {
    text = readFileSync(configuration, 'utf8');
  } catch (error) {
    return `SoftHSM cannot read its configuration ${configuration}${process.env.SOFTHSM2_CONF ? ' (SOFTHSM2_CONF)' : ''}: ${describeFsError(error)}`;
  }
  const tokens = /^[ \t]*directories\.tokendir[ \t]*=[ \t]*(.*?)[ \t]*$/m.exec(text)?.[1];
  if (!tokens) return undefined;
  try {
    accessSync(tokens, constants.R_OK | constants.X_OK);
  } catch (error) {
    return `SoftHSM cannot read its token folder ${tokens} (directories.tokendir of ${configuration}): ${describeFsError(error)}`;
  }
  return undefined;
}

/** Where Debian's, Fedora's and SoftHSM's own builds keep it. */
const DEFAULT_CONFIGURATION = '/etc/softhsm/softhsm2.conf';
