import { createHash, createPublicKey } from 'node:crypto';

/**
 * The message sign-string signs, built independently of the helper: the fixed prefix, "1", and
 * SHA256("IAM RA" ‖ public key bytes), the bytes being `04‖X‖Y` for EC and the PKCS#1 DER for RSA.
 */
export function signStringMessage(spki: Buffer): Buffer {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  let bytes: Buffer;
  if (key.asymmetricKeyType === 'ec') {
    const { x, y } = key.export({ format: 'jwk' });
    bytes = Buffer.concat([Buffer.of(4), Buffer.from(x!, 'base64url'), Buffer.from(y!, 'base64url')]);
  } else {
    bytes = key.export({ type: 'pkcs1', format: 'der' });
  }
  const digest = createHash('sha256').update('IAM RA').update(bytes).digest();
  return Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'), digest]);
}
