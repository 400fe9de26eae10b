import { join } from 'node:path';
import type { Env } from '../../context.js';

/**
 * The helper's cache folder, shared by the V8 code cache (bin/aws_signing_helper.cjs) and the credential
 * cache: ROLES_ANYWHERE_HELPER_CACHE_DIR, else $XDG_CACHE_HOME/roles-anywhere-helper, else
 * ~/.cache/roles-anywhere-helper; undefined when caching is `off` or there is no home.
 */
export function cacheFolder(env: Env): string | undefined {
  const chosen = env.ROLES_ANYWHERE_HELPER_CACHE_DIR;
  if (chosen) return chosen === 'off' ? undefined : chosen;
  const base = env.XDG_CACHE_HOME || (env.HOME && join(env.HOME, '.cache'));
  return base ? join(base, 'roles-anywhere-helper') : undefined;
}

/** Where credential entries live: a `credentials/` folder (0700) of the cache folder, one file (0600) each. */
export function credentialCacheFolder(env: Env): string | undefined {
  const folder = cacheFolder(env);
  return folder && join(folder, 'credentials');
}
