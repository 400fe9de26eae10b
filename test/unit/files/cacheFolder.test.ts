import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFolder, missingHomeFolder, noCacheFolderReason } from '../../../src/files/cacheFolder.js';

describe('a cache folder variable holding bytes that are not UTF-8 (QA: read as U+FFFD, they named another folder)', () => {
  it('is no cache folder, and the reason says why, not that the folder does not exist', () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-cache-folder-'));
    try {
      const chosen = `${home}/x\uFFFDc`;
      expect(cacheFolder({ ROLES_ANYWHERE_HELPER_CACHE_DIR: chosen })).toBeUndefined();
      expect(noCacheFolderReason({ ROLES_ANYWHERE_HELPER_CACHE_DIR: chosen })).toBe(
        `ROLES_ANYWHERE_HELPER_CACHE_DIR ${JSON.stringify(chosen)} holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name`,
      );
      // An XDG_CACHE_HOME as it is passed over, for HOME's .cache.
      expect(cacheFolder({ XDG_CACHE_HOME: chosen, HOME: home })).toBe(join(home, '.cache', 'roles-anywhere-helper'));
      // A home folder as it is: no cache, and not "does not exist" (it may).
      const env = { HOME: `${home}\uFFFD` };
      expect(cacheFolder(env)).toBeUndefined();
      expect(missingHomeFolder(env)).toBeUndefined();
      expect(noCacheFolderReason(env)).toBe(
        `the home folder ${JSON.stringify(env.HOME)} holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name (set HOME, XDG_CACHE_HOME or ROLES_ANYWHERE_HELPER_CACHE_DIR to an absolute path)`,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
