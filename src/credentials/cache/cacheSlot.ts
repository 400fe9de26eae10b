import { join } from 'node:path';
import type { Env } from '../../context.js';
import type { RolesAnywhereOptions } from '../rolesAnywhereSession.js';
import { credentialCacheFolder } from '../../files/cacheFolder.js';
import { cacheEntryName, cacheKeyMaterial } from './cacheKey.js';

/** Where one set of credentials is cached: its entry's path, and the key material the entry must hold. */
export interface CacheSlot {
  readonly path: string;
  readonly key: string;
}

/** The cache slot for these options, or undefined when there is no cache folder (`off`, or no home). */
export function cacheSlotFor(options: RolesAnywhereOptions, env: Env): CacheSlot | undefined {
  const folder = credentialCacheFolder(env);
  if (!folder) return undefined;
  const key = cacheKeyMaterial(options, env);
  return { path: join(folder, cacheEntryName(key)), key };
}
