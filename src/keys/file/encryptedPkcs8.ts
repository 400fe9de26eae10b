import { createDecipheriv, pbkdf2Sync, scryptSync } from 'node:crypto';
import {
  DerError,
  Tag,
  decodeOctetString,
  decodeOid,
  decodeSmallInteger,
  readRoot,
  sequence,
  type DerNode,
} from '../../asn1/der.js';
import { KeyParseError, WrongPasswordError } from './keyParseError.js';


const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';

const prfByOid: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const cipherByOid: Readonly<Record<string, { name: string; keyLength: number }>> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

/**
 * Decrypts an EncryptedPrivateKeyInfo protected with PBES2 (RFC 8018): PBKDF2 with HMAC-SHA1/224/256/384/512
 * (an explicit keyLength field is honoured) or scrypt, and AES-128/192/256-CBC or 3DES-CBC.
 * Returns the PrivateKeyInfo DER. The password is used as its UTF-8 bytes.
 */
export function decryptPkcs8(encryptedDer: Buffer, password: string): Buffer {
  let scheme: ReturnType<typeof readScheme>;
  try {
    scheme = readScheme(encryptedDer);
  } catch (error) {
    if (error instanceof DerError) throw new KeyParseError(`malformed encrypted PKCS#8 key: ${error.message}`);
    throw error;
  }
  const key = scheme.deriveKey(password);
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv(scheme.cipher, key, scheme.iv);
    plaintext = Buffer.concat([decipher.update(scheme.ciphertext), decipher.final()]);
  } catch {
    throw new WrongPasswordError();
  }
  // A wrong password passes the padding check about once in 256 tries: the result is then not DER.
  try {
    sequence(readRoot(plaintext));
  } catch {
    throw new WrongPasswordError();
  }
  return plaintext;
}

function readScheme(encryptedDer: Buffer) {
  const [algorithm, encryptedData] = sequence(readRoot(encryptedDer), 'EncryptedPrivateKeyInfo');
  const [schemeOid, parameters] = sequence(algorithm, 'AlgorithmIdentifier');
  const schemeName = decodeOid(schemeOid!);
  if (schemeName !== PBES2) {
    throw new KeyParseError(
      `unsupported encryption scheme ${schemeName} (only PBES2 is supported; re-encrypt the key with ` +
        '`openssl pkcs8 -topk8 -v2 aes-256-cbc`)',
    );
  }
  const [kdf, encryption] = sequence(parameters, 'PBES2-params');
  const [encryptionOid, ivNode] = sequence(encryption, 'encryptionScheme');
  const cipherOid = decodeOid(encryptionOid!);
  const cipher = cipherByOid[cipherOid];
  if (!cipher) throw new KeyParseError(`unsupported encryption algorithm ${cipherOid}`);
  const iv = decodeOctetString(ivNode!);
  const expectedIvLength = cipher.name === 'des-ede3-cbc' ? 8 : 16;
  if (iv.length !== expectedIvLength) throw new KeyParseError('malformed encrypted PKCS#8 key: bad IV length');
  const ciphertext = decodeOctetString(encryptedData!);
  return {
    cipher: cipher.name,
    iv,
    ciphertext,
    deriveKey: readKeyDerivation(kdf, cipher.keyLength),
  };
}

function readKeyDerivation(kdf: DerNode | undefined, keyLength: number) {
  const [kdfOid, parameters] = sequence(kdf, 'keyDerivationFunc');
  const name = decodeOid(kdfOid!);
  const fields = sequence(parameters, 'KDF parameters');
  const salt = decodeOctetString(fields[0]!);
  if (name === PBKDF2) {
    const iterations = decodeSmallInteger(fields[1]!);
    let next = 2;
    if (fields[next]?.tag === Tag.INTEGER) next++; // optional keyLength: the cipher decides it anyway
    let digest = 'sha1';
    if (fields[next]) {
      const prfOid = decodeOid(sequence(fields[next], 'prf')[0]!);
      const prf = prfByOid[prfOid];
      if (!prf) throw new KeyParseError(`unsupported PBKDF2 pseudo-random function ${prfOid}`);
      digest = prf;
    }
    return (password: string) => pbkdf2Sync(password, salt, iterations, keyLength, digest);
  }
  if (name === SCRYPT) {
    const [N, r, p] = [fields[1], fields[2], fields[3]].map((node) => decodeSmallInteger(node!)) as [
      number,
      number,
      number,
    ];
    return (password: string) => scryptSync(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r * p + 1024 });
  }
  throw new KeyParseError(`unsupported key derivation function ${name}`);
}
