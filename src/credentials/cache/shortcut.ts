import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../context.js';
import { replaceWithNewFile } from '../../files/newFile.js';
import { readTrustedFile, untrustedFolder } from '../../files/trustedFile.js';
import { SECRET_VARIABLES } from '../../keys/secretVariables.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { VERSION } from '../../version.js';
import { readEntry } from './cacheEntry.js';
import { fnv64 } from './fnv64.js';

/**
 * A shortcut from a command line to its cache entry, so that the runs after a cache hit find the entry
 * without parsing flags or reading the certificate (src/cli/shortcutHit.ts). A cache hit writes one with
 * what it depended on: this build, the arguments, the environment variables the flags were read with (a secret's never: those decide no
 * entry), and, for every flag value that names a file, the file's identity (device, inode, size,
 * modification and change times: a renewed certificate, whether replaced or rewritten, differs). A shortcut
 * is followed only while all of these are as recorded and its entry still holds the same key material;
 * anything else is left to the full check, which writes a new one. One file per command line
 * (`<fnv64 of the arguments>.shortcut`) beside the entries, trusted as they are: this user's, 0600.
 */
export interface Shortcut {
  readonly helper: string;
  readonly args: readonly string[];
  /** Each environment variable the flags were read with, and its value (null: not set). */
  readonly env: Readonly<Record<string, string | null>>;
  /**
   * Each file a flag names, and fileStamp of it. A relative path is followed from the working folder of
   * the run that checks it: another folder's file of that name has another identity.
   */
  readonly files: readonly (readonly [path: string, stamp: string])[];
  /** The entry's file name in the same folder, and the key material it must hold. */
  readonly entry: string;
  readonly key: string;
}

const MAX_SHORTCUT_BYTES = 64 * 1024;
const ENTRY_NAME = /^[0-9a-f]{16}\.json$/;

export function shortcutPath(folder: string, args: readonly string[]): string {
  return join(folder, `${fnv64(JSON.stringify(args))}.shortcut`);
}

/**
 * A regular file's identity and times, as a shortcut records them; undefined for anything else (not
 * there, not a regular file, not readable), which no shortcut may stand for.
 */
export function fileStamp(path: string): string | undefined {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat?.isFile() ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

/** The shortcut's credentials, if there is one for these arguments and it still holds; else undefined. */
export function followShortcut(folder: string, args: readonly string[], env: Env, now: number): TemporaryCredentials | undefined {
  let shortcut: Shortcut;
  try {
    shortcut = JSON.parse(readTrustedFile(shortcutPath(folder, args), MAX_SHORTCUT_BYTES).data.toString('utf8')) as Shortcut;
  } catch {
    return undefined;
  }
  if (!holds(shortcut, args, env)) return undefined;
  const reading = readEntry(join(folder, shortcut.entry), shortcut.key, now);
  return 'credentials' in reading ? reading.credentials : undefined;
}

function holds(shortcut: Shortcut, args: readonly string[], env: Env): boolean {
  if (typeof shortcut !== 'object' || shortcut === null || shortcut.helper !== VERSION) return false;
  if (typeof shortcut.key !== 'string' || typeof shortcut.entry !== 'string' || !ENTRY_NAME.test(shortcut.entry)) return false;
  if (!Array.isArray(shortcut.args) || shortcut.args.length !== args.length || shortcut.args.some((arg, i) => arg !== args[i])) return false;
  if (typeof shortcut.env !== 'object' || shortcut.env === null) return false;
  for (const [name, value] of Object.entries(shortcut.env)) if ((env[name] ?? null) !== value) return false;
  if (!Array.isArray(shortcut.files)) return false;
  return shortcut.files.every((file) => Array.isArray(file) && typeof file[0] === 'string' && fileStamp(file[0]) === file[1]);
}

/**
 * What a shortcut records of the files flag values name: each value that names a regular file, and its
 * stamp; undefined when one names something else that is there (a FIFO or a device: what it gives can
 * change without a trace), which no shortcut may stand for.
 */
export function flagFileStamps(values: readonly string[]): [path: string, stamp: string][] | undefined {
  const files: [string, string][] = [];
  for (const value of values) {
    const stamp = fileStamp(value);
    if (stamp) files.push([value, stamp]);
    else if (!isFolderOrAbsent(value)) return undefined;
  }
  return files;
}

function isFolderOrAbsent(path: string): boolean {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat === undefined || stat.isDirectory();
  } catch {
    return true;
  }
}

const SECRETS: ReadonlySet<string> = new Set(Object.values(SECRET_VARIABLES));

/**
 * An environment that notes the variables read from it (but a secret's, which decide no entry), for a
 * shortcut to record; `reads` is undefined once it has been listed, as what was read is then unknown.
 */
export function readsRecorded(env: Env): { readonly env: Env; reads(): Record<string, string | null> | undefined } {
  const reads: Record<string, string | null> = {};
  let listed = false;
  const recorded = new Proxy(env, {
    get(target, name) {
      const value = Reflect.get(target, name) as string | undefined;
      if (typeof name === 'string' && !SECRETS.has(name)) reads[name] = value ?? null;
      return value;
    },
    has(target, name) {
      if (typeof name === 'string' && !SECRETS.has(name)) reads[name] = (Reflect.get(target, name) as string | undefined) ?? null;
      return Reflect.has(target, name);
    },
    ownKeys(target) {
      listed = true;
      return Reflect.ownKeys(target);
    },
  });
  return { env: recorded, reads: () => (listed ? undefined : { ...reads }) };
}

/**
 * Writes a shortcut whole or not at all, as entries are written (a new 0600 file renamed into place), in a
 * folder that may be trusted. Throws the fs error.
 */
export function writeShortcut(folder: string, shortcut: Shortcut): void {
  const problem = untrustedFolder(folder);
  if (problem) throw new Error(`the folder ${folder} ${problem}`);
  replaceWithNewFile(shortcutPath(folder, shortcut.args), JSON.stringify(shortcut));
}
