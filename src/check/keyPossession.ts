import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { HelperError } from '../errors.js';
import { parsePublicKeyInfo } from '../keys/certificate.js';
import type { SigningIdentity } from '../keys/keySource.js';
import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';

/**
 * Whether the key signs for the certificate: a signature over random bytes, made by the key source (so a
 * PKCS#11 or TPM key is asked just as CreateSession would ask it) and verified with the certificate's
 * public key.
 */
export async function keyPossessionFinding(identity: SigningIdentity, certificate: InspectedCertificate): Promise<Finding> {
  const challenge = randomBytes(32);
  let signature: Buffer;
  try {
    signature = await identity.sign(challenge, 'SHA256');
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    return fail('privateKey', `the private key could not make a test signature: ${error.text}`);
  }
  const verified = await verifies(certificate.parsed.publicKey, challenge, signature);
  if (verified === undefined) return warn('privateKey', "a test signature was made, but this kind of key's signatures cannot be verified here");
  if (verified) return pass('privateKey', "the private key matches the certificate (a test signature verified with the certificate's key)");
  return fail('privateKey', "the private key does not match the certificate: a test signature does not verify with the certificate's key");
}

/** Verifies as the service does: RSA PKCS#1 v1.5 or ECDSA over SHA-256, or pure ML-DSA. */
async function verifies(spki: Buffer, data: Buffer, signature: Buffer): Promise<boolean | undefined> {
  const info = parsePublicKeyInfo(spki);
  if (info.keyType === 'RSA' || info.keyType === 'EC') {
    try {
      // In the try: a certificate's damaged key (fuzzing QA: 'internal error: …decode error') verifies nothing.
      const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      return verify('sha256', data, info.keyType === 'EC' ? { key, dsaEncoding: 'der' } : key, signature);
    } catch {
      return false; // not even a signature of this key's type (an ECDSA signature for an RSA certificate, say)
    }
  }
  if (!info.keyType) return undefined;
  // Node 20 and 22 have no ML-DSA; the library is loaded only for such keys.
  const implementation = (await import('../mlDsa.js')).mlDsa[info.keyType];
  return implementation.verify(signature, data, info.keyBits);
}
