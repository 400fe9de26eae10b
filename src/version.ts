declare const __HELPER_VERSION__: string;
declare const __HELPER_BUILD__: string;

/** The package version, written in at build time (scripts/build.mjs, vitest.config.ts). */
export const VERSION: string = __HELPER_VERSION__;

/** This build among builds of one version (a hash of its sources, scripts/build.mjs; `test` under vitest). */
export const BUILD: string = __HELPER_BUILD__;
