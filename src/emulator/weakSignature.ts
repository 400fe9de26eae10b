import { certificateSignatureAlgorithm } from '../rolesAnywhereRules/signatureAlgorithms.js';
import type { X509Certificate } from '../x509/x509Certificate.js';

/**
 * Why the service would not take a certificate's signature (`SHA-1`, `SHA-1 (RSASSA-PSS)`, an algorithm
 * not known to be accepted), or undefined when it is SHA-256 or stronger. An allowlist: the User Guide
 * asks for "SHA256 or stronger", which an algorithm missing from the table is not known to be.
 */
export function weakSignature(certificate: X509Certificate): string | undefined {
  const algorithm = certificateSignatureAlgorithm(certificate);
  if (!algorithm) return `an algorithm the service is not known to accept (OID ${certificate.signatureAlgorithmOid})`;
  if (algorithm.strong) return undefined;
  return algorithm.name === 'RSASSA-PSS' ? `${algorithm.hash} (RSASSA-PSS)` : algorithm.hash;
}
