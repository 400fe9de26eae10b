import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { HelperError } from '../../errors.js';
import { describeFsError } from '../../files/describeFsError.js';
import { folderMakingProblem } from '../../files/makeFolders.js';
import { modeText } from '../../files/modeText.js';
import { folderPathProblem } from '../../files/newFile.js';
import { notRegularFile } from '../../files/readInputFile.js';
import { isOwnedByUs, UntrustedFileError } from '../../files/trustedFile.js';
import { linkTarget } from './linkTarget.js';

/**
 * The file a write to `path` goes to (through symbolic links, see linkTarget), checked as far as it can be
 * without writing (update checks it before its first CreateSession too): a path that cannot name a file (it
 * ends in `/`, a component is a file, a name too long, links in a loop) is refused, and so are a FIFO and a device, before
 * they are locked (a lock folder beside /dev/zero is no one's business) or read (reading a FIFO blocks, and
 * a blocked process does not even see SIGTERM). A missing file is fine: it will be created. A file or folder
 * this user cannot write is refused too, another user's file, and a missing folder it could not make, before
 * anything is asked of the service.
 */
export function credentialsFileTarget(path: string): string {
  const folderPath = folderPathProblem(path);
  if (folderPath) throw new HelperError(`unable to write the credentials file ${path}: ${folderPath}`);
  let target: string;
  let stat: Stats | undefined;
  try {
    target = linkTarget(path);
    stat = statSync(target, { throwIfNoEntry: false });
  } catch (error) {
    if (error instanceof UntrustedFileError) {
      const which = error.path === path ? 'it is' : `${error.path} is`;
      throw new HelperError(`unable to write the credentials file ${path}: ${which} another user's symbolic link, which could lead the credentials into a file others read`);
    }
    throw new HelperError(`unable to write the credentials file ${path}: ${describeFsError(error)}`);
  }
  // A link of /proc's (/dev/stdout, /proc/self/fd/N) whose text names no file (`pipe:[N]`) leads where only
  // the kernel follows it: to what the path's own stat says, a pipe, say (QA: taken for a file not made yet,
  // whose lock in /proc then failed as another process's, after 20 s).
  const followed = stat ?? statSync(path, { throwIfNoEntry: false });
  const notRegular = followed && (notRegularFile(followed) ?? (stat ? undefined : "it leads through a link of /proc's to a file that has no name (a deleted one)"));
  if (notRegular) throw new HelperError(`unable to write the credentials file ${path}: ${notRegular}`);
  if (stat) {
    // Before the warning that another user could swap it (update's warnIfSwappable), and before any CreateSession (QA: both came first).
    refuseUnusableFile(target, path, stat);
  }
  if (statSync(dirname(target), { throwIfNoEntry: false })) refuseUnwritableFolder(dirname(target), path);
  else {
    const problem = folderMakingProblem(dirname(target));
    if (problem) throw folderNotMade(path, problem, dirname(target));
  }
  return target;
}

/** Named by the folder that could not be made (`new` of `ro/new`), with why (its parent is read-only). */
export function folderNotMade(path: string, error: unknown, folder: string): HelperError {
  const failed = (error as NodeJS.ErrnoException).path ?? folder;
  return new HelperError(`unable to create the folder of the credentials file ${path}: ${failed}: ${describeFsError(error)}`);
}

/** What an existing credentials file must not be, looked at before the run and again as it is read to be written. */
export function refuseUnusableFile(target: string, path: string, stat: Stats): void {
  refuseUnwritableFile(target, path, stat);
  refuseOtherUsersFile(target, path, stat);
  refuseLinkedIn(target, path, stat);
}

/** A file its mode makes read-only, or this user may not write, is refused, not replaced. */
function refuseUnwritableFile(target: string, path: string, stat: Stats): void {
  const mode = stat.mode & 0o7777;
  if ((mode & 0o222) === 0) throw new HelperError(`unable to write the credentials file ${path}: it is read-only (mode ${modeText(mode)})`);
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    // A read-only mount refuses every user, its owner and root too (QA: `mount -o remount,ro` was told as a mode problem).
    if ((error as NodeJS.ErrnoException).code === 'EROFS') throw new HelperError(`unable to write the credentials file ${path}: it is on a read-only file system`);
    throw new HelperError(`unable to write the credentials file ${path}: this user may not write it (mode ${modeText(mode)}, owner ${stat.uid})`);
  }
}

/**
 * Another user's file, which they could read the credentials from, or fill with profiles of their own
 * (made first in /tmp, say), is refused; root may write a user's file in that user's own folder, keeping its owner.
 */
function refuseOtherUsersFile(target: string, path: string, stat: Stats): void {
  if (!isOwnedByUs(stat.uid) && !(process.getuid?.() === 0 && statSync(dirname(target)).uid === stat.uid)) {
    throw new HelperError(`unable to write the credentials file ${path}: it is another user's (uid ${stat.uid}), who could read the credentials or change the profiles`);
  }
}

/**
 * A file of ours with other names (hard links) is written in place (replaceFile), and so are its other names:
 * in another user's folder, or one everyone may write (sticky or not: a link is a new name), that user could
 * have put the name there, linked to any file of ours (where fs.protected_hardlinks is off: /etc/shadow for
 * root's `sudo -E` update with their HOME), so it is refused. Their own file in their folder is theirs to
 * link. Group write is let be, as swappableFolderOnWay lets it be (a user's private group, umask 002).
 */
function refuseLinkedIn(target: string, path: string, stat: Stats): void {
  if (stat.nlink < 2 || !isOwnedByUs(stat.uid)) return;
  const folder = dirname(target);
  const { uid, mode } = statSync(folder);
  const where = !isOwnedByUs(uid, true) ? `${folder}, another user's folder (uid ${uid})` : mode & 0o002 ? `${folder}, which everyone may write` : undefined;
  if (where) {
    throw new HelperError(
      `unable to write the credentials file ${path}: it has ${stat.nlink} names (hard links) and is in ${where}: they could have linked a file of this user's there, which the write would change`,
    );
  }
}

function refuseUnwritableFolder(folder: string, path: string): void {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    throw new HelperError(`unable to write the credentials file ${path}: the folder ${folder} ${reason} (the file is replaced through a new one beside it)`);
  }
}
