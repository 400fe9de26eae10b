import { createPublicKey } from 'node:crypto';
import type { PublicKeyInfo } from './certificate.js';

/** Whether two public keys are the same key, whatever their encoding details (EC point form, parameters). */
export function samePublicKey(a: PublicKeyInfo, b: PublicKeyInfo): boolean {
  if (a.keyType !== b.keyType || a.keyType === undefined) return false;
  if (a.keyType !== 'RSA' && a.keyType !== 'EC') return a.keyBits.equals(b.keyBits);
  return normalised(a).equals(normalised(b));
}

function normalised(key: PublicKeyInfo): Buffer {
  return createPublicKey({ key: key.spki, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' });
}
