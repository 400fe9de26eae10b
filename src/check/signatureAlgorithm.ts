import { isStrongHash } from '../rolesAnywhereRules/signatureAlgorithms.js';
import { RSASSA_PSS } from '../x509/pssHash.js';
import { HASH_NAMES, SIGNATURE_ALGORITHMS } from '../x509/signatureAlgorithms.js';
import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';

/**
 * The certificate's signature algorithm: the service refuses anything weaker than SHA-256, so that fails;
 * an algorithm not in the table may work, but nothing says it does (the emulator refuses it).
 */
export function signatureAlgorithmFinding(certificate: InspectedCertificate): Finding {
  const oid = certificate.signatureAlgorithmOid;
  const algorithm = oid === RSASSA_PSS ? { name: 'RSASSA-PSS', hash: pssHash(certificate) } : SIGNATURE_ALGORITHMS[oid];
  if (!algorithm) {
    return warn('signatureAlgorithm', `signed with an algorithm the service is not known to accept (OID ${oid})`);
  }
  const described = `signed with ${algorithm.name}`;
  if (isStrongHash(algorithm.hash)) return pass('signatureAlgorithm', described);
  return fail('signatureAlgorithm', `${described}: the service refuses ${algorithm.hash}; have it signed with SHA-256 or stronger`);
}

/** The hash RSASSA-PSS parameters name (SHA-1 when they leave it out, RFC 4055), by its OID when it has no name here. */
function pssHash(certificate: InspectedCertificate): string {
  const oid = certificate.parsed.pssHashOid;
  return oid === undefined ? 'unknown hash' : (HASH_NAMES[oid] ?? oid);
}
