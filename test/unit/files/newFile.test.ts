import { chownSync, existsSync, fchmodSync, lstatSync, lutimesSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  folderPathProblem,
  isStaleTemporary,
  nameWithRoom,
  removeStaleTemporaries,
  replaceWithNewFile,
  temporaryBeside,
  temporaryTarget,
  writeNewFile,
} from '../../../src/files/newFile.js';

// writeNewFile and replaceWithNewFile write every secret the helper keeps (cached credentials, the credentials
// file, the ECS token file): mutation testing found nothing that pinned their modes, exclusivity or atomicity down.

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rah-newfile-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Runs `step` under `mask`, the umask put back after it. */
function underUmask<T>(mask: number, step: () => T): T {
  const before = process.umask(mask);
  try {
    return step();
  } finally {
    process.umask(before);
  }
}

describe('writeNewFile', () => {
  it('makes the file 0600 whatever the umask, with all its bytes, and returns its status', () => {
    const data = Buffer.alloc(300_000, 'a');
    for (const [mask, name] of [
      [0o000, 'open'],
      [0o277, 'strict'],
      [0o777, 'none'],
    ] as const) {
      const path = join(root, name);
      const stat = underUmask(mask, () => writeNewFile(path, data));
      expect(lstatSync(path).mode & 0o7777, name).toBe(0o600);
      expect(stat.mode & 0o7777, name).toBe(0o600);
      expect(stat.size, name).toBe(data.length);
      expect(readFileSync(path).equals(data), name).toBe(true);
    }
    writeNewFile(join(root, 'text'), 'é');
    expect(readFileSync(join(root, 'text'), 'utf8')).toBe('é');
  });

  it('never writes over a file or through a link already at its path, and leaves them as they were', () => {
    const existing = join(root, 'existing');
    writeFileSync(existing, 'old');
    expect(() => writeNewFile(existing, 'new')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(existing, 'utf8')).toBe('old');
    const target = join(root, 'target');
    const link = join(root, 'link');
    symlinkSync(target, link);
    expect(() => writeNewFile(link, 'new')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('runs prepare on its descriptor, and removes the file when prepare throws, throwing its error', () => {
    const prepared = join(root, 'prepared');
    let seen: number | undefined;
    writeNewFile(prepared, 'x', { prepare: (fd) => void (seen = fd) });
    expect(typeof seen).toBe('number');
    const failed = join(root, 'failed');
    const failure = new Error('no owner for it');
    expect(() =>
      writeNewFile(failed, 'secret', {
        prepare: () => {
          throw failure;
        },
      }),
    ).toThrow(failure);
    expect(existsSync(failed)).toBe(false);
  });

  it('refuses, and removes, a file that holds secrets when others may read it all the same', () => {
    const path = join(root, 'shared');
    // A filesystem that keeps no modes, as prepare makes it here: the status is what is judged.
    const loosen = { prepare: (fd: number) => fchmodSync(fd, 0o644) };
    expect(() => writeNewFile(path, 'secret', { ...loosen, ownerOnly: true })).toThrow(
      'its filesystem keeps no file modes: a file made 0600 there has mode 0644, which other users may read',
    );
    expect(existsSync(path)).toBe(false);
    // Its group alone may read it (a mount's gid= and umask=027): refused too.
    expect(() => writeNewFile(path, 'secret', { prepare: (fd) => fchmodSync(fd, 0o640), ownerOnly: true })).toThrow('has mode 0640');
    expect(existsSync(path)).toBe(false);
    // Not a secret: kept as it is.
    expect(writeNewFile(path, 'public', loosen).mode & 0o777).toBe(0o644);
  });
});

describe('replaceWithNewFile', () => {
  it('replaces a file whole, 0600, leaving nothing beside it', () => {
    const path = join(root, 'credentials');
    writeFileSync(path, 'old', { mode: 0o644 });
    replaceWithNewFile(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(lstatSync(path).mode & 0o7777).toBe(0o600);
    expect(readdirSync(root)).toEqual(['credentials']);
  });

  it('leaves the old file, and nothing beside it, when beforeRename stops it', () => {
    const path = join(root, 'credentials');
    writeFileSync(path, 'old');
    const stop = new Error('the lock was lost');
    let temporaries: string[] = [];
    expect(() =>
      replaceWithNewFile(path, 'new', {
        beforeRename: () => {
          // The new file is written whole beside it before the rename.
          temporaries = readdirSync(root).filter((name) => name !== 'credentials');
          expect(temporaries.map((name) => readFileSync(join(root, name), 'utf8'))).toEqual(['new']);
          throw stop;
        },
      }),
    ).toThrow(stop);
    expect(temporaries).toHaveLength(1);
    expect(temporaryTarget(temporaries[0]!)).toBe('credentials');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['credentials']);
  });

  it('leaves nothing beside a path it cannot rename onto (a folder), throwing the rename error', () => {
    const path = join(root, 'folder');
    mkdirSync(join(path, 'inside'), { recursive: true });
    expect(() => replaceWithNewFile(path, 'new')).toThrow(expect.objectContaining({ syscall: 'rename' }));
    expect(readdirSync(root)).toEqual(['folder']);
  });
});

describe('names of new files', () => {
  it('keeps a name of up to 220 bytes, and cuts a longer one to 220 bytes at a character', () => {
    expect(nameWithRoom('a'.repeat(220))).toBe('a'.repeat(220));
    expect(nameWithRoom('a'.repeat(221))).toBe('a'.repeat(220));
    // é is two bytes: 219 bytes of a, then é would end at byte 221, so it is dropped rather than cut in two.
    expect(nameWithRoom(`${'a'.repeat(219)}é`)).toBe(`${'a'.repeat(219)}é`.slice(0, 219));
    expect(nameWithRoom(`${'a'.repeat(218)}éz`)).toBe(`${'a'.repeat(218)}é`);
    // A name holding U+FFFD itself keeps it.
    expect(nameWithRoom(`${'a'.repeat(217)}\uFFFDzz`)).toBe(`${'a'.repeat(217)}\uFFFD`);
  });

  it('names a temporary file `.<name>.<pid>.<random>.tmp` beside its target, within 255 bytes, that temporaryTarget reads back', () => {
    const long = join(root, 'x'.repeat(250));
    const temporary = temporaryBeside(long);
    expect(temporary.startsWith(`${root}/.`)).toBe(true);
    const name = temporary.slice(root.length + 1);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name).toMatch(new RegExp(`^\\.x{220}\\.${process.pid}\\.[0-9a-z]+\\.tmp$`));
    expect(temporaryTarget(name)).toBe('x'.repeat(220));
    expect(temporaryBeside(long)).not.toBe(temporary);
    for (const other of ['credentials', '.credentials.tmp', '.credentials.12.abc.tmp.bak', 'x.credentials.12.abc.tmp', '.credentials.1a.abc.tmp']) {
      expect(temporaryTarget(other), other).toBeUndefined();
    }
    expect(temporaryTarget('.a.b.12.abc.tmp')).toBe('a.b');
  });

  it('says a path ending in a separator names a folder', () => {
    expect(folderPathProblem('tokens/')).toBe('the path ends in "/", so it names a folder, not a file');
    expect(folderPathProblem('tokens')).toBeUndefined();
    expect(folderPathProblem('/')).toBeDefined();
  });
});

describe('removeStaleTemporaries', () => {
  // Another user's, made by chown(2): root only.
  it.runIf(process.getuid?.() === 0)("removes only this user's regular temporary files of that target older than a minute", () => {
    const target = join(root, 'token');
    writeFileSync(target, 'current');
    const old = (Date.now() - 61_000) / 1000;
    const make = (name: string, age = old) => {
      const path = join(root, name);
      writeFileSync(path, 'secret');
      utimesSync(path, age, age);
      return name;
    };
    const stale = make('.token.123.abc.tmp');
    const fresh = make('.token.124.abd.tmp', Date.now() / 1000 - 30);
    const otherTarget = make('.tokens.125.abe.tmp');
    const notTemporary = make('.token.bak');
    const others = make('.token.126.abf.tmp');
    chownSync(join(root, others), 4242, 4242);
    mkdirSync(join(root, '.token.127.abg.tmp'));
    utimesSync(join(root, '.token.127.abg.tmp'), old, old);
    const link = '.token.128.abh.tmp';
    symlinkSync(target, join(root, link));
    lutimesSync(join(root, link), old, old);
    removeStaleTemporaries(target);
    expect(readdirSync(root).sort()).toEqual([fresh, others, '.token.127.abg.tmp', link, notTemporary, otherTarget, 'token'].sort());
    expect(existsSync(join(root, stale))).toBe(false);
    // A folder that cannot be read: nothing to do.
    expect(() => removeStaleTemporaries(join(root, 'missing', 'token'))).not.toThrow();
  });

  it('takes a temporary file for a killed run only past a minute, and never one dated ahead', () => {
    expect(isStaleTemporary(Date.now() - 61_000)).toBe(true);
    expect(isStaleTemporary(Date.now() - 59_000)).toBe(false);
    expect(isStaleTemporary(Date.now() + 3_600_000)).toBe(false);
  });
});
