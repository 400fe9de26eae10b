import { chmodSync, lchownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTemporaryFolder } from '../../support/inTemporaryFolder.js';
import { cacheFolder, missingHomeFolder, noCacheFolderReason, passedOverCacheHome, untrustedCacheFolder } from '../../../src/files/cacheFolder.js';

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

describe('which cache folder, if any (mutation testing: the unit tests pinned none of these down)', () => {
  it('takes no relative ROLES_ANYWHERE_HELPER_CACHE_DIR, nor one holding a control character (DEL too), saying why', () => {
    expect(cacheFolder({ ROLES_ANYWHERE_HELPER_CACHE_DIR: 'cache', HOME: '/home/x' })).toBeUndefined();
    expect(noCacheFolderReason({ ROLES_ANYWHERE_HELPER_CACHE_DIR: 'cache' })).toBe('ROLES_ANYWHERE_HELPER_CACHE_DIR "cache" is not an absolute path');
    expect(cacheFolder({ ROLES_ANYWHERE_HELPER_CACHE_DIR: '/tmp/cache\x7f' })).toBeUndefined();
    expect(noCacheFolderReason({ ROLES_ANYWHERE_HELPER_CACHE_DIR: '/tmp/cache\x7f' })).toBe(`ROLES_ANYWHERE_HELPER_CACHE_DIR ${JSON.stringify('/tmp/cache\x7f')} holds a control character`);
    expect(cacheFolder({ ROLES_ANYWHERE_HELPER_CACHE_DIR: '/tmp/cache' })).toBe('/tmp/cache');
  });

  it("ignores a relative XDG_CACHE_HOME without a word, and warns of an absolute one it passes over for the home folder's .cache", () => {
    inTemporaryFolder('rah-cache-folder-', (home) => {
      const homeCache = join(home, '.cache', 'roles-anywhere-helper');
      expect(cacheFolder({ XDG_CACHE_HOME: 'cache', HOME: home })).toBe(homeCache);
      expect(passedOverCacheHome({ XDG_CACHE_HOME: 'cache', HOME: home }, homeCache)).toBeUndefined();
      expect(cacheFolder({ XDG_CACHE_HOME: '/xdg', HOME: home })).toBe('/xdg/roles-anywhere-helper');
      expect(passedOverCacheHome({ XDG_CACHE_HOME: '/xdg', HOME: home }, '/xdg/roles-anywhere-helper')).toBeUndefined();
      expect(cacheFolder({ XDG_CACHE_HOME: '/xdg\n', HOME: home })).toBe(homeCache);
      expect(passedOverCacheHome({ XDG_CACHE_HOME: '/xdg\n', HOME: home }, homeCache)).toBe(
        `XDG_CACHE_HOME "/xdg\\n" holds a control character: the credential cache is in ${homeCache} instead (ROLES_ANYWHERE_HELPER_CACHE_DIR names another)`,
      );
    });
  });

  it('makes no cache under a home folder that does not exist (HOME=/nonexistent), saying so', () => {
    inTemporaryFolder('rah-cache-folder-', (home) => {
      const env = { HOME: join(home, 'nonexistent') };
      expect(cacheFolder(env)).toBeUndefined();
      expect(missingHomeFolder(env)).toBe(env.HOME);
      expect(noCacheFolderReason(env)).toMatch(/^the home folder ".*nonexistent" does not exist/);
    });
  });

  // Another user's, made by chown(2): root only.
  it.runIf(process.getuid?.() === 0)("refuses a cache folder reached through another user's symbolic link", () => {
    inTemporaryFolder('rah-cache-folder-', (home) => {
      chmodSync(home, 0o755);
      mkdirSync(join(home, 'real', 'cache'), { recursive: true, mode: 0o700 });
      const link = join(home, 'link');
      symlinkSync(join(home, 'real'), link);
      expect(untrustedCacheFolder(join(link, 'cache'))).toBeUndefined();
      lchownSync(link, 4242, 4242);
      expect(untrustedCacheFolder(join(link, 'cache'))).toBe(`is reached through ${link}, another user's symbolic link`);
    });
  });
});
