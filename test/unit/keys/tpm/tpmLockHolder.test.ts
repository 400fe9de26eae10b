import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lockHolderIsGone, tpmLockContent } from '../../../../src/keys/tpm/tpmLockHolder.js';

const dead = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('tpmLockContent', () => {
  it('names the pid, the PID namespace, and a number drawn for each lock', () => {
    const content = tpmLockContent();
    expect(content).toMatch(new RegExp(`^${process.pid} (pid:\\[\\d+\\]|host:\\S+) [0-9a-f]{16}\\n$`));
    expect(tpmLockContent()).not.toBe(content);
  });
});

describe('lockHolderIsGone', () => {
  it('by the pid, for a holder of this PID namespace', () => {
    expect(lockHolderIsGone(tpmLockContent())).toBe(false);
    expect(lockHolderIsGone(tpmLockContent(process.ppid))).toBe(false);
    expect(lockHolderIsGone(tpmLockContent(dead()))).toBe(true);
  });

  it('never for a holder of another PID namespace (a container sharing the folder), whose pid means nothing here', () => {
    const [pid, , drawn] = tpmLockContent(dead()).trim().split(' ');
    expect(lockHolderIsGone(`${pid} pid:[1] ${drawn}\n`)).toBe(false);
    expect(lockHolderIsGone(`${pid}\n`)).toBe(false);
  });

  it('never for a lock being written (empty)', () => {
    expect(lockHolderIsGone('')).toBe(false);
  });
});
