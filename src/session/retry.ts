import { HelperError } from '../errors.js';

/** How CreateSession attempts are repeated: the AWS SDKs' "standard" mode, bounded by a deadline. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  /** Full-jitter exponential backoff: attempt n waits a random time in [0, min(maxDelay, base·2^n)). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No attempt starts after this long, however many remain. */
  readonly deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  deadlineMs: 30_000,
};

/** The AWS SDKs' standard retry: HTTP 500/502/503/504, timeouts and throttling error codes. */
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
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
  return RETRYABLE_STATUSES.has(status) || status === 429 || RETRYABLE_CODES.has(code);
}

export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** AWS_MAX_ATTEMPTS, as the AWS SDKs read it (1 turns retries off). */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv, base: RetryPolicy = DEFAULT_RETRY_POLICY): RetryPolicy {
  const text = env.AWS_MAX_ATTEMPTS;
  if (!text) return base;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new HelperError(`invalid AWS_MAX_ATTEMPTS "${text}": it must be a whole number, 1 or more`);
  }
  return { ...base, maxAttempts: value };
}
