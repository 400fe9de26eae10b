import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';

/** A regular file's stamp, and its modification and change times. */
export interface FileStamp {
  readonly stamp: string;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/**
 * A regular file's identity, times and permissions (device, inode, size, modification and change times,
 * mode and owner), from the file opened for reading (so that it is one this user may still read, with its
 * times as of now even on NFS); undefined when it cannot be opened. `regular` is false for anything else
 * that opens: a FIFO or a device, whose content may change without a trace.
 */
export function fileStamp(path: string): FileStamp | { regular: false } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    return stat.isFile() ? statStamp(stat) : { regular: false };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The stamp of a regular file already stat'ed (as fileStamp makes it). */
export function statStamp(stat: Stats): FileStamp {
  const stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.mode}:${stat.uid}:${stat.gid}`;
  return { stamp, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
}

/**
 * Whether a file last changed long enough before `now` for a stamp of it to tell any later rewrite: its
 * times move with the kernel's tick at worst (Linux before 6.13: 10 ms at most), or, where they are kept
 * in whole seconds (ext4 with small inodes, HFS+, FAT's two), by a second or two; a same-size rewrite
 * within that step of the stamp would leave the stamp as it was.
 */
export function isSettled({ mtimeMs, ctimeMs }: Pick<FileStamp, 'mtimeMs' | 'ctimeMs'>, now: number): boolean {
  const wholeSeconds = mtimeMs % 1000 === 0 && ctimeMs % 1000 === 0;
  return now - Math.max(mtimeMs, ctimeMs) >= (wholeSeconds ? 2_100 : 50);
}
