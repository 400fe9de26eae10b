import { createDecipheriv, pbkdf2, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import {
  DerError,
  Tag,
  decodeInteger,
  decodeOctetString,
  decodeOid,
  decodeSmallInteger,
  readNode,
  readRoot,
  sequence,
  type DerNode,
} from '../../asn1/der.js';
import { MAX_PBKDF2_ITERATIONS } from './kdfLimits.js';
import { KeyParseError, WrongPasswordError } from '../keyParseError.js';

/**
 * The work scrypt may be asked for, N·r·p: 2^24, a few seconds here, as long as about MAX_PBKDF2_ITERATIONS
 * (OpenSSL's own defaults ask for 2^17).
 */
const MAX_SCRYPT_WORK = 2 ** 24;
/** The memory scrypt may use: OpenSSL's limit when it decrypts a PKCS#8 key (EVP_PBE_scrypt's default). */
const MAX_SCRYPT_MEMORY = 32 * 1024 * 1024;

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
export async function decryptPkcs8(encryptedDer: Buffer, password: string): Promise<Buffer> {
  let scheme: ReturnType<typeof readScheme>;
  try {
    scheme = readScheme(encryptedDer);
  } catch (error) {
    if (error instanceof DerError) throw new KeyParseError(`malformed encrypted PKCS#8 key: ${error.message}`);
    throw error;
  }
  // Derived off the main thread: a key of many iterations takes seconds, in which serve keeps answering.
  const key = await scheme.deriveKey(password);
  const decipher = createDecipheriv(scheme.cipher, key, scheme.iv).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(scheme.ciphertext), decipher.final()]);
  const plaintext = privateKeyInfo(padded, scheme.blockSize);
  if (!plaintext) throw new WrongPasswordError();
  return plaintext;
}

/**
 * The PrivateKeyInfo a decrypted key starts with, without what follows it: its PKCS#7 padding, or what the
 * reference reads past as well (it neither checks nor strips the padding: Go's x509 reads the key's DER to its
 * end), a writer's own padding or stray bytes, as long as the key ends in the last block or where it starts
 * (fuzzing QA: such keys, which the reference signs with, were said to have a wrong password). undefined, a
 * wrong password, when it starts with no SEQUENCE of an INTEGER (the version) ending there, which random bytes
 * do far less than once in a million tries.
 */
function privateKeyInfo(padded: Buffer, blockSize: number): Buffer | undefined {
  try {
    const root = readNode(padded);
    const [version] = sequence(root);
    if (version?.tag !== Tag.INTEGER || root.end < padded.length - blockSize) return undefined;
    return padded.subarray(0, root.end);
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/** What to do with a key encrypted in a way this helper does not read (QA: a Camellia one was named by its OID alone). */
const REENCRYPT = 're-encrypt the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc`';

function readScheme(encryptedDer: Buffer) {
  const [algorithm, encryptedData] = sequence(readRoot(encryptedDer), 'EncryptedPrivateKeyInfo');
  const [schemeOid, parameters] = sequence(algorithm, 'AlgorithmIdentifier');
  const schemeName = decodeOid(schemeOid!);
  if (schemeName !== PBES2) {
    throw new KeyParseError(`unsupported encryption scheme ${schemeName} (only PBES2 is supported; ${REENCRYPT})`);
  }
  const [kdf, encryption] = sequence(parameters, 'PBES2-params');
  const [encryptionOid, ivNode] = sequence(encryption, 'encryptionScheme');
  const cipherOid = decodeOid(encryptionOid!);
  const cipher = cipherByOid[cipherOid];
  if (!cipher) throw new KeyParseError(`unsupported encryption algorithm ${cipherOid} (AES-CBC and 3DES are supported; ${REENCRYPT})`);
  const iv = decodeOctetString(ivNode!);
  const blockSize = cipher.name === 'des-ede3-cbc' ? 8 : 16; // the length of a CBC IV too
  if (iv.length !== blockSize) throw new KeyParseError('malformed encrypted PKCS#8 key: bad IV length');
  const ciphertext = decodeOctetString(encryptedData!);
  // CBC deciphers whole blocks only: any other length is a damaged file, which no password would open.
  if (ciphertext.length === 0 || ciphertext.length % blockSize !== 0) {
    throw new KeyParseError(`damaged encrypted PKCS#8 key: its encrypted data is not whole ${blockSize}-byte blocks`);
  }
  return {
    cipher: cipher.name,
    blockSize,
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
    // Read whole, so that a message names the count the key claims, however absurd.
    const claimed = decodeInteger(fields[1]!);
    if (claimed < 1n) throw new KeyParseError(`PBKDF2 iteration count ${claimed} is not positive`);
    if (claimed > BigInt(MAX_PBKDF2_ITERATIONS)) {
      throw new KeyParseError(`PBKDF2 iteration count ${claimed} is more than the ${MAX_PBKDF2_ITERATIONS} this helper allows`);
    }
    const iterations = Number(claimed);
    let next = 2;
    if (fields[next]?.tag === Tag.INTEGER) next++; // optional keyLength: the cipher decides it anyway
    let digest = 'sha1';
    if (fields[next]) {
      const prfOid = decodeOid(sequence(fields[next], 'prf')[0]!);
      const prf = prfByOid[prfOid];
      if (!prf) throw new KeyParseError(`unsupported PBKDF2 pseudo-random function ${prfOid} (${REENCRYPT})`);
      digest = prf;
    }
    return (password: string) => promisify(pbkdf2)(password, salt, iterations, keyLength, digest);
  }
  if (name === SCRYPT) {
    const [N, r, p] = [fields[1], fields[2], fields[3]].map((node) => decodeSmallInteger(node!)) as [
      number,
      number,
      number,
    ];
    checkScryptParameters(N, r, p);
    return (password: string) =>
      new Promise<Buffer>((resolve, reject) => scrypt(password, salt, keyLength, { N, r, p, maxmem: MAX_SCRYPT_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))));
  }
  throw new KeyParseError(`unsupported key derivation function ${name} (${REENCRYPT})`);
}

/**
 * scrypt's parameters, checked as OpenSSL checks them before deriving (providers/implementations/kdfs/
 * scrypt.c, with the memory limit it uses for PKCS#8): N a power of 2 above 1, r and p at least 1, p·r
 * below 2^30, N below 2^(16·r), and at most MAX_SCRYPT_MEMORY for the 128·r·(N+2) + 128·r·p bytes it needs.
 */
function checkScryptParameters(N: number, r: number, p: number): void {
  const given = `scrypt parameters N=${N}, r=${r}, p=${p}`;
  const powerOfTwo = N >= 2 && Number.isSafeInteger(N) && 2 ** Math.round(Math.log2(N)) === N;
  if (!powerOfTwo || r < 1 || p < 1 || p * r >= 2 ** 30 - 1 || (16 * r <= 63 && N >= 2 ** (16 * r))) {
    throw new KeyParseError(`${given} are invalid (N must be a power of 2 above 1 and below 2^(16·r), r and p at least 1, p·r below 2^30)`);
  }
  const memory = 128 * r * (N + 2) + 128 * r * p;
  if (memory > MAX_SCRYPT_MEMORY) {
    throw new KeyParseError(`${given} need ${formatMemory(memory)} of memory, more than the 32 MiB OpenSSL allows`);
  }
  // The memory bound leaves p free: p=16000 at N=2^14, r=8 is 12 minutes of work.
  if (N * r * p > MAX_SCRYPT_WORK) throw new KeyParseError(`${given} ask for N·r·p = ${N * r * p}, more than the ${MAX_SCRYPT_WORK} this helper allows`);
}

function formatMemory(bytes: number): string {
  const [unit, size] = bytes >= 2 ** 30 ? ['GiB', 2 ** 30] : ['MiB', 2 ** 20];
  return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
}
