/**
 * The emulator's options and their checks: the emulator (its entry point, dist/emulator.cjs) and the
 * emulator command, which checks them before it loads the emulator, require one copy of them,
 * dist/emulator.checks.cjs (scripts/build.mjs), rather than each hold its own.
 */
export * from './checkEmulatorOptions.js';
export * from './emulatorOptions.js';
export * from './optionChecks.js';
export * from './partitionOfRegion.js';
export * from './stringRules.js';
