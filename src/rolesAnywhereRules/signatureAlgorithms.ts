// Which certificate signatures Roles Anywhere takes, for `check` and the emulator: "SHA256 or stronger"
// (User Guide, Signature validation), for the end entity, the intermediates and the trust anchor. An
// algorithm not in src/x509/signatureAlgorithms.ts is not known to be accepted.
import type { X509Certificate } from '../x509/x509Certificate.js';
import { RSASSA_PSS } from '../x509/pssHash.js';
import { HASH_NAMES, SIGNATURE_ALGORITHMS } from '../x509/signatureAlgorithms.js';

const STRONG_HASHES: ReadonlySet<string> = new Set(['SHA-256', 'SHA-384', 'SHA-512', 'SHAKE256']);

/** A certificate's signature algorithm by name, with the hash it signs over (`the hash <OID>` for one not named here). */
export interface CertificateSignatureAlgorithm {
  readonly name: string;
  readonly hash: string;
  /** SHA-256 or stronger: the service takes it. */
  readonly strong: boolean;
}

/**
 * The algorithm a certificate is signed with, or undefined when the table does not know it. RSASSA-PSS
 * names its hash in the algorithm's parameters (SHA-1 when they leave it out), so the OID alone does not say;
 * parameters that name none leave an unknown hash, which is not strong.
 */
export function certificateSignatureAlgorithm(certificate: Pick<X509Certificate, 'signatureAlgorithmOid' | 'pssHashOid'>): CertificateSignatureAlgorithm | undefined {
  const oid = certificate.signatureAlgorithmOid;
  const { pssHashOid } = certificate;
  const algorithm =
    oid === RSASSA_PSS
      ? { name: 'RSASSA-PSS', hash: pssHashOid === undefined ? 'an unknown hash' : (HASH_NAMES[pssHashOid] ?? `the hash ${pssHashOid}`) }
      : SIGNATURE_ALGORITHMS[oid];
  return algorithm && { name: algorithm.name, hash: algorithm.hash, strong: STRONG_HASHES.has(algorithm.hash) };
}
