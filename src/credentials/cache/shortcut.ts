import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../context.js';
import { fileStamp, isSettled } from '../../files/fileStamp.js';
import { replaceWithNewFile } from '../../files/newFile.js';
import { readTrustedFile } from '../../files/trustedFile.js';
import { untrustedCacheFolder } from '../../files/cacheFolder.js';
import { SECRET_VARIABLE_NAMES } from '../../keys/secretVariables.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { BUILD, VERSION } from '../../version.js';
import { readEntry } from './cacheEntry.js';
import { ENTRY_NAME } from './cacheFileNames.js';
import { ENDPOINT_VARIABLES } from './endpointVariables.js';
import { fnv64 } from './fnv64.js';

/**
 * A shortcut from a command line to its cache entry, so that the runs after a cache hit find the entry
 * without parsing flags or reading the certificate (src/cli/shortcutHit.ts). A cache hit writes one with
 * what it depended on: this build, the arguments, the environment variables the flags were read with (a
 * secret's never: those decide no entry), and the identity of every file it read (device, inode, size,
 * modification and change times, mode and owner: a renewed certificate, whether replaced or rewritten,
 * differs, and so does a password file made readable by others, which the check refuses). A
 * shortcut is followed only while all of these are as recorded and its entry still holds the same key
 * material; anything else is left to the full check, which writes a new one. One file per build, command
 * line and endpoint variables (shortcutPath) beside the entries, trusted as they are: this user's, 0600.
 */
export interface Shortcut {
  /** VERSION+BUILD: another build may read or key otherwise. */
  readonly helper: string;
  readonly args: readonly string[];
  /** Each environment variable the flags were read with, and its value (null: not set). */
  readonly env: Readonly<Record<string, string | null>>;
  /**
   * Each file the check read, and fileStamp of it. A relative path is opened from the working folder of
   * the run that checks it: another folder's file of that name has another identity.
   */
  readonly files: readonly (readonly [path: string, stamp: string])[];
  /** The entry's file name in the same folder, and the key material it must hold. */
  readonly entry: string;
  readonly key: string;
}

const MAX_SHORTCUT_BYTES = 64 * 1024;
/** What a shortcut records as the helper that wrote it. */
export const SHORTCUT_HELPER = `${VERSION}+${BUILD}`;

/** Besides the arguments, what a shortcut's name is made of: the variables callers of one command line most often set otherwise. */
const NAMING_VARIABLES = [...ENDPOINT_VARIABLES, 'AWS_ENDPOINT_URL_STS'];

/**
 * A command line's shortcut, named after this build, its arguments and the endpoint variables: callers
 * that differ in these (two installs sharing a cache folder, say) keep shortcuts of their own rather than
 * replace each other's on every run.
 */
export function shortcutPath(folder: string, args: readonly string[], env: Env): string {
  return join(folder, `${fnv64(JSON.stringify([SHORTCUT_HELPER, args, NAMING_VARIABLES.map((name) => env[name] ?? null)]))}.shortcut`);
}

/** The shortcut's credentials, if there is one for these arguments and it still holds; else undefined. */
export function followShortcut(folder: string, args: readonly string[], env: Env, now: number): TemporaryCredentials | undefined {
  let shortcut: Shortcut;
  try {
    shortcut = JSON.parse(readTrustedFile(shortcutPath(folder, args, env), MAX_SHORTCUT_BYTES).data.toString('utf8')) as Shortcut;
  } catch {
    return undefined;
  }
  if (!holds(shortcut, args, env)) return undefined;
  const reading = readEntry(join(folder, shortcut.entry), shortcut.key, now);
  return 'credentials' in reading ? reading.credentials : undefined;
}

/**
 * The name of the entry the shortcut file at `path` leads to, in its folder, whoever's command line it is,
 * if this build wrote it (oldEntries.ts prunes shortcuts whose entry is gone, and other builds' shortcuts,
 * which this one never follows); undefined for one that cannot be read, is damaged or is another build's.
 */
export function shortcutEntryName(path: string): string | undefined {
  try {
    const { entry, helper } = JSON.parse(readFileSync(path, 'utf8')) as Partial<Shortcut>;
    return isEntryName(entry) && helper === SHORTCUT_HELPER ? entry : undefined;
  } catch {
    return undefined;
  }
}

const isEntryName = (entry: unknown): entry is string => typeof entry === 'string' && ENTRY_NAME.test(entry);

function holds(shortcut: Shortcut, args: readonly string[], env: Env): boolean {
  if (typeof shortcut !== 'object' || shortcut === null || shortcut.helper !== SHORTCUT_HELPER) return false;
  if (typeof shortcut.key !== 'string' || !isEntryName(shortcut.entry)) return false;
  if (!Array.isArray(shortcut.args) || shortcut.args.length !== args.length || shortcut.args.some((arg, i) => arg !== args[i])) return false;
  if (typeof shortcut.env !== 'object' || shortcut.env === null) return false;
  for (const [name, value] of Object.entries(shortcut.env)) if ((env[name] ?? null) !== value) return false;
  if (!Array.isArray(shortcut.files)) return false;
  return shortcut.files.every((file) => {
    const current = Array.isArray(file) && typeof file[0] === 'string' ? fileStamp(file[0]) : undefined;
    return current !== undefined && 'stamp' in current && current.stamp === file[1];
  });
}

/**
 * What a shortcut records of the files a check read (paths as given; values that are no file, such as a
 * pkcs11: URI, are passed over): each file and its stamp. Undefined, for no shortcut, when one is not a
 * regular file, or has not settled (files/fileStamp.ts's isSettled) at `now`.
 */
export function fileStamps(paths: readonly string[], now = Date.now()): [path: string, stamp: string][] | undefined {
  const files: [string, string][] = [];
  for (const path of paths) {
    const found = fileStamp(path);
    if (found === undefined) continue;
    if (!('stamp' in found) || !isSettled(found, now)) return undefined;
    files.push([path, found.stamp]);
  }
  return files;
}

/**
 * An environment that notes the variables read from it (but a secret's, which decide no entry), for a
 * shortcut to record; `reads` is undefined once it has been listed, as what was read is then unknown.
 */
export function readsRecorded(env: Env): { readonly env: Env; reads(): Record<string, string | null> | undefined } {
  const reads: Record<string, string | null> = {};
  let listed = false;
  const note = (target: Env, name: string | symbol) => {
    if (typeof name === 'string' && !SECRET_VARIABLE_NAMES.has(name)) reads[name] = target[name] ?? null;
  };
  const recorded = new Proxy(env, {
    get(target, name) {
      note(target, name);
      return Reflect.get(target, name) as string | undefined;
    },
    has(target, name) {
      note(target, name);
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
 * Writes a shortcut whole or not at all (a new 0600 file renamed into place, as entries are, but not
 * synced: one lost costs a full check), in a folder that may be trusted. Throws the fs error.
 */
export function writeShortcut(folder: string, shortcut: Shortcut, env: Env): void {
  const problem = untrustedCacheFolder(folder);
  if (problem) throw new Error(`the folder ${folder} ${problem}`);
  replaceWithNewFile(shortcutPath(folder, shortcut.args, env), JSON.stringify(shortcut), { synced: false });
}
