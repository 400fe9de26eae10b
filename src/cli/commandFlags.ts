/**
 * The flags that credential-process, serve, update, check and sign-string share: their options
 * (commandOptions.ts), --fallback, --assume-role-tag and the secret flags. The CLI's main bundle holds its
 * own copy; the bundles of the other commands require one, dist/cli.commandFlags.cjs (scripts/build.mjs),
 * rather than each hold its own.
 */
export * from './commandOptions.js';
export * from './fallbackFlag.js';
export * from './secretFlags.js';
export * from './tagFlag.js';
