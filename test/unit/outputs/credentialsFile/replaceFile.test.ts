import * as fs from 'node:fs';
import { linkSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { replaceFile, type FileOwnership } from '../../../../src/outputs/credentialsFile/replaceFile.js';

// Real fs; a test may have a rename refused, as a bind mount refuses it.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, renameSync: vi.fn(real.renameSync) };
});

const folder = mkdtempSync(join(tmpdir(), 'rah-replace-file-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

/** A file with a second name (so it is written in place), and what was read of it. */
function linkedFile(): { path: string; read: FileOwnership } {
  const path = join(folder, `credentials-${++files}`);
  writeFileSync(path, 'old\n', { mode: 0o600 });
  linkSync(path, `${path}-other-name`);
  const { dev, ino, nlink } = statSync(path);
  return { path, read: { mode: 0o600, file: { dev, ino, nlink } } };
}

describe('replaceFile, writing in place', () => {
  it('writes the file that was read, which its other names then show', () => {
    const { path, read } = linkedFile();
    replaceFile(path, Buffer.from('new\n'), read);
    expect(readFileSync(`${path}-other-name`, 'utf8')).toBe('new\n');
  });

  it('writes nothing into a file put in its place since it was read (QA: root was led into its own files)', () => {
    const { path, read } = linkedFile();
    const other = join(folder, `other-${files}`);
    writeFileSync(other, 'other\n');
    renameSync(other, path);
    expect(() => replaceFile(path, Buffer.from('new\n'), read)).toThrow('another file was put in its place while it was written');
    expect(readFileSync(path, 'utf8')).toBe('other\n');
  });

  it('follows no symbolic link put in its place since it was read, even to the file that was', () => {
    const { path, read } = linkedFile();
    renameSync(path, `${path}-moved`);
    symlinkSync(`${path}-moved`, path);
    expect(() => replaceFile(path, Buffer.from('new\n'), read)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    expect(readFileSync(`${path}-moved`, 'utf8')).toBe('old\n');
  });
});

// Mutation sweep (mutout): EXDEV left out of the refusals written in place passed every test (the e2e test's bind mount gives EBUSY).
describe('replaceFile, where a rename cannot replace the file', () => {
  it.each([['EBUSY'], ['EXDEV']])('writes it in place when the rename is refused with %s (a single-file bind mount, of this filesystem or another), its temporary copy removed', (code) => {
    const dir = mkdtempSync(join(folder, 'mounted-'));
    const path = join(dir, 'credentials');
    writeFileSync(path, 'old\n', { mode: 0o640 });
    const { dev, ino, nlink } = statSync(path);
    vi.mocked(fs.renameSync).mockImplementationOnce((from, to) => {
      throw Object.assign(new Error(`${code}: rename '${String(from)}' -> '${String(to)}'`), { code, syscall: 'rename' });
    });
    expect(replaceFile(path, Buffer.from('new content\n'), { mode: 0o640, file: { dev, ino, nlink } })).toBe(0o640);
    expect(readFileSync(path, 'utf8')).toBe('new content\n');
    expect(statSync(path).ino).toBe(ino);
    expect(readdirSync(dir)).toEqual(['credentials']);
  });
});
