import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, lstatSync, mkdtempSync, readlinkSync, rmdirSync, rmSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { HelperError } from '../../errors.js';
import { folderPathProblem, ModesNotKeptError, removeLeftover, removeStaleTemporaries, temporaryBeside, writeNewFile } from '../../files/newFile.js';
import { foreignLinkOnWay, readTrustedFile, UntrustedFileError } from '../../files/trustedFile.js';
import { describeFsError } from '../../files/describeFsError.js';
import { looksLikeContent } from '../../files/looksLikeContent.js';
import { NOT_UTF8_PATH } from '../../files/nonUtf8Path.js';
import { inPlaceOfTemporary, privateTemporaryParent, tmpdirAdvice } from '../../files/privateTemporaryParent.js';
import type { Logger } from '../../log/logger.js';
import { ExpectedToken, MAX_TOKEN_LENGTH, tokenProblem } from './expectedToken.js';
import { MAKE_UNREADABLE_BY_OTHERS, modeText } from '../../files/modeText.js';
import onExit from 'signal-exit';

/**
 * The file that holds the token of the container-credentials endpoint, which clients read through
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE. Tokens are secrets: nothing here logs one.
 */
export interface AuthTokenFile {
  readonly path: string;
  /** Whether the file was created for this run (else it was there, and was read as it is). */
  readonly created: boolean;
  /** Whether a request's Authorization header value is the token. */
  accepts(authorization: string): boolean;
  /** Removes the file and its folder if they were made for this run only. */
  close(): void;
}

/**
 * How long a token that matches is taken without looking at the file: a stat per request would cost a
 * fifth of the endpoint's throughput, and a rotated-out token is refused this long after the change.
 */
const STAT_MS = 100;

/**
 * `serve --ecs --auth-token-file PATH`: the token in PATH, read as it is (a token botocore would refuse is
 * refused, saying why); or, when there is no such file, a new random one written there, 0600, without a
 * trailing newline. The file is never changed afterwards, and stays when the server stops. A file that
 * another user could have written is refused (see readToken): whoever wrote it knows the token.
 */
export function authTokenFileAt(path: string, context: Context, now: () => number = Date.now): AuthTokenFile {
  const { logger } = context;
  // A key given where its path belongs: quoted in every message below, or a file made in its name (QA).
  if (looksLikeContent(path) && !exists(path)) throw new HelperError('unable to use auth token file: what was given looks like PEM or base64 content, not a path (not shown)');
  // Node decodes arguments as UTF-8, each byte that is not as U+FFFD: such a path names another file, which
  // would be made and its path told to clients, the file named missed (QA), as update refuses its file.
  if (path.includes('\uFFFD')) throw new HelperError(`unable to use auth token file ${path}: its path ${NOT_UTF8_PATH}`);
  const folderPath = folderPathProblem(path);
  if (folderPath) throw new HelperError(`unable to use auth token file ${path}: ${folderPath}`);
  // Checked before a token is created too: the link's owner could later lead the path to a file whose token they know.
  let foreign: UntrustedFileError | undefined;
  try {
    foreign = foreignLink(path);
  } catch (error) {
    // A file on the way (ENOTDIR), links in a loop, a relative path once the working folder was removed (QA: internal errors).
    throw new HelperError(`unable to use auth token file ${path}: ${describeFsError(error)}`);
  }
  if (foreign) throw new HelperError(`unable to use auth token file ${path}: ${untrusted(foreign)}`);
  const created = exists(path) ? undefined : createToken(path);
  if (created) return new FollowedTokenFile(path, created.token, created.stat, { created: true, logger, now });
  let read: { token: string; stat: Stats };
  try {
    read = readToken(path);
  } catch (error) {
    if (error instanceof UntrustedFileError) throw new HelperError(`unable to use auth token file ${path}: ${untrusted(error)}`);
    const linkedTo = (error as NodeJS.ErrnoException).code === 'ENOENT' ? linkText(path) : undefined;
    if (linkedTo !== undefined) {
      // The token is never written through a link (see createToken): the file it leads to is not created.
      throw new HelperError(`unable to use auth token file ${path}: it is a symbolic link to ${linkedTo} that leads to no file; a token file is never created through a link`);
    }
    throw new HelperError(`unable to read auth token file ${path}: ${describeFsError(error)}`);
  }
  const problem = tokenProblem(read.token);
  if (problem) throw new HelperError(`unable to use the token in auth token file ${path}: ${problem}`);
  warnIfReadable(path, read.stat, logger);
  return new FollowedTokenFile(path, read.token, read.stat, { created: false, logger, now });
}

/**
 * `serve --ecs` without --auth-token-file: a random token for this run, in a new folder that only this
 * user can enter, both removed when the server stops.
 */
export function temporaryAuthTokenFile(context: Context): AuthTokenFile {
  // os.tmpdir() is TMPDIR (else TMP, TEMP), else /tmp; /dev/shm where another user could swap the token's
  // folder there, for a folder of theirs (clients would read their token) or a link while it is removed at stop.
  const place = privateTemporaryParent();
  const { parent, swappable, passedOver } = place;
  const refused = (reason: string) =>
    new HelperError(
      `unable to create a folder for the auth token in ${passedOver ? inPlaceOfTemporary(parent, passedOver) : `${parent} (the temporary folder${context.env.TMPDIR ? ', from TMPDIR' : ''})`}: ${reason}; ` +
        `point TMPDIR at ${tmpdirAdvice(place)}, or give --auth-token-file`,
    );
  if (swappable) throw refused(`another user could swap the token's folder there (${swappable}), and /dev/shm will not do either`);
  let folder: string;
  try {
    folder = mkdtempSync(join(parent, 'roles-anywhere-helper-'));
  } catch (error) {
    // /proc says ENOENT, which is not what a user would understand by a folder that is there.
    throw refused((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(parent) ? 'it takes no new folders' : describeFsError(error));
  }
  const path = join(folder, 'token');
  try {
    // mkdtemp's mode is 0700 less the umask's bits; a filesystem that keeps no modes (FAT) refuses any other
    // and would leave the token for every user to read (QA: "internal error: EPERM").
    if ((statSync(folder).mode & 0o777) !== 0o700) {
      try {
        chmodSync(folder, 0o700);
      } catch {
        // Refused (EPERM): the mode it has is judged below.
      }
      const mode = statSync(folder).mode & 0o777;
      if (mode & 0o077) throw refused(`its filesystem keeps no file modes: a folder made 0700 there has mode ${modeText(mode)}, which lets other users read the token`);
    }
    const { token, stat } = createToken(path)!;
    return new FollowedTokenFile(path, token, stat, { created: true, logger: context.logger, now: Date.now, folder });
  } catch (error) {
    removeTokenFolder(folder);
    throw error;
  }
}

/**
 * Removes the folder temporaryAuthTokenFile made, and the token in it; the reason if it could not. unlink(2)
 * and rmdir(2) take no descriptor, where rmSync's walk opens the folder: with every descriptor in use
 * (ulimit -n, the very reason a start may fail) it threw EMFILE, which left the folder and its token and was
 * reported instead of why the start failed (QA: serve --ecs under ulimit -n 19).
 */
function removeTokenFolder(folder: string): string | undefined {
  try {
    unlinkSync(join(folder, 'token'));
  } catch {
    // Not written, or gone: rmdir says whether anything is left.
  }
  try {
    rmdirSync(folder);
    return undefined;
  } catch {
    try {
      rmSync(folder, { recursive: true, force: true });
      return undefined;
    } catch (error) {
      return describeFsError(error);
    }
  }
}

/** What the symbolic link at `path` holds; undefined if it is not one (any more). */
function linkText(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** Whether something (a file, a link, even a dangling one) is at the path; an error other than ENOENT is the read's to report. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * Writes a random 256-bit token (base64url, no newline) into a new file, 0600, whole or not at all: into a
 * temporary file beside it, synced, then linked to the path (link(2) neither replaces what is there nor
 * follows a link there). A start killed half-way leaves no empty file that the next start would refuse (a
 * crash loop for a Kubernetes sidecar, whose emptyDir outlives it). Where there are no hard links (FAT and
 * exFAT mounted for one user) the file is created in place, exclusively; where a file made 0600 is not, the
 * token is not written at all (others could read it). Undefined when the file exists already.
 */
function createToken(path: string): { token: string; stat: Stats } | undefined {
  const failed = (error: unknown) => {
    const { code } = error as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? `folder ${dirname(path)} does not exist` : `${describeFsError(error)}${error instanceof ModesNotKeptError ? '; give a path on another filesystem' : ''}`;
    return new HelperError(`unable to create auth token file ${path}: ${reason}`);
  };
  removeStaleTemporaries(path);
  const temporary = temporaryBeside(path);
  const token = randomBytes(32).toString('base64url');
  let stat: Stats;
  try {
    stat = writeNewFile(temporary, token, { ownerOnly: true });
  } catch (error) {
    throw failed(error);
  }
  try {
    linkSync(temporary, path);
    return { token, stat };
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') return undefined;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw failed(error);
  } finally {
    removeLeftover(temporary);
  }
  try {
    return { token, stat: writeNewFile(path, token, { ownerOnly: true }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw failed(error);
  }
}

/**
 * The file's content as botocore reads it: all of it, as text, nothing stripped. Only a regular file that
 * is this user's or root's and that nobody else can write (the credential cache's rule, root aside, as a
 * mounted Kubernetes Secret is root's): another user could have written a token they know. A symbolic link,
 * at the path or on the way, is followed (a mounted Secret is one) only if it is this user's or root's: one
 * planted in a shared folder such as /tmp could lead to a file of ours whose content others know. Throws
 * the fs error, or an UntrustedFileError saying why.
 */
function readToken(path: string): { token: string; stat: Stats } {
  const foreign = foreignLink(path);
  if (foreign) throw foreign;
  const { data, stat } = readTrustedFile(path, MAX_TOKEN_LENGTH + 2, { followLinks: true, rootToo: true });
  return { token: data.toString('utf8'), stat };
}

/** Another user's symbolic link (root's aside) at the path or on a folder of the way to it, which they could lead to a file whose token they know. */
function foreignLink(path: string): UntrustedFileError | undefined {
  const link = foreignLinkOnWay(path);
  if (link === undefined) return undefined;
  const where = link === resolve(path) ? 'is' : `is reached through ${link},`;
  return new UntrustedFileError(`${where} another user's symbolic link`, 'foreign link');
}

/** Why a file readToken refused cannot be used: what it is, or (for who may have written it) that others may know its token. */
function untrusted(error: UntrustedFileError): string {
  // Read up to two bytes more than a token may hold: a larger file holds a token longer than that.
  if (error.problem === 'too large') return `it is longer than ${MAX_TOKEN_LENGTH} characters`;
  if (error.problem === 'not a regular file') return `it ${error.message}`;
  if (error.problem === 'foreign link') return `it ${error.message}, so others may know its token; the symbolic links at it and on the way to it must be this user's or root's`;
  return `it ${error.message}, so others may know its token; it must be this user's (or root's) and writable by no one else`;
}

/** Says (once per token taken) that users other than the file's owner and group can read the token, and so get the credentials. */
function warnIfReadable(path: string, stat: Stats, logger: Logger): void {
  const mode = stat.mode & 0o777;
  if (mode & 0o004) {
    logger.warn(`auth token file ${path} is readable by every user (mode ${modeText(mode)}), who can then get the credentials: ${MAKE_UNREADABLE_BY_OTHERS}`);
  }
}

/**
 * A token file followed as its clients follow it (they read it again for every request): the file's identity
 * (stat, through links: a Kubernetes Secret is swapped by its ..data link) is looked at for each token that
 * does not match, and at least every STAT_MS, and the file read again when it changed. So a token rotated
 * in place is taken without a restart, and the one it replaces refused. A new content that is not a usable
 * token is logged once and ignored.
 */
class FollowedTokenFile implements AuthTokenFile {
  #expected: ExpectedToken;
  /** The file as last looked at, to see a change. */
  #seen: string;
  #checkedAt: number;

  readonly created: boolean;
  readonly #logger: Logger;
  readonly #now: () => number;
  /** The folder made for this run, removed with the file at close. */
  readonly #folder: string | undefined;
  /** Forgets the removal of the folder as the process ends (see the constructor). */
  readonly #forget: () => void;

  constructor(
    readonly path: string,
    token: string,
    stat: Stats,
    options: { created: boolean; logger: Logger; now: () => number; folder?: string },
  ) {
    this.created = options.created;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#folder = options.folder;
    // Removed too when a signal serve does not stop on ends the process (Ctrl-\'s SIGQUIT, SIGUSR2): the
    // folder and its token were left behind (QA). signal-exit runs it then, and ends the process of that signal.
    const folder = options.folder;
    this.#forget = folder ? onExit(() => removeTokenFolder(folder)) : () => {};
    this.#expected = new ExpectedToken(token);
    this.#seen = identity(stat);
    this.#checkedAt = this.#now();
  }

  accepts(authorization: string): boolean {
    const matches = this.#expected.matches(authorization);
    const now = this.#now();
    // A clock set back since the last look is no sign the file was looked at lately (QA time: a rotated-out
    // token was taken until the clock caught up, an hour after NTP put right a clock an hour ahead).
    const since = now - this.#checkedAt;
    if (matches && since >= 0 && since < STAT_MS) return true;
    this.#checkedAt = now;
    return this.#follow() ? this.#expected.matches(authorization) : matches;
  }

  close(): void {
    this.#forget();
    const left = this.#folder && removeTokenFolder(this.#folder);
    if (left) this.#logger.warn(`unable to remove the auth token's folder ${this.#folder}: ${left}`);
  }

  /** Takes the file's token if the file changed and holds a usable one, saying whether it did; a change it cannot use is logged once. */
  #follow(): boolean {
    let seen: string | undefined;
    let read: { token: string; stat: Stats };
    try {
      seen = identity(statSync(this.path));
      if (seen === this.#seen) return false;
      read = readToken(this.path);
    } catch (error) {
      const reason = error instanceof UntrustedFileError ? untrusted(error) : describeFsError(error);
      // Logged once: until the file changes again, or (one that cannot be looked at) until the reason does.
      const state = seen ?? `error ${reason}`;
      if (state !== this.#seen) this.#logger.warn(`unable to read auth token file ${this.path} again, still expecting the token read before: ${reason}`);
      this.#seen = state;
      return false;
    }
    this.#seen = identity(read.stat);
    const problem = tokenProblem(read.token);
    if (problem) {
      this.#logger.warn(`auth token file ${this.path} changed, but ${problem}: still expecting the token read before`);
      return false;
    }
    this.#expected = new ExpectedToken(read.token);
    this.#logger.info(`auth token file ${this.path} changed: expecting its new token`);
    warnIfReadable(this.path, read.stat, this.#logger);
    return true;
  }
}

/**
 * What a change of the file changes: its content (size, time) or which file it is, and who may write it (a
 * refused replacement made right with chmod or chown). Not its change time, unlike statStamp's: a file this
 * process made was stat'ed as the temporary it wrote, and linking that into place changed it.
 */
function identity(stat: Stats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.mode}:${stat.uid}:${stat.gid}`;
}
