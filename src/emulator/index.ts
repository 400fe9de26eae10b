/**
 * The local Roles Anywhere kit: the CreateSession emulator and the throw-away PKI that the demo, the
 * benchmarks and the tests use (bundled as dist/emulator.js).
 */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator.js';
export { CertificateAuthority } from '../pki/certificateAuthority.js';
export { generateKey, pkcs8Pem } from '../pki/generateKey.js';
