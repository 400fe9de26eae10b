/**
 * Credentials kept fresh: the refresher, its policies (the library's, serve's, update's) and its background
 * timer. The library's entry point and the serve and update commands use it; their bundles require one
 * copy, dist/credentials.refreshing.cjs (scripts/build.mjs), rather than each hold its own.
 */
export * from './credentialRefresher.js';
export * from './refreshInBackground.js';
export * from './refreshPolicies.js';
export * from './unexpired.js';
