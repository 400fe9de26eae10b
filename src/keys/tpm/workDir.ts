import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeFsError } from '../../files/describeFsError.js';
import { inPlaceOfTemporary, privateTemporaryParent, tmpdirAdvice } from '../../files/privateTemporaryParent.js';
import { TpmError } from './tpmError.js';
import { undoneOnExit } from './undoneOnExit.js';

/**
 * A private folder (mode 0700) for the files tpm2-tools read and write during one operation — key blobs,
 * saved contexts, the digest and the signature; never a password — removed afterwards, also on errors.
 * One that cannot be made is a TpmError naming the temporary folder: a TMPDIR kept through `su` or
 * `sudo -E` is root's, and mkdtemp's EACCES was an internal error (QA).
 */
export async function withWorkDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  // /dev/shm where another user could swap the folder in the temporary folder for one of theirs while the
  // tools run: the digest the key signs would be theirs to choose, and the signature theirs to read.
  const place = privateTemporaryParent();
  const { parent, swappable, passedOver } = place;
  const refused = (reason: string, cause?: unknown) =>
    new TpmError(
      `no folder for tpm2-tools' files can be made in ${passedOver ? inPlaceOfTemporary(parent, passedOver) : `${parent}, the temporary folder (TMPDIR, else /tmp)`}: ${reason}; point TMPDIR at ${tmpdirAdvice(place)}`,
      { cause },
    );
  if (swappable) throw refused(`another user could swap it there (${swappable}), and /dev/shm will not do either`);
  let dir: string;
  try {
    dir = mkdtempSync(join(parent, 'rah-tpm-'));
  } catch (error) {
    throw refused(describeFsError(error), error);
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // Removed too when a signal ends the helper meanwhile.
    return await undoneOnExit(remove, () => use(dir));
  } finally {
    try {
      remove();
    } catch {
      // Left behind (blobs only this TPM unwraps, a digest and its signature) rather than said in the place
      // of what happened: under ulimit -n, the open files' limit, rmSync's EMFILE hid why the run failed (QA).
    }
  }
}
