import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/shellWord.js';

const readBack = (word: string, locale = 'C.UTF-8') => execFileSync('bash', ['-c', `printf %s ${word}`], { env: { PATH: process.env.PATH, LC_ALL: locale } }).toString('utf8');

describe('shellWord', () => {
  it('leaves a plain value as it is, and quotes one with blanks or quotes', () => {
    expect(shellWord('/run/token')).toBe('/run/token');
    expect(shellWord("my folder's/token")).toBe("'my folder'\\''s/token'");
    expect(readBack(shellWord("my folder's/token"))).toBe("my folder's/token");
  });

  it("quotes a value holding control characters as $'…', one printable line that bash reads back as the value (QA: a line break in a token file's path)", () => {
    const value = "/tmp/a\nb\tc\x1b[31m\r\x7f\u009b d'e\\f/token";
    const word = shellWord(value);
    expect(word).toBe("$'/tmp/a\\012b\\011c\\033[31m\\015\\177\\302\\233 d\\'e\\\\f/token'");
    expect(readBack(word)).toBe(value);
  });

  it("escapes a C1 control as its UTF-8 bytes, which every locale's shell reads back (review: \\u0085 stayed \\u0085 in bash under the C locale, a container's, and zsh refused it)", () => {
    const value = '/tmp/é\u0085b\u009f/token';
    expect(readBack(shellWord(value), 'C')).toBe(value);
    expect(readBack(shellWord(value), 'C.UTF-8')).toBe(value);
  });

  it("escapes what the logger writes out as \\uHHHH, the marks that turn text's direction and U+2028/9, so that a pasted command names the file (review: in single quotes it named a file called \\u202e)", () => {
    const value = '/tmp/role-\u202egnp.exe\u2028/token';
    const word = shellWord(value);
    expect(word).toBe("$'/tmp/role-\\342\\200\\256gnp.exe\\342\\200\\250/token'");
    expect(readBack(word)).toBe(value);
  });
});
