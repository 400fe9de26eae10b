import { randomBytes } from 'node:crypto';

export const MAX_TOKEN_TTL_SECONDS = 21600;
const CAPACITY = 256;

/**
 * IMDSv2 session tokens: random, valid for their TTL, at most 256 held (the earliest-expiring one is dropped
 * to make room). Tokens are secrets: nothing here logs them.
 */
export class TokenStore {
  readonly #expiries = new Map<string, number>();

  /**
   * `now` in milliseconds: by default a clock that never steps, as a TTL is a length of time (QA time: a
   * 60 s token outlived a wall clock set back a day by that day, and said so in its TTL header).
   */
  constructor(private readonly now: () => number = () => performance.now()) {}

  issue(ttlSeconds: number): string {
    if (this.#expiries.size >= CAPACITY) this.removeExpired();
    if (this.#expiries.size >= CAPACITY) {
      let earliest: string | undefined;
      for (const [token, expiry] of this.#expiries) {
        if (earliest === undefined || expiry < this.#expiries.get(earliest)!) earliest = token;
      }
      this.#expiries.delete(earliest!);
    }
    const token = randomBytes(75).toString('base64');
    this.#expiries.set(token, this.now() + ttlSeconds * 1000);
    return token;
  }

  /** Seconds of validity left, or undefined for an unknown or expired token. */
  remainingSeconds(token: string): number | undefined {
    const expiry = this.#expiries.get(token);
    if (expiry === undefined) return undefined;
    const remaining = expiry - this.now();
    if (remaining <= 0) {
      this.#expiries.delete(token);
      return undefined;
    }
    return Math.floor(remaining / 1000);
  }

  /** Drops the tokens past their expiry; returns how many. */
  removeExpired(): number {
    const now = this.now();
    let removed = 0;
    for (const [token, expiry] of this.#expiries) {
      if (expiry > now) continue;
      this.#expiries.delete(token);
      removed++;
    }
    return removed;
  }
}
