/**
 * The PKCS#11 code that both the key source (pkcs11KeySource.ts) and the certificate listing
 * (listCertificates.ts) use: the module, its slots and tokens, logging in, sessions, finding objects and
 * certificates. Each of those two is a bundle loaded on demand; they require one copy of these,
 * dist/keys.pkcs11.tokenAccess.cjs (scripts/build.mjs), rather than each hold its own.
 */
export * from './chainFromToken.js';
export * from './findCertificate.js';
export * from './findObjects.js';
export * from './login.js';
export * from './module.js';
export * from './moduleLocation.js';
export * from './pin.js';
export * from './pkcs11Errors.js';
export * from './pkcs11Session.js';
export * from './slots.js';
export * from './softHsmProblem.js';
