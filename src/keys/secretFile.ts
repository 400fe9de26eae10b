import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import { HelperError } from '../errors.js';
import { describeFsError } from '../files/describeFsError.js';
import { readRegularFile } from '../files/readInputFile.js';
import { NOT_UTF8 } from './secretVariables.js';
import { modeText } from '../files/modeText.js';

/**
 * A password or PIN kept in a file (`--pkcs8-password-file`, a PKCS#11 URI's pin-source). Refused when
 * its group or others may read it: a secret others can read is no longer one, and saying so beats a
 * silent leak. Read as every input is (a regular file, never waited on, bounded). `from` names it for
 * messages (`PKCS#8 password from --pkcs8-password-file`), with the path after it, except where no such file
 * is there: the password itself given by mistake where its file's path belongs would be shown.
 */
export function readSecretFile(path: string, from: string): string {
  let read: ReturnType<typeof readRegularFile>;
  try {
    read = readRegularFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENAMETOOLONG') {
      throw new HelperError(`unable to read ${from}: ${describeFsError(error, false)} (the path given is not shown: it may be the secret itself)`);
    }
    throw new HelperError(`unable to read ${from} ${path}: ${describeFsError(error)}`);
  }
  from = `${from} ${path}`;
  // The mode of what was opened, not of what the path names a moment later.
  const readable = readableByOthers(read.stat.mode);
  if (readable) throw new HelperError(`unable to read ${from}: ${readable}`);
  return secretText(read.data, from);
}

/**
 * A secret given in a file, read again each time it is wanted (a key renewed on disk may take another
 * password), and while the file is gone (removed once read, by a script say) the one read before. One
 * that is there and cannot be used says why, as at start (review: others could read it, and the one read
 * before was then called wrong).
 */
export function latestSecret(first: string | undefined, path: string | undefined, from: string): () => string | undefined {
  let last = first;
  return () => {
    if (path && existsSync(path)) last = readSecretFile(path, from);
    return last;
  };
}

/** Why a file that holds a secret may not be used: its group or others may read it (undefined: they may not). */
export function readableByOthers(fileMode: number): string | undefined {
  const mode = fileMode & 0o777;
  if (!(mode & 0o044)) return undefined;
  const readers = mode & 0o040 ? (mode & 0o004 ? 'its group and others' : 'its group') : 'others';
  return `it is readable by ${readers} (mode ${modeText(mode)}); make it readable by its owner only (chmod 600)`;
}

/**
 * The secret a file or standard input holds: UTF-8, one trailing newline (as `echo` writes) left out, and a
 * leading byte order mark (as Windows editors and PowerShell 5 write) too, which no password starts with;
 * no other line break or control character (a tab aside), which no password typed holds.
 */
export function secretText(data: Buffer, from: string): string {
  if (!isUtf8(data)) throw new HelperError(`unable to read ${from}: ${NOT_UTF8}`);
  const text = data.toString('utf8').replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  // A lone CR (old Mac line endings), a blank line after it, a NUL: a slip, and, passed on, a PIN or TPM try spent (QA).
  if (!text || /[\0-\x08\n-\x1f\x7f]/.test(text)) throw new HelperError(`unable to read ${from}: it ${text ? 'holds a line break or control character besides one trailing newline' : 'is empty'}`);
  return text;
}
