declare const __HELPER_VERSION__: string;

/** The package version, written in at build time (scripts/build.mjs, vitest.config.ts). */
export const VERSION: string = __HELPER_VERSION__;
