import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

  // A mount point in the folder, which rmSync cannot remove (EBUSY), as it cannot list a folder without a free descriptor (EMFILE).
  it.runIf(process.getuid?.() === 0)('says why the operation failed, not why its folder could not be removed (QA: under ulimit -n, EMFILE of scandir)', async () => {
    process.env.TMPDIR = dir;
    let mount: string | undefined;
    try {
      await expect(
        withWorkDir(async (work) => {
          mount = join(work, 'mounted');
          mkdirSync(mount);
          execFileSync('mount', ['-t', 'tmpfs', 'none', mount]);
          throw new Error('what happened');
        }),
      ).rejects.toThrow(/^what happened$/);
    } finally {
      if (mount) execFileSync('umount', [mount]);
    }
  });

  it.runIf(process.getuid?.() === 0)(
    "passes over a temporary folder another user could swap its folder in (theirs, or everyone's without the sticky bit) for /dev/shm, making nothing there (hostile-user QA: they could choose the digest the key signs and read the signature)",
    async () => {
      const theirs = join(dir, 'theirs');
      mkdirSync(theirs);
      chownSync(theirs, 54321, 54321);
      chmodSync(theirs, 0o1777);
      const open = join(dir, 'open');
      mkdirSync(open);
      chmodSync(open, 0o777);
      for (const folder of [theirs, open]) {
        process.env.TMPDIR = folder;
        const used = await withWorkDir(async (work) => {
          expect(readdirSync(folder)).toEqual([]);
          return work;
        });
        expect(dirname(used)).toBe('/dev/shm');
        expect(existsSync(used)).toBe(false);
      }
    },
  );
});
