import type { PublicKeyInfo } from './certificate.js';
import { publicKeyBytes } from './publicKeyBytes.js';

/** Whether two public keys are the same key, whatever the encoding of EC points (compressed or not). */
export function samePublicKey(a: PublicKeyInfo, b: PublicKeyInfo): boolean {
  if (a.keyType === undefined || a.keyType !== b.keyType || a.curve !== b.curve) return false;
  if (a.keyBits.equals(b.keyBits)) return true;
  // RSA public keys have one DER encoding and ML-DSA keys are raw bytes; only EC points can differ.
  return a.keyType === 'EC' && publicKeyBytes(a).equals(publicKeyBytes(b));
}
