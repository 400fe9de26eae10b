import { closeSync, constants, fchmodSync, fchownSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { replaceWithNewFile, syncFile } from '../../files/newFile.js';

/** The mode and owner the file had, to give the new one, and, if there was one, which file it was. */
export interface FileOwnership {
  readonly mode: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly file?: { readonly dev: number; readonly ino: number; readonly nlink: number };
}

/**
 * Replaces a file's content whole or not at all: the bytes go to a temporary file beside it, synced, that
 * is renamed over it. Where a rename cannot replace the file (EBUSY: a single-file bind mount, as
 * `docker -v file:file` makes; EXDEV: one bind-mounted from another filesystem), or would split it from
 * its other names (a file with hard links, whose other names would keep the old content), the bytes are
 * written in place, as the reference always does; the caller holds the lock that keeps other writers out
 * meanwhile, and `beforeWrite`, run just before the rename or the write in place, may still stop it by
 * throwing. Written in place, the file is opened without following a link, and must be the file that was
 * read (`ownership.file`): another would be one someone put there since. Throws the fs error. Returns the
 * mode the file has now.
 */
export function replaceFile(target: string, data: Buffer, ownership: FileOwnership, beforeWrite: () => void = () => {}): number {
  if ((ownership.file?.nlink ?? 1) > 1) {
    beforeWrite();
    writeInPlace(target, data, ownership.file);
    return ownership.mode;
  }
  let written: Stats;
  try {
    written = replaceWithNewFile(target, data, {
      beforeRename: beforeWrite,
      prepare: (fd) => {
        try {
          fchmodSync(fd, ownership.mode);
        } catch (error) {
          // A filesystem that keeps no modes (FAT, exFAT) refuses: the file has the one it gives every file,
          // which the caller is told, as the reference writes there. (The new file is ours: not a refusal.) Node's
          // permission model refuses fchmod whatever it allows: the file keeps the 0600 it was made with.
          if (!['EPERM', 'ERR_ACCESS_DENIED'].includes((error as NodeJS.ErrnoException).code!)) throw error;
        }
        if (ownership.uid !== undefined && ownership.gid !== undefined) {
          try {
            fchownSync(fd, ownership.uid, ownership.gid);
          } catch {
            // Only root may give a file away; the file is then ours, with its mode kept.
          }
        }
      },
    });
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (syscall !== 'rename' || (code !== 'EBUSY' && code !== 'EXDEV')) throw error;
    beforeWrite();
    writeInPlace(target, data, ownership.file);
    return ownership.mode;
  }
  syncFolder(dirname(target));
  return written.mode & 0o7777;
}

/**
 * The bytes written over the file's own: not atomic (a process killed during a large write leaves new bytes
 * up to some point and old ones after: docs/update.md says so). The space a longer content needs is taken
 * first, with blank lines past the old end (a crash before the overwrite leaves a file every reader still
 * reads): on a full disk that fails, and the file is cut back to what it was, untouched. Only then is the content overwritten
 * (blocks the file has, which on a filesystem that writes in place need no new space); should that fail
 * all the same, the old bytes are put back, as far as they can be. A shorter content is written with blank
 * lines up to the old end before the file is cut, for the same reason.
 */
function writeInPlace(target: string, data: Buffer, expected: FileOwnership['file']): void {
  const fd = openSync(target, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const { dev, ino } = fstatSync(fd);
    if (!expected || dev !== expected.dev || ino !== expected.ino) {
      throw new Error('another file was put in its place while it was written');
    }
    const old = readFileSync(fd);
    try {
      if (data.length > old.length) {
        writeAll(fd, Buffer.alloc(data.length - old.length, '\n'), old.length);
        syncFile(fd);
      }
    } catch (error) {
      try {
        ftruncateSync(fd, old.length);
      } catch {
        // The error that says why is the first one.
      }
      throw error;
    }
    try {
      // A shorter content covers all of the old with blank lines after it, before the file is cut to it: a
      // crash in between leaves the content and blank lines, not the content and the old file's end.
      writeAll(fd, data.length < old.length ? Buffer.concat([data, Buffer.alloc(old.length - data.length, '\n')]) : data, 0);
      // On disk before the cut, which a power loss could otherwise keep without them.
      if (data.length < old.length) syncFile(fd);
      ftruncateSync(fd, data.length);
      syncFile(fd);
    } catch (error) {
      try {
        writeAll(fd, old, 0);
        ftruncateSync(fd, old.length);
        syncFile(fd);
      } catch {
        // The disk refuses the old bytes too: the error that says why is the first one.
      }
      throw error;
    }
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, data: Buffer, position: number): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done, position + done);
}

/**
 * Makes the rename itself durable, where it can: the file is replaced by then, so a folder this user may
 * write to but not read (mode 0300, which the writability checks pass), or a filesystem that cannot sync
 * a folder, is no failure.
 */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not durable against a power loss; replaced all the same.
  }
}
