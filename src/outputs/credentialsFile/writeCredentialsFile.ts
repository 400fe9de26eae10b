import { randomBytes } from 'node:crypto';
import { type Stats, closeSync, fchmodSync, fchownSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { HelperError, reasonOf } from '../../errors.js';
import { describeFsError, notRegularFile, readRegularFile } from '../../keys/file/readInputFile.js';
import { updateProfile } from './updateProfile.js';

/**
 * Sets a profile's credentials in the shared credentials file without ever exposing a torn or half-written
 * file: under an advisory lock (concurrent writers wait their turn, so no update is lost), the new content
 * goes to a temporary file in the same folder, is synced, and replaces the old one by rename. A new file
 * is created 0600 in a folder created 0700; an existing file keeps its mode (and owner, when allowed).
 */
export async function writeCredentialsFile(path: string, profile: string, credentials: TemporaryCredentials): Promise<void> {
  const target = resolveTarget(path);
  refuseIfNotRegular(target, path);
  const folder = dirname(target);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new HelperError(`unable to create the folder of the credentials file ${path}: ${describeFsError(error)}`);
  }
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 200, minTimeout: 5, maxTimeout: 100, factor: 1.3, randomize: true },
    });
  } catch (error) {
    throw new HelperError(`unable to lock the credentials file ${path}: ${reasonOf(error)}`);
  }
  try {
    const existing = readExisting(target, path);
    replaceFile(target, path, updateProfile(existing.text, profile, credentials), existing);
  } finally {
    await release();
  }
}

/** Write through a symbolic link to the file it names, rather than replacing the link. */
function resolveTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * A FIFO or a device is refused before it is locked (a lock folder beside /dev/zero is no one's business)
 * and is never read: reading a FIFO blocks, and a blocked process does not even see SIGTERM.
 */
function refuseIfNotRegular(target: string, path: string): void {
  let stat: Stats | undefined;
  try {
    stat = statSync(target);
  } catch {
    return; // missing (it will be created), or unreadable, which the read says
  }
  const notRegular = stat && notRegularFile(stat);
  if (notRegular) throw new HelperError(`unable to read the credentials file ${path}: ${notRegular}`);
}

function readExisting(target: string, path: string): { text: string; mode: number; uid?: number; gid?: number } {
  try {
    const { data, stat } = readRegularFile(target);
    return { text: data.toString('utf8'), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', mode: 0o600 };
    throw new HelperError(`unable to read the credentials file ${path}: ${describeFsError(error)}`);
  }
}

function replaceFile(target: string, path: string, text: string, existing: { mode: number; uid?: number; gid?: number }): void {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', 0o600);
    writeSync(fd, text);
    fchmodSync(fd, existing.mode);
    if (existing.uid !== undefined && existing.gid !== undefined) {
      try {
        fchownSync(fd, existing.uid, existing.gid);
      } catch {
        // Only root may give a file away; the file is then ours, with its mode kept.
      }
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
    syncFolder(dirname(target));
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // it was renamed, or never created
    }
    throw new HelperError(`unable to write the credentials file ${path}: ${describeFsError(error)}`);
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
