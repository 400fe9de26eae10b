import { isAbsolute, join } from 'node:path';
import type { Env } from '../../context.js';
import { HelperError } from '../../errors.js';
import { homeFolder } from '../../files/homeFolder.js';
import { missingPath } from '../../files/missingPath.js';
import { NOT_UTF8_PATH } from '../../files/nonUtf8Path.js';
import { pathFromVariable } from '../../files/pathFromVariable.js';

/** AWS_SHARED_CREDENTIALS_FILE, read as botocore (the AWS CLI) reads it (pathFromVariable); else ~/.aws/credentials. */
export function credentialsFilePath(env: Env): string {
  let homeOf: string | undefined;
  const configured = pathFromVariable(env, 'AWS_SHARED_CREDENTIALS_FILE', () => {
    homeOf = homeFolder(env);
    // Not "set … AWS_SHARED_CREDENTIALS_FILE", which is set: its `~` is what needs a home (review).
    if (!homeOf) throw new HelperError(`unable to use AWS_SHARED_CREDENTIALS_FILE ${env.AWS_SHARED_CREDENTIALS_FILE}: there is no home folder for its ~ (set HOME, or give the path in full)`);
    return homeOf;
  });
  // botocore reads `~user/…` as that user's home, which Node cannot look up: written as given, the file
  // would be one no AWS tool reads.
  if (configured && /^~[^/]/.test(configured)) {
    throw new HelperError(`unable to use AWS_SHARED_CREDENTIALS_FILE ${configured}: a ~user path is not expanded here; give the path in full`);
  }
  // `~/…` names a file of the home folder too: one that does not exist is refused as for the default path (QA: made all the same).
  if (configured && homeOf !== undefined) refuseMissingHome(homeOf, `${configured} (AWS_SHARED_CREDENTIALS_FILE ${env.AWS_SHARED_CREDENTIALS_FILE})`, 'give the path in full');
  const path = configured ?? join(existingHome(env), '.aws', 'credentials');
  // Node decodes the environment as UTF-8, each byte that is not as U+FFFD: such a path names another file,
  // which update would make (folders included) and write, saying all went well.
  if (path.includes('\uFFFD')) {
    throw new HelperError(`unable to use the credentials file ${path}: its path ${NOT_UTF8_PATH}`);
  }
  return path;
}

/**
 * The home folder, which must exist for the default path: a missing one (HOME=/nonexistent, Debian's home
 * of users without one, as systemd units and containers run them) was made, folders and all, by root, and
 * another user was told only that / may not be written (QA: process environment). The credential cache
 * makes no missing home folder either (src/files/cacheFolder.ts).
 */
function existingHome(env: Env): string {
  const dir = homeFolder(env);
  if (!dir) throw new HelperError('unable to locate the home directory: set HOME or AWS_SHARED_CREDENTIALS_FILE');
  refuseMissingHome(dir, join(dir, '.aws', 'credentials'), 'set AWS_SHARED_CREDENTIALS_FILE');
  return dir;
}

/** Throws when the home folder `dir`, where the credentials file `file` would be, does not exist; `fix` says the other way. */
function refuseMissingHome(dir: string, file: string, fix: string): void {
  // A relative one (HOME=rel/dir) is taken from the working folder, as the reference and botocore take it; one
  // not there was made, folders and all, wherever the process was started (QA).
  if (!missingPath(dir)) return;
  const where = isAbsolute(dir) ? '' : ` (in the working folder ${process.cwd()})`;
  throw new HelperError(`unable to write the credentials file ${file}: the home folder ${JSON.stringify(dir)}${where} does not exist (make it, or ${fix})`);
}
