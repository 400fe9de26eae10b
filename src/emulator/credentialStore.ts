import type { AssumedRoleIdentity } from './assumedRole.js';

/** What the emulator remembers of credentials it issued: what STS checks a request's signature against. */
export interface CredentialHolder {
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly identity: AssumedRoleIdentity;
  /** Set by CreateSession (the certificate's CN); carried over by every AssumeRole that follows. */
  readonly sourceIdentity: string | undefined;
  /** The session's transitive tag keys (AssumeRole's TransitiveTagKeys), carried over by every AssumeRole that follows. */
  readonly transitiveTagKeys: readonly string[];
}

/** Issued credentials by access key ID, and when they were last swept of the forgotten. */
export type CredentialStore = Map<string, CredentialHolder> & { sweptAt?: number };

/**
 * Credentials an hour past their expiration are forgotten: STS answers them as a key it never issued
 * (InvalidClientTokenId), as STS itself answers some expired ones, and an emulator under load for days keeps
 * only its last hours' credentials (QA: 0.8 KB a session for its life).
 */
export const forgotten = (holder: CredentialHolder, now: Date) => now.getTime() - holder.expiration.getTime() >= 3_600_000;

/** Keeps new credentials, dropping the forgotten ones first at most once an hour of the emulator's clock (no timer). */
export function remember(store: CredentialStore, accessKeyId: string, holder: CredentialHolder, now: Date): void {
  if (!(Math.abs(now.getTime() - (store.sweptAt ?? 0)) < 3_600_000)) {
    for (const [key, kept] of store) if (forgotten(kept, now)) store.delete(key);
    store.sweptAt = now.getTime();
  }
  store.set(accessKeyId, holder);
}
