/**
 * The modules every bundle shares one copy of (scripts/build.mjs): error classes, so that `instanceof`
 * works whichever bundle threw; the logger's no-op, which says a level is off; and stdout/stderr, whose
 * state (a descriptor gone non-blocking) is the process's. The CLI's main bundle holds them and hands them
 * to the bundles it loads; the library and the bundles it loads require dist/runtime.cjs.
 */
export * from './errors.js';
export * from './keys/keyParseError.js';
export * from './log/logger.js';
export * from './stdio.js';
