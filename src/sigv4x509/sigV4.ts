/**
 * SigV4 as @smithy/signature-v4 computes it: the X.509 signing's canonical request (canonicalRequest.ts),
 * and what STS's AssumeRole (role chaining) and the emulator's checks of both use of the package. The
 * session's, the route provider's and the emulator's bundles require one copy of it, dist/sigV4.cjs
 * (scripts/build.mjs), rather than each hold its own.
 */
export * from './canonicalRequest.js';
export { getCanonicalQuery, SignatureV4 } from '@smithy/signature-v4';
export { Hash } from '@smithy/core/serde';
