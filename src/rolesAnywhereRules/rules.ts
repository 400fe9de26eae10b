/**
 * The service's rules that check and the emulator both apply: signature algorithms, the chain's path
 * search, critical extensions, certificate signatures, CRL files, session tags and source identity. Their
 * bundles (check's, the emulator's) require one copy, dist/rolesAnywhereRules.cjs (scripts/build.mjs),
 * rather than each hold its own. chainDepth.ts and sessionTagRules.ts, which the session uses too, stay out.
 * The signature algorithms' table, which src/x509's CRL checks and the emulator's PKI use too, is held here.
 */
export * from './certificateSignature.js';
export * from './chainBuilder.js';
export * from './criticalExtensions.js';
export * from './crlFile.js';
export * from './sessionTags.js';
export * from './signatureAlgorithms.js';
export * from './sourceIdentity.js';
export * from '../x509/signatureAlgorithms.js';
