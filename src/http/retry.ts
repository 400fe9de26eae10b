import { variableSource, type Env } from '../context.js';
import { HelperError } from '../errors.js';

/** How attempts are repeated: the AWS SDKs' "standard" mode, bounded by a deadline. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  /** Full-jitter exponential backoff: attempt n waits a random time in [0, min(maxDelay, base·2^n)). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No attempt starts after this long, however many remain. */
  readonly deadlineMs: number;
}

/** How long a call may go unanswered (an attempt, another run's CreateSession) before the helper says, once, what it is waiting for. */
export const WAITING_NOTICE_MS = 4_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  deadlineMs: 30_000,
};

/** The AWS SDKs' standard retry: HTTP 500/502/503/504, 429, timeouts and throttling error codes. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'RequestTimeout',
  'RequestTimeoutException',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

export function isRetryableServiceError(status: number, code: string): boolean {
  return RETRYABLE_STATUSES.has(status) || RETRYABLE_CODES.has(code);
}

export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** AWS_MAX_ATTEMPTS, as the AWS SDKs read it (1 turns retries off; 0 is taken for none given, the default of 3, as the reference's Go SDK takes it). */
export function retryPolicyFromEnv(env: Env): RetryPolicy {
  const text = env.AWS_MAX_ATTEMPTS;
  if (!text) return DEFAULT_RETRY_POLICY;
  // Digits, a sign at most, as the reference's Go SDK parses it (strconv.ParseInt): Number() would take 0x3, 1e1 and ' 2'.
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (value === 0) return DEFAULT_RETRY_POLICY;
  if (!Number.isInteger(value) || value < 1) {
    throw new HelperError(`invalid ${variableSource(env, 'AWS_MAX_ATTEMPTS')} ${JSON.stringify(text)}: it must be a whole number, 1 or more (0 for the default, 3)`);
  }
  return { ...DEFAULT_RETRY_POLICY, maxAttempts: value };
}

/** Retrying stopped while the failure was one worth retrying: out of attempts, or out of time. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
    readonly reason: 'attempts' | 'deadline',
    readonly elapsedMs: number,
  ) {
    super(lastError instanceof Error ? lastError.message : String(lastError));
  }
}

export interface RetryHooks {
  /** Whether trying again may help; other failures are thrown as they are, at once. */
  readonly isRetryable: (error: unknown) => boolean;
  /** Told before each wait. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** The time counted against the deadline so far (default: all since the first attempt). */
  readonly elapsedMs?: () => number;
}

/**
 * Runs `attempt` (given its number, from 1) until it succeeds, fails in a way not worth retrying (thrown as
 * it is), or the policy runs out (a RetriesExhaustedError holding the last failure). Retrying is kept apart
 * from what is retried, as smithy-typescript's credential-provider-imds does.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  const elapsedMs = hooks.elapsedMs ?? (() => Date.now() - started);
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!hooks.isRetryable(error)) throw error;
      const delay = backoffDelayMs(policy, n, hooks.random);
      const elapsed = elapsedMs();
      if (n >= policy.maxAttempts) throw new RetriesExhaustedError(error, n, 'attempts', elapsed);
      if (elapsed + delay >= policy.deadlineMs) throw new RetriesExhaustedError(error, n, 'deadline', elapsed);
      hooks.onRetry?.(error, n, delay);
      await sleep(delay);
    }
  }
}
