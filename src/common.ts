/**
 * Modules that many of the lazily loaded bundles use (reading certificates, the keys the service takes, keys
 * and secrets, DER and PEM, messages' paths, and two the command bundles share: the CLI's `env:NAME` and
 * `-` inputs, and the terminal's password prompt): those bundles, the library and the emulator require one copy
 * of them, dist/common.cjs (scripts/build.mjs), rather than each hold its own. Unlike src/runtime.ts,
 * nothing here needs to be one copy in the process: the CLI's main bundle and the cache-hit bundles hold
 * their own, for their start-up.
 */
export * from './asn1/der.js';
export * from './asn1/pem.js';
export * from './keys/oids.js';
export * from './keys/certificate.js';
export * from './keys/acceptedKeys.js';
export * from './keys/certificateChecks.js';
export * from './keys/distinguishedName.js';
export * from './keys/file/certificateFile.js';
export * from './files/readInputFile.js';
export * from './keys/input.js';
export * from './keys/pkcs11/uri.js';
export * from './keys/secretFile.js';
export * from './files/describeFsError.js';
export * from './log/redactUrl.js';
export * from './cli/flagSources.js';
export * from './terminal/prompt.js';
