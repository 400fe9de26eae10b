import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecretFile, secretText } from '../../../src/keys/secretFile.js';
import { secretFromEnv } from '../../../src/keys/secretVariables.js';

const dir = mkdtempSync(join(tmpdir(), 'rah-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode); // not through writeFileSync's mode, which the umask narrows
  return path;
}

const read = (path: string) => readSecretFile(path, 'password from --password-file');

describe('readSecretFile', () => {
  it('reads a file only its owner may read, leaving out one trailing newline', () => {
    expect(read(secretFile('plain', 's3cret', 0o600))).toBe('s3cret');
    expect(read(secretFile('newline', 's3cret\n', 0o400))).toBe('s3cret');
    expect(read(secretFile('crlf', 's3cret\r\n', 0o600))).toBe('s3cret');
    expect(read(secretFile('spaces', ' pass phrase \n', 0o600))).toBe(' pass phrase ');
    expect(read(secretFile('utf8', 'pässwörd\n', 0o600))).toBe('pässwörd');
  });

  it.each([
    [0o640, 'its group', '0640'],
    [0o604, 'others', '0604'],
    [0o644, 'its group and others', '0644'],
    [0o666, 'its group and others', '0666'],
  ])('refuses a file of mode %s, saying who may read it', (mode, readers, shown) => {
    const path = secretFile(`mode-${shown}`, 'leaked', mode);
    expect(() => read(path)).toThrow(
      `unable to read password from --password-file ${path}: it is readable by ${readers} (mode ${shown}); make it readable by its owner only (chmod 600)`,
    );
  });

  it('a file others may write but not read is not refused for it', () => {
    expect(read(secretFile('writable', 'ok', 0o622))).toBe('ok');
  });

  it('says why a file cannot be read', () => {
    // The path of a missing file is not shown: it may be the password itself, given in its place.
    expect(() => read('s3cret-given-as-path')).toThrow(
      'unable to read password from --password-file: no such file or directory (the path given is not shown: it may be the secret itself)',
    );
    // Nor that of a name too long to be a file's (ENAMETOOLONG): a long passphrase given in its place (mutation sweep).
    const passphrase = 'correct horse battery staple '.repeat(10);
    let message = '';
    try {
      read(passphrase);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^unable to read password from --password-file: .*\(the path given is not shown: it may be the secret itself\)$/);
    expect(message).not.toContain('correct horse');
    expect(() => read(dir)).toThrow(`unable to read password from --password-file ${dir}: is a directory`);
    expect(() => read(secretFile('empty', '\n', 0o600))).toThrow(/: it is empty$/);
  });
});

describe('secretText', () => {
  it('is the UTF-8 text without one trailing newline, and never empty', () => {
    expect(secretText(Buffer.from('pw\n'), 'stdin')).toBe('pw');
    expect(() => secretText(Buffer.from(''), 'password from standard input')).toThrow('unable to read password from standard input: it is empty');
  });

  it('leaves out a leading byte order mark, as a Windows editor writes one (the password was wrong with it)', () => {
    expect(secretText(Buffer.from('\uFEFFpw\r\n'), 'stdin')).toBe('pw');
    expect(secretText(Buffer.from('\uFEFF\uFEFFpw'), 'stdin')).toBe('\uFEFFpw');
    expect(() => secretText(Buffer.from('\uFEFF\n'), 'password from standard input')).toThrow('unable to read password from standard input: it is empty');
  });

  it.each([
    ['a blank line after it', 's3cret\n\n'],
    ['a second line', 's3cret\nother\n'],
    ['old Mac line endings (a lone CR)', 's3cret\r'],
    ['a CR before its CRLF', 's3cret\r\r\n'],
    ['a NUL byte after its newline', 's3cret\n\0'],
    ['a NUL byte at its end, as a C string ends', 's3cret\0'],
    ['an escape', '\x1b[Cs3cret'],
    ['a DEL, as a terminal may send for backspace', 's3cre\x7ft'],
    ['a backspace, the last control character before the tab that is kept', 's3cre\bt'],
    ['a unit separator, the last control character before the space', 's3cret\x1f'],
  ])('refuses %s, which no password typed holds, rather than pass on another secret, which would cost a PIN or TPM try (QA: line endings)', (_, text) => {
    expect(() => secretText(Buffer.from(text), 'PKCS#11 PIN from pin-source /p')).toThrow(
      'unable to read PKCS#11 PIN from pin-source /p: it holds a line break or control character besides one trailing newline',
    );
  });

  it('takes tabs, spaces, non-ASCII and emoji as part of the secret, and a PIN written without a newline (printf) whole', () => {
    expect(secretText(Buffer.from(' pass\tphrase \r\n'), 'stdin')).toBe(' pass\tphrase ');
    expect(secretText(Buffer.from('Grüße 🔑 秘密\n'), 'stdin')).toBe('Grüße 🔑 秘密');
    expect(secretText(Buffer.from('123456'), 'stdin')).toBe('123456');
  });

  it('refuses bytes that are not UTF-8 (a Latin-1 é) rather than pass on another secret, which would cost a PIN or TPM try', () => {
    expect(() => secretText(Buffer.from('caf\xe9pw', 'latin1'), 'password from standard input')).toThrow(
      'unable to read password from standard input: it is not UTF-8 text (the helper passes secrets on as UTF-8, and would pass on another secret); set it in UTF-8',
    );
  });
});

describe('secretFromEnv', () => {
  it('refuses a variable Node decoded from bytes that are not UTF-8 (shown as U+FFFD)', () => {
    expect(() => secretFromEnv({ AWS_ROLESANYWHERE_PKCS11_PIN: 'Pin\uFFFD9999' }, 'pkcs11Pin')).toThrow(
      'unable to use AWS_ROLESANYWHERE_PKCS11_PIN: it is not UTF-8 text (the helper passes secrets on as UTF-8, and would pass on another secret); set it in UTF-8',
    );
    expect(secretFromEnv({ AWS_ROLESANYWHERE_PKCS11_PIN: 'Pin\u00e99999\n' }, 'pkcs11Pin')).toBe('Pin\u00e99999');
  });

  // `export AWS_ROLESANYWHERE_PKCS11_PIN=$(cat pin.txt)` of a file saved with CRLF: the shell takes the LF and
  // leaves the CR, which passed on was a wrong PIN and a token's try spent (QA crlf). The end of a CRLF, left out.
  it('leaves out a CR the shell left of a trailing CRLF, as it leaves out the CRLF', () => {
    expect(secretFromEnv({ AWS_ROLESANYWHERE_PKCS11_PIN: '1234\r' }, 'pkcs11Pin')).toBe('1234');
    expect(secretFromEnv({ AWS_ROLESANYWHERE_PKCS11_PIN: '1234\r\n' }, 'pkcs11Pin')).toBe('1234');
    expect(secretFromEnv({ AWS_ROLESANYWHERE_PKCS11_PIN: '\r' }, 'pkcs11Pin')).toBeUndefined();
    // One line end only, as docs/secrets.md says: what is before it is passed on (mutation sweep: /[\r\n]*$/ passed,
    // and is quadratic, 26 s for a 128 kB variable of newlines).
    expect(secretFromEnv({ AWS_ROLESANYWHERE_PKCS11_PIN: '1234\n\n' }, 'pkcs11Pin')).toBe('1234\n');
    expect(secretFromEnv({ AWS_ROLESANYWHERE_PKCS11_PIN: '1234\r\r' }, 'pkcs11Pin')).toBe('1234\r');
  });

  it('keeps a tab, spaces and non-ASCII, and leaves out one trailing CRLF', () => {
    expect(secretFromEnv({ AWS_ROLESANYWHERE_PKCS8_PASSWORD: ' pass\tphr\u00e4se \r\n' }, 'pkcs8Password')).toBe(' pass\tphr\u00e4se ');
  });
});
