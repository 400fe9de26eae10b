import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readToolOutput } from '../../../../src/keys/tpm/toolOutput.js';

describe('readToolOutput', () => {
  const folder = mkdtempSync(join(tmpdir(), 'rah-tool-output-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const refused = (reason: string) => `unable to use the TPM: tpm2_sign exited 0, but its signature cannot be read: ${reason}`;

  it('reads the regular file a tool wrote', () => {
    writeFileSync(join(folder, 'good'), Buffer.from([0, 1, 2]));
    expect(readToolOutput(join(folder, 'good'), 'tpm2_sign', 'signature')).toEqual(Buffer.from([0, 1, 2]));
  });

  it('names the tool for a file that is missing, a link (to /dev/zero: fuzzing QA, all the memory), a FIFO (blocked for good), a folder or too large', () => {
    symlinkSync('/dev/zero', join(folder, 'zero'));
    execFileSync('mkfifo', [join(folder, 'fifo')]);
    mkdirSync(join(folder, 'folder'));
    writeFileSync(join(folder, 'large'), Buffer.alloc(64 * 1024 + 1));
    const cases: [string, string][] = [
      ['missing', 'there is none'],
      ['zero', 'it is a symbolic link'],
      ['fifo', 'it is not a regular file (a FIFO)'],
      ['folder', 'it is a directory'],
      ['large', 'it is larger than 65536 bytes'],
    ];
    for (const [name, reason] of cases) expect(() => readToolOutput(join(folder, name), 'tpm2_sign', 'signature')).toThrow(refused(reason));
  });
});
