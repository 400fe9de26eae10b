// Which certificate signatures Roles Anywhere takes, held once for `check` and the emulator: "SHA256 or
// stronger" (User Guide, Signature validation), for the end entity, the intermediates and the trust anchor.

export interface SignatureAlgorithm {
  readonly name: string;
  /** The hash it signs over (ML-DSA hashes internally, with SHAKE256). */
  readonly hash: string;
}

/** Signature algorithms by OID. One not here is not known to be accepted; RSASSA-PSS names its hash in its parameters. */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'MD2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'MD4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512' },
  // The OIW's older OIDs, which OpenSSL and Go still read.
  '1.3.14.3.2.3': { name: 'md5WithRSA (OIW)', hash: 'MD5' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature (OIW)', hash: 'SHA-1' },
  '1.3.14.3.2.27': { name: 'dsaWithSHA1 (OIW)', hash: 'SHA-1' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-SHA224', hash: 'SHA-224' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512' },
  '2.16.840.1.101.3.4.3.17': { name: 'ML-DSA-44', hash: 'SHAKE256' },
  '2.16.840.1.101.3.4.3.18': { name: 'ML-DSA-65', hash: 'SHAKE256' },
  '2.16.840.1.101.3.4.3.19': { name: 'ML-DSA-87', hash: 'SHAKE256' },
};

export { RSASSA_PSS } from '../x509/pssHash.js';

/** Hashes RSASSA-PSS parameters may name, by OID; they name SHA-1 by leaving the hash out (RFC 4055). */
export const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const STRONG_HASHES: ReadonlySet<string> = new Set(['SHA-256', 'SHA-384', 'SHA-512', 'SHAKE256']);

/** Whether a hash, by name, is SHA-256 or stronger. */
export function isStrongHash(hash: string): boolean {
  return STRONG_HASHES.has(hash);
}
