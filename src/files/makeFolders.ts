import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`: makes the folder and its missing parents with `mode`; a folder already there is fine.
 * Node's `mkdirSync(path, { recursive: true })` loops forever, at full CPU, where mkdir(2) answers ENOENT
 * for a folder whose parent is there (anything under /proc, say); this throws that ENOENT instead.
 */
export function makeFolders(folder: string, mode: number): void {
  try {
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
