import { createCipheriv, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { Tag, encodeNode, encodeOctetString, encodeOid, encodeSequence, encodeSmallInteger } from '../../src/asn1/der.js';

/**
 * Writes an EncryptedPrivateKeyInfo (PBES2), for keys OpenSSL 3.0 cannot encrypt (ML-DSA) and for shapes it
 * does not write (an explicit PBKDF2 keyLength field). Independent of the helper's decryption code.
 * `claimed` writes other KDF parameters than those the key was derived with (absurd ones, which a reader
 * must refuse before deriving anything).
 */
export function encryptPkcs8(
  pkcs8: Buffer,
  password: string,
  options: {
    cipher?: 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc';
    kdf?: 'pbkdf2' | 'scrypt';
    prf?: 'sha1' | 'sha256' | 'sha512';
    withKeyLength?: boolean;
    /** Encrypts `pkcs8` as it is, whole 16-byte blocks, without adding PKCS#7 padding (a writer's own padding, or none). */
    unpadded?: boolean;
    claimed?: { iterations?: number; N?: number; r?: number; p?: number };
  } = {},
): Buffer {
  const claimed = options.claimed ?? {};
  const cipher = options.cipher ?? 'aes-256-cbc';
  const keyLength = { 'aes-128-cbc': 16, 'aes-192-cbc': 24, 'aes-256-cbc': 32 }[cipher];
  const cipherOid = { 'aes-128-cbc': '2.16.840.1.101.3.4.1.2', 'aes-192-cbc': '2.16.840.1.101.3.4.1.22', 'aes-256-cbc': '2.16.840.1.101.3.4.1.42' }[cipher];
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  let key: Buffer;
  let kdf: Buffer;
  if (options.kdf === 'scrypt') {
    key = scryptSync(password, salt, keyLength, { N: 16384, r: 8, p: 1 });
    kdf = encodeSequence(
      encodeOid('1.3.6.1.4.1.11591.4.11'),
      encodeSequence(encodeOctetString(salt), encodeSmallInteger(claimed.N ?? 16384), encodeSmallInteger(claimed.r ?? 8), encodeSmallInteger(claimed.p ?? 1)),
    );
  } else {
    const prf = options.prf ?? 'sha256';
    const prfOid = { sha1: '1.2.840.113549.2.7', sha256: '1.2.840.113549.2.9', sha512: '1.2.840.113549.2.11' }[prf];
    key = pbkdf2Sync(password, salt, 2048, keyLength, prf);
    kdf = encodeSequence(
      encodeOid('1.2.840.113549.1.5.12'),
      encodeSequence(
        encodeOctetString(salt),
        encodeInteger(claimed.iterations ?? 2048),
        ...(options.withKeyLength ? [encodeSmallInteger(keyLength)] : []),
        ...(prf === 'sha1' ? [] : [encodeSequence(encodeOid(prfOid), Buffer.from([5, 0]))]),
      ),
    );
  }
  const encrypter = createCipheriv(cipher, key, iv).setAutoPadding(!options.unpadded);
  const ciphertext = Buffer.concat([encrypter.update(pkcs8), encrypter.final()]);
  const scheme = encodeSequence(
    encodeOid('1.2.840.113549.1.5.13'),
    encodeSequence(kdf, encodeSequence(encodeOid(cipherOid), encodeOctetString(iv))),
  );
  return encodeSequence(scheme, encodeOctetString(ciphertext));
}

/** A DER INTEGER of any sign (a claimed count may be negative), in two's complement. */
function encodeInteger(value: number): Buffer {
  if (value >= 0) return encodeSmallInteger(value);
  let bytes = 1;
  while (value < -(2 ** (8 * bytes - 1))) bytes++;
  const twosComplement = (2n ** BigInt(8 * bytes) + BigInt(value)).toString(16).padStart(2 * bytes, '0');
  return encodeNode(Tag.INTEGER, Buffer.from(twosComplement, 'hex'));
}
