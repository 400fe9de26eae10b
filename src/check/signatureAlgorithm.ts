import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';

/** Signature algorithms by OID, with the hash each uses (ML-DSA hashes internally, with SHAKE256). */
const ALGORITHMS: Readonly<Record<string, { readonly name: string; readonly hash: string }>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'MD2' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'SHA-1' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512' },
  '2.16.840.1.101.3.4.3.17': { name: 'ML-DSA-44', hash: 'SHAKE256' },
  '2.16.840.1.101.3.4.3.18': { name: 'ML-DSA-65', hash: 'SHAKE256' },
  '2.16.840.1.101.3.4.3.19': { name: 'ML-DSA-87', hash: 'SHAKE256' },
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';
/** Hashes of RSASSA-PSS parameters that @peculiar/x509 names by OID only. */
const PSS_HASH_NAMES: Readonly<Record<string, string>> = { '2.16.840.1.101.3.4.2.4': 'SHA-224', '1.2.840.113549.2.5': 'MD5' };
const STRONG_HASHES = new Set(['SHA-256', 'SHA-384', 'SHA-512', 'SHAKE256']);

/**
 * The end entity's signature algorithm: the service refuses MD5 and SHA-1 signatures, so anything weaker
 * than SHA-256 fails; an algorithm not in the table may work, but nothing says it does.
 */
export function signatureAlgorithmFinding(certificate: InspectedCertificate): Finding {
  const oid = certificate.signatureAlgorithmOid;
  const algorithm = oid === RSASSA_PSS ? { name: 'RSASSA-PSS', hash: pssHash(certificate) } : ALGORITHMS[oid];
  if (!algorithm) {
    return warn('signatureAlgorithm', `signed with an algorithm the service is not known to accept (OID ${oid})`);
  }
  const described = `signed with ${algorithm.name}`;
  if (STRONG_HASHES.has(algorithm.hash)) return pass('signatureAlgorithm', described);
  return fail('signatureAlgorithm', `${described}: the service refuses ${algorithm.hash}; have it signed with SHA-256 or stronger`);
}

/** The hash RSASSA-PSS parameters name (SHA-1 when they leave it out, RFC 4055, as @peculiar/x509 reads them). */
function pssHash(certificate: InspectedCertificate): string {
  const name = certificate.parsed.signatureAlgorithm.hash?.name;
  return name === undefined ? 'unknown hash' : (PSS_HASH_NAMES[name] ?? name);
}
