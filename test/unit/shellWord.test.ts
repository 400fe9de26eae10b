import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/shellWord.js';

const readBack = (word: string) => execFileSync('bash', ['-c', `printf %s ${word}`], { env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8' } }).toString('utf8');

describe('shellWord', () => {
  it('leaves a plain value as it is, and quotes one with blanks or quotes', () => {
    expect(shellWord('/run/token')).toBe('/run/token');
    expect(shellWord("my folder's/token")).toBe("'my folder'\\''s/token'");
    expect(readBack(shellWord("my folder's/token"))).toBe("my folder's/token");
  });

  it("quotes a value holding control characters as $'…', one printable line that bash reads back as the value (QA: a line break in a token file's path)", () => {
    const value = "/tmp/a\nb\tc\x1b[31m\r\x7f\u009b d'e\\f/token";
    const word = shellWord(value);
    expect(word).toBe("$'/tmp/a\\x0ab\\x09c\\x1b[31m\\x0d\\x7f\\u009b d\\'e\\\\f/token'");
    expect(readBack(word)).toBe(value);
  });
});
