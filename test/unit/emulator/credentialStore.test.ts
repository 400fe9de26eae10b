import { describe, expect, it } from 'vitest';
import { forgotten, remember, type CredentialHolder, type CredentialStore } from '../../../src/emulator/credentialStore.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-12-01T00:00:00Z');
const holder = (expiration: number): CredentialHolder => ({
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date(expiration),
  identity: { accountId: '123456789012', arn: 'arn', assumedRoleId: 'id' },
  sourceIdentity: undefined,
  transitiveTagKeys: [],
});

describe('remember', () => {
  it('keeps, under endless load, only the credentials of the last hours: those an hour past their expiration go (QA: an emulator run for days kept every one, 0.8 KB a session)', () => {
    const store: CredentialStore = new Map();
    let most = 0;
    // A session a second for 100 hours of the emulator's clock, of an hour, or of 12 hours now and then.
    for (let second = 0; second < 100 * 3600; second++) {
      const now = START + second * 1000;
      remember(store, `ASIA${second}`, holder(now + (second % 1000 === 0 ? 12 : 1) * HOUR), new Date(now));
      most = Math.max(most, store.size);
    }
    // An hour's credentials live, an hour remembered past their end, an hour until the next look: 3 hours' at most.
    expect(most).toBeLessThanOrEqual(3 * 3600 + 12 * 14);
    expect(most).toBeGreaterThan(2 * 3600);
  });

  it('forgets credentials an hour after their expiration, to the millisecond', () => {
    expect(forgotten(holder(START), new Date(START + HOUR - 1))).toBe(false);
    expect(forgotten(holder(START), new Date(START + HOUR))).toBe(true);
  });

  it('looks through the store again when a test sets the emulator\'s clock back, not only an hour after the latest look', () => {
    const store: CredentialStore = new Map();
    remember(store, 'ahead', holder(START - 2 * HOUR), new Date(START + 10 * HOUR));
    remember(store, 'back', holder(START + HOUR), new Date(START));
    expect([...store.keys()]).toEqual(['back']);
  });
});
