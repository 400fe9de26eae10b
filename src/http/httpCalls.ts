/**
 * The AWS call over HTTP (operationCall.ts) and what the session and serve use of the HTTP layer beside it:
 * the proxy settings, loopback addresses, transport errors. One bundle, dist/http.cjs (scripts/build.mjs),
 * holds them for the bundles that use them. urlProblem.ts and retry.ts stay out: the credential cache uses
 * them, which in the CLI would load the whole of it in the CLI's own copy's place.
 */
export * from './loopback.js';
export * from './operationCall.js';
export * from './proxy.js';
export * from './transportError.js';
