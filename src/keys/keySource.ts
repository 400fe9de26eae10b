import type { Certificate, KeyType, PublicKeyInfo } from './certificate.js';

/** The hash a signature is made over (`sign-string --digest`); CreateSession always uses SHA256. */
export type Digest = 'SHA256' | 'SHA384' | 'SHA512';

export type SigningAlgorithm = 'AWS4-X509-RSA-SHA256' | 'AWS4-X509-ECDSA-SHA256' | 'AWS4-X509-MLDSA';

/** A certificate with the key that can sign for it, as a key source holds them right now. */
export interface SigningIdentity {
  /** undefined only for key-only sources (a PKCS#11 or TPM key without a certificate). */
  readonly certificate: Certificate | undefined;
  /** Certificates to send in X-Amz-X509-Chain, nearest issuer first; empty for none. */
  readonly chain: readonly Certificate[];
  readonly publicKey: PublicKeyInfo;
  /**
   * Signs `data`: RSA PKCS#1 v1.5 or ECDSA (DER) over its `digest` hash, or pure ML-DSA over the data
   * itself (digest ignored).
   */
  sign(data: Buffer, digest: Digest): Promise<Buffer>;
}

/** Where the certificate and key come from: files, a PKCS#11 token or a TPM. */
export interface KeySource {
  /** What the key is, for messages: a path, a URI or a handle. */
  readonly description: string;
  /** The certificate, chain and key as they are now: files are re-read when they change. */
  current(): Promise<SigningIdentity>;
  /** Releases whatever the source holds open (sessions, handles). */
  close(): Promise<void>;
}

export function signingAlgorithmFor(keyType: KeyType): SigningAlgorithm {
  if (keyType === 'RSA') return 'AWS4-X509-RSA-SHA256';
  if (keyType === 'EC') return 'AWS4-X509-ECDSA-SHA256';
  return 'AWS4-X509-MLDSA';
}

export const nodeDigestName: Readonly<Record<Digest, string>> = {
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
};
