import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolders } from '../../../src/files/makeFolders.js';

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

  it("throws ENOENT under /proc, where Node's recursive mkdirSync loops forever", () => {
    expect(() => makeFolders('/proc/no-such-folder/below', 0o700)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
