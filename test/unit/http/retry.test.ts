import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  isRetryableServiceError,
  RetriesExhaustedError,
  retryPolicyFromEnv,
  withRetries,
} from '../../../src/http/retry.js';

describe('the standard retry policy', () => {
  it("retries the SDKs' 5xx, 429 and throttling codes, not 4xx (QA: 502, 504 and SlowDown went untested)", () => {
    for (const status of [500, 502, 503, 504, 429]) expect(isRetryableServiceError(status, 'UnknownError'), String(status)).toBe(true);
    for (const code of ['ThrottlingException', 'Throttling', 'SlowDown', 'RequestTimeout', 'TooManyRequestsException', 'RequestLimitExceeded']) {
      expect(isRetryableServiceError(400, code), code).toBe(true);
    }
    for (const status of [400, 403, 404, 501]) expect(isRetryableServiceError(status, 'AccessDeniedException'), String(status)).toBe(false);
  });

  it('backs off with full jitter, bounded by the cap', () => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0.999)).toBe(999);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 2, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 20, () => 0.999)).toBe(19980);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0)).toBe(0);
  });

  it('reads AWS_MAX_ATTEMPTS', () => {
    expect(retryPolicyFromEnv({}).maxAttempts).toBe(3);
    expect(retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: '5' }).maxAttempts).toBe(5);
    expect(() => retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: 'many' })).toThrow('invalid AWS_MAX_ATTEMPTS "many": it must be a whole number, 1 or more (0 for the default, 3)');
    // Digits only, as Go's strconv.Atoi takes it (QA: Number() took these).
    for (const text of ['0x3', ' 2', '1e1', '3.0', '-3']) {
      expect(() => retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: text })).toThrow(`invalid AWS_MAX_ATTEMPTS "${text}": it must be a whole number, 1 or more (0 for the default, 3)`);
    }
    expect(retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: '007' }).maxAttempts).toBe(7);
    expect(retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: '+3' }).maxAttempts).toBe(3);
  });

  it('takes AWS_MAX_ATTEMPTS=0 for none, as the Go SDK does, and as max_attempts = 0 in the config file reads (envdiff QA: refused)', () => {
    for (const text of ['0', '000', '+0', '-0']) expect(retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: text })).toEqual(DEFAULT_RETRY_POLICY);
  });
});

describe('withRetries', () => {
  const policy = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, deadlineMs: 10_000 };
  const retryable = (error: unknown) => (error as Error).message === 'try again';
  const noSleep = async () => {};

  it('returns the first success, retrying only what is worth retrying', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await withRetries(
      async (n) => {
        calls++;
        if (n < 3) throw new Error('try again');
        return `done on ${n}`;
      },
      policy,
      { isRetryable: retryable, sleep: noSleep, onRetry: (_e, _n, delay) => waits.push(delay), random: () => 0.5 },
    );
    expect(result).toBe('done on 3');
    expect(calls).toBe(3);
    expect(waits).toEqual([10, 20]);
  });

  it('throws a failure not worth retrying at once, as it is', async () => {
    let calls = 0;
    const refusal = new Error('refused');
    await expect(withRetries(async () => { calls++; throw refusal; }, policy, { isRetryable: retryable, sleep: noSleep })).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt, holding the last failure', async () => {
    const error = await withRetries(async () => { throw new Error('try again'); }, policy, { isRetryable: retryable, sleep: noSleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({ attempts: 3, reason: 'attempts', message: 'try again' });
  });

  it('starts no attempt past the deadline', async () => {
    const tight = { ...policy, maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 500 };
    const error = await withRetries(async () => { throw new Error('try again'); }, tight, { isRetryable: retryable, sleep: noSleep, random: () => 0.9 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, reason: 'deadline' });
  });

  it('says the attempts ran out, not the time, where the last one failed with no time left for another either (QA mutation testing)', async () => {
    let checks = 0;
    const spent = { ...policy, maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 1500 };
    const error = await withRetries(async () => { throw new Error('try again'); }, spent, { isRetryable: retryable, sleep: noSleep, random: () => 0.9, elapsedMs: () => (checks++ === 0 ? 0 : 1000) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 2, reason: 'attempts' });
  });
});
