import { describe, expect, it } from 'vitest';
import { cutShort, printable, printableLine } from '../../../src/log/printable.js';

describe('printable', () => {
  it('writes out C0 controls, DEL and C1 controls as \\xHH, keeping tabs, line breaks and other Unicode', () => {
    expect(printable('a\0b\x07c\rd\x1b[32me\x7ff\x80g\x9bh')).toBe('a\\x00b\\x07c\\x0dd\\x1b[32me\\x7ff\\x80g\\x9bh');
    expect(printable('one\ttwo\nthree')).toBe('one\ttwo\nthree');
    expect(printable('café ✓ 証明書 \u00a0 😀')).toBe('café ✓ 証明書 \u00a0 😀');
    // The last C1 control, beside the first character kept (mutation QA: untested).
    expect(printable('\x9f\xa0')).toBe('\\x9f\xa0');
    // The ends of the C0 ranges beside tab and line feed: a backspace rubs out what a line showed (mutation QA: untested).
    expect(printable('pass\x08\x08\x08\x08FAIL\x0b\x0c\x1f')).toBe('pass\\x08\\x08\\x08\\x08FAIL\\x0b\\x0c\\x1f');
  });

  it('writes out the marks that turn text around or break its line past ASCII as \\uHHHH, keeping the letters of both directions', () => {
    expect(printable('role-\u202egnp.exe')).toBe('role-\\u202egnp.exe');
    expect(printable('\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069')).toBe(
      '\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069',
    );
    expect(printable('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(printable('שלום عربي \u200d\u2027\u2030\u206a')).toBe('שלום عربي \u200d\u2027\u2030\u206a');
    expect(printable('10\u202f000')).toBe('10\u202f000'); // a narrow no-break space, past U+202E (mutation QA: untested)
  });
});

describe('printableLine', () => {
  it('folds line breaks, with the spaces and carriage returns around them, into one space, and writes out the other controls', () => {
    expect(printableLine('first\r\n  second\nthird\rfourth')).toBe('first second third\\x0dfourth');
  });
});

describe('cutShort', () => {
  it('keeps text of `max` characters whole, and cuts longer text to `max` with `…` (mutation QA: the bound was untested)', () => {
    expect(cutShort('abc', 3)).toBe('abc');
    expect(cutShort('abcd', 3)).toBe('abc…');
  });
});
