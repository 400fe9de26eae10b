/**
 * What the code uses of @smithy/signature-v4 (and @smithy/core's Hash): the X.509 signing's canonical
 * request builds on it, STS's AssumeRole (role chaining) signs with it, and the emulator's checks recompute
 * signatures with it. The bundles using it (the session's, the route provider's, the emulator's) require one
 * copy, dist/sigV4.cjs (scripts/build.mjs), rather than each hold its own. Here rather than in sigv4x509/:
 * the emulator may share the library, not the client's signing code (test/unit/emulator/independence.test.ts).
 */
export { getCanonicalHeaders, getCanonicalQuery, SignatureV4 } from '@smithy/signature-v4';
export { Hash } from '@smithy/core/serde';
