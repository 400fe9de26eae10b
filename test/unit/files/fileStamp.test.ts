import { describe, expect, it } from 'vitest';
import { isSettled } from '../../../src/files/fileStamp.js';

describe('isSettled', () => {
  it('waits a kernel tick after a change, or two seconds and more where both times are whole seconds (coarse timestamps)', () => {
    const fine = { mtimeMs: 1_000_000.5, ctimeMs: 1_000_000.5 };
    expect(isSettled(fine, 1_000_000.5 + 49)).toBe(false);
    expect(isSettled(fine, 1_000_000.5 + 50)).toBe(true);
    const whole = { mtimeMs: 1_000_000, ctimeMs: 1_000_000 };
    expect(isSettled(whole, 1_000_000 + 2_099)).toBe(false);
    expect(isSettled(whole, 1_000_000 + 2_100)).toBe(true);
  });

  it('takes a file for one of fine timestamps when either time is not a whole second (a modification time set by touch -d, tar or cp -p), from the later of the two (mutation testing)', () => {
    // Only the modification time set to a whole second: the change time, the kernel's, tells the precision.
    expect(isSettled({ mtimeMs: 1_000_000, ctimeMs: 1_000_500.25 }, 1_000_500.25 + 50)).toBe(true);
    expect(isSettled({ mtimeMs: 1_000_500.25, ctimeMs: 1_000_000 }, 1_000_500.25 + 50)).toBe(true);
    // The later of the two counts: a change of mode (ctime) after the last write.
    expect(isSettled({ mtimeMs: 1_000_000.5, ctimeMs: 1_000_500.25 }, 1_000_500.25 + 49)).toBe(false);
  });
});
