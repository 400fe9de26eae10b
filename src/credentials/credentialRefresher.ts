import { HelperError, reasonOf } from '../errors.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import type { CredentialProvider, FetchOptions } from './credentialProvider.js';
import { unexpired } from './unexpired.js';

export interface RefreshPolicy {
  /**
   * Refresh once fewer than this many milliseconds of validity remain (serve: 20 min, the library: 10,
   * update: 5), but no sooner than a quarter of the credentials' life (see refreshTime).
   */
  readonly refreshAheadMs: number;
  /**
   * After a failure, wait a random time in [minRetryMs, min(maxRetryMs, minRetryMs·2^(failures-1))], but
   * not past the expiry of the credentials held.
   */
  readonly minRetryMs: number;
  readonly maxRetryMs: number;
  /**
   * get() waits for a due refresh only once the held credentials have this or less left; before, it
   * answers from them and refreshes in the background. Default: it always waits.
   */
  readonly waitWithinMs?: number;
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
 * The least time between two attempts that callers trigger when no valid credentials are held, and before
 * refreshing credentials that are about to expire: so that nothing ever calls CreateSession in a loop.
 */
const MIN_ATTEMPT_INTERVAL_MS = 1000;
/**
 * After a failure, the next attempt comes no later than this long before the held credentials expire (an
 * attempt with its retries may take 30 s), and, if that fails too, once more as they expire.
 */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * When credentials valid from `now` to `expiry` are due for a refresh: `refreshAheadMs` before they expire
 * (serve's 20 minutes, beyond botocore's 15 in which it fetches again on every call), but no sooner than a
 * quarter of their life, so that credentials barely longer than the window do not make a refresh a second;
 * those shorter than the window at half their life, not in a loop.
 */
function refreshTime(now: number, expiry: number, refreshAheadMs: number): number {
  const life = expiry - now;
  return life > refreshAheadMs ? Math.max(expiry - refreshAheadMs, now + life / 4) : now + life / 2;
}

/**
 * Keeps credentials fresh for the long-running sinks (serve, update) and the library's provider:
 * refreshes ahead of expiry, one refresh in flight however many callers ask, keeps the last good
 * credentials while a refresh fails and they are still valid, and backs off with jitter between failed
 * attempts so that it never loops on an endpoint that is down, but never past the held credentials'
 * expiry. Once none are valid, a caller's request is itself an attempt (at most one a second), so that a
 * service that is back is used at once rather than after the backoff.
 */
export class CredentialRefresher {
  #current: TemporaryCredentials | undefined;
  #lastUpdated: Date | undefined;
  /** When the current credentials are due for a refresh. */
  #refreshAt = 0;
  #inFlight: Promise<TemporaryCredentials> | undefined;
  #forcing: Promise<TemporaryCredentials> | undefined;
  #lastForced: { readonly endedAt: number; readonly outcome: Promise<TemporaryCredentials> } | undefined;
  #failures = 0;
  /** Where the backoff after a failure ends. */
  #nextAttemptAt = 0;
  #lastError: unknown;
  /** When the last attempt ended, to throttle the attempts callers trigger. */
  #lastAttemptAt = -Infinity;
  readonly #settledListeners = new Set<() => void>();
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(
    private readonly fetch: CredentialProvider,
    private readonly options: RefresherOptions,
  ) {
    this.#now = options.now ?? (() => Date.now());
    this.#random = options.random ?? Math.random;
  }

  /** When the credentials now held were obtained. */
  get lastUpdated(): Date | undefined {
    return this.#lastUpdated;
  }

  /** The credentials held, if they are not yet due for a refresh (no waiting, for hot paths). */
  peek(): TemporaryCredentials | undefined {
    // Nor past their expiry: credentials of less than a second are refreshed a second later at the soonest.
    return this.#current && this.#now() < this.#refreshAt && this.#holdsValid(this.#now()) ? this.#current : undefined;
  }

  /**
   * Credentials that are valid now. Inside the refresh window it refreshes first (unless backing off
   * after a failure), or, while the held credentials have more than waitWithinMs left, in the background;
   * if that fails, the last good credentials are returned while they are valid. When none are valid it
   * tries again, even while backing off, if the last attempt ended a second ago or more.
   */
  async get(): Promise<TemporaryCredentials> {
    const fresh = this.peek();
    if (fresh) return fresh;
    const { waitWithinMs } = this.options;
    if (waitWithinMs !== undefined && this.#current && this.#current.expiration.getTime() - this.#now() > waitWithinMs) return this.current();
    const now = this.#now();
    // Within a second of a failed attempt, its failure, said to be that attempt's: the cause may be gone.
    if (!this.#inFlight && !this.#mayAttempt(now)) return this.#validOrThrow(now, now - this.#lastAttemptAt);
    try {
      return await this.refresh();
    } catch {
      return this.#validOrThrow(this.#now());
    }
  }

  /**
   * Like get(), but does not wait for a refresh while valid credentials are held: one that is due (or, with
   * nothing valid held, one that get() would make) is started in the background, and the held credentials
   * are returned at once. When none are valid, the attempt under way is waited for up to `noneValidWaitMs`
   * (a service that is back answers within it), then NoValidCredentialsError with the last failure's reason
   * (or that they are being fetched). For callers that must answer quickly (serve: SDKs give up after a
   * second or two, and a refresh can take 30 s).
   */
  async current(noneValidWaitMs = 0): Promise<TemporaryCredentials> {
    const now = this.#now();
    if (now >= this.#refreshAt && !this.#inFlight && this.#mayAttempt(now)) {
      this.refresh().catch(() => undefined); // reported through onFailure
    }
    const attempt = this.#inFlight;
    if (attempt && noneValidWaitMs > 0 && !this.#holdsValid(now)) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise((resolve) => (timer = setTimeout(resolve, noneValidWaitMs)));
      await Promise.race([attempt.catch(() => undefined), waited]);
      clearTimeout(timer);
      return this.#validOrThrow(this.#now());
    }
    return this.#validOrThrow(now);
  }

  /** Fetches new credentials now, joining a refresh already in flight. */
  refresh(): Promise<TemporaryCredentials> {
    this.#inFlight ??= this.#attempt();
    return this.#inFlight;
  }

  /**
   * Fetches new credentials past any cache the fetch keeps (the SDK's `forceRefresh`: an application
   * whose credentials were refused, a revoked session say), once a refresh in flight has ended; callers
   * forcing meanwhile join this one, and so do refreshes asked for while it is under way.
   */
  forceRefresh(): Promise<TemporaryCredentials> {
    // At most one a second, as the attempts callers trigger: a program forcing in a loop gets the last one's outcome.
    const now = this.#now();
    this.#followClockSetBack(now);
    if (!this.#forcing && this.#lastForced && now - this.#lastForced.endedAt < MIN_ATTEMPT_INTERVAL_MS) return this.#lastForced.outcome;
    this.#forcing ??= (async () => {
      while (this.#inFlight) await this.#inFlight.catch(() => undefined);
      this.#inFlight = this.#attempt({ forceRefresh: true });
      return this.#inFlight;
    })().finally(() => {
      this.#lastForced = { endedAt: this.#now(), outcome: forcing };
      this.#forcing = undefined;
    });
    const forcing = this.#forcing;
    return forcing;
  }

  #attempt(options?: FetchOptions): Promise<TemporaryCredentials> {
    return this.fetch(options)
      .then((credentials) => unexpired(credentials, this.#now()))
      .then(
        (credentials) => {
          const now = this.#now();
          const expiry = credentials.expiration.getTime();
          this.#current = credentials;
          this.#lastUpdated = new Date(now);
          this.#refreshAt = Math.max(refreshTime(now, expiry, this.options.refreshAheadMs), now + MIN_ATTEMPT_INTERVAL_MS);
          this.#failures = 0;
          this.#nextAttemptAt = 0;
          this.#settle(now);
          this.options.onRefresh?.(credentials, this.#refreshAt - now);
          this.#notifySettled();
          return credentials;
        },
        (error: unknown) => {
          const now = this.#now();
          this.#failures++;
          const delay = this.#retryDelay(now);
          this.#nextAttemptAt = now + delay;
          this.#lastError = error;
          this.#settle(now);
          this.options.onFailure?.(error, delay);
          this.#notifySettled();
          throw error;
        },
      );
  }

  /**
   * Calls `listener` each time an attempt ends, whoever started it, so that a scheduler can follow the
   * next refresh time; returns a function that stops the calls.
   */
  onSettled(listener: () => void): () => void {
    this.#settledListeners.add(listener);
    return () => this.#settledListeners.delete(listener);
  }

  /** How long until the next refresh is due: ahead of expiry, or after the backoff that follows a failure. */
  msUntilNextRefresh(): number {
    const now = this.#now();
    this.#followClockSetBack(now);
    if (this.#failures > 0) return Math.max(0, this.#nextAttemptAt - now);
    if (!this.#current) return 0;
    return Math.max(0, this.#refreshAt - now);
  }

  /**
   * The wall clock set back since the last attempt ended (a wrong time put right, after a refusal of the
   * requests dated by it): the times recorded by the wrong clock move back with it, and the next attempt
   * comes a second later at most, rather than being held off for as long as the step (QA: serve answered
   * 500 for the ten minutes of a step). A clock that is never set would not do: it stops while the
   * machine sleeps, when expiry comes all the same, and tests that fake Date leave it be.
   */
  #followClockSetBack(now: number): void {
    const step = this.#lastAttemptAt - now;
    if (!(step > 0)) return;
    this.#lastAttemptAt = now;
    // The failures were likely the wrong clock's (a refused date): the next attempt is a second away.
    this.#nextAttemptAt = Math.min(this.#nextAttemptAt - step, now + MIN_ATTEMPT_INTERVAL_MS);
    if (this.#lastForced && this.#lastForced.endedAt > now) this.#lastForced = { ...this.#lastForced, endedAt: now };
  }

  #settle(now: number): void {
    this.#inFlight = undefined;
    this.#lastAttemptAt = now;
  }

  #notifySettled(): void {
    for (const listener of this.#settledListeners) listener();
  }

  #holdsValid(now: number): boolean {
    return this.#current !== undefined && now < this.#current.expiration.getTime();
  }

  /** Not backing off; or nothing valid is held and the last attempt ended a second ago or more. */
  #mayAttempt(now: number): boolean {
    this.#followClockSetBack(now);
    if (now >= this.#nextAttemptAt) return true;
    return !this.#holdsValid(now) && now - this.#lastAttemptAt >= MIN_ATTEMPT_INTERVAL_MS;
  }

  /**
   * A random time in [minRetryMs, min(maxRetryMs, minRetryMs·2^(failures-1))], but while valid credentials
   * are held no later than EXPIRY_MARGIN_MS before they expire (or, once too close for that, as they expire).
   */
  #retryDelay(now: number): number {
    const { minRetryMs, maxRetryMs } = this.options;
    const cap = Math.min(maxRetryMs, minRetryMs * 2 ** (this.#failures - 1));
    const backoff = Math.round(minRetryMs + this.#random() * (cap - minRetryMs));
    if (!this.#holdsValid(now)) return backoff;
    const expiresIn = this.#current!.expiration.getTime() - now;
    const deadline = expiresIn - EXPIRY_MARGIN_MS >= MIN_ATTEMPT_INTERVAL_MS ? expiresIn - EXPIRY_MARGIN_MS : expiresIn;
    return Math.max(MIN_ATTEMPT_INTERVAL_MS, Math.min(backoff, deadline));
  }

  /** `sinceAttemptMs`: no attempt was made for this caller, the last one having ended that long ago. */
  #validOrThrow(now: number, sinceAttemptMs?: number): TemporaryCredentials {
    const current = this.#current;
    if (current && this.#holdsValid(now)) return current;
    // No failure since the last success: the attempt current() started has not ended (get() has seen one fail).
    if (this.#failures === 0) {
      throw new NoValidCredentialsError(current ? `the credentials expired at ${current.expirationText}; new ones are being fetched` : 'the credentials are being fetched');
    }
    const reason =
      reasonOf(this.#lastError) +
      (sinceAttemptMs === undefined ? '' : ` (the last attempt's failure, ${sinceAttemptMs} ms ago: attempts are at least a second apart)`);
    throw new NoValidCredentialsError(
      current ? `the credentials expired at ${current.expirationText} and refreshing them fails: ${reason}` : reason,
      { cause: this.#lastError },
    );
  }
}
