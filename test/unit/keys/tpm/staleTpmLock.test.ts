import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleTpmLock, takeOverStaleTpmLock } from '../../../../src/keys/tpm/staleTpmLock.js';
import { tpmLockContent } from '../../../../src/keys/tpm/tpmLockHolder.js';

let folder: string;
let path: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-tpm-stale-'));
  path = join(folder, 'tpm.lock');
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

const longAgo = () => new Date(Date.now() - 11_000);

/** A lock a hung run holds: its own pid's parent runs, but it has not been stamped for 11 s. */
function hungLock(): void {
  writeFileSync(path, tpmLockContent(process.ppid));
  utimesSync(path, longAgo(), longAgo());
}

describe('staleTpmLock', () => {
  it('judges stale a lock whose holder is gone, or which is unstamped for over 10 s; not a fresh, held or empty one', () => {
    writeFileSync(path, tpmLockContent());
    expect(staleTpmLock(path)).toBeUndefined();
    writeFileSync(path, '');
    expect(staleTpmLock(path)).toBeUndefined();
    writeFileSync(path, tpmLockContent(spawnSync(process.execPath, ['-e', '0']).pid!));
    expect(staleTpmLock(path)?.content).toBe(readFileSync(path, 'utf8'));
    hungLock();
    expect(staleTpmLock(path)).toMatchObject({ ino: statSync(path, { bigint: true }).ino });
    rmSync(path);
    expect(staleTpmLock(path)).toBeUndefined();
  });
});

describe('takeOverStaleTpmLock', () => {
  it('removes the lock it judged stale', () => {
    hungLock();
    expect(takeOverStaleTpmLock(path, staleTpmLock(path)!)).toBe(true);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('leaves alone the fresh lock another run made after taking over the stale one first', () => {
    hungLock();
    const stale = staleTpmLock(path)!;
    // Run B, between this run's judgement and its takeover: removes the stale lock and locks the TPM.
    rmSync(path);
    const fresh = tpmLockContent();
    writeFileSync(path, fresh, { flag: 'wx' });
    const inode = statSync(path).ino;
    expect(takeOverStaleTpmLock(path, stale)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(fresh);
    expect(statSync(path).ino).toBe(inode); // B's own file, which B restamps and removes
    expect(readdirSync(folder)).toEqual(['tpm.lock']);
  });

  it('leaves alone a lock its hung holder restamped after the judgement', () => {
    hungLock();
    const stale = staleTpmLock(path)!;
    const now = new Date();
    utimesSync(path, now, now);
    expect(takeOverStaleTpmLock(path, stale)).toBe(false);
    expect(readdirSync(folder)).toEqual(['tpm.lock']);
    expect(staleTpmLock(path)).toBeUndefined();
  });

  it('does nothing when another run removed the stale lock meanwhile', () => {
    hungLock();
    const stale = staleTpmLock(path)!;
    rmSync(path);
    expect(takeOverStaleTpmLock(path, stale)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('two runs that judged one lock stale: the first takes it over, the second leaves the first\'s new lock alone', () => {
    hungLock();
    const judgedByA = staleTpmLock(path)!;
    const judgedByB = staleTpmLock(path)!;
    expect(takeOverStaleTpmLock(path, judgedByB)).toBe(true);
    const ofB = tpmLockContent();
    writeFileSync(path, ofB, { flag: 'wx' });
    expect(takeOverStaleTpmLock(path, judgedByA)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(ofB);
    expect(readdirSync(folder)).toEqual(['tpm.lock']);
  });
});
