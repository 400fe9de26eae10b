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

/** Issued credentials by access key ID. */
export type CredentialStore = Map<string, CredentialHolder>;
