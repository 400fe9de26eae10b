import { accessSync, constants, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Env } from '../../context.js';
import { cacheFolder } from '../../files/cacheFolder.js';
import { describeFsError } from '../../files/describeFsError.js';
import { makeFolders } from '../../files/makeFolders.js';
import { untrustedFolder } from '../../files/trustedFile.js';
import type { Logger } from '../../log/logger.js';

/**
 * The private folder (0700) of this user's TPM locks: `roles-anywhere-helper-tpm` in $XDG_RUNTIME_DIR,
 * else, or where that one cannot be made, trusted or written to (a $XDG_RUNTIME_DIR kept through `su` is
 * another user's), `roles-anywhere-helper-tpm-<uid>` in the temporary folder, else (another user made that
 * one first) `tpm-locks` in the helper's cache folder. Undefined, after a warning, when none may be used:
 * the run goes on without a lock.
 */
export function tpmLockFolder(env: Env, logger: Logger): string | undefined {
  const runtime = env.XDG_RUNTIME_DIR;
  const cache = cacheFolder(env);
  const candidates = [
    ...(runtime && isAbsolute(runtime) ? [{ folder: join(runtime, 'roles-anywhere-helper-tpm'), withParents: false }] : []),
    { folder: join(tmpdir(), `roles-anywhere-helper-tpm-${process.getuid?.() ?? 'user'}`), withParents: false },
    ...(cache ? [{ folder: join(cache, 'tpm-locks'), withParents: true }] : []),
  ];
  const problems: string[] = [];
  for (const { folder, withParents } of candidates) {
    const problem = folderProblem(folder, withParents);
    if (!problem) {
      if (problems.length > 0) logger.debug(`TPM: ${problems.join('; ')}; locking the TPM in ${folder}`);
      return folder;
    }
    problems.push(`the lock folder ${folder} ${problem}`);
  }
  logger.warn(`TPM: not locking the TPM against other runs of the helper: ${problems.join('; ')}`);
  return undefined;
}

/**
 * Why `folder` cannot hold this user's locks, after making it if need be (its parents too only if
 * `withParents`: a missing $XDG_RUNTIME_DIR is not to be made); undefined when it can. Worded to follow
 * "the lock folder PATH" (QA: "the lock folder /run/user/0/roles-anywhere-helper-tpm permission denied").
 */
function folderProblem(folder: string, withParents: boolean): string | undefined {
  try {
    if (withParents) makeFolders(folder, 0o700);
    else mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot be made (${describeFsError(error)})`;
  }
  try {
    const untrusted = untrustedFolder(folder);
    if (untrusted) return untrusted;
    accessSync(folder, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    return `cannot be written to (${describeFsError(error)})`;
  }
}
