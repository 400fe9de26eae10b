import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { modeText } from './modeText.js';
import { isOwnedByUs } from './trustedFile.js';

/**
 * A name for a new file beside `target` (`.<name>.<pid>.<random>.tmp`), to write whole and then rename or
 * link into place. Not a secret: writeNewFile creates it exclusively, so a name someone took (or planted a
 * link at) fails rather than being written through. (No node:crypto: a cache hit loads this module.)
 */
export function temporaryBeside(target: string): string {
  return join(dirname(target), `.${nameWithRoom(basename(target))}.${process.pid}.${Math.random().toString(36).slice(2, 14)}.tmp`);
}

/**
 * A file's name, cut (at a character) to 220 bytes: room for what the name of its temporary copy (`.` and
 * `.<pid>.<random>.tmp`, 26 bytes at most) or of its lock (`.lock`) adds, within the 255 bytes a file name
 * may have (QA: a legal name of 240 bytes was refused as too long).
 */
export function nameWithRoom(name: string): string {
  if (Buffer.byteLength(name) <= 220) return name;
  let stem = Buffer.from(name).subarray(0, 220).toString('utf8');
  // A character cut in two decodes to U+FFFD at the end: dropped.
  while (stem.endsWith('\uFFFD') && !name.startsWith(stem)) stem = stem.slice(0, -1);
  return stem;
}

/** The name of the file that a temporary file of temporaryBeside's naming was written for (as nameWithRoom gives it: cut when long), or undefined: it is not one. */
export function temporaryTarget(name: string): string | undefined {
  return /^\.(.+)\.\d+\.[0-9a-z]*\.tmp$/.exec(name)?.[1];
}

/**
 * Why a path given for a file to write names a folder instead, if it does: it ends in a separator
 * (`tokens/`). Said before anything is written: dirname() drops that separator, so the file's folder would
 * be taken to be the folder's parent (a missing `tokens` said to be a missing `.`), and no file can be made.
 */
export function folderPathProblem(path: string): string | undefined {
  const last = path.at(-1);
  return last === '/' || last === sep ? `the path ends in "${last}", so it names a folder, not a file` : undefined;
}

/**
 * How writeNewFile writes: `prepare` (say, to give the file a mode or an owner) run on its descriptor;
 * `synced` (default true) to disk before it returns; `ownerOnly`: the file holds secrets, and is not kept
 * where others may read it (see ModesNotKeptError).
 */
export interface NewFileOptions {
  readonly prepare?: (fd: number) => void;
  readonly synced?: boolean;
  readonly ownerOnly?: boolean;
}

/**
 * A file made 0600 that others may read all the same: its filesystem keeps no modes of its own (FAT and
 * exFAT, or a mount that gives every file one mode), so every file there is as readable as that one.
 */
export class ModesNotKeptError extends Error {
  constructor(readonly mode: number) {
    super(`its filesystem keeps no file modes: a file made 0600 there has mode ${modeText(mode)}, which other users may read`);
  }
}

/**
 * Writes `data` to a new file at `path`: created exclusively (never through a link planted there), 0600
 * (whatever the umask: 0277 would leave its owner a file it cannot write again, 0777 one it cannot read),
 * prepared and synced as `options` say. Its descriptor is closed once whatever happens (a second close
 * could close one that another open has been given since). On a failure the file is removed and the fs
 * error (or a ModesNotKeptError) thrown. Returns the file's status.
 */
export function writeNewFile(path: string, data: string | Uint8Array, { prepare, synced = true, ownerOnly = false }: NewFileOptions = {}): Stats {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      if ((fstatSync(fd).mode & 0o777) !== 0o600) ownerReadWrite(fd);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      prepare?.(fd);
      if (synced) syncFile(fd);
      const stat = fstatSync(fd);
      if (ownerOnly && stat.mode & 0o077) throw new ModesNotKeptError(stat.mode & 0o7777);
      return stat;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    removeLeftover(path);
    throw error;
  }
}

/** Flushes a file to disk, but under Node's permission model, which refuses fsync whatever it allows: written unsynced there. */
export function syncFile(fd: number): void {
  if (!process.permission) fsyncSync(fd);
}

/** Gives a file the mode 0600 that the umask cut (a filesystem that keeps no modes refuses: its mode is then the caller's to judge). */
function ownerReadWrite(fd: number): void {
  try {
    fchmodSync(fd, 0o600);
  } catch {
    // EPERM from FAT and the like: writeNewFile's status says what the file has.
  }
}

/**
 * Replaces the file at `path` whole or not at all: writeNewFile beside it (as `options` say), then renamed
 * over it, so that a reader sees the old file or the new one; `beforeRename` may still stop it by throwing.
 * Throws the fs error (nothing is left beside it; a failed rename's error has syscall `rename`). Returns
 * the new file's status.
 */
export function replaceWithNewFile(path: string, data: string | Uint8Array, options: NewFileOptions & { readonly beforeRename?: () => void } = {}): Stats {
  const temporary = temporaryBeside(path);
  const stat = writeNewFile(temporary, data, options);
  try {
    options.beforeRename?.();
    renameSync(temporary, path);
  } catch (error) {
    removeLeftover(temporary);
    throw error;
  }
  return stat;
}

/** Removes a temporary file that was not (or could not be) put in place; what is reported is why, not this. */
export function removeLeftover(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Renamed or linked already, or never made: nothing to remove, or nothing more to do.
  }
}

/** How old a temporary file beside its target is before it is taken for a killed run's: writing one takes milliseconds. */
const STALE_TEMPORARY_MS = 60_000;

/** Whether a temporary file last written at `mtimeMs` is a killed run's, not one being written (one dated ahead is kept). */
export function isStaleTemporary(mtimeMs: number): boolean {
  return Date.now() - mtimeMs > STALE_TEMPORARY_MS;
}

/**
 * Removes the temporary files beside `target` that runs killed before renaming or linking them left (copies
 * of the file they were writing, secrets included): this user's regular files of temporaryBeside's name,
 * older than a minute. By age, not by process ID: one in another PID namespace (a container) can have any
 * ID, this run's own included. Best effort: what cannot be read or removed stays.
 */
export function removeStaleTemporaries(target: string): void {
  const folder = dirname(target);
  const targetName = nameWithRoom(basename(target));
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (temporaryTarget(name) !== targetName) continue;
    const path = join(folder, name);
    try {
      const stat = lstatSync(path);
      if (stat.isFile() && isOwnedByUs(stat.uid) && isStaleTemporary(stat.mtimeMs)) unlinkSync(path);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}
