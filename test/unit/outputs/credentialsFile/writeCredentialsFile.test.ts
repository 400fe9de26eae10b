import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeCredentialsFile } from '../../../../src/outputs/credentialsFile/writeCredentialsFile.js';
import type { TemporaryCredentials } from '../../../../src/temporaryCredentials.js';

// Real fs; a test may have another program write the file at a chosen moment of a write.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, fsyncSync: vi.fn(real.fsyncSync) };
});

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-credentials-file-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const credentials = (n: number): TemporaryCredentials => {
  const expiration = new Date(Date.now() + 3_600_000);
  return { accessKeyId: `ASIA${n}`, secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
};

/**
 * Another program writing the file without the lock as the AWS CLI's `aws configure set` does: it reads the
 * file, cuts it, and writes what it read with its own profile's value changed 20 ms later; again 150 ms
 * after that, until the file `stop` exists. What it did not read, it does not write: a profile lost once is
 * lost for good.
 */
function writerWithoutTheLock(path: string, stop: string) {
  const script = `
    const fs = require('node:fs');
    const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    for (let i = 1; !fs.existsSync(process.argv[2]); i++) {
      const text = fs.readFileSync(process.argv[1], 'latin1');
      const fd = fs.openSync(process.argv[1], 'w');
      sleep(20);
      fs.writeSync(fd, text.replace(/X\\d+/, 'X' + i));
      fs.closeSync(fd);
      sleep(150);
    }`;
  const child = spawn(process.execPath, ['-e', script, path, stop], { stdio: 'ignore' });
  return new Promise<number | null>((resolve) => child.on('exit', resolve));
}

describe('writeCredentialsFile', () => {
  it("never writes over a file another program is writing without the lock (the AWS CLI's in-place rewrite): what was read half-written is read again (QA: profiles lost)", async () => {
    const path = join(folder, 'credentials');
    const stop = join(folder, 'stop');
    writeFileSync(path, '[keep]\naws_access_key_id = KEEP\n\n[other]\naws_access_key_id = X0\n', { mode: 0o600 });
    const writer = writerWithoutTheLock(path, stop);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (let n = 1; n <= 30; n++) {
        await writeCredentialsFile(path, 'mine', credentials(n));
        await new Promise((resolve) => setTimeout(resolve, 13 * (n % 7)));
      }
    } finally {
      writeFileSync(stop, '');
      expect(await writer).toBe(0);
    }
    const text = readFileSync(path, 'latin1');
    expect(text).toContain('[keep]\naws_access_key_id = KEEP\n');
    expect(text).toMatch(/\[other\]\naws_access_key_id = X\d+\n/);
    expect(text).toMatch(/\[mine\]\naws_access_key_id = ASIA\d+\n/); // the last one, unless the other program wrote over it
  }, 60_000);

  it.each([[0], [150]])('waits for a file left empty to be written again by a program held up for 400 ms between its cut and its write, the file read %i ms after the cut (QA: a loaded CI machine lost the other profiles; mutout: one empty for longer than 50 ms was trusted at once)', async (afterMs) => {
    const path = join(folder, 'credentials');
    const before = '[keep]\naws_access_key_id = KEEP\n';
    writeFileSync(path, before, { mode: 0o600 });
    const script = `
      const fs = require('node:fs');
      const text = fs.readFileSync(process.argv[1], 'latin1');
      const fd = fs.openSync(process.argv[1], 'w');
      process.stdout.write('cut');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
      fs.writeSync(fd, text);
      fs.closeSync(fd);`;
    const child = spawn(process.execPath, ['-e', script, path], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    await writeCredentialsFile(path, 'mine', credentials(1));
    expect(await exited).toBe(0);
    const text = readFileSync(path, 'latin1');
    expect(text.startsWith(before)).toBe(true);
    expect(text).toContain('[mine]\naws_access_key_id = ASIA1\n');
  });
});

describe('writeCredentialsFile and a file with lone CRs (old Mac line ends)', () => {
  const misreadNotice = (path: string) =>
    `the credentials file ${path} holds a lone CR (old Mac line ends), which the AWS SDKs (Go, JavaScript) take for no line break: ` +
    'they read none of the credentials written, which botocore (the AWS CLI) reads; save it with LF or CRLF line ends';

  it('writes it with its own line ends, for botocore, and says through notices.misread that the other SDKs read none of the credentials, where it said nothing', async () => {
    const path = join(folder, 'credentials');
    writeFileSync(path, '[other]\raws_access_key_id = OLD\r');
    const misread: string[] = [];
    await writeCredentialsFile(path, 'default', credentials(1), undefined, undefined, { misread: (problem) => misread.push(problem) });
    expect(readFileSync(path, 'utf8')).toBe('[other]\raws_access_key_id = OLD\r[default]\raws_access_key_id = ASIA1\raws_secret_access_key = s\raws_session_token = t\r\r');
    expect(misread).toEqual([misreadNotice(path)]);
  });

  it('writes one of LF lines whose first comment line ends in a lone CR, where it refused it, having given the keys it added lone CRs', async () => {
    const path = join(folder, 'credentials');
    writeFileSync(path, '# pasted\r# by hand\n[default]\naws_access_key_id = OLD\n');
    await writeCredentialsFile(path, 'default', credentials(1));
    expect(readFileSync(path, 'utf8')).toBe('# pasted\r# by hand\n[default]\naws_access_key_id = ASIA1\naws_secret_access_key = s\naws_session_token = t\n');
  });

  it('says nothing of one whose lone CR changes no reading of the credentials (in a comment), nor of LF or CRLF line ends', async () => {
    const misread: string[] = [];
    for (const [name, text] of [
      ['comment', '[default]\naws_access_key_id = OLD\n# copied\r# by hand\n'],
      ['crlf', '[default]\r\naws_access_key_id = OLD\r\n'],
      ['lf', '[default]\naws_access_key_id = OLD\n'],
    ] as const) {
      const path = join(folder, name);
      writeFileSync(path, text);
      await writeCredentialsFile(path, 'default', credentials(1), undefined, undefined, { misread: (problem) => misread.push(problem) });
      expect(readFileSync(path, 'utf8')).toContain('aws_access_key_id = ASIA1');
    }
    expect(misread).toEqual([]);
  });
});

describe('writeCredentialsFile and a lock it cannot remove once done', () => {
  it('says why through notices.lockLeft, where it said nothing, the file written all the same', async () => {
    const path = join(folder, 'credentials');
    const lock = `${path}.lock`;
    // Once the lock is held: something in its folder, which rmdir(2) then fails on; its time as stamped, so that it is still this run's.
    const goOn = () => {
      if (existsSync(lock) && !existsSync(join(lock, 'stray'))) {
        const { atime, mtime } = statSync(lock);
        writeFileSync(join(lock, 'stray'), '');
        utimesSync(lock, atime, mtime);
      }
      return true;
    };
    const left: string[] = [];
    expect(await writeCredentialsFile(path, 'default', credentials(1), goOn, undefined, { lockLeft: (reason) => left.push(reason) })).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('[default]\naws_access_key_id = ASIA1\n');
    expect(left).toEqual([expect.stringMatching(/not empty/)]);
  });
});

describe('writeCredentialsFile and a file of UTF-16 text (Windows PowerShell 5 writes one with > or Out-File)', () => {
  it('refuses it, leaving it as it was, rather than add UTF-8 lines to it that no reader of the file takes (QA: line endings)', async () => {
    const path = join(folder, 'credentials');
    const before = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[default]\r\naws_access_key_id = OLD\r\n', 'utf16le')]);
    writeFileSync(path, before);
    await expect(writeCredentialsFile(path, 'default', credentials(1))).rejects.toThrow(
      `unable to write the credentials file ${path}: it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File: save it as UTF-8 or ASCII`,
    );
    expect(readFileSync(path)).toEqual(before);
  });

  it.each([
    ['little-endian (iconv -t UTF-16LE)', Buffer.from('[default]\r\naws_access_key_id = OLD\r\n', 'utf16le')],
    ['big-endian', Buffer.from('[default]\r\naws_access_key_id = OLD\r\n', 'utf16le').swap16()],
    // Half its first characters or more of ASCII, not all: a comment in Cyrillic first (review17: a mutant asking all of them survived).
    ['little-endian, after a comment of other script', Buffer.from('# \u043a\u043b\u044e\u0447\u0438 AWS\r\n[default]\r\naws_access_key_id = OLD\r\n', 'utf16le')],
    // Exactly half of them (mutout: a mutant asking more than half survived).
    ['little-endian, its first 32 characters half of ASCII', Buffer.from(`#\u0431${'a\u0431'.repeat(15)}\r\n[default]\r\naws_access_key_id = OLD\r\n`, 'utf16le')],
  ])('refuses one without a byte order mark, %s, leaving it as it was, where it added UTF-8 lines ended by lone CRs to it', async (_, before) => {
    const path = join(folder, 'credentials');
    writeFileSync(path, before);
    await expect(writeCredentialsFile(path, 'default', credentials(1))).rejects.toThrow(
      `unable to write the credentials file ${path}: it is UTF-16 text without a byte order mark, of which no reader of the file (botocore, the AWS SDKs) takes a profile: save it as UTF-8 or ASCII`,
    );
    expect(readFileSync(path)).toEqual(before);
  });

  it.each([
    ['a file of NULs', Buffer.alloc(8)],
    ['NULs before its lines', Buffer.concat([Buffer.alloc(4096), Buffer.from('\n[default]\naws_access_key_id = OLD\n')])],
    ['NULs after its last line', Buffer.concat([Buffer.from('[default]\naws_access_key_id = OLD\n'), Buffer.alloc(100)])],
    ['a line of NULs and blanks amid CRLF lines', Buffer.from('[default]\r\n \0\0\t\r\naws_access_key_id = OLD\r\n', 'latin1')],
    // Lone CRs end lines for botocore too (review17: a mutant taking only LF for a line's start survived).
    ['a line of NULs amid lone-CR lines', Buffer.from('[default]\r\0\0\0\raws_access_key_id = OLD\r', 'latin1')],
  ])('refuses %s (as a crash may leave), leaving it as it was: botocore refused the whole file with the credentials added (QA)', async (_, before) => {
    const path = join(folder, 'credentials');
    writeFileSync(path, before);
    await expect(writeCredentialsFile(path, 'default', credentials(1))).rejects.toThrow(
      `unable to write the credentials file ${path}: it holds a line of NUL bytes (what a crash can leave of a file), with which botocore (the AWS CLI) reads none of it: remove them, or the file`,
    );
    expect(readFileSync(path)).toEqual(before);
  });

  it('writes one with a NUL within a comment or a value, which botocore reads as any other character', async () => {
    const path = join(folder, 'credentials');
    writeFileSync(path, '# a \0 b\n[default]\nother = a\0b\naws_access_key_id = OLD\n', 'latin1');
    await writeCredentialsFile(path, 'default', credentials(1));
    expect(readFileSync(path, 'latin1')).toMatch(/^# a \0 b\n\[default\]\nother = a\0b\naws_access_key_id = ASIA1\n/);
  });
});

describe('writeCredentialsFile and a file that starts with a byte order mark (Windows Notepad wrote one until 2019)', () => {
  it('refuses it, leaving it as it was: botocore reads none of it, and a second [default] added after the one the mark hides would make it refuse the file again once the mark is gone (QA: line endings)', async () => {
    const path = join(folder, 'credentials');
    const before = '\uFEFF[default]\r\naws_access_key_id = OLD\r\n';
    writeFileSync(path, before);
    await expect(writeCredentialsFile(path, 'default', credentials(1))).rejects.toThrow(
      `unable to write the credentials file ${path}: it starts with a byte order mark, with which botocore (the AWS CLI) reads none of it: save it without one`,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('writes one with the mark elsewhere than at its start (a zero-width no-break space in a comment, which botocore reads as one) as any other', async () => {
    const path = join(folder, 'credentials');
    writeFileSync(path, '# copied from a web page\uFEFF\r\n[default]\r\naws_access_key_id = OLD\r\n');
    await writeCredentialsFile(path, 'default', credentials(1));
    expect(readFileSync(path, 'utf8')).toMatch(/^# copied from a web page\uFEFF\r\n\[default\]\r\naws_access_key_id = ASIA1\r\n/);
  });
});

// Mutation sweep (mutout): a rename that went ahead over a change made after the file was read passed every test.
describe('writeCredentialsFile and a change made while its new file is written', () => {
  afterEach(() => vi.mocked(fs.fsyncSync).mockRestore?.());

  it('reads the file again when another program changed it after it was read, before its copy is put in place, and loses nothing of that change', async () => {
    const path = join(folder, 'credentials');
    writeFileSync(path, '[default]\naws_access_key_id = OLD\n');
    const old = Date.now() / 1000 - 60;
    utimesSync(path, old, old); // settled: read once, trusted at once
    const real = vi.mocked(fs.fsyncSync).getMockImplementation()!;
    let changed = false;
    vi.mocked(fs.fsyncSync).mockImplementation((fd: number) => {
      // The new copy synced: the AWS CLI adds a profile meanwhile, without the lock.
      if (!changed && /\.tmp$/.test(fs.readlinkSync(`/proc/self/fd/${fd}`))) {
        changed = true;
        writeFileSync(path, '[default]\naws_access_key_id = OLD\n\n[added]\nregion = eu-west-1\n');
      }
      real(fd);
    });
    await writeCredentialsFile(path, 'default', credentials(1));
    expect(changed).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('[default]\naws_access_key_id = ASIA1\naws_secret_access_key = s\naws_session_token = t\n\n[added]\nregion = eu-west-1\n');
  });
});
