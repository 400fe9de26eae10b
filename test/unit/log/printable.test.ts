import { describe, expect, it } from 'vitest';
import { printable, printableLine } from '../../../src/log/printable.js';

describe('printable', () => {
  it('writes out C0 controls, DEL and C1 controls as \\xHH, keeping tabs, line breaks and other Unicode', () => {
    expect(printable('a\0b\x07c\rd\x1b[32me\x7ff\x80g\x9bh')).toBe('a\\x00b\\x07c\\x0dd\\x1b[32me\\x7ff\\x80g\\x9bh');
    expect(printable('one\ttwo\nthree')).toBe('one\ttwo\nthree');
    expect(printable('café ✓ 証明書 \u00a0 😀')).toBe('café ✓ 証明書 \u00a0 😀');
  });
});

describe('printableLine', () => {
  it('folds line breaks, with the spaces and carriage returns around them, into one space, and writes out the other controls', () => {
    expect(printableLine('first\r\n  second\nthird\rfourth')).toBe('first second third\\x0dfourth');
  });
});
