import { HelperError, reasonOf } from '../errors.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import type { CredentialProvider } from './credentialProvider.js';

export interface RefreshPolicy {
  /** Refresh once fewer than this many milliseconds of validity remain (serve: 10 min, update: 5 min). */
  readonly refreshAheadMs: number;
  /** After a failure, wait a random time in [minRetryMs, min(maxRetryMs, minRetryMs·2^(failures-1))]. */
  readonly minRetryMs: number;
  readonly maxRetryMs: number;
}

export interface RefresherOptions extends RefreshPolicy {
  /** The clock, in epoch milliseconds; tests drive expiry with their own. */
  readonly now?: () => number;
  readonly random?: () => number;
  /** Told of each failed refresh once, with the delay before the next attempt. */
  readonly onFailure?: (error: unknown, retryInMs: number) => void;
  /** Told of each successful refresh, with the time until the next one is due. */
  readonly onRefresh?: (credentials: TemporaryCredentials, nextInMs: number) => void;
}

/** There are no valid credentials to give: none yet, or the last ones expired and refreshing fails. */
export class NoValidCredentialsError extends HelperError {}

/**
 * Keeps credentials fresh for the long-running sinks (serve, update) and the library's provider:
 * refreshes ahead of expiry, one refresh in flight however many callers ask, keeps the last good
 * credentials while a refresh fails and they are still valid, and backs off with jitter between failed
 * attempts so that it never loops on an endpoint that is down.
 */
export class CredentialRefresher {
  #current: TemporaryCredentials | undefined;
  #lastUpdated: Date | undefined;
  /** When the current credentials are due for a refresh. */
  #refreshAt = 0;
  #inFlight: Promise<TemporaryCredentials> | undefined;
  #failures = 0;
  #nextAttemptAt = 0;
  #lastError: unknown;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(
    private readonly fetch: CredentialProvider,
    private readonly options: RefresherOptions,
  ) {
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** When the credentials now held were obtained. */
  get lastUpdated(): Date | undefined {
    return this.#lastUpdated;
  }

  /** The credentials held, if they are not yet due for a refresh (no waiting, for hot paths). */
  peek(): TemporaryCredentials | undefined {
    return this.#current && this.#now() < this.#refreshAt ? this.#current : undefined;
  }

  /**
   * Credentials that are valid now. Inside the refresh window it refreshes first (unless backing off
   * after a failure); if that fails, the last good credentials are returned while they are valid.
   */
  async get(): Promise<TemporaryCredentials> {
    const fresh = this.peek();
    if (fresh) return fresh;
    const now = this.#now();
    if (now < this.#nextAttemptAt && !this.#inFlight) return this.#validOrThrow(now);
    try {
      return await this.refresh();
    } catch {
      return this.#validOrThrow(this.#now());
    }
  }

  /** Fetches new credentials now, joining a refresh already in flight. */
  refresh(): Promise<TemporaryCredentials> {
    this.#inFlight ??= this.fetch().then(
      (credentials) => {
        const now = this.#now();
        const expiry = credentials.expiration.getTime();
        this.#current = credentials;
        this.#lastUpdated = new Date(now);
        // Credentials shorter-lived than the refresh window are refreshed at half their life, not in a loop.
        this.#refreshAt = Math.max(expiry - this.options.refreshAheadMs, now + (expiry - now) / 2);
        this.#failures = 0;
        this.#nextAttemptAt = 0;
        this.#inFlight = undefined;
        this.options.onRefresh?.(credentials, this.#refreshAt - now);
        return credentials;
      },
      (error: unknown) => {
        this.#failures++;
        const cap = Math.min(this.options.maxRetryMs, this.options.minRetryMs * 2 ** (this.#failures - 1));
        const delay = Math.round(this.options.minRetryMs + this.#random() * (cap - this.options.minRetryMs));
        this.#nextAttemptAt = this.#now() + delay;
        this.#lastError = error;
        this.#inFlight = undefined;
        this.options.onFailure?.(error, delay);
        throw error;
      },
    );
    return this.#inFlight;
  }

  /** How long until the next refresh is due: ahead of expiry, or after the backoff that follows a failure. */
  msUntilNextRefresh(): number {
    const now = this.#now();
    if (this.#failures > 0) return Math.max(0, this.#nextAttemptAt - now);
    if (!this.#current) return 0;
    return Math.max(0, this.#refreshAt - now);
  }

  #validOrThrow(now: number): TemporaryCredentials {
    const current = this.#current;
    if (current && now < current.expiration.getTime()) return current;
    const reason = this.#lastError === undefined ? 'no credentials obtained yet' : reasonOf(this.#lastError);
    throw new NoValidCredentialsError(
      current ? `the credentials expired at ${current.expirationText} and refreshing them fails: ${reason}` : reason,
    );
  }
}
