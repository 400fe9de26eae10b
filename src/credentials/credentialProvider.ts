import type { TemporaryCredentials } from '../temporaryCredentials.js';

/**
 * Where credentials come from: the AWS SDK for JavaScript v3's provider shape (a function returning a
 * promise), which the sinks take and the wrappers in this folder add behaviour to.
 */
export type CredentialProvider = () => Promise<TemporaryCredentials>;
