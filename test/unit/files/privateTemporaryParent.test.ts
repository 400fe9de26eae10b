import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateTemporaryParent, tmpdirAdvice } from '../../../src/files/privateTemporaryParent.js';

let dir: string;
let saved: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rah-private-parent-'));
  saved = process.env.TMPDIR;
});
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** A folder of `dir` with this mode (and owner). */
function folder(name: string, mode: number, owner?: number): string {
  const path = join(dir, name);
  mkdirSync(path);
  if (owner !== undefined) chownSync(path, owner, owner);
  chmodSync(path, mode);
  return path;
}

describe('privateTemporaryParent', () => {
  it('is the temporary folder where no other user could swap what it holds: this user\'s, or one with the sticky bit', () => {
    const fallback = folder('shm', 0o1777);
    for (const path of [folder('own', 0o700), folder('sticky', 0o1777)]) {
      process.env.TMPDIR = path;
      expect(privateTemporaryParent(fallback)).toEqual({ parent: path });
    }
  });

  it.runIf(process.getuid?.() === 0)("passes one everyone may write without the sticky bit (a Kubernetes emptyDir), or another user's, over for the fallback", () => {
    const fallback = folder('shm', 0o1777);
    for (const [path, reason] of [
      [folder('emptydir', 0o777), 'everyone may write'],
      [folder('theirs', 0o1777, 54321), 'belongs to another user'],
    ] as const) {
      process.env.TMPDIR = path;
      // With why, for a message about the fallback: a folder made there is none of TMPDIR's (review).
      expect(privateTemporaryParent(fallback)).toEqual({ parent: fallback, passedOver: `${path}, which ${reason}` });
      // A folder that could not be made in the fallback: TMPDIR is to name one no other user could swap (mutation testing).
      expect(tmpdirAdvice(privateTemporaryParent(fallback))).toBe("a folder of this user's that no other user may write, nor any folder above it");
    }
    expect(tmpdirAdvice({ parent: dir })).toBe('a folder this user can write');
  });

  it.runIf(process.getuid?.() === 0)('says why it passed the temporary folder over where the fallback will not do either: missing, a file, or as open', () => {
    const emptyDir = folder('emptydir', 0o777);
    process.env.TMPDIR = emptyDir;
    const file = join(dir, 'file');
    writeFileSync(file, '');
    for (const fallback of [join(dir, 'missing'), file, folder('open', 0o777)]) {
      expect(privateTemporaryParent(fallback)).toEqual({ parent: emptyDir, swappable: `${emptyDir}, which everyone may write` });
    }
  });
});
