import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialRefresher } from '../../../src/credentials/credentialRefresher.js';
import { refreshInBackground } from '../../../src/credentials/refreshInBackground.js';
import type { TemporaryCredentials } from '../../../src/temporaryCredentials.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A refresher over a source whose credentials live `lifetimeMs` from when they are issued (fake timers: Date.now is fake). */
function background(lifetimeMs: number) {
  let fetches = 0;
  const failures: unknown[] = [];
  const fetch = async (): Promise<TemporaryCredentials> => {
    fetches++;
    const expiration = new Date(Date.now() + lifetimeMs);
    return { accessKeyId: `KEY${fetches}`, secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
  };
  const refresher = new CredentialRefresher(fetch, {
    refreshAheadMs: 10 * MINUTE,
    minRetryMs: 10_000,
    maxRetryMs: 5 * MINUTE,
    onFailure: (error) => failures.push(error),
  });
  const running = refreshInBackground(refresher);
  return { refresher, running, fetches: () => fetches, failures };
}

describe('refreshInBackground (issue 13, item 3)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('stop() settles only once a refresh it started has ended, so that nothing is left half done (QA17 mutation testing)', async () => {
    let release: (() => void) | undefined;
    const fetch = async (): Promise<TemporaryCredentials> => {
      await new Promise<void>((resolve) => (release = resolve));
      const expiration = new Date(Date.now() + 60 * MINUTE);
      return { accessKeyId: 'KEY', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
    };
    const running = refreshInBackground(new CredentialRefresher(fetch, { refreshAheadMs: 10 * MINUTE, minRetryMs: 10_000, maxRetryMs: 5 * MINUTE }));
    await vi.advanceTimersByTimeAsync(1);
    expect(release).toBeDefined();
    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(stopped).toBe(false);
    release!();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('does not loop on credentials that are already expired: one attempt, then the backoff', async () => {
    const b = background(-1000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(b.fetches()).toBe(1);
    expect(b.failures).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(b.fetches()).toBe(2);
    await b.running.stop();
  });

  it('refreshes within 10 s of the wall clock jumping past the refresh time (a laptop resumed), not when the timer\'s own delay has passed (QA)', async () => {
    const b = background(60 * MINUTE);
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.fetches()).toBe(1);
    // Suspended for two hours: the wall clock moves on, the timers' clock does not. update's file holds the
    // expired credentials until then (QA clock: ExpiredToken for 47 s after a resume, with a minute's wake).
    vi.setSystemTime(Date.now() + 120 * MINUTE);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(b.fetches()).toBe(2);
    expect(b.refresher.msUntilNextRefresh()).toBeGreaterThan(40 * MINUTE);
    await b.running.stop();
  });

  it('waits for credentials that expire in 30 days (beyond a 24.8-day timer) without looping or warning', async () => {
    // Node warns (TimeoutOverflowWarning) and fires at once for a longer delay; fake timers do neither, so
    // what is checked is the delays asked for.
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const b = background(30 * DAY);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(b.fetches()).toBe(1);
    await vi.advanceTimersByTimeAsync(30 * DAY - 12 * MINUTE);
    expect(b.fetches()).toBe(1);
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(b.fetches()).toBe(2);
    const delays = timers.mock.calls.map(([, ms]) => ms ?? 0);
    expect(delays.reduce((a, b) => Math.max(a, b), 0)).toBe(10_000);
    await b.running.stop();
  });

  it('follows a refresh made by someone else: the next one is due from the new credentials', async () => {
    const b = background(4000);
    await vi.advanceTimersByTimeAsync(0);
    expect(b.fetches()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await b.refresher.refresh(); // e.g. a caller forcing it: due again at 3 s, not at 2 s
    await vi.advanceTimersByTimeAsync(1500);
    expect(b.fetches()).toBe(2);
    await vi.advanceTimersByTimeAsync(600);
    expect(b.fetches()).toBe(3);
    await b.running.stop();
  });
});
