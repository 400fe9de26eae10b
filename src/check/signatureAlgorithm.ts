import { certificateSignatureAlgorithm } from '../rolesAnywhereRules/signatureAlgorithms.js';
import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';

/**
 * The certificate's signature algorithm: the service refuses anything weaker than SHA-256, so that fails;
 * an algorithm not in the table may work, but nothing says it does (the emulator refuses it).
 */
export function signatureAlgorithmFinding(certificate: InspectedCertificate): Finding {
  const algorithm = certificateSignatureAlgorithm(certificate.parsed);
  if (!algorithm) {
    return warn('signatureAlgorithm', `signed with an algorithm the service is not known to accept (OID ${certificate.signatureAlgorithmOid})`);
  }
  const described = `signed with ${algorithm.name}`;
  if (algorithm.strong) return pass('signatureAlgorithm', described);
  return fail('signatureAlgorithm', `${described}: the service refuses ${algorithm.hash}; have it signed with SHA-256 or stronger`);
}
