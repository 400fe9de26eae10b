import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withWorkDir } from '../../../../src/keys/tpm/workDir.js';

let dir: string;
let saved: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rah-tpm-work-'));
  saved = process.env.TMPDIR;
});
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('withWorkDir', () => {
  it('works in a new 0700 folder of the temporary folder, removed afterwards', async () => {
    process.env.TMPDIR = dir;
    const used = await withWorkDir(async (work) => {
      expect(readdirSync(dir)).toHaveLength(1);
      return work;
    });
    expect(existsSync(used)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)(
    "refuses a temporary folder another user could swap its folder in (theirs, or everyone's without the sticky bit), making nothing there (hostile-user QA: they could replace the key blobs tpm2-tools loads, or lead the removal elsewhere)",
    async () => {
      const theirs = join(dir, 'theirs');
      mkdirSync(theirs);
      chownSync(theirs, 54321, 54321);
      chmodSync(theirs, 0o1777);
      const open = join(dir, 'open');
      mkdirSync(open);
      chmodSync(open, 0o777);
      for (const [folder, reason] of [
        [theirs, `${theirs}, which belongs to another user`],
        [open, `${open}, which everyone may write`],
      ] as const) {
        process.env.TMPDIR = folder;
        let used = false;
        await expect(withWorkDir(async () => (used = true))).rejects.toThrow(
          `no folder for tpm2-tools' files can be made in ${folder}, the temporary folder (TMPDIR, else /tmp): another user could swap it there (${reason}); point TMPDIR at a folder of this user's that no other user may write, nor any folder above it (in its HOME, say)`,
        );
        expect(used).toBe(false);
        expect(readdirSync(folder)).toEqual([]);
      }
    },
  );
});
