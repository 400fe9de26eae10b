import type { JsonWebKey } from 'node:crypto';
import { DerError, content, readRoot, sequence, type DerNode } from '../asn1/der.js';
import type { PublicKeyInfo } from './certificate.js';
import { publicKeyBytes, uncompressedPoint } from './publicKeyBytes.js';

/** Whether two public keys are the same key, whatever the encoding of EC points (compressed or not). */
export function samePublicKey(a: PublicKeyInfo, b: PublicKeyInfo): boolean {
  if (a.keyType === undefined || a.keyType !== b.keyType || a.curve !== b.curve) return false;
  if (a.keyBits.equals(b.keyBits)) return true;
  // RSA public keys have one DER encoding and ML-DSA keys are raw bytes; only EC points can differ.
  return a.keyType === 'EC' && publicKeyBytes(a).equals(publicKeyBytes(b));
}

/**
 * Whether a public key given as its JWK is this public key: the EC point, or the RSA modulus and exponent.
 * Node exports a JWK itself, while a SubjectPublicKeyInfo export goes through OpenSSL's encoders, whose
 * first use costs ~0.4 ms of every credential-process run.
 */
export function jwkIsPublicKey(jwk: JsonWebKey, info: PublicKeyInfo): boolean {
  if (jwk.kty === 'EC') {
    if (info.keyType !== 'EC' || info.curve !== jwk.crv || !jwk.x || !jwk.y) return false;
    return publicKeyBytes(info).equals(uncompressedPoint(jwk));
  }
  if (jwk.kty !== 'RSA' || info.keyType !== 'RSA' || !jwk.n || !jwk.e) return false;
  let modulus: DerNode | undefined;
  let exponent: DerNode | undefined;
  try {
    [modulus, exponent] = sequence(readRoot(info.keyBits), 'RSAPublicKey');
  } catch (error) {
    if (error instanceof DerError) return false;
    throw error;
  }
  return (
    modulus !== undefined &&
    exponent !== undefined &&
    withoutLeadingZeros(content(modulus)).equals(Buffer.from(jwk.n, 'base64url')) &&
    withoutLeadingZeros(content(exponent)).equals(Buffer.from(jwk.e, 'base64url'))
  );
}

function withoutLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
