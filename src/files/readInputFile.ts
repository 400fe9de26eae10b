import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { HelperError } from '../errors.js';
import { describeFsError } from './describeFsError.js';
import { fileKind } from './fileKind.js';
import { looksLikeContent } from './looksLikeContent.js';
import { readOpenedFile } from './readOpenedFile.js';
import { redactPin } from '../log/redactUrl.js';

/** The most read from an input file: certificates, keys, chains and CA bundles are a few kilobytes. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/**
 * Reads a file the user named, turning a failure into `unable to read <what> <path>: <reason>` (a pkcs11:
 * URI given where a file belongs shown without its PIN). Only a
 * regular file of at most MAX_INPUT_BYTES is read (see readRegularFile).
 */
export function readInputFile(path: string, what: string): Buffer {
  return readInputFileWithStat(path, what).data;
}

/** readInputFile, with the opened file's stat (its mode, for a file that may hold a secret). */
export function readInputFileWithStat(path: string, what: string): ReturnType<typeof readRegularFile> {
  try {
    return readRegularFile(path);
  } catch (error) {
    if (looksLikeContent(path)) {
      // A key given where its path belongs (`--private-key "$(cat key.pem)"`, base64 DER to the library): not shown.
      throw new HelperError(`unable to read ${what}: ${describeFsError(error, false)}, and what was given looks like PEM or base64 content, not a path (not shown)`);
    }
    throw new HelperError(`unable to read ${what} ${redactPin(path)}: ${describeFsError(error)}`);
  }
}

/** Why a path is not read: it is not a regular file, or it is too large. The message is the reason. */
class NotReadableError extends Error {}

/**
 * A regular file's bytes and status. Anything else is refused without reading it: a FIFO would block
 * until someone writes (it is opened O_NONBLOCK, so that not even the open waits), and a device such as
 * /dev/zero never ends. So is a file larger than `maxBytes`, even one that grows while it is read.
 * With `noFollow`, a symbolic link at the path is not followed (ELOOP). Throws the fs error, or a
 * NotReadableError saying why.
 */
export function readRegularFile(path: string, maxBytes = MAX_INPUT_BYTES, noFollow = false): { data: Buffer; stat: Stats } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  try {
    const stat = fstatSync(fd);
    const notRegular = notRegularFile(stat);
    if (notRegular) throw new NotReadableError(notRegular);
    return { data: readOpenedFile(fd, stat.size, maxBytes, () => new NotReadableError(`larger than ${formatBytes(maxBytes)}`)), stat };
  } finally {
    closeSync(fd);
  }
}

/** Why this is not a regular file (`not a regular file (a FIFO)`); undefined if it is one. */
export function notRegularFile(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'is a directory';
  return `not a regular file (${fileKind(stat)})`;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
