import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrustedFile, untrustedFolder, UntrustedFileError } from '../../../src/files/trustedFile.js';

describe('readTrustedFile', () => {
  // A file whose size at open is not where it ends: Linux's /proc files say 0 and hold text, as a file
  // written to while it is read holds more than its size said.
  const PROC_FILE = '/proc/self/status';

  it('reads a file to its end, not only as far as its size said when it was opened, as readRegularFile does', () => {
    const { data, stat } = readTrustedFile(PROC_FILE, 64 * 1024);
    expect(stat.size).toBe(0);
    expect(data.toString('utf8')).toMatch(/^Name:/);
    expect(data.length).toBeGreaterThan(0);
  });

  it('refuses a file that turns out larger than the most it may hold, whatever its size said', () => {
    const size = readFileSync(PROC_FILE).length;
    expect(() => readTrustedFile(PROC_FILE, size - 1)).toThrow(new UntrustedFileError('is too large', 'too large'));
  });
});

describe('files and folders writable by others', () => {
  it('are refused whether their group or everyone else may write them (mutation testing: only modes with group write were tried)', () => {
    const root = mkdtempSync(join(tmpdir(), 'rah-trusted-'));
    try {
      const file = join(root, 'file');
      const folder = join(root, 'folder');
      writeFileSync(file, 'x', { mode: 0o600 });
      mkdirSync(folder, { mode: 0o700 });
      expect(readTrustedFile(file, 16).data.toString()).toBe('x');
      expect(untrustedFolder(folder)).toBeUndefined();
      for (const mode of [0o620, 0o602]) {
        chmodSync(file, mode);
        expect(() => readTrustedFile(file, 16), mode.toString(8)).toThrow(new UntrustedFileError('is writable by others', 'untrusted owner'));
        chmodSync(folder, mode | 0o100);
        expect(untrustedFolder(folder), mode.toString(8)).toBe('is writable by others');
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
