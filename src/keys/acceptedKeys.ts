import { DerError, Tag, content, expectTag, readRoot, sequence } from '../asn1/der.js';
import type { KeyType, PublicKeyInfo } from './certificate.js';

/**
 * The keys Roles Anywhere takes in an end-entity certificate, held once for the key sources, `check` and the
 * emulator: a key of a type `parsePublicKeyInfo` names (RSA; EC on the named curve P-256, P-384 or P-521, not
 * one spelt out by its parameters; ML-DSA-44, -65 or -87), and an RSA modulus of at least MIN_RSA_BITS. Here
 * rather than in rolesAnywhereRules/, which reads certificates with keys/ and so sits above it.
 */
export const MIN_RSA_BITS = 2048;

/** The keys the service takes, for messages. */
export const ACCEPTED_KEYS = `RSA of ${MIN_RSA_BITS} bits or more, EC P-256, P-384 or P-521, or ML-DSA`;

/** Whether the service takes a key, by its type; if not, its modulus length when it is an RSA key that is too short. */
export type KeyAcceptance = { readonly accepted: true; readonly keyType: KeyType } | { readonly accepted: false; readonly rsaBits?: number };

export function keyAcceptance(info: PublicKeyInfo): KeyAcceptance {
  const { keyType } = info;
  if (!keyType) return { accepted: false };
  if (keyType === 'RSA') {
    const bits = rsaModulusBits(info);
    if (bits < MIN_RSA_BITS) return { accepted: false, rsaBits: bits };
  }
  return { accepted: true, keyType };
}

/** An RSA key's modulus length in bits, read from its RSAPublicKey; 0 when that does not parse. */
export function rsaModulusBits(info: PublicKeyInfo): number {
  let modulus: Buffer;
  try {
    modulus = content(expectTag(sequence(readRoot(info.keyBits), 'RSAPublicKey')[0], Tag.INTEGER, 'modulus'));
  } catch (error) {
    if (error instanceof DerError) return 0;
    throw error;
  }
  const start = modulus.findIndex((byte) => byte !== 0);
  return start < 0 ? 0 : (modulus.length - start - 1) * 8 + modulus[start]!.toString(2).length;
}
