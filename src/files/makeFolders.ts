import { mkdirSync, statSync } from 'node:fs';
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
    if (process.getuid?.() === 0 && parent?.isDirectory() && !isOwnedByUs(parent.uid, true)) {
      throw Object.assign(new Error(`it would be made in ${dirname(folder)}, another user's folder (uid ${parent.uid})`), { code: 'EFOREIGN', path: folder });
    }
    mkdirSync(folder, { mode });
    return;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST' && statSync(folder).isDirectory()) return;
    const parent = dirname(folder);
    if (code !== 'ENOENT' || parent === folder) throw error;
    makeFolders(parent, mode);
  }
  try {
    mkdirSync(folder, { mode });
  } catch (error) {
    // Another process made it meanwhile (two first runs at once).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw error;
  }
}
