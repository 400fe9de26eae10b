import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileKind } from './fileKind.js';
import { modeText } from './modeText.js';
import { permissionDenied } from '../permissionDenied.js';

/** The process's or the system's limit on open files, met (EMFILE, ENFILE), as a message names it. */
export const OUT_OF_FILE_DESCRIPTORS = 'too many open files (the process or system limit, ulimit -n)';

/**
 * A file system failure as a message says it: the reason in words for the common codes, else Node's message
 * without the path. `pathShown` false: the message does not show the path (it may be a secret, or content
 * given in a path's place), and a missing one is not said to be relative either.
 */
export function describeFsError(error: unknown, pathShown = true): string {
  // A Unix socket's connect error names its path as its address (review: an ssh-agent's socket).
  const { code, errno, path = (error as { address?: string }).address } = error as NodeJS.ErrnoException;
  // libuv has no name for Linux's EDQUOT (122): Node says `UNKNOWN: unknown error` or `Unknown system error -122` (QA: strace).
  switch (errno === -122 && process.platform === 'linux' ? 'EDQUOT' : code) {
    case 'ENOENT': {
      // Node decodes arguments and variables as UTF-8, each byte that is not as U+FFFD: the file may be there.
      if (path?.includes('\uFFFD')) return 'no such file or directory (its path holds bytes that are not UTF-8, shown as \uFFFD, which Node.js cannot name)';
      if (!pathShown || !path) return 'no such file or directory';
      // The last argument of a script with CRLF line endings, or a YAML block scalar's value (QA).
      if (/\r\n?$/.test(path)) return 'no such file or directory (it ends in a carriage return: from a file with Windows (CRLF) line endings?)';
      if (path.endsWith('\n')) return 'no such file or directory (it ends in a line break)';
      // A blank at either end shows as nothing in a message (a variable from a file with a trailing blank, QA).
      const blank = /^[ \t]|[ \t]$/.exec(path);
      if (blank) return `no such file or directory (it ${blank.index === 0 ? 'begins with' : 'ends in'} a ${blank[0] === ' ' ? 'space' : 'tab'})`;
      const unexpanded = shellWork(path);
      if (unexpanded) return `no such file or directory (${unexpanded})`;
      // A relative path is looked for from the working folder, which is not the user's shell's for a
      // credential_process the AWS CLI runs, a systemd unit or a roles file's role.
      if (isAbsolute(path)) return 'no such file or directory';
      const folder = workingFolder();
      return folder
        ? `no such file or directory (a relative path, looked for in the working folder ${folder})`
        : 'no such file or directory (a relative path, and the working folder has been removed)';
    }
    case 'EACCES': {
      // A relative one from the working folder, if it is still there (review: only absolute ones were).
      const working = pathShown && path && !isAbsolute(path) ? workingFolder() : undefined;
      // Not resolve()d: a `..` after a link is the link target's parent, as the kernel takes it.
      const absolute = !pathShown || !path ? undefined : working ? `${working}/${path}` : isAbsolute(path) ? path : undefined;
      const folder = absolute && closedFolderOnWay(absolute);
      return folder ? `permission denied (${folder})` : 'permission denied';
    }
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR': {
      // Which one, and what it is: HOME=/dev/null, a cache folder that is a file or a FIFO left the user to look (QA).
      const file = pathShown && path ? notFolderOnWay(path) : undefined;
      return file ? `${file}, not a folder` : 'a component of the path is not a directory';
    }
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EFBIG':
      return 'file too large (past the file size limit, ulimit -f, or what the file system takes)';
    case 'ELOOP':
      // Linux's bound on the links one path may go through, loop or not.
      return 'its symbolic links make a loop (or pass through more than 40)';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'ERR_INVALID_ARG_VALUE':
      // Node's message quotes the whole path (content given in its place, a DER key).
      return 'a path holds no NUL byte';
    case 'ENXIO':
      return 'not a regular file (a socket or a device without a driver)';
    case 'ERR_ACCESS_DENIED':
      // The path may be a folder on the way, which Node's message does not name.
      return permissionDenied(error as Error, pathShown);
    default:
      // Node's `CODE: description, syscall 'path'`, without the path: the caller names what it was (or hides it).
      return error instanceof Error ? error.message.replace(/, [a-z]+ '[^]*'$/, '') : String(error);
  }
}

/**
 * What a shell would have done to a path that was not found: expand `~` or `$NAME`, which the AWS CLI
 * leaves as they are (botocore splits credential_process with shlex, and runs it without a shell:
 * `--certificate ~/.ssh/client.crt`, aws_signing_helper issue #151), or drop quotes, which typographic
 * ones copied from a web page or a document are not. Undefined for a path without these.
 */
function shellWork(path: string): string | undefined {
  const expanded = /^~/.test(path) ? '~' : /^\$(\w+|\{\w+\})/.exec(path)?.[0];
  if (expanded) return `${expanded} is left as written, as no shell expanded it: the AWS CLI, systemd and a Dockerfile's exec-form CMD run commands without one`;
  if (/^[\u2018\u201c\u00ab\u201e\u201a].*[\u2019\u201d\u00bb\u201c\u2018]$/.test(path)) {
    return 'it is in typographic quotes, which no shell removes: use " or \'';
  }
  return undefined;
}

/**
 * The folder on the way to `path` this user may not enter, said with its mode and owner: a bare "permission
 * denied" for a file in another user's 0700 folder (a shared cache folder in /tmp, root's HOME) left the
 * user to look for it (QA). The way follows links as the kernel does, name by name: a link to a file in such
 * a folder, or through one, was a bare "permission denied" too.
 */
function closedFolderOnWay(path: string): string | undefined {
  const names = path.split('/');
  let folder = '/';
  let links = 0;
  for (let name = names.shift(); name !== undefined; name = names.shift()) {
    if (name === '' || name === '.') continue;
    if (name === '..') {
      folder = dirname(folder);
      continue;
    }
    const next = join(folder, name);
    try {
      if (!lstatSync(next).isSymbolicLink()) {
        folder = next;
        continue;
      }
      // Linux's bound on the links a path may go through (ELOOP).
      if (++links > 40) return undefined;
      const target = readlinkSync(next);
      if (isAbsolute(target)) folder = '/';
      names.unshift(...target.split('/'));
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EACCES' ? closedFolder(folder) : undefined;
    }
  }
  return undefined;
}

/**
 * The first name on the way to `path` that is not a folder, said with what it is (`/dev/null is a character
 * device`): the last name too when the path ends in `/`. Not normalised: a `..` after a link is the link
 * target's parent, as the kernel takes it.
 */
function notFolderOnWay(path: string): string | undefined {
  const working = isAbsolute(path) ? '' : workingFolder();
  if (working === undefined) return undefined;
  const names = `${working}/${path}`.split('/').filter(Boolean);
  const last = path.endsWith('/') ? names.length : names.length - 1;
  for (let count = 1; count <= last; count++) {
    const way = `/${names.slice(0, count).join('/')}`;
    let stat: Stats;
    try {
      stat = statSync(way);
    } catch {
      return undefined;
    }
    if (!stat.isDirectory()) return `${way} is ${fileKind(stat)}`;
  }
  return undefined;
}

function closedFolder(folder: string): string | undefined {
  try {
    const { mode, uid } = statSync(folder);
    return `this user may not enter ${folder}: mode ${modeText(mode & 0o777)}, owner ${uid}`;
  } catch {
    return undefined;
  }
}

/** The working folder, if it still exists (process.cwd() throws once it was removed). */
function workingFolder(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}
