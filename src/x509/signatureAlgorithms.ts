// The signature algorithms certificates and CRLs name, held once: `check` and the emulator judge them by
// their hash (rolesAnywhereRules), CRL signatures are verified by them (signatureVerification.ts), and the
// emulator's PKI signs with them (emulator/pki/keySigner.ts).

export interface SignatureAlgorithm {
  readonly name: string;
  /** The key type that signs with it. */
  readonly key: 'rsa' | 'dsa' | 'ec' | 'ml-dsa';
  /** The hash it signs over (ML-DSA hashes internally, with SHAKE256). */
  readonly hash: string;
}

/**
 * Signature algorithms by OID; RSASSA-PSS (pssHash.ts) names its hash in its parameters. The first entry for
 * a key type and hash is the one signers use; the OIW's older OIDs, which OpenSSL and Go still read, follow.
 */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', key: 'rsa', hash: 'MD2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', key: 'rsa', hash: 'MD4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', key: 'rsa', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', key: 'rsa', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', key: 'rsa', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', key: 'rsa', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', key: 'rsa', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', key: 'rsa', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', key: 'dsa', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-SHA224', key: 'dsa', hash: 'SHA-224' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', key: 'ec', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', key: 'ec', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', key: 'ec', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', key: 'ec', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', key: 'ec', hash: 'SHA-512' },
  '2.16.840.1.101.3.4.3.17': { name: 'ML-DSA-44', key: 'ml-dsa', hash: 'SHAKE256' },
  '2.16.840.1.101.3.4.3.18': { name: 'ML-DSA-65', key: 'ml-dsa', hash: 'SHAKE256' },
  '2.16.840.1.101.3.4.3.19': { name: 'ML-DSA-87', key: 'ml-dsa', hash: 'SHAKE256' },
  '1.3.14.3.2.3': { name: 'md5WithRSA (OIW)', key: 'rsa', hash: 'MD5' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature (OIW)', key: 'rsa', hash: 'SHA-1' },
  '1.3.14.3.2.27': { name: 'dsaWithSHA1 (OIW)', key: 'dsa', hash: 'SHA-1' },
};

/** Hashes RSASSA-PSS parameters may name, by OID; they name SHA-1 by leaving the hash out (RFC 4055). */
export const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** The OID signers use for a key type and hash (the first entry of SIGNATURE_ALGORITHMS that has them). */
export function signatureAlgorithmOid(key: SignatureAlgorithm['key'], hash: string): string | undefined {
  return Object.keys(SIGNATURE_ALGORITHMS).find((oid) => SIGNATURE_ALGORITHMS[oid]!.key === key && SIGNATURE_ALGORITHMS[oid]!.hash === hash);
}
