import { closeSync, fchmodSync, fchownSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { replaceWithNewFile } from '../../files/newFile.js';

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
  try {
    replaceWithNewFile(target, data, {
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
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (syscall !== 'rename' || (code !== 'EBUSY' && code !== 'EXDEV')) throw error;
    writeInPlace(target, data);
    return;
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
