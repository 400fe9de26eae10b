import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** As many links as Linux follows in a path (MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * The file a path names, through symbolic links, so that a link is written through rather than replaced
 * by a regular file: its real path if it exists; for a link that dangles, the path it leads to (to be
 * created there); else the path itself.
 */
export function linkTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    let target = path;
    for (let links = 0; links < MAX_LINKS && isLink(target); links++) target = resolve(dirname(target), readlinkSync(target));
    return target;
  }
}

function isLink(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}
