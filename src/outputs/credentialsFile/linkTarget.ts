import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { foreignLinkOnWay, isOwnedByUs, UntrustedFileError } from '../../files/trustedFile.js';

/** As many links as Linux follows in a path (MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * The file a path names, through symbolic links, so that a link is written through rather than replaced
 * by a regular file: its real path if it exists; for a link that dangles, the path it leads to (to be
 * created there); else the path itself. A link of another user's (root's aside), at the file or on the
 * way to it, is refused with an UntrustedFileError naming it, as --auth-token-file refuses one: planted in a shared folder such as /tmp,
 * it could lead the credentials into a file others read. Throws the fs error (ELOOP for links in a loop).
 */
export function linkTarget(path: string): string {
  let target = path;
  for (let links = 0; ; links++) {
    // A folder link on the way leads as far as one at the file.
    const foreign = foreignLinkOnWay(dirname(target));
    if (foreign) throw new UntrustedFileError(`${foreign} is another user's symbolic link`, 'foreign link', foreign);
    const stat = lstatSync(target, { throwIfNoEntry: false });
    if (!stat?.isSymbolicLink()) break;
    if (!isOwnedByUs(stat.uid, true)) throw new UntrustedFileError(`${target} is another user's symbolic link`, 'foreign link', target);
    if (links === MAX_LINKS) throw Object.assign(new Error(`too many symbolic links at ${path}`), { code: 'ELOOP' });
    target = resolve(dirname(target), readlinkSync(target));
  }
  return existsSync(target) ? realpathSync(target) : target;
}
