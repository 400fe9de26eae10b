import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { HelperError } from '../errors.js';
import type { PublicKeyInfo } from './certificate.js';

/**
 * The public key as the reference hashes it into test messages: the uncompressed point `04‖X‖Y` for EC,
 * the PKCS#1 RSAPublicKey DER for RSA, the raw key for ML-DSA.
 */
export function publicKeyBytes(info: PublicKeyInfo): Buffer {
  // RSA: the BIT STRING holds the RSAPublicKey DER; EC: the point, most often already uncompressed.
  if (info.keyType !== 'EC' || info.keyBits[0] === 4) return info.keyBits;
  let jwk: JsonWebKey;
  try {
    jwk = createPublicKey({ key: info.spki, format: 'der', type: 'spki' }).export({ format: 'jwk' });
  } catch {
    // Empty, or compressed and off the curve: OpenSSL's `decode error` would be an internal error.
    throw new HelperError(`the certificate's EC public key is damaged: it is no point of ${info.curve}`);
  }
  return uncompressedPoint(jwk);
}

/** `04‖X‖Y` from an EC JWK's coordinates. */
export function uncompressedPoint(jwk: JsonWebKey): Buffer {
  return Buffer.concat([Buffer.of(4), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
}

/** SHA256("IAM RA" ‖ public key bytes), the suffix of the reference's test messages. */
export function iamRaPublicKeyDigest(info: PublicKeyInfo): Buffer {
  return createHash('sha256').update('IAM RA').update(publicKeyBytes(info)).digest();
}
