import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFsError } from '../../files/describeFsError.js';
import { TpmError } from './tpmError.js';

/**
 * A private folder (mode 0700) for the files tpm2-tools read and write during one operation — key blobs,
 * saved contexts, the digest and the signature; never a password — removed afterwards, also on errors.
 * One that cannot be made is a TpmError naming the temporary folder: a TMPDIR kept through `su` or
 * `sudo -E` is root's, and mkdtemp's EACCES was an internal error (QA).
 */
export async function withWorkDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const parent = tmpdir();
  let dir: string;
  try {
    dir = mkdtempSync(join(parent, 'rah-tpm-'));
  } catch (error) {
    throw new TpmError(
      `no folder for tpm2-tools' files can be made in ${parent}, the temporary folder (TMPDIR, else /tmp): ${describeFsError(error)}; point TMPDIR at a folder this user can write`,
      { cause: error },
    );
  }
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
