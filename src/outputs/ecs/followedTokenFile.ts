import { rmdirSync, rmSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import onExit from 'signal-exit';
import { describeFsError } from '../../files/describeFsError.js';
import { foreignLinkOnWay, readTrustedFile, UntrustedFileError } from '../../files/trustedFile.js';
import { MAKE_UNREADABLE_BY_OTHERS, modeText } from '../../files/modeText.js';
import type { Logger } from '../../log/logger.js';
import { ExpectedToken, MAX_TOKEN_LENGTH, tokenProblem } from './expectedToken.js';

/**
 * How long a token that matches is taken without looking at the file: a stat per request would cost a
 * fifth of the endpoint's throughput, and a rotated-out token is refused this long after the change.
 */
const STAT_MS = 100;

/**
 * A token file followed as its clients follow it (they read it again for every request): the file's identity
 * (stat, through links: a Kubernetes Secret is swapped by its ..data link) is looked at for each token that
 * does not match, and at least every STAT_MS, and the file read again when it changed. So a token rotated
 * in place is taken without a restart, and the one it replaces refused. A new content that is not a usable
 * token is logged once and ignored. The AuthTokenFile that authTokenFileAt and temporaryAuthTokenFile return.
 */
export class FollowedTokenFile {
  #expected: ExpectedToken;
  /** The file as last looked at, to see a change. */
  #seen: string;
  #checkedAt: number;

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
    options: { logger: Logger; now: () => number; folder?: string },
  ) {
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

/**
 * Removes the folder temporaryAuthTokenFile made, and the token in it; the reason if it could not. unlink(2)
 * and rmdir(2) take no descriptor, where rmSync's walk opens the folder: with every descriptor in use
 * (ulimit -n, the very reason a start may fail) it threw EMFILE, which left the folder and its token and was
 * reported instead of why the start failed (QA: serve --ecs under ulimit -n 19).
 */
export function removeTokenFolder(folder: string): string | undefined {
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

// How the file is read, at start (authTokenFileAt) and at each change (#follow), and why one is refused.

/**
 * The file's content as botocore reads it: all of it, as text, nothing stripped. Only a regular file that
 * is this user's or root's and that nobody else can write (the credential cache's rule, root aside, as a
 * mounted Kubernetes Secret is root's): another user could have written a token they know. A symbolic link,
 * at the path or on the way, is followed (a mounted Secret is one) only if it is this user's or root's: one
 * planted in a shared folder such as /tmp could lead to a file of ours whose content others know. Throws
 * the fs error, or an UntrustedFileError saying why.
 */
export function readToken(path: string): { token: string; stat: Stats } {
  const foreign = foreignLink(path);
  if (foreign) throw foreign;
  const { data, stat } = readTrustedFile(path, MAX_TOKEN_LENGTH + 2, { followLinks: true, rootToo: true });
  return { token: data.toString('utf8'), stat };
}

/** Another user's symbolic link (root's aside) at the path or on a folder of the way to it, which they could lead to a file whose token they know. */
export function foreignLink(path: string): UntrustedFileError | undefined {
  const link = foreignLinkOnWay(path);
  if (link === undefined) return undefined;
  const where = link === resolve(path) ? 'is' : `is reached through ${link},`;
  return new UntrustedFileError(`${where} another user's symbolic link`, 'foreign link');
}

/** Why a file readToken refused cannot be used: what it is, or (for who may have written it) that others may know its token. */
export function untrusted(error: UntrustedFileError): string {
  // Read up to two bytes more than a token may hold: a larger file holds a token longer than that.
  if (error.problem === 'too large') return `it is longer than ${MAX_TOKEN_LENGTH} characters`;
  if (error.problem === 'not a regular file') return `it ${error.message}`;
  if (error.problem === 'foreign link') return `it ${error.message}, so others may know its token; the symbolic links at it and on the way to it must be this user's or root's`;
  return `it ${error.message}, so others may know its token; it must be this user's (or root's) and writable by no one else`;
}

/** Says (once per token taken) that users other than the file's owner and group can read the token, and so get the credentials. */
export function warnIfReadable(path: string, stat: Stats, logger: Logger): void {
  const mode = stat.mode & 0o777;
  if (mode & 0o004) {
    logger.warn(`auth token file ${path} is readable by every user (mode ${modeText(mode)}), who can then get the credentials: ${MAKE_UNREADABLE_BY_OTHERS}`);
  }
}
