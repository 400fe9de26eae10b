import { linkSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceFile, type FileOwnership } from '../../../../src/outputs/credentialsFile/replaceFile.js';

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
