import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { swappableFolderOnWay } from './trustedFile.js';

/** Shared memory's folder: sticky like /tmp, and writable where the root filesystem is read-only. */
const SHARED_MEMORY = '/dev/shm';

/** Where to point TMPDIR instead of a folder privateTemporaryParent passes over. */
const UNSWAPPABLE_FOLDER = "a folder of this user's that no other user may write, nor any folder above it";

/** What privateTemporaryParent found: where to make the folder, and why the temporary folder was passed over or will not do. */
export interface PrivateTemporaryParent {
  readonly parent: string;
  readonly swappable?: string;
  readonly passedOver?: string;
}

/**
 * The folder to make a private folder in for files no other user may swap (serve --ecs's token, the digest
 * tpm2-tools signs and the signature): the temporary folder (TMPDIR, else /tmp), unless another user could
 * rename what it holds (theirs, on the way to it, or one everyone may write without the sticky bit /tmp has),
 * and put a folder of theirs in the private one's place (hostile-user QA). Such a one is passed over for
 * /dev/shm, as Ruby's Dir.tmpdir passes over a folder everyone may write: a Kubernetes emptyDir, a container's
 * usual /tmp where its root filesystem is read-only, is 0777 without the sticky bit (review: refused, where
 * it worked). `swappable` says why the temporary folder was passed over, when /dev/shm will not do either.
 */
export function privateTemporaryParent(fallback = SHARED_MEMORY): PrivateTemporaryParent {
  const parent = tmpdir();
  const swappable = swappableReason(parent);
  if (!swappable) return { parent };
  // `passedOver`: why the fallback is used, for a message about it (it is no temporary folder of TMPDIR's, review).
  return usable(fallback) && !swappableReason(fallback) ? { parent: fallback, passedOver: swappable } : { parent, swappable };
}

/** Where a message about a folder that could not be made there says to point TMPDIR: where no other user could swap it, once that was why. */
export function tmpdirAdvice({ swappable, passedOver }: PrivateTemporaryParent): string {
  return swappable || passedOver ? UNSWAPPABLE_FOLDER : 'a folder this user can write';
}

/**
 * How a message names /dev/shm where privateTemporaryParent gave it in place of the temporary folder, and why:
 * a folder it failed to make there read as if /dev/shm were TMPDIR's, and the advice missed why (review).
 */
export function inPlaceOfTemporary(parent: string, passedOver: string): string {
  return `${parent}, in place of the temporary folder ${tmpdir()}, where another user could swap it (${passedOver})`;
}

/** "X, which everyone may write", where another user could swap what `folder` holds; not where it cannot be looked at (making the folder in it says why). */
function swappableReason(folder: string): string | undefined {
  try {
    return swappableFolderOnWay(folder);
  } catch {
    return undefined;
  }
}

function usable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
