import { dirname, isAbsolute, join } from 'node:path';
import type { Env } from '../context.js';
import { homeFolder } from './homeFolder.js';
import { missingPath } from './missingPath.js';
import { NOT_UTF8_PATH } from './nonUtf8Path.js';
import { foreignLinkOnWay, swappableFolderOnWay, untrustedFolder } from './trustedFile.js';

/**
 * The helper's cache folder, shared by the V8 code cache (src/bin/aws_signing_helper.cjs) and the credential
 * cache: ROLES_ANYWHERE_HELPER_CACHE_DIR, else $XDG_CACHE_HOME/roles-anywhere-helper, else
 * ~/.cache/roles-anywhere-helper (the home folder as homeFolder finds it, if it exists: HOME=/nonexistent,
 * Debian's "no home", is not made, by root, for a cache); undefined when caching is `off` or there is no
 * home. Only absolute paths
 * count (a relative one would put credentials wherever the AWS CLI happens to run), without control
 * characters: a relative XDG_CACHE_HOME is ignored, as the XDG specification says, and so is a relative
 * HOME; a relative ROLES_ANYWHERE_HELPER_CACHE_DIR (or `off`) means no cache.
 */
export function cacheFolder(env: Env): string | undefined {
  const chosen = env.ROLES_ANYWHERE_HELPER_CACHE_DIR;
  if (chosen) return usablePath(chosen) ? chosen : undefined;
  const xdg = usablePath(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  const home = xdg ? undefined : homeFolder(env);
  const base = xdg ?? (usablePath(home) && !missingPath(home) ? join(home, '.cache') : undefined);
  return base ? join(base, 'roles-anywhere-helper') : undefined;
}

/**
 * An absolute path without control characters, and UTF-8: a newline (the variable read from a file) would
 * name another folder, and the processes meant to share one would not (QA); so would a byte that is not
 * UTF-8, which Node reads as U+FFFD, naming another folder whose name holds that character (QA).
 */
function usablePath(path: string | undefined): path is string {
  return !!path && isAbsolute(path) && !/[\x00-\x1f\x7f\uFFFD]/.test(path);
}

/** Why a path usablePath refuses is refused. */
function pathProblem(path: string): string {
  if (!isAbsolute(path)) return 'is not an absolute path';
  return path.includes('\uFFFD') ? NOT_UTF8_PATH : 'holds a control character';
}

/**
 * The warning that XDG_CACHE_HOME, set to an absolute path the user meant, was passed over for the home
 * folder's .cache (bytes that are not UTF-8, a control character: usablePath), naming where the credential
 * cache is instead (`folder`, the credentialCacheFolder the caller found); undefined otherwise. A relative one
 * is ignored without a word, as the XDG specification says; with no home folder either, the caller's own
 * warning or message says there is no cache.
 */
export function passedOverCacheHome(env: Env, folder: string): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (env.ROLES_ANYWHERE_HELPER_CACHE_DIR || !xdg || !isAbsolute(xdg) || usablePath(xdg)) return undefined;
  return `XDG_CACHE_HOME ${JSON.stringify(xdg)} ${pathProblem(xdg)}: the credential cache is in ${folder} instead (ROLES_ANYWHERE_HELPER_CACHE_DIR names another)`;
}

/** Where credential entries live: a `credentials/` folder (0700) of the cache folder, one file (0600) each. */
export function credentialCacheFolder(env: Env): string | undefined {
  const folder = cacheFolder(env);
  return folder && join(folder, 'credentials');
}

/** Whether the user turned caching off (ROLES_ANYWHERE_HELPER_CACHE_DIR=off), as against having no cache folder for want of a home. */
export function cacheTurnedOff(env: Env): boolean {
  return env.ROLES_ANYWHERE_HELPER_CACHE_DIR === 'off';
}

/**
 * The home folder that does not exist, when it alone kept cacheFolder from finding a folder (HOME=/nonexistent):
 * there is no cache then, and nothing in one to clear.
 */
export function missingHomeFolder(env: Env): string | undefined {
  if (env.ROLES_ANYWHERE_HELPER_CACHE_DIR || usablePath(env.XDG_CACHE_HOME)) return undefined;
  const home = homeFolder(env);
  return usablePath(home) && missingPath(home) ? home : undefined;
}

/**
 * Whether cacheFolder found no folder for want of any home folder (no HOME, and a user the user database
 * does not know: `docker run --user 4242`, `env -i` under setpriv): there is no cache then, and nothing in one to clear.
 */
export function noHomeFolder(env: Env): boolean {
  if (env.ROLES_ANYWHERE_HELPER_CACHE_DIR || usablePath(env.XDG_CACHE_HOME)) return false;
  return homeFolder(env) === undefined;
}

/** Why cacheFolder found none (it did not: undefined), for messages. */
export function noCacheFolderReason(env: Env): string {
  const chosen = env.ROLES_ANYWHERE_HELPER_CACHE_DIR;
  if (cacheTurnedOff(env)) return 'ROLES_ANYWHERE_HELPER_CACHE_DIR is off';
  if (chosen) return `ROLES_ANYWHERE_HELPER_CACHE_DIR ${JSON.stringify(chosen)} ${pathProblem(chosen)}`;
  const missing = missingHomeFolder(env);
  if (missing) return `the home folder ${JSON.stringify(missing)} does not exist (make it, or set XDG_CACHE_HOME or ROLES_ANYWHERE_HELPER_CACHE_DIR)`;
  const home = homeFolder(env);
  const fix = '(set HOME, XDG_CACHE_HOME or ROLES_ANYWHERE_HELPER_CACHE_DIR to an absolute path)';
  return home ? `the home folder ${JSON.stringify(home)} ${pathProblem(home)} ${fix}` : `there is no home folder ${fix}`;
}

/**
 * Why the credential cache's folder may not be trusted with what is written to, read from or removed from
 * it, or undefined: untrustedFolder's reasons (a link, another user's, writable by others), and, on the way
 * to it, another user's symbolic link or a folder another user could swap it in (the cache folder another
 * user made first in /tmp, say): either could lead credentials, or `cache clear`, into a folder of their
 * choosing. A folder still to be made is judged by the nearest folder above it that is there, where it
 * would be made: else it was made first, in another user's folder, and refused only then (QA:
 * XDG_CACHE_HOME another user's left a `roles-anywhere-helper` of this user's in it). Throws the fs error.
 */
export function untrustedCacheFolder(folder: string): string | undefined {
  const problem = untrustedFolder(folder);
  if (problem) return problem;
  const link = foreignLinkOnWay(folder);
  if (link) return `is reached through ${link}, another user's symbolic link`;
  const swappable = swappableFolderOnWay(dirname(folder));
  return swappable && `is inside ${swappable}`;
}
