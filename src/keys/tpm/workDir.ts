import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFsError } from '../../files/describeFsError.js';
import { swappableFolderOnWay, UNSWAPPABLE_FOLDER } from '../../files/trustedFile.js';
import { TpmError } from './tpmError.js';

/**
 * A private folder (mode 0700) for the files tpm2-tools read and write during one operation — key blobs,
 * saved contexts, the digest and the signature; never a password — removed afterwards, also on errors.
 * One that cannot be made is a TpmError naming the temporary folder: a TMPDIR kept through `su` or
 * `sudo -E` is root's, and mkdtemp's EACCES was an internal error (QA).
 */
export async function withWorkDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const parent = tmpdir();
  const refused = (reason: string, cause?: unknown, folder = 'a folder this user can write') =>
    new TpmError(`no folder for tpm2-tools' files can be made in ${parent}, the temporary folder (TMPDIR, else /tmp): ${reason}; point TMPDIR at ${folder}`, { cause });
  // Where another user could rename what the temporary folder holds (theirs, or everyone's without the sticky
  // bit /tmp has), they could put a folder of theirs in this one's place while the tools run: the digest the
  // key signs would be theirs to choose, and the signature theirs to read (hostile-user QA).
  let swappable: { folder: string; reason: string } | undefined;
  try {
    swappable = swappableFolderOnWay(parent);
  } catch {
    // Not there, or not to be looked at: mkdtemp says why below.
  }
  if (swappable) throw refused(`another user could swap it there (${swappable.folder}, which ${swappable.reason})`, undefined, UNSWAPPABLE_FOLDER);
  let dir: string;
  try {
    dir = mkdtempSync(join(parent, 'rah-tpm-'));
  } catch (error) {
    throw refused(describeFsError(error), error);
  }
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
