import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { readOpenedFile } from './readOpenedFile.js';

/**
 * A file or link not to be trusted with what it holds, saying why in `message` (`belongs to another user`);
 * `problem` is the kind, for a caller to word, and `path` the link it is about, when not the file asked for.
 */
export class UntrustedFileError extends Error {
  constructor(
    message: string,
    readonly problem: 'not a regular file' | 'untrusted owner' | 'too large' | 'foreign link',
    readonly path?: string,
  ) {
    super(message);
  }
}

/**
 * Whether a file or folder is this user's, or, with `rootToo`, root's (who could change anything of ours
 * anyway): another user could have put in it what they like.
 */
export function isOwnedByUs(uid: number, rootToo = false): boolean {
  const own = process.getuid?.();
  return own === undefined || uid === own || (rootToo && uid === 0);
}

/** Why a file or folder may not be trusted: not ours (see isOwnedByUs), or writable by others; undefined when it may. */
function untrustedOwnership(stat: { uid: number; mode: number }, rootToo = false): string | undefined {
  if (!isOwnedByUs(stat.uid, rootToo)) return 'belongs to another user';
  if (stat.mode & 0o022) return 'is writable by others';
  return undefined;
}

/**
 * Why a folder may not be trusted with what is written to or removed from it: a symbolic link (whatever
 * folder it names would be used), not a folder, or untrustedOwnership of it; undefined when it may, or is not
 * there. Opened without following a link, and judged by what was opened. Throws other fs errors.
 */
export function untrustedFolder(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_DIRECTORY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Linux says ENOTDIR for a link opened with O_DIRECTORY | O_NOFOLLOW, others ELOOP.
    if (code === 'ELOOP' || code === 'ENOTDIR') return lstatSync(path).isSymbolicLink() ? 'is a symbolic link' : 'is not a folder';
    throw error;
  }
  try {
    return untrustedOwnership(fstatSync(fd));
  } finally {
    closeSync(fd);
  }
}

/**
 * The first symbolic link on the way to `path` (its folders, and `path` itself) that is another user's
 * (root's aside), or undefined: planted in a shared folder, it could lead a write, or a removal, wherever
 * its owner likes. A component that is not there, or that this user may not look at (under another user's
 * folder of mode 0700), ends the walk: nothing can be read or written through it either, and the caller's
 * open then says why (QA: `--auth-token-file /root/token` as another user was an internal error, EACCES).
 */
export function foreignLinkOnWay(path: string): string | undefined {
  let absolute: string;
  try {
    absolute = resolve(path);
  } catch {
    // process.cwd()'s ENOENT (uv_cwd): the working folder was removed, and a relative path leads nowhere.
    throw Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: 'ENOENT', path });
  }
  // No link on the way at all (one realpath(3), where the walk costs ~0.3 ms of a cache hit): done.
  try {
    if (realpathSync.native(absolute) === absolute) return undefined;
  } catch {
    // Not there (yet), or not to be resolved: the walk says what it finds.
  }
  let prefix = '';
  for (const part of absolute.split(sep).filter(Boolean)) {
    prefix += sep + part;
    const stat = lstatOrNothing(prefix);
    if (!stat) return undefined;
    if (stat.isSymbolicLink() && !isOwnedByUs(stat.uid, true)) return prefix;
  }
  return undefined;
}

/** lstat(2), or undefined where there is nothing, or where this user may not look (EACCES). */
function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EACCES') return undefined;
    throw error;
  }
}

/**
 * The first folder on the real way to `path` (itself included) whose entries another user could swap, and
 * why, as messages say it ("/srv/x, which everyone may write"): one that is neither this user's nor root's,
 * or that everyone may write without the sticky bit (which /tmp has); undefined if none. One not there yet is judged by the nearest folder above it that is, where it
 * would be made. Group write is let be: a user's private group (umask 002) makes many a folder
 * group-writable. Without `ownersToo`, only the mode counts.
 */
export function swappableFolderOnWay(path: string, ownersToo = true): string | undefined {
  // Windows has no owners or mode bits to judge by here.
  if (!process.getuid) return undefined;
  let folder: string;
  try {
    folder = realpathSync.native(path);
  } catch (error) {
    // Walked up only where realpath(3) failed and existsSync sees nothing (not there, or under a folder this
    // user may not enter): a folder that is there, every cache hit's, costs no stat(2) of its parent first.
    if (existsSync(path)) throw error;
    return dirname(path) === path ? undefined : swappableFolderOnWay(dirname(path), ownersToo);
  }
  for (;;) {
    const stat = statSync(folder);
    if (ownersToo && !isOwnedByUs(stat.uid, true)) return `${folder}, which belongs to another user`;
    if (stat.mode & 0o002 && !(stat.mode & 0o1000)) return `${folder}, which everyone may write`;
    if (dirname(folder) === folder) return undefined;
    folder = dirname(folder);
  }
}

/**
 * Reads a file only if it is a regular file of at most `maxBytes` that may be trusted (untrustedOwnership
 * of the file opened, not of what the path names a moment later). It is opened without blocking on a FIFO
 * and, unless `followLinks`, without following a symbolic link (ELOOP). Throws the fs error, or an
 * UntrustedFileError saying why.
 */
export function readTrustedFile(path: string, maxBytes: number, options: { readonly followLinks?: boolean; readonly rootToo?: boolean } = {}): { data: Buffer; stat: Stats } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks ? 0 : constants.O_NOFOLLOW));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UntrustedFileError('is not a regular file', 'not a regular file');
    const ownership = untrustedOwnership(stat, options.rootToo);
    if (ownership) throw new UntrustedFileError(ownership, 'untrusted owner');
    return { data: readOpenedFile(fd, stat.size, maxBytes, () => new UntrustedFileError('is too large', 'too large')), stat };
  } finally {
    closeSync(fd);
  }
}
