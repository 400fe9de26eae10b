import * as fs from 'node:fs';
import { chownSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { folderMakingProblem, makeFolders } from '../../../src/files/makeFolders.js';

// mkdirSync as it is, unless a test makes another process's mkdir come first (see below).
vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  return { ...original, mkdirSync: vi.fn(original.mkdirSync) };
});

describe('makeFolders', () => {
  const base = mkdtempSync(join(tmpdir(), 'rah-make-folders-'));

  it('makes the folder and its missing parents with the mode, and takes one already there', () => {
    const folder = join(base, 'a', 'b', 'c');
    makeFolders(folder, 0o700);
    makeFolders(folder, 0o700);
    for (const made of [join(base, 'a'), join(base, 'a', 'b'), folder]) expect(statSync(made).mode & 0o777).toBe(0o700);
  });

  it('throws where a file is in the way', () => {
    writeFileSync(join(base, 'file'), '');
    expect(() => makeFolders(join(base, 'file'), 0o700)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => makeFolders(join(base, 'file', 'below'), 0o700)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it.runIf(process.getuid?.() === 0)("makes nothing in another user's folder (root run with their HOME), but takes a folder already there", () => {
    const theirs = join(base, 'home-of-nobody');
    fs.mkdirSync(theirs);
    fs.mkdirSync(join(theirs, '.aws'));
    fs.chownSync(theirs, 65534, 65534);
    expect(() => makeFolders(join(theirs, '.cache', 'roles-anywhere-helper'), 0o700)).toThrow(
      expect.objectContaining({ code: 'EFOREIGN', message: `it would be made in ${theirs}, another user's folder (uid 65534)` }),
    );
    expect(fs.existsSync(join(theirs, '.cache'))).toBe(false);
    makeFolders(join(theirs, '.aws'), 0o700);
  });

  it("throws ENOENT under /proc, where Node's recursive mkdirSync loops forever", () => {
    expect(() => makeFolders('/proc/no-such-folder/below', 0o700)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('takes the folder another process made between making its parents and making it (two first runs at once)', async () => {
    // The race itself cannot be timed in a test: here the other process's mkdir is made to come just before ours.
    const { mkdirSync: real } = await vi.importActual<typeof import('node:fs')>('node:fs');
    const target = join(base, 'raced', 'inner');
    let calls = 0;
    vi.mocked(fs.mkdirSync).mockImplementation((path, options) => {
      if (path === target && ++calls === 2) real(target, options); // the other process, first
      return real(path, options);
    });
    try {
      makeFolders(target, 0o700);
    } finally {
      vi.mocked(fs.mkdirSync).mockImplementation(real);
    }
    expect(calls).toBe(2);
    expect(statSync(target).isDirectory()).toBe(true);
  });
});

describe('folderMakingProblem (mutation testing: only update\'s end-to-end tests reached it)', () => {
  const base = mkdtempSync(join(tmpdir(), 'rah-making-problem-'));

  it('finds none for a folder that is there, or that would be made with its missing parents in a folder this user may write', () => {
    expect(folderMakingProblem(base)).toBeUndefined();
    expect(folderMakingProblem(join(base, 'x', 'y', 'z'))).toBeUndefined();
    expect(statSync(join(base, 'x'), { throwIfNoEntry: false })).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)("names, as root, the first missing folder that would be made in another user's folder, as makeFolders refuses it", () => {
    const theirs = join(base, 'theirs');
    mkdirSync(theirs);
    chownSync(theirs, 4242, 4242);
    const problem = { code: 'EFOREIGN', path: join(theirs, 'a'), message: `it would be made in ${theirs}, another user's folder (uid 4242)` };
    expect(folderMakingProblem(join(theirs, 'a', 'b'))).toMatchObject(problem);
    expect(() => makeFolders(join(theirs, 'a', 'b'), 0o700)).toThrow(expect.objectContaining(problem));
    expect(statSync(join(theirs, 'a'), { throwIfNoEntry: false })).toBeUndefined();
  });
});
