import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenStore } from '../../../../src/outputs/imds/tokenStore.js';

afterEach(() => vi.restoreAllMocks());

describe('TokenStore', () => {
  it("keeps a token for its TTL, whatever the wall clock does meanwhile (QA time: a 60 s token set back a day lived a day, its TTL header 86459)", () => {
    const wallClock = vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-05T12:00:00Z'));
    const tokens = new TokenStore();
    const token = tokens.issue(60);
    wallClock.mockReturnValue(Date.parse('2026-12-04T12:00:00Z')); // NTP puts right a clock a day ahead
    expect(tokens.remainingSeconds(token)).toBeLessThanOrEqual(60);
    wallClock.mockReturnValue(Date.parse('2026-12-06T12:00:00Z')); // a clock set a day forward
    expect(tokens.remainingSeconds(token)).toBeGreaterThan(0);
  });

  // Mutation sweep: rounding up, or tokens of 6 random bytes, passed every test.
  it('says the whole seconds left, rounded down: a client keeping the token that long never sends it expired', () => {
    let now = 0;
    const tokens = new TokenStore(() => now);
    const token = tokens.issue(60);
    now = 500;
    expect(tokens.remainingSeconds(token)).toBe(59);
    now = 60_000;
    expect(tokens.remainingSeconds(token)).toBeUndefined();
  });

  it('issues tokens of 75 random bytes, 100 base64 characters', () => {
    const tokens = new TokenStore();
    const issued = new Set(Array.from({ length: 4 }, () => tokens.issue(60)));
    expect(issued.size).toBe(4);
    for (const token of issued) expect(Buffer.from(token, 'base64')).toHaveLength(75);
  });

  // Mutation sweep (mutout): a sweep that kept a token at its expiry passed every test.
  it('sweeps a token at its expiry, the moment it is refused', () => {
    let now = 0;
    const tokens = new TokenStore(() => now);
    tokens.issue(1);
    const later = tokens.issue(2);
    now = 1000;
    expect(tokens.removeExpired()).toBe(1);
    expect(tokens.remainingSeconds(later)).toBe(1);
  });
});
