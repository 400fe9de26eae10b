import { accessSync, chmodSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isOwnedByUs } from './trustedFile.js';

/**
 * `mkdir -p`: makes the folder and its missing parents with `mode`; a folder already there is fine.
 * Node's `mkdirSync(path, { recursive: true })` loops forever, at full CPU, where mkdir(2) answers ENOENT
 * for a folder whose parent is there (anything under /proc, say); this throws that ENOENT instead.
 * Root makes a folder only in one of its own: run with another user's HOME (`sudo -E`) it would leave a
 * `~/.cache` or `~/.aws` of root's in that user's home, which the user could not use. (Another user may
 * make one in a folder its group may write, as in OpenShift's homes of arbitrary user IDs.)
 */
export function makeFolders(folder: string, mode: number): void {
  try {
    if (statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return;
    const parent = statSync(dirname(folder), { throwIfNoEntry: false });
    if (process.getuid?.() === 0 && parent?.isDirectory() && !isOwnedByUs(parent.uid, true)) throw inForeignFolder(folder, parent.uid);
    makeFolder(folder, mode);
    return;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST' && statSync(folder).isDirectory()) return;
    const parent = dirname(folder);
    if (code !== 'ENOENT' || parent === folder) throw error;
    makeFolders(parent, mode);
  }
  try {
    makeFolder(folder, mode);
  } catch (error) {
    // Another process made it meanwhile (two first runs at once).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw error;
  }
}

/**
 * mkdir(2), the folder then given `mode` whole where the umask cut it: 0277 would leave a ~/.aws of 0500,
 * in which neither this user nor the AWS CLI could write (QA). A filesystem that keeps no modes refuses.
 */
function makeFolder(folder: string, mode: number): void {
  mkdirSync(folder, { mode });
  try {
    if ((statSync(folder).mode & mode) !== mode) chmodSync(folder, mode);
  } catch {
    // FAT and the like: the folder has the mode that filesystem gives every folder.
  }
}

/**
 * What makeFolders(folder) would fail with, found without making anything (update asks before it asks the
 * service for credentials): the first missing folder (as the error's path), to be made in a parent this
 * user may not write, or, for root, in another user's. undefined when it would be made, or is there.
 */
export function folderMakingProblem(folder: string): NodeJS.ErrnoException | undefined {
  try {
    let missing = folder;
    if (statSync(missing, { throwIfNoEntry: false })) return undefined;
    for (;;) {
      const parentPath = dirname(missing);
      if (parentPath === missing) return undefined;
      const parent = statSync(parentPath, { throwIfNoEntry: false });
      if (!parent) {
        missing = parentPath;
        continue;
      }
      if (process.getuid?.() === 0 && parent.isDirectory() && !isOwnedByUs(parent.uid, true)) return inForeignFolder(missing, parent.uid);
      try {
        accessSync(parentPath, constants.W_OK | constants.X_OK);
      } catch (error) {
        // As mkdir(2) would say it, of the folder it would make.
        return Object.assign(error as NodeJS.ErrnoException, { path: missing });
      }
      return undefined;
    }
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

function inForeignFolder(folder: string, uid: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`it would be made in ${dirname(folder)}, another user's folder (uid ${uid})`), { code: 'EFOREIGN', path: folder });
}
