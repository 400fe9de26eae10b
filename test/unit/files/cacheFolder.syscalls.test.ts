import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { untrustedCacheFolder } from '../../../src/files/cacheFolder.js';

// The calls of node:fs that look at a path, counted: every cache hit judges its folder (readEntry).
const looks = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const counted =
    <A extends unknown[], R>(call: (...args: A) => R) =>
    (...args: A): R => {
      looks.count++;
      return call(...args);
    };
  const realpathSync = Object.assign(counted(real.realpathSync), { native: counted(real.realpathSync.native) });
  const calls = { existsSync: counted(real.existsSync), statSync: counted(real.statSync), lstatSync: counted(real.lstatSync), openSync: counted(real.openSync), realpathSync };
  return { ...real, ...calls, default: { ...real, ...calls } };
});

const base = mkdtempSync(join(tmpdir(), 'rah-cache-looks-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('untrustedCacheFolder, on the path of every cache hit', () => {
  it('judges a folder that is there with no more looks than one per folder above it, and its own: none at whether its parent is there (review: a stat(2) more on each hit)', () => {
    const folder = join(base, 'roles-anywhere-helper', 'credentials');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    looks.count = 0;
    expect(untrustedCacheFolder(folder)).toBeUndefined();
    // open(2) of the folder, realpath(3) of it (no link on the way), realpath(3) of its parent and a stat(2) of each folder from there to /.
    const above = base.split('/').filter(Boolean).length + 1;
    expect(looks.count).toBe(3 + above + 1);
  });

  it('judges one not made yet where it would be made', () => {
    const open = join(base, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777); // without the sticky bit
    expect(untrustedCacheFolder(join(open, 'roles-anywhere-helper', 'credentials'))).toBe(`is inside ${open}, which everyone may write`);
  });
});
