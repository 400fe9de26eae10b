import { isUtf8 } from 'node:buffer';
import { realpathSync, statSync, type Stats } from 'node:fs';
import { makeFolders } from '../../files/makeFolders.js';
import { basename, dirname, join } from 'node:path';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { HelperError, reasonOf } from '../../errors.js';
import { utf16Text } from '../../asn1/pem.js';
import { lockFile, type HeldLock } from '../../files/lockFile.js';
import { removeStaleTemporaries } from '../../files/newFile.js';
import { describeFsError } from '../../files/describeFsError.js';
import { readRegularFile } from '../../files/readInputFile.js';
import { credentialsFileTarget, folderNotMade, refuseUnusableFile } from './credentialsFileTarget.js';
import { replaceFile, type FileOwnership } from './replaceFile.js';
import { credentialValues, updateProfile } from './updateProfile.js';
import { credentialsLostToLoneCr, jsSdkChange } from './jsSdkReading.js';
import { fileStamp, isSettled, statStamp, type FileStamp } from '../../files/fileStamp.js';

/** What writeCredentialsFile tells of besides its outcome, no failure of the write. */
export interface WriteNotices {
  /** The lock could not be removed once done (the reason): another writer takes it over after 10 s. */
  readonly lockLeft?: (reason: string) => void;
  /** The file as written holds credentials that some of its readers miss (why, and what to do). */
  readonly misread?: (problem: string) => void;
}

/**
 * Sets a profile's credentials in the shared credentials file without ever exposing a torn or half-written
 * file: under an advisory lock (concurrent writers wait their turn, so no update is lost), the new content
 * goes to a temporary file in the same folder, is synced, and replaces the old one by rename (in place
 * where a rename cannot replace it). A new file is created 0600 in a folder created 0700; an existing file
 * keeps its mode (and owner, when allowed), and one that is read-only is refused. A symbolic link of this
 * user's or root's is written through, also one whose file does not exist yet (see linkTarget). Every byte
 * outside the three credential values stays as it was, UTF-8 or not: a file of UTF-8 is handled as its
 * characters, as botocore reads it, any other as its bytes (latin1, one character per byte; see
 * readExisting). Returns the mode the file has, or undefined when `goOn`, asked while the lock is
 * waited for and once it is held, says not to write after all (the caller is stopping). `waiting` is called
 * once if another process holds the lock, with the user ID of its holder if that is another user; `notices`, of
 * what the caller may want to say besides (see WriteNotices).
 */
export async function writeCredentialsFile(
  path: string,
  profile: string,
  credentials: TemporaryCredentials,
  goOn: () => boolean = () => true,
  waiting: (otherUser?: number) => void = () => {},
  notices: WriteNotices = {},
): Promise<number | undefined> {
  const target = credentialsFileTarget(path);
  const folder = dirname(target);
  try {
    makeFolders(folder, 0o700);
  } catch (error) {
    throw folderNotMade(path, error, folder);
  }
  // A folder there already was checked with the target, before locking (the lock is a folder made beside the
  // file, and would be retried for 20 s); one made just now is this user's, 0700.
  let lock: HeldLock;
  try {
    lock = await lockFile(target, { waitMs: 20_000, staleMs: 10_000, wanted: goOn, waiting });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ECANCELED') return undefined;
    // The lock's own refusals say what they are; a failed mkdir of the lock (a full disk, say) is worded as other fs errors are.
    throw new HelperError(`unable to lock the credentials file ${path}: ${(error as NodeJS.ErrnoException).syscall ? describeFsError(error) : reasonOf(error)}`);
  }
  try {
    if (!goOn()) return undefined;
    for (let read = 1; ; read++) {
      // Checked again before each read: while the lock was waited for (a lock held by another user, in a
      // folder they may write, holds this run up to 20 s), or since the last read, the file or a folder on
      // the way may have been replaced by a link to another (QA: root's update, led into a file of its own).
      if (inRealFolder(credentialsFileTarget(path)) !== inRealFolder(target)) {
        throw new HelperError(`unable to write the credentials file ${path}: it now leads to another file than it did when this run began`);
      }
      if (read === 1) removeStaleTemporaries(target);
      // Programs that write the file without the lock (the AWS CLI's `aws configure set` cuts it, then writes
      // it) may be under way: bytes read from a file that is empty, or changed too lately for its stamp to
      // tell (isSettled), are trusted only once it has stood still for EMPTY_SETTLED_MS or SETTLED_MS (its
      // times alone do not tell: a cut may leave them as they were), and a file that changed once read is
      // read again; otherwise a half-written file read here would be made the whole file by the rename.
      const existing = readExisting(target, path);
      const { stamp } = existing;
      const { text, encoding } = existing;
      const empty = text.length === 0;
      const settled = !stamp || (!empty && isSettled(stamp, Date.now())) || (await unchangedFor(target, stamp.stamp, empty ? EMPTY_SETTLED_MS : SETTLED_MS));
      if (settled) {
        const inFile = (value: string) => (encoding === 'utf8' ? value : asBytes(value));
        const updated = updateProfile(text, inFile(profile), {
          ...credentials,
          accessKeyId: inFile(credentials.accessKeyId),
          secretAccessKey: inFile(credentials.secretAccessKey),
          sessionToken: inFile(credentials.sessionToken),
        });
        // The file is written as botocore reads it; one the JS SDK reads otherwise there (an indented header,
        // text after a header's `]`) is refused, not written, rather than its profiles changed for it (QA: fuzzing).
        const bytes = Buffer.from(updated, encoding);
        const values = credentialValues(credentials);
        const change = jsSdkChange(Buffer.from(text, encoding), bytes, profile, values);
        if (change) throw new HelperError(`unable to write the credentials file ${path}: the AWS SDK for JavaScript reads it otherwise than botocore (the AWS CLI) does, and ${change}; make the two read it alike (no text after a section's "]", no indented header or setting)`);
        let mode: number | undefined;
        try {
          mode = replaceFile(target, bytes, existing, () => {
            if (!lock.stillHeld()) throw new LockLostError();
            // Looked at just before the rename, after the new file's write and sync, which take a while: a change made since it was read is read in.
            if (currentStamp(target) !== stamp?.stamp) throw new ChangedMeanwhile();
          });
        } catch (error) {
          if (!(error instanceof ChangedMeanwhile)) throw writeFailure(error, path);
        }
        // The rename (or write in place) itself held up past the lock's bound (a disk that stalls it, a process
        // stopped just before it): another process may have taken the lock over and written meanwhile, which
        // this write then replaced. Nothing can bring that back; it is said, not passed over (QA: a profile lost, exit 0).
        if (mode !== undefined) {
          if (!heldAfterWrite(lock)) {
            throw new TakenOverAfterWriteError(
              `the credentials file ${path} was written, but another process took its lock over while this run's write was held up ` +
                "(past the lock's 10 s: a slow disk, a stopped process): what that process wrote meanwhile may have been replaced; run that other update again",
            );
          }
          // Written for botocore, as ever (a refusal would fail the AWS CLI's users): said, as for the config file.
          if (credentialsLostToLoneCr(bytes, profile, values)) {
            notices.misread?.(
              `the credentials file ${path} holds a lone CR (old Mac line ends), which the AWS SDKs (Go, JavaScript) take for no line break: ` +
                'they read none of the credentials written, which botocore (the AWS CLI) reads; save it with LF or CRLF line ends',
            );
          }
          return mode;
        }
      }
      if (read === MAX_READS) {
        throw new HelperError(`unable to write the credentials file ${path}: another program kept changing it while it was read, ${MAX_READS} times`);
      }
      if (!goOn()) return undefined;
    }
  } finally {
    // A lock not let go of (a stat of it failing, its folder not removed) is taken over after 10 s: said (notices.lockLeft), but no failure of the write, which is done or has its own error (QA: EIO by strace, exit 1 'internal error' after a write).
    await lock.release().catch((error: unknown) => notices.lockLeft?.(describeFsError(error)));
  }
}

/**
 * Whether the file is UTF-16 text without a byte order mark (iconv -t UTF-16LE writes it, an editor may drop the
 * mark): of its first 32 characters, half or more (those of ASCII) have a NUL byte, all on the same side, and
 * none on the other (a file of NULs, as a crash may leave, is not text). Its bytes are valid UTF-8, and it was
 * updated as such: UTF-8 lines added after its own, ended by the lone CR its `\r\0` was taken for, a mixed file
 * of which no reader takes the new lines either (QA: leftovers2).
 */
function unmarkedUtf16(data: Buffer): boolean {
  const pairs = Math.min(data.length, 64) >> 1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (data[2 * i] === 0) even++;
    if (data[2 * i + 1] === 0) odd++;
  }
  return pairs > 0 && ((even === 0 && odd * 2 >= pairs) || (odd === 0 && even * 2 >= pairs));
}

/**
 * Whether a line of the file holds NUL bytes and nothing else but blanks, as a crash leaves of a file whose
 * size was written before its data: botocore refuses the whole file for such a line ("Unable to parse config
 * file"), so credentials added to it reached no AWS CLI call, though the update said nothing (QA: leftovers2).
 * A NUL within a comment or a value is read as any other character.
 */
function nulLine(data: Buffer): boolean {
  return /(?:^|[\r\n])[ \t]*\0[\0 \t]*(?:[\r\n]|$)/.test(data.toString('latin1'));
}

/** Whether the lock is still this process's once the file is written, as far as can be told: a stat of it that fails (EIO) tells nothing, and the write is done (QA: strace). */
function heldAfterWrite(lock: HeldLock): boolean {
  try {
    return lock.stillHeld();
  } catch {
    return true;
  }
}

function writeFailure(error: unknown, path: string): HelperError {
  if (error instanceof LockLostError) {
    return new HelperError(
      `unable to write the credentials file ${path}: another process took its lock over while this run was held up ` +
        "(past the lock's 10 s: a slow disk, a stopped process): not written, so as not to undo what that process wrote",
    );
  }
  return new HelperError(`unable to write the credentials file ${path}: ${describeFsError(error)}`);
}

/** This run's write was put in place, but the lock had been taken over meanwhile: another's write may be lost. */
export class TakenOverAfterWriteError extends HelperError {}

/** Thrown before the rename when another program changed the file after it was read: it is read again. */
class ChangedMeanwhile extends Error {}

/** Thrown before the rename when the lock is no longer this process's (files/lockFile.ts: stillHeld). */
class LockLostError extends Error {
  constructor() {
    super('the lock was taken over');
  }
}

/** How long a file changed of late must stand unchanged for its bytes to be trusted (see above). */
const SETTLED_MS = 50;
/**
 * The same for an empty file, most likely one cut by a program that has yet to write it again: on a loaded
 * machine that program's write can come more than SETTLED_MS later (QA: every other profile lost, in a CI
 * run beside other test suites). Waiting costs only the first write to a file left empty.
 */
const EMPTY_SETTLED_MS = 1_000;
/** How many times it is read before a file that keeps changing is given up on (some seconds). */
const MAX_READS = 40;

/** The file's stamp (files/fileStamp.ts) as it is now; undefined when there is no regular file there. */
function currentStamp(target: string): string | undefined {
  const found = fileStamp(target);
  return found && 'stamp' in found ? found.stamp : undefined;
}

/** Whether the file still has `stamp` after `ms`. */
async function unchangedFor(target: string, stamp: string, ms: number): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return currentStamp(target) === stamp;
}

/** Text as the latin1 view of its UTF-8 bytes, the view a file not of UTF-8 is handled in. */
function asBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** The path by its folder's real path (the folder may have been made since the path was found). */
function inRealFolder(path: string): string {
  return join(realpathSync(dirname(path)), basename(path));
}

/**
 * Who a new file is given to: root writing in another user's folder (`sudo -E` with their HOME) makes it
 * that user's, as it keeps an existing file's owner there; otherwise whoever writes it.
 */
function newFileOwner(folder: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const { uid, gid } = statSync(folder);
  return uid === 0 ? {} : { uid, gid };
}

/**
 * The file's text, ownership and stamp; a file its mode makes read-only is refused, not replaced. The text of a file
 * of UTF-8 is its characters, as botocore reads it in a UTF-8 locale (its blanks include U+00A0 and the other Unicode
 * spaces: QA, fuzzing); of another, its bytes as latin1, each kept as it was.
 */
function readExisting(target: string, path: string): FileOwnership & { text: string; encoding: 'utf8' | 'latin1'; stamp?: FileStamp } {
  let existing: { data: Buffer; stat: Stats };
  try {
    // Not through a link: the target was found through them, and one there now was put there since.
    existing = readRegularFile(target, undefined, true);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') return { text: '', encoding: 'utf8', mode: 0o600, ...newFileOwner(dirname(target)) };
    const reason = code === 'ELOOP' ? `${target} was replaced by a symbolic link while this run was writing it` : describeFsError(error);
    throw new HelperError(`unable to read the credentials file ${path}: ${reason}`);
  }
  const { data, stat } = existing;
  const mode = stat.mode & 0o7777;
  refuseUnusableFile(target, path, stat);
  // Lines written in UTF-8 would be read as UTF-16 by an editor, and the file's own by no SDK; behind a byte
  // order mark, botocore reads none of it, and a [default] added after the one it hides stays twice (QA).
  const unusable =
    utf16Text(data) ??
    (unmarkedUtf16(data) ? 'it is UTF-16 text without a byte order mark, of which no reader of the file (botocore, the AWS SDKs) takes a profile: save it as UTF-8 or ASCII' : undefined) ??
    (data.toString('latin1', 0, 3) === '\xef\xbb\xbf' ? 'it starts with a byte order mark, with which botocore (the AWS CLI) reads none of it: save it without one' : undefined) ??
    (nulLine(data) ? 'it holds a line of NUL bytes (what a crash can leave of a file), with which botocore (the AWS CLI) reads none of it: remove them, or the file' : undefined);
  if (unusable) throw new HelperError(`unable to write the credentials file ${path}: ${unusable}`);
  const file = { dev: stat.dev, ino: stat.ino, nlink: stat.nlink };
  const encoding = isUtf8(data) ? 'utf8' : 'latin1';
  return { text: data.toString(encoding), encoding, mode, uid: stat.uid, gid: stat.gid, file, stamp: statStamp(stat) };
}
