import type { KeyType } from '../keys/certificate.js';

/** The names SigV4-X509 gives its signatures, in the string to sign and the Authorization header. */
export type SigningAlgorithm = 'AWS4-X509-RSA-SHA256' | 'AWS4-X509-ECDSA-SHA256' | 'AWS4-X509-MLDSA';

export function signingAlgorithmFor(keyType: KeyType): SigningAlgorithm {
  if (keyType === 'RSA') return 'AWS4-X509-RSA-SHA256';
  if (keyType === 'EC') return 'AWS4-X509-ECDSA-SHA256';
  return 'AWS4-X509-MLDSA';
}
