import { closeSync, fchmodSync, fchownSync, fsyncSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { removeLeftover, temporaryBeside, writeNewFile } from '../../files/newFile.js';

/** The mode and owner the file had, to give the new one. */
export interface FileOwnership {
  readonly mode: number;
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * Replaces a file's content whole or not at all: the bytes go to a temporary file beside it, synced, that
 * is renamed over it. Where a rename cannot replace the file (EBUSY: a single-file bind mount, as
 * `docker -v file:file` makes), the bytes are written in place, as the reference always does; the caller
 * holds the lock that keeps other writers out meanwhile. Throws the fs error.
 */
export function replaceFile(target: string, data: Buffer, ownership: FileOwnership): void {
  const temporary = temporaryBeside(target);
  writeNewFile(temporary, data, {
    prepare: (fd) => {
      fchmodSync(fd, ownership.mode);
      if (ownership.uid !== undefined && ownership.gid !== undefined) {
        try {
          fchownSync(fd, ownership.uid, ownership.gid);
        } catch {
          // Only root may give a file away; the file is then ours, with its mode kept.
        }
      }
    },
  });
  try {
    renameSync(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EXDEV') throw error;
    writeInPlace(target, data);
    return;
  } finally {
    removeLeftover(temporary);
  }
  syncFolder(dirname(target));
}

function writeInPlace(target: string, data: Buffer): void {
  const fd = openSync(target, 'r+');
  try {
    for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done, done);
    ftruncateSync(fd, data.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the rename itself durable. */
function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
