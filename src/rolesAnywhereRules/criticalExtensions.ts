import type { X509Certificate } from '../x509/x509Certificate.js';

/**
 * The extensions RFC 5280 defines for certificates (§4.2.1, §4.2.2), which path validation knows. One marked
 * critical that is not among them makes the certificate one a verifier "MUST reject" (§4.2), as OpenSSL's,
 * Go's and Java's do, and, very likely, the service's (QA: check passed it, and the emulator took it).
 */
const DEFINED = new Set([
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.30', // nameConstraints
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies
  '2.5.29.33', // policyMappings
  '2.5.29.36', // policyConstraints
  '2.5.29.37', // extKeyUsage
  '2.5.29.46', // freshestCRL
  '2.5.29.54', // inhibitAnyPolicy
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
  '1.3.6.1.5.5.7.1.11', // subjectInfoAccess
]);

/** The OID of the first extension the certificate marks critical that RFC 5280 does not define, if any. */
export function unknownCriticalExtension(certificate: X509Certificate): string | undefined {
  return certificate.extensions.find((extension) => extension.critical && !DEFINED.has(extension.type))?.type;
}

/** What a refusal says of it. */
export function unknownCriticalExtensionProblem(oid: string): string {
  return `it marks critical an extension path validation does not know (${oid}), which a verifier must refuse`;
}
