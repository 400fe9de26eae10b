import { lockAsideTarget } from '../../files/lockAside.js';
import { temporaryTarget } from '../../files/newFile.js';

/** An entry's file name (cacheEntryName): 64 bits of its key material, in hex. */
export const ENTRY_NAME = /^[0-9a-f]{16}\.json$/;
/** A shortcut's (shortcutPath). */
const SHORTCUT_NAME = /^[0-9a-f]{16}\.shortcut$/;

/**
 * What the credential cache writes in its folder: entries, shortcuts, an entry's lock (lockFile's folder,
 * `<entry>.lock`, and a dead one moved aside by a run killed as it took the lock over) and the temporary copies of an entry or a shortcut being written (newFile's
 * temporaryBeside).
 */
export type CacheFileKind = 'entry' | 'shortcut' | 'lock' | 'temporary';

/** The kind of file a name in the cache's folder is of, by the names the cache gives them; undefined: none of the cache's. */
export function cacheFileKind(name: string): CacheFileKind | undefined {
  if (ENTRY_NAME.test(name)) return 'entry';
  if (SHORTCUT_NAME.test(name)) return 'shortcut';
  const lock = lockAsideTarget(name) ?? name;
  if (lock.endsWith('.lock') && ENTRY_NAME.test(lock.slice(0, -'.lock'.length))) return 'lock';
  const target = temporaryTarget(name);
  return target !== undefined && (ENTRY_NAME.test(target) || SHORTCUT_NAME.test(target)) ? 'temporary' : undefined;
}
