import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, utimesSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lockFile } from '../../../src/files/lockFile.js';

// Another process acting in the moment between lockFile's look at a dead lock and its removal: node:fs's
// removing and renaming calls run `beforeRemoval` once, first, when given the lock's own name; its stat,
// which proper-lockfile looks with, runs `afterStat` once, before its callback. Renames of the lock are noted.
const race = vi.hoisted(() => ({
  beforeRemoval: undefined as ((path: string) => void) | undefined,
  afterStat: undefined as ((path: string) => void) | undefined,
  renamed: [] as string[],
}));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const raced =
    <A extends unknown[], R>(call: (path: string, ...rest: A) => R) =>
    (path: string, ...rest: A): R => {
      const hook = race.beforeRemoval;
      if (hook && String(path).endsWith('.lock')) {
        race.beforeRemoval = undefined;
        hook(String(path));
      }
      return call(path, ...rest);
    };
  const renameSync = raced((from: string, to: string) => {
    if (from.endsWith('.lock')) race.renamed.push(from);
    real.renameSync(from, to);
  });
  const stat = ((path: string, callback: (error: Error | null, stats: Stats) => void) =>
    real.stat(path, (error, stats) => {
      const hook = race.afterStat;
      if (hook && String(path).endsWith('.lock')) {
        race.afterStat = undefined;
        hook(String(path));
      }
      callback(error, stats);
    })) as typeof real.stat;
  const calls = { rmdirSync: raced(real.rmdirSync), renameSync, unlinkSync: raced(real.unlinkSync), stat };
  return { ...real, ...calls, default: { ...real, ...calls } };
});

let folder: string;
let file: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-takeover-'));
  file = join(folder, 'entry.json');
});
afterEach(() => {
  race.beforeRemoval = undefined;
  race.afterStat = undefined;
  race.renamed = [];
  rmSync(folder, { recursive: true, force: true });
});

/** A lock a dead holder left, stamped `seconds` from now. */
function plantDeadLock(seconds: number): void {
  mkdirSync(`${file}.lock`, { mode: 0o700 });
  const when = new Date(Date.now() + seconds * 1000);
  utimesSync(`${file}.lock`, when, when);
}

/** Arms `moment` with another process taking the lock over (a fresh lock in the dead one's place); gives that lock's stat once made. */
function takenOverAt(moment: 'beforeRemoval' | 'afterStat'): () => Stats {
  let fresh: Stats | undefined;
  race[moment] = (path) => {
    rmdirSync(path);
    mkdirSync(path, { mode: 0o700 });
    fresh = lstatSync(path);
  };
  return () => fresh!;
}

describe('lockFile, taking over a dead lock that another process takes over at the same moment', () => {
  it.each([
    ['stale (proper-lockfile removes it)', -60],
    ['stamped ahead of the clock (lockFile clears it)', 600],
  ])('%s: the fresh lock made in its place is left to its holder, and waited on (CI: two CreateSessions)', async (_kind, seconds) => {
    plantDeadLock(seconds);
    const freshLock = takenOverAt('beforeRemoval');
    await expect(lockFile(file, { waitMs: 1_000, staleMs: 30_000 })).rejects.toMatchObject({
      code: 'ELOCKED',
      message: `another process has held its lock, ${file}.lock, for over 1 s`,
    });
    expect(lstatSync(`${file}.lock`).ino).toBe(freshLock().ino);
    // Nothing left aside.
    expect(readdirSync(folder)).toEqual(['entry.json.lock']);
  });

  it('a lock another process took over after proper-lockfile found it stale is not moved, not even for a moment in which its holder would find it gone', async () => {
    plantDeadLock(-60);
    const freshLock = takenOverAt('afterStat');
    await expect(lockFile(file, { waitMs: 1_000, staleMs: 30_000 })).rejects.toMatchObject({ code: 'ELOCKED' });
    expect(lstatSync(`${file}.lock`).ino).toBe(freshLock().ino);
    expect(race.renamed).toEqual([]);
  });

  it('a dead lock is still taken over, and nothing is left beside it', async () => {
    plantDeadLock(-60);
    const { release } = await lockFile(file, { waitMs: 300, staleMs: 30_000 });
    expect(readdirSync(folder)).toEqual(['entry.json.lock']);
    await release();
    expect(readdirSync(folder)).toEqual([]);
  });
});
