import type { TemporaryCredentials } from '../temporaryCredentials.js';

/**
 * Where credentials come from: the AWS SDK for JavaScript v3's provider shape (a function returning a
 * promise), which update's sink takes (src/outputs/credentialsFile/keepUpdated.ts), as the SDK does, and
 * the wrappers in this folder add behaviour to.
 */
export type CredentialProvider = (options?: FetchOptions) => Promise<TemporaryCredentials>;

/** What a caller may ask of a fetch: the SDK's `forceRefresh`, new credentials past any cache a provider keeps. */
export interface FetchOptions {
  readonly forceRefresh?: boolean;
}

/**
 * A provider that gives up by a deadline (epoch ms) when it is given one: what a wrapper that bounds the
 * time of several providers (firstThatAnswers) hands each. A CredentialProvider is one that takes none.
 * The fetch options go on through the wrappers, to the one that keeps credentials of its own (chained).
 */
export type BoundedProvider = (deadline?: number, options?: FetchOptions) => Promise<TemporaryCredentials>;
