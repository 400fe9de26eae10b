import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTemporaryFolder } from '../../support/inTemporaryFolder.js';
import { foreignLinkOnWay, readTrustedFile, swappableFolderOnWay, untrustedFolder, UntrustedFileError } from '../../../src/files/trustedFile.js';

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

describe('links and shared folders on the way (mutation testing: nothing in the unit tests told these apart)', () => {
  it('untrustedFolder says a link to a folder is a link, and a file is no folder', () => {
    inTemporaryFolder('rah-trusted-', (root) => {
      mkdirSync(join(root, 'folder'), { mode: 0o700 });
      symlinkSync(join(root, 'folder'), join(root, 'link'));
      writeFileSync(join(root, 'file'), 'x');
      expect(untrustedFolder(join(root, 'link'))).toBe('is a symbolic link');
      expect(untrustedFolder(join(root, 'file'))).toBe('is not a folder');
      expect(untrustedFolder(join(root, 'missing'))).toBeUndefined();
    });
  });

  // Another user's, made by chown(2): root only.
  it.runIf(process.getuid?.() === 0)("foreignLinkOnWay names another user's link on the way to a path, not this user's or root's", () => {
    inTemporaryFolder('rah-trusted-', (root) => {
      chmodSync(root, 0o755);
      mkdirSync(join(root, 'real'), { mode: 0o700 });
      const theirs = join(root, 'theirs');
      const ours = join(root, 'ours');
      symlinkSync(join(root, 'real'), theirs);
      symlinkSync(join(root, 'real'), ours);
      lchownSync(theirs, 4242, 4242);
      lchownSync(ours, process.getuid!(), process.getgid!());
      expect(foreignLinkOnWay(join(theirs, 'file'))).toBe(theirs);
      expect(foreignLinkOnWay(theirs)).toBe(theirs);
      expect(foreignLinkOnWay(join(ours, 'file'))).toBeUndefined();
      expect(foreignLinkOnWay(join(root, 'real', 'file'))).toBeUndefined();
    });
  });

  // Another user's, made by chown(2): root only.
  it.runIf(process.getuid?.() === 0)('swappableFolderOnWay lets a group-writable folder be (a private group), not one everyone may write without the sticky bit', () => {
    inTemporaryFolder('rah-trusted-', (root) => {
      chmodSync(root, 0o755);
      const folder = join(root, 'shared');
      mkdirSync(folder);
      chmodSync(folder, 0o775);
      expect(swappableFolderOnWay(join(folder, 'file'))).toBeUndefined();
      chmodSync(folder, 0o777);
      expect(swappableFolderOnWay(join(folder, 'file'))).toBe(`${folder}, which everyone may write`);
      chmodSync(folder, 0o1777);
      expect(swappableFolderOnWay(join(folder, 'file'))).toBeUndefined();
      // Another user's: said so, unless only the mode counts.
      chmodSync(folder, 0o755);
      chownSync(folder, 4242, 4242);
      expect(swappableFolderOnWay(join(folder, 'file'))).toBe(`${folder}, which belongs to another user`);
      expect(swappableFolderOnWay(join(folder, 'file'), false)).toBeUndefined();
    });
  });

  it('readTrustedFile follows no symbolic link unless asked to', () => {
    inTemporaryFolder('rah-trusted-', (root) => {
      writeFileSync(join(root, 'file'), 'x', { mode: 0o600 });
      symlinkSync(join(root, 'file'), join(root, 'link'));
      expect(() => readTrustedFile(join(root, 'link'), 16)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
      expect(readTrustedFile(join(root, 'link'), 16, { followLinks: true }).data.toString()).toBe('x');
      mkdirSync(join(root, 'folder'), { mode: 0o700 });
      expect(() => readTrustedFile(join(root, 'folder'), 16)).toThrow(new UntrustedFileError('is not a regular file', 'not a regular file'));
    });
  });
});
