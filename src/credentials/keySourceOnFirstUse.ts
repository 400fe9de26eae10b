import type { Context } from '../context.js';
import { HelperError } from '../errors.js';
import type { KeySource, KeySourceOptions } from '../keys/keySource.js';
import { resolveKeySource } from '../keys/resolveKeySource.js';

/**
 * A key source opened by the first `open()` (not before: see RolesAnywhereSession), and closed by `close()`:
 * a session's own, or one that serve's roles with the same key share. Once closed it opens no more: a refresh still under way then (the library's, waiting on the cache's lock)
 * would open one that nobody closes, a PKCS#11 session left logged in.
 */
export function keySourceOnFirstUse(options: KeySourceOptions, context: Context): { open(): Promise<KeySource>; close(): Promise<void> } {
  let opening: Promise<KeySource> | undefined;
  let closed = false;
  return {
    open: () => {
      if (closed) return Promise.reject(new HelperError('the key source was closed'));
      // A source that failed to open (a file not there yet, a token not inserted) is tried again next time.
      opening ??= resolveKeySource(options, context).catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
      return opening;
    },
    close: async () => {
      closed = true;
      const source = await opening?.catch(() => undefined);
      opening = undefined;
      await source?.close();
    },
  };
}
