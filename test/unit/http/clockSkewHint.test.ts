import { describe, expect, it } from 'vitest';
import { clockSkewHint } from '../../../src/http/clockSkewHint.js';

describe('clockSkewHint', () => {
  it("says how far this machine's clock is from the service's when the service refused the request's date (QA17)", () => {
    const now = Date.parse('2026-12-03T16:00:00Z');
    const date = 'Thu, 03 Dec 2026 15:54:00 GMT';
    const expired = 'Signature expired: X-Amz-Date is too far from the current time';
    expect(clockSkewHint({ date }, expired, now)).toBe(
      ` (this machine's clock is 6 min ahead of the service's, whose answer is dated ${date}: check its time synchronisation)`,
    );
    expect(clockSkewHint({ date: 'Thu, 03 Dec 2026 19:00:00 GMT' }, 'Signature not yet current: 20261203T160000Z is still later than …', now)).toContain('3 h behind');
    // Within a minute, another refusal, or no date: nothing to say.
    expect(clockSkewHint({ date: 'Thu, 03 Dec 2026 15:59:30 GMT' }, expired, now)).toBe('');
    expect(clockSkewHint({ date }, 'Untrusted Signing Certificate', now)).toBe('');
    expect(clockSkewHint({}, expired, now)).toBe('');
  });
});
