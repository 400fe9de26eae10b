import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, readInputFile, readRegularFile } from '../../../src/files/readInputFile.js';

const dir = mkdtempSync(join(tmpdir(), 'rah-read-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputFile', () => {
  it('reads a regular file', () => {
    const path = join(dir, 'cert.pem');
    writeFileSync(path, 'certificate');
    expect(readInputFile(path, 'certificate').toString()).toBe('certificate');
    writeFileSync(path, '');
    expect(readInputFile(path, 'certificate')).toHaveLength(0);
  });

  it('reads a file that has more than its size said (as /proc files do) to its end, within the limit', () => {
    const { data, stat } = readRegularFile('/proc/self/status');
    expect(stat.size).toBe(0);
    expect(data.toString()).toMatch(/^Name:.*\n[^]*\nPid:/);
    expect(() => readRegularFile('/proc/self/status', 10)).toThrow('larger than 10 bytes');
  });

  it('reads a file of exactly the limit, and refuses one byte more (issue 13, item 7)', () => {
    const path = join(dir, 'limit.pem');
    writeFileSync(path, Buffer.alloc(MAX_INPUT_BYTES, 'A'));
    expect(readInputFile(path, 'certificate')).toHaveLength(MAX_INPUT_BYTES);
    writeFileSync(path, Buffer.alloc(MAX_INPUT_BYTES + 1, 'A'));
    expect(() => readInputFile(path, 'certificate')).toThrow(`unable to read certificate ${path}: larger than 4 MiB`);
    expect(() => readRegularFile(path, 100)).toThrow('larger than 100 bytes');
  });

  it.each([
    ['/dev/zero', 'not a regular file (a character device)'],
    ['/dev/urandom', 'not a regular file (a character device)'],
    ['/nonexistent/cert.pem', 'no such file or directory'],
    [dir, 'is a directory'],
  ])('refuses %s, naming it: %s (issue 13, item 7)', (path, reason) => {
    expect(() => readInputFile(path, 'private key')).toThrow(`unable to read private key ${path}: ${reason}`);
  });

  it('does not show a DER key given as a string in a path\'s place (the library\'s privateKey: der.toString())', () => {
    const der = '0\x81\x87\x02\x01\x000\x13\x06\x07*\x86H\xce=\x02\x01\x04m0k\x02\x01\x01\x04 SECRET-BYTES';
    expect(() => readInputFile(der, 'private key')).toThrow(
      /^unable to read private key: a path holds no NUL byte, and what was given looks like PEM or base64 content, not a path \(not shown\)$/,
    );
  });

  it('does not show a run of 64 base64 characters and more given in a path\'s place (an EC key\'s DER in base64 is about 180), and shows a shorter one', () => {
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    for (const given of [ecKey, ecKey.replaceAll('/', 'A'), 'A'.repeat(64)]) {
      expect(() => readInputFile(given, 'private key')).toThrow(
        /^unable to read private key: (no such file or directory|the name is too long), and what was given looks like PEM or base64 content, not a path \(not shown\)$/,
      );
    }
    const name = 'A'.repeat(63);
    expect(() => readInputFile(name, 'private key')).toThrow(new RegExp(`^unable to read private key ${name}: no such file or directory \\(a relative path`));
    // After a scheme-like prefix (`file:`, `HANDLE:` in the wrong case, which is a path): the path's message quoted it (QA).
    for (const given of [`file:${ecKey}`, `HANDLE:${ecKey}`, `Ssh-Agent:${ecKey}`]) {
      expect(() => readInputFile(given, 'private key')).toThrow(
        /^unable to read private key: (no such file or directory|the name is too long), and what was given looks like PEM or base64 content, not a path \(not shown\)$/,
      );
    }
    expect(() => readInputFile(`file:${name}`, 'private key')).toThrow(`unable to read private key file:${name}: no such file or directory`);
  });

  it('shows a path that ends in a carriage return, saying so: a script with CRLF line endings passes one to the last flag (QA: real-world invocations)', () => {
    // `... --private-key key.pem\r`: the reference shows it (`open key.pem\r: no such file or directory`); it is no key content.
    for (const path of ['workload-key.pem\r', join(dir, 'workload-key.pem\r'), `${join(dir, 'cert.pem')}\r\n`]) {
      expect(() => readInputFile(path, 'private key')).toThrow(
        `unable to read private key ${path}: no such file or directory (it ends in a carriage return: from a file with Windows (CRLF) line endings?)`,
      );
    }
    // A YAML block scalar (`- |`) ends its value in a line feed.
    expect(() => readInputFile('/etc/pki/key.pem\n', 'private key')).toThrow('unable to read private key /etc/pki/key.pem\n: no such file or directory (it ends in a line break)');
    // A line of base64 ending in one is still content, not shown.
    expect(() => readInputFile(`${'A'.repeat(64)}\r`, 'private key')).toThrow(/looks like PEM or base64 content, not a path \(not shown\)$/);
  });

  it('refuses a FIFO without waiting for a writer (issue 13, item 7)', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readInputFile(fifo, 'certificate bundle')).toThrow(`unable to read certificate bundle ${fifo}: not a regular file (a FIFO)`);
  });

  it('follows a symbolic link unless told not to (mutation testing)', () => {
    const path = join(dir, 'target.pem');
    const link = join(dir, 'link.pem');
    writeFileSync(path, 'certificate');
    symlinkSync(path, link);
    expect(readRegularFile(link).data.toString()).toBe('certificate');
    expect(() => readRegularFile(link, MAX_INPUT_BYTES, true)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });
});
