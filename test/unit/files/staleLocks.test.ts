import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearedDeadLock, deepLockError } from '../../../src/files/staleLocks.js';

// lockFile reaches these only past its own checks (another user's lock is waited on before clearedDeadLock is asked;
// deepLockError only after proper-lockfile's ENOTEMPTY): mutation testing found their own guards pinned by nothing.

let folder: string;
let lock: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-stale-'));
  lock = join(folder, 'entry.json.lock');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Dates the lock's name `seconds` ago. */
function age(seconds: number): void {
  const when = new Date(Date.now() - seconds * 1000);
  utimesSync(lock, when, when);
}

describe('clearedDeadLock', () => {
  // Another user's, made by chown(2): root only.
  it.runIf(process.getuid?.() === 0)("removes this user's stale file at a lock's name, never another user's", () => {
    writeFileSync(lock, '');
    chownSync(lock, 4242, 4242);
    age(3600);
    expect(clearedDeadLock(lock, 30_000)).toBe(false);
    expect(existsSync(lock)).toBe(true);
    chownSync(lock, process.getuid!(), process.getgid!());
    age(3600);
    expect(clearedDeadLock(lock, 30_000)).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it('leaves a fresh one, and an empty stale folder (a lock, for proper-lockfile to take over)', () => {
    writeFileSync(lock, '');
    expect(clearedDeadLock(lock, 30_000)).toBe(false);
    rmSync(lock);
    mkdirSync(lock);
    age(3600);
    expect(clearedDeadLock(lock, 30_000)).toBe(false);
    expect(existsSync(lock)).toBe(true);
  });
});

describe('deepLockError', () => {
  it('names a folder in the lock that holds something, not an empty one', () => {
    mkdirSync(join(lock, 'empty'), { recursive: true });
    expect(deepLockError(lock)).toBeUndefined();
    writeFileSync(join(lock, 'empty', 'file'), '');
    expect(deepLockError(lock)).toMatchObject({ code: 'ENOTEMPTY', message: `${lock} holds ${join(lock, 'empty')}, which no lock leaves: remove ${lock}, if no update is running` });
    expect(deepLockError(join(folder, 'missing'))).toBeUndefined();
  });
});
