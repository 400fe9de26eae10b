import { describe, expect, it } from 'vitest';
import { CredentialRefresher, NoValidCredentialsError } from '../../../src/credentials/credentialRefresher.js';
import { LIBRARY_REFRESH_POLICY, SERVE_REFRESH_POLICY, UPDATE_REFRESH_POLICY } from '../../../src/credentials/refreshPolicies.js';
import type { TemporaryCredentials } from '../../../src/temporaryCredentials.js';

const MINUTE = 60_000;

/** A fake clock and a credential source whose answers the test scripts. */
function harness(options: { refreshAheadMs?: number | undefined; lifetimeMs?: number; random?: number; waitWithinMs?: number } = {}) {
  let now = Date.UTC(2030, 0, 1);
  let issued = 0;
  let failNext = 0;
  let fetches = 0;
  let forced = 0;
  const failures: number[] = [];
  let release: (() => void) | undefined;
  let gated = false;
  let lifetimeMs = options.lifetimeMs ?? 60 * MINUTE;
  const fetch = async (options?: { forceRefresh?: boolean }): Promise<TemporaryCredentials> => {
    fetches++;
    if (options?.forceRefresh) forced++;
    if (gated) await new Promise<void>((resolve) => (release = resolve));
    if (failNext > 0) {
      failNext--;
      throw new Error('endpoint down');
    }
    issued++;
    const expiration = new Date(now + lifetimeMs);
    return { accessKeyId: `KEY${issued}`, secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
  };
  const refresher = new CredentialRefresher(fetch, {
    refreshAheadMs: options.refreshAheadMs ?? 10 * MINUTE,
    minRetryMs: 10_000,
    maxRetryMs: 5 * MINUTE,
    now: () => now,
    random: () => options.random ?? 0.5,
    onFailure: (_error, delay) => failures.push(delay),
    ...(options.waitWithinMs !== undefined ? { waitWithinMs: options.waitWithinMs } : {}),
  });
  return {
    refresher,
    advance: (ms: number) => (now += ms),
    failNext: (n: number) => (failNext = n),
    fetches: () => fetches,
    forced: () => forced,
    failures,
    now: () => now,
    lifetime: (ms: number) => (lifetimeMs = ms),
    gate: () => (gated = true),
    open: () => {
      gated = false;
      release?.();
    },
  };
}

describe('CredentialRefresher', () => {
  it('never hands out credentials past their expiry, even those that come with less than a second left (serve and the library answer from peek; QA)', async () => {
    const h = harness({ lifetimeMs: 400 });
    const first = await h.refresher.get();
    expect(h.refresher.peek()).toBe(first);
    h.advance(400);
    expect(h.refresher.peek()).toBeUndefined();
    // serve's way: no valid credentials (a 500), a refresh no sooner than a second after the last.
    await expect(h.refresher.current()).rejects.toThrow(NoValidCredentialsError);
    expect(h.fetches()).toBe(1);
    // The library's way: fetched again, as expired credentials must be.
    const second = await h.refresher.get();
    expect(second.accessKeyId).toBe('KEY2');
    expect(second.expiration.getTime()).toBeGreaterThan(h.now());
  });

  it("with serve's policy, never hands out an hour's credentials inside botocore's 15-minute window, in which boto3 fetches again on every call (QA)", async () => {
    const h = harness({ refreshAheadMs: SERVE_REFRESH_POLICY.refreshAheadMs });
    await h.refresher.get();
    // 20 minutes ahead, as docs/serve.md says (mutout: 15 minutes passed, each credential then held to the window's edge).
    expect(h.refresher.msUntilNextRefresh()).toBe(40 * MINUTE);
    h.advance(h.refresher.msUntilNextRefresh() - 1);
    const held = await h.refresher.get();
    expect(held.accessKeyId).toBe('KEY1');
    expect(held.expiration.getTime() - h.now()).toBeGreaterThan(15 * MINUTE);
    h.advance(1);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY2');
  });

  it('fetches once, then serves the same credentials until the refresh window', async () => {
    const h = harness();
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    h.advance(49 * MINUTE);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(1);
    expect(h.refresher.msUntilNextRefresh()).toBe(MINUTE);
  });

  it('refreshes ahead of expiry: with fewer than 10 minutes left, a new set', async () => {
    const h = harness();
    await h.refresher.get();
    h.advance(50 * MINUTE + 1);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY2');
  });

  it("uses another window when asked: update's, 5 minutes, as the reference (QA: a mutation to 1 minute went unseen)", async () => {
    const h = harness({ refreshAheadMs: UPDATE_REFRESH_POLICY.refreshAheadMs });
    await h.refresher.get();
    h.advance(52 * MINUTE);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    // Not a minute sooner either (mutout: 6 minutes passed).
    h.advance(3 * MINUTE - 1);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    h.advance(2);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY2');
  });

  it('keeps one refresh in flight however many callers ask', async () => {
    const h = harness();
    h.gate();
    const callers = Array.from({ length: 50 }, () => h.refresher.get());
    h.open();
    const results = await Promise.all(callers);
    expect(new Set(results.map((c) => c.accessKeyId))).toEqual(new Set(['KEY1']));
    expect(h.fetches()).toBe(1);
  });

  it('keeps the last good credentials while a refresh fails and they are valid, backing off between attempts', async () => {
    const h = harness();
    await h.refresher.get();
    h.advance(51 * MINUTE);
    h.failNext(100);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(2);
    expect(h.failures).toEqual([10_000]);
    // Many callers during the backoff: no new attempt.
    for (let i = 0; i < 20; i++) expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(2);
    h.advance(10_000);
    await h.refresher.get();
    expect(h.fetches()).toBe(3);
    expect(h.failures).toEqual([10_000, 15_000]);
  });

  it('tries again a second after it sees the clock set back after failing ahead, not after the step (QA17: serve answered 500 for the 10 minutes of a step)', async () => {
    const h = harness();
    await h.refresher.get();
    h.advance(45 * MINUTE);
    // Set 10 minutes ahead (as NTP or `date -s` sets it): the refresh is due, and the service refuses it
    // (the request's date is too far from its own).
    h.advance(10 * MINUTE);
    h.failNext(1);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    expect(h.failures).toEqual([10_000]);
    // Put right 20 s later: the next attempt is a second from the moment the step is seen (the failure was
    // likely the clock's), not 10 minutes ahead.
    h.advance(-10 * MINUTE + 20_000);
    expect(h.refresher.msUntilNextRefresh()).toBe(1_000);
    h.advance(1_000);
    expect(h.refresher.msUntilNextRefresh()).toBe(0);
    expect((await h.refresher.refresh()).accessKeyId).toBe('KEY2');
  });

  it('with nothing valid held, a request after the clock is set back tries again within a second, not after the step', async () => {
    const h = harness();
    h.advance(10 * MINUTE);
    h.failNext(1);
    await expect(h.refresher.get()).rejects.toThrow('endpoint down');
    h.advance(-10 * MINUTE);
    await expect(h.refresher.get()).rejects.toThrow(/the last attempt's failure, 0 ms ago/);
    h.advance(1_000);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
  });

  it('forces again a second after a forced fetch, the clock set back between them', async () => {
    const h = harness();
    await h.refresher.forceRefresh();
    h.advance(-10 * MINUTE);
    await h.refresher.forceRefresh();
    expect(h.forced()).toBe(1);
    h.advance(1_000);
    await h.refresher.forceRefresh();
    expect(h.forced()).toBe(2);
  });

  it('backs off exponentially, with jitter, up to the cap', async () => {
    const h = harness();
    h.failNext(100);
    for (let i = 0; i < 8; i++) {
      await expect(h.refresher.refresh()).rejects.toThrow('endpoint down');
    }
    // random() = 0.5: halfway between 10 s and min(5 min, 10 s·2^(n-1)).
    expect(h.failures).toEqual([10_000, 15_000, 25_000, 45_000, 85_000, 155_000, 155_000, 155_000]);
  });

  it('once the last credentials expired and refreshing fails, says so instead of returning them', async () => {
    const h = harness();
    await h.refresher.get();
    h.failNext(100);
    h.advance(61 * MINUTE);
    await expect(h.refresher.get()).rejects.toThrow(NoValidCredentialsError);
    await expect(h.refresher.get()).rejects.toThrow(/the credentials expired at 2030-01-01T01:00:00.000Z and refreshing them fails: endpoint down/);
  });

  it('recovers when the endpoint comes back', async () => {
    const h = harness();
    h.failNext(1);
    await expect(h.refresher.get()).rejects.toThrow('endpoint down');
    h.advance(10_000);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    expect(h.refresher.msUntilNextRefresh()).toBe(50 * MINUTE);
  });

  it('refreshes 900-second credentials (the shortest CreateSession issues) when 10 minutes are left, as the README says', async () => {
    const h = harness({ lifetimeMs: 15 * MINUTE });
    await h.refresher.get();
    expect(h.refresher.msUntilNextRefresh()).toBe(5 * MINUTE);
  });

  it('refreshes credentials barely longer than the window no sooner than a quarter of their life, not every second', async () => {
    const h = harness({ lifetimeMs: 10 * MINUTE + 1000 });
    await h.refresher.get();
    expect(h.refresher.msUntilNextRefresh()).toBe((10 * MINUTE + 1000) / 4);
  });

  it('refreshes credentials that live less than the refresh window at half their life, not in a loop', async () => {
    const h = harness({ lifetimeMs: 8 * MINUTE });
    await h.refresher.get();
    expect(h.refresher.msUntilNextRefresh()).toBe(4 * MINUTE);
    h.advance(3 * MINUTE);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    h.advance(MINUTE);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY2');
  });
});

describe('CredentialRefresher.forceRefresh() (the SDK\'s forceRefresh, in the library)', () => {
  it('fetches past the held credentials, asking the fetch to get past its cache, once for callers forcing at the same time', async () => {
    const h = harness();
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    h.gate();
    const forcing = [h.refresher.forceRefresh(), h.refresher.forceRefresh()];
    const held = h.refresher.get(); // the held credentials are not due: no wait
    h.open();
    expect((await Promise.all(forcing)).map((c) => c.accessKeyId)).toEqual(['KEY2', 'KEY2']);
    expect((await held).accessKeyId).toBe('KEY1');
    expect((await h.refresher.get()).accessKeyId).toBe('KEY2');
    expect([h.fetches(), h.forced()]).toEqual([2, 1]);
  });

  it('waits for a refresh in flight (which may be a cache\'s answer), then fetches anew', async () => {
    const h = harness();
    h.gate();
    const refreshing = h.refresher.get();
    const forcing = h.refresher.forceRefresh();
    h.open();
    expect((await refreshing).accessKeyId).toBe('KEY1');
    expect((await forcing).accessKeyId).toBe('KEY2');
    expect([h.fetches(), h.forced()]).toEqual([2, 1]);
  });

  it('forces at most once a second: a program forcing in a loop gets the last outcome (review: CreateSession in a loop)', async () => {
    const h = harness();
    await h.refresher.get();
    for (let i = 0; i < 5; i++) expect((await h.refresher.forceRefresh()).accessKeyId).toBe('KEY2');
    h.advance(999);
    expect((await h.refresher.forceRefresh()).accessKeyId).toBe('KEY2');
    h.advance(1);
    expect((await h.refresher.forceRefresh()).accessKeyId).toBe('KEY3');
    expect(h.forced()).toBe(2);
  });

  it("has get() with nothing valid join a forced fetch under way within a second of a failure, rather than fail with that failure (mutation testing: failing survived)", async () => {
    const h = harness();
    h.failNext(1);
    await expect(h.refresher.get()).rejects.toThrow('endpoint down');
    h.gate();
    const answers = Promise.all([h.refresher.forceRefresh(), h.refresher.get()]);
    h.open();
    // The one fetch, forced, answers both.
    expect([...(await answers).map((c) => c.accessKeyId), h.fetches(), h.forced()]).toEqual(['KEY1', 'KEY1', 2, 1]);
  });

  it('fails to its caller when the forced fetch fails, the held credentials still answering the others', async () => {
    const h = harness();
    await h.refresher.get();
    h.failNext(1);
    await expect(h.refresher.forceRefresh()).rejects.toThrow('endpoint down');
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
  });
});

describe('CredentialRefresher.get() with waitWithinMs (the library)', () => {
  it('answers from the held credentials while a due refresh hangs, until less than waitWithinMs is left', async () => {
    const h = harness({ waitWithinMs: MINUTE });
    await h.refresher.get();
    h.advance(55 * MINUTE); // what an SDK client asks 5 minutes before expiry
    h.gate(); // CreateSession now hangs
    const settled = async (promise: Promise<{ accessKeyId: string }>) => {
      let answer: string | undefined;
      void promise.then((c) => (answer = c.accessKeyId));
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return answer;
    };
    expect(await settled(h.refresher.get())).toBe('KEY1');
    expect(h.fetches()).toBe(2); // the refresh runs in the background, once
    expect(await settled(h.refresher.get())).toBe('KEY1');
    expect(h.fetches()).toBe(2);
    h.advance(4 * MINUTE + 1); // less than a minute left: now get() waits for the refresh in flight
    const waiting = h.refresher.get();
    expect(await settled(waiting)).toBeUndefined();
    h.open();
    expect((await waiting).accessKeyId).toBe('KEY2');
  });

  it("with the library's policy, starts a background refresh at exactly 10 minutes left, and waits for it at exactly 1 minute left (mutation QA)", async () => {
    const h = harness({ refreshAheadMs: LIBRARY_REFRESH_POLICY.refreshAheadMs, waitWithinMs: LIBRARY_REFRESH_POLICY.waitWithinMs! });
    const settled = async (promise: Promise<{ accessKeyId: string }>) => {
      let answer: string | undefined;
      void promise.then((c) => (answer = c.accessKeyId));
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return answer;
    };
    await h.refresher.get();
    h.advance(50 * MINUTE - 1);
    expect((await h.refresher.get()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(1);
    h.gate();
    h.advance(1); // 10 minutes left
    expect(await settled(h.refresher.get())).toBe('KEY1');
    expect(h.fetches()).toBe(2);
    h.advance(9 * MINUTE); // 1 minute left: no more answering from the held ones
    const waiting = h.refresher.get();
    expect(await settled(waiting)).toBeUndefined();
    h.open();
    expect((await waiting).accessKeyId).toBe('KEY2');
    expect(h.fetches()).toBe(2);
  });
});

describe('CredentialRefresher under refresh faults (issue 13)', () => {
  it("current() starts no attempt while backing off after a failed refresh, however often it is asked (serve's requests; mutation testing: an attempt per call survived)", async () => {
    const h = harness();
    await h.refresher.get();
    h.advance(55 * MINUTE);
    h.failNext(1);
    expect((await h.refresher.current()).accessKeyId).toBe('KEY1'); // starts the refresh, which fails in the background
    await new Promise((resolve) => setImmediate(resolve)); // its failure settled
    expect(h.fetches()).toBe(2);
    h.advance(2_000); // past a second, inside the backoff of 10 s
    for (let i = 0; i < 3; i++) expect((await h.refresher.current()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(2);
    h.advance(8_000);
    expect((await h.refresher.current()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(3);
  });

  it('current() answers at once from the held credentials while a refresh hangs, and starts it (item 1)', async () => {
    const h = harness();
    await h.refresher.get();
    h.advance(51 * MINUTE);
    h.gate(); // CreateSession now hangs
    let answered: string[] | undefined;
    // So does serve's, which would wait for the attempt were none valid (mutation testing: waiting survived).
    void Promise.all([h.refresher.current(), h.refresher.current(5_000)]).then((answers) => (answered = answers.map((c) => c.accessKeyId)));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(answered).toEqual(['KEY1', 'KEY1']);
    expect(h.fetches()).toBe(2); // the refresh runs in the background
    expect((await h.refresher.current()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(2);
    h.open();
    await h.refresher.refresh();
    expect((await h.refresher.current()).accessKeyId).toBe('KEY2');
  });

  it('never schedules the next attempt past the held credentials\' expiry (item 2)', async () => {
    const h = harness({ random: 1 }); // the longest backoff each time
    const expiry = (await h.refresher.get()).expiration.getTime();
    h.advance(50 * MINUTE);
    h.failNext(1000);
    const attempts: number[] = [];
    while (h.now() < expiry) {
      await h.refresher.get().catch(() => undefined);
      attempts.push(h.now());
      h.advance(h.refresher.msUntilNextRefresh());
    }
    // Without the cap: 10 s, 20 s, 40 s, 80 s, 160 s, then 5 minutes, past the expiry at 60 minutes.
    expect(attempts.length).toBeGreaterThan(6);
    expect(h.now()).toBe(expiry); // the last attempt came as they expired, not minutes later
    expect(attempts.filter((at) => at >= expiry - 30_000)).toEqual([expiry - 30_000]); // one try 30 s before that
  });

  it('when nothing valid is held, a request tries again (at most once a second) instead of waiting out the backoff (item 2)', async () => {
    const h = harness();
    h.failNext(5);
    for (let i = 0; i < 5; i++) {
      await expect(h.refresher.get()).rejects.toThrow('endpoint down');
      h.advance(h.refresher.msUntilNextRefresh());
    }
    expect(h.failures.at(-1)).toBe(85_000);
    // The endpoint is back; the next attempt is 85 s away, but a request made a second later gets credentials.
    h.failNext(1);
    await expect(h.refresher.get()).rejects.toThrow('endpoint down');
    expect(h.refresher.msUntilNextRefresh()).toBe(155_000);
    h.advance(300);
    // Within the second: no attempt, and the failure is said to be the last attempt's (its cause may be gone).
    await expect(h.refresher.get()).rejects.toThrow(
      new NoValidCredentialsError("endpoint down (the last attempt's failure, 300 ms ago: attempts are at least a second apart)"),
    );
    expect(h.fetches()).toBe(6);
    h.advance(700);
    // serve's request starts that attempt and is answered at once, with the last failure; the next one gets them.
    await expect(h.refresher.current()).rejects.toThrow(/^endpoint down$/);
    expect(h.fetches()).toBe(7);
    expect((await h.refresher.current()).accessKeyId).toBe('KEY1');
    expect(h.fetches()).toBe(7);
  });

  it('current() never waits for an attempt when nothing valid is held: it says why at once, the attempt running in the background (QA)', async () => {
    const h = harness();
    const first = await h.refresher.get();
    h.advance(61 * MINUTE); // expired, say while the machine slept; CreateSession now hangs
    h.gate();
    const expired = `the credentials expired at ${first.expirationText}`;
    await expect(h.refresher.current()).rejects.toThrow(new NoValidCredentialsError(`${expired}; new ones are being fetched`));
    await expect(h.refresher.current()).rejects.toThrow(`${expired}; new ones are being fetched`);
    expect(h.fetches()).toBe(2); // one attempt, in the background
    h.failNext(1);
    h.open();
    await h.refresher.refresh().catch(() => undefined);
    h.gate();
    h.advance(1000);
    await expect(h.refresher.current()).rejects.toThrow(`${expired} and refreshing them fails: endpoint down`);
    expect(h.fetches()).toBe(3); // a request a second later starts the next one, and does not wait for it either
    await expect(h.refresher.current()).rejects.toThrow(`${expired} and refreshing them fails: endpoint down`);
    expect(h.fetches()).toBe(3);
    h.open();
    await h.refresher.refresh();
    expect((await h.refresher.current()).accessKeyId).toBe('KEY2');
  });

  it('current(ms), with nothing valid held, waits that long for the attempt it starts: its credentials, its failure, or that they are being fetched (QA)', async () => {
    const h = harness();
    await h.refresher.get();
    h.advance(61 * MINUTE);
    expect((await h.refresher.current(800)).accessKeyId).toBe('KEY2'); // the service is back: answered with them
    h.advance(61 * MINUTE);
    h.failNext(1);
    await expect(h.refresher.current(800)).rejects.toThrow(/^the credentials expired at .* and refreshing them fails: endpoint down$/);
    h.advance(1000);
    h.gate(); // an attempt that hangs: given up on after the wait, the attempt going on
    const started = Date.now();
    await expect(h.refresher.current(200)).rejects.toThrow(/and refreshing them fails: endpoint down$/); // the last failure, said at the wait's end
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    h.open();
    expect((await h.refresher.refresh()).accessKeyId).toBe('KEY3');
    expect(h.fetches()).toBe(4);
  });

  it('treats credentials that are already expired as a failure, and backs off (item 3)', async () => {
    const h = harness();
    h.lifetime(-1000);
    await expect(h.refresher.refresh()).rejects.toThrow(/^the credentials obtained expired at 2029-12-31T23:59:59.000Z, before they could be used: this machine's clock reads 2030-01-01T00:00:00Z$/);
    expect(h.failures).toEqual([10_000]);
    expect(h.refresher.msUntilNextRefresh()).toBe(10_000);
    await expect(h.refresher.get()).rejects.toThrow(NoValidCredentialsError);
  });

  it('refreshes credentials that are about to expire no sooner than a second later (item 3)', async () => {
    const h = harness({ lifetimeMs: 10 });
    await h.refresher.get();
    expect(h.refresher.msUntilNextRefresh()).toBe(1000);
  });

  it("keeps the last failure as the cause of its NoValidCredentialsError, which the library throws in its place, and dates lastUpdated from each refresh (serve's LastUpdated) (mutation testing: both survived)", async () => {
    const h = harness();
    h.failNext(1);
    const error = await h.refresher.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoValidCredentialsError);
    expect((error as Error).cause).toEqual(new Error('endpoint down'));
    h.advance(1_000);
    await h.refresher.get();
    expect(h.refresher.lastUpdated).toEqual(new Date(h.now()));
    h.advance(51 * MINUTE);
    await h.refresher.get();
    expect(h.refresher.lastUpdated).toEqual(new Date(h.now()));
  });
});
