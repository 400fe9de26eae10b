/**
 * The service's rules that check and the emulator both apply: signature algorithms, the chain's path
 * search, critical extensions, certificate signatures, CRL files, session tags and source identity. Their
 * bundles (check's, the emulator's) require one copy, dist/rolesAnywhereRules.cjs (scripts/build.mjs),
 * rather than each hold its own. chainDepth.ts and sessionTagRules.ts, which the session uses too, stay out.
 * The signature algorithms' table, which src/x509's CRL checks and the emulator's PKI use too, is held here,
 * and so is the X.509 reading both do (src/x509: certificates, CRLs, names, extensions, signatures), which
 * each bundle held a copy of (5 kB of the packed package); src/x509's writers, the emulator's PKI only, stay out.
 */
export * from './certificateSignature.js';
export * from './chainBuilder.js';
export * from './criticalExtensions.js';
export * from './crlFile.js';
export * from './sessionTags.js';
export * from './signatureAlgorithms.js';
export * from './sourceIdentity.js';
export * from '../x509/signatureAlgorithms.js';
export * from '../x509/attributeTypes.js';
export * from '../x509/x509Certificate.js';
export * from '../x509/crl.js';
export * from '../x509/derNodes.js';
export * from '../x509/extensions.js';
export * from '../x509/keyUsages.js';
export * from '../x509/name.js';
export * from '../x509/pssHash.js';
export * from '../x509/serialNumber.js';
export * from '../x509/signatureVerification.js';
