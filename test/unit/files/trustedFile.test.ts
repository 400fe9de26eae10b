import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTrustedFile, UntrustedFileError } from '../../../src/files/trustedFile.js';

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
