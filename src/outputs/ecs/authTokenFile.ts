import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, lstatSync, mkdtempSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Context } from '../../context.js';
import { HelperError } from '../../errors.js';
import { folderPathProblem, ModesNotKeptError, removeLeftover, removeStaleTemporaries, temporaryBeside, writeNewFile } from '../../files/newFile.js';
import { UntrustedFileError } from '../../files/trustedFile.js';
import { describeFsError } from '../../files/describeFsError.js';
import { looksLikeContent } from '../../files/looksLikeContent.js';
import { NOT_UTF8_PATH } from '../../files/nonUtf8Path.js';
import { inPlaceOfTemporary, privateTemporaryParent, tmpdirAdvice } from '../../files/privateTemporaryParent.js';
import { modeText } from '../../files/modeText.js';
import { tokenProblem } from './expectedToken.js';
import { FollowedTokenFile, foreignLink, readToken, removeTokenFolder, untrusted, warnIfReadable } from './followedTokenFile.js';

/**
 * The file that holds the token of the container-credentials endpoint, which clients read through
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE. Tokens are secrets: nothing here logs one.
 */
export interface AuthTokenFile {
  readonly path: string;
  /** Whether a request's Authorization header value is the token. */
  accepts(authorization: string): boolean;
  /** Removes the file and its folder if they were made for this run only. */
  close(): void;
}

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
  if (created) return new FollowedTokenFile(path, created.token, created.stat, { logger, now });
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
  return new FollowedTokenFile(path, read.token, read.stat, { logger, now });
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
    return new FollowedTokenFile(path, token, stat, { logger: context.logger, now: Date.now, folder });
  } catch (error) {
    removeTokenFolder(folder);
    throw error;
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

