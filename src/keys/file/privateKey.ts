import { createPrivateKey, createPublicKey, sign as cryptoSign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { DerError, Tag, decodeOid, decodeSmallInteger, readNode, readRoot, sequence, type DerNode } from '../../asn1/der.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from '../certificate.js';
import { jwkIsPublicKey } from '../keyMatch.js';
import { nodeDigestName } from '../keySource.js';
import { Oid, mlDsaVariantByOid } from '../oids.js';
import { ecPrivateKeyJwk } from './ecPrivateKeyJwk.js';
import type { FilePrivateKey } from './filePrivateKey.js';
import { KeyParseError, WrongPasswordError } from '../keyParseError.js';
import { damagedBlock, decodePem, isPem, utf16Text } from '../../asn1/pem.js';
import { pkcs12Der } from './pkcs12File.js';
import { option, optionWays } from '../../optionNames.js';
import { SECRET_VARIABLES } from '../secretVariables.js';

/** The encodings a key file can hold, by their PEM type or DER shape. */
type KeyEncoding = 'pkcs8' | 'encrypted-pkcs8' | 'sec1' | 'pkcs1';

const encodingByPemType: Readonly<Record<string, KeyEncoding>> = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
  'EC PRIVATE KEY': 'sec1',
  'RSA PRIVATE KEY': 'pkcs1',
};

export interface PasswordSource {
  /** Given on the command line (a flag or its file) or by the library's caller: a key not encrypted refuses it. */
  readonly password?: string | undefined;
  /**
   * AWS_ROLESANYWHERE_PKCS8_PASSWORD: read and tried only for an encrypted key, when no password was given
   * (a variable set for every run must not get in the way of keys without a password).
   */
  readonly fromEnv?: (() => string | undefined) | undefined;
  /** Asks for it when the key is encrypted and no password was given; undefined when nobody can be asked. */
  readonly prompt?: ((asked: PasswordAsked) => Promise<string>) | undefined;
  /**
   * Typed at the prompt for this key file before (serve and update read a renewed key again): tried first,
   * and asked for again if the renewed key takes another. Neither given (a key not encrypted takes no
   * password) nor refused as given (QA: a renewed key under another password was "wrong … (given with
   * --pkcs8-password)", never asked for, and one not encrypted refused the typed password).
   */
  readonly typed?: string | undefined;
}

/**
 * Why a key's password is asked for: first, again after a wrong one, or first for a key renewed on disk that
 * the password typed before does not open (QA: that prompt said the password was incorrect, before any was typed).
 */
export type PasswordAsked = 'first' | 'again' | 'renewed';

export interface LocatedKey {
  readonly encoding: KeyEncoding;
  readonly der: Buffer;
}

/** The order the reference looks for a key in a PEM file: an encrypted key if there is one, else PKCS#8, SEC1, PKCS#1. */
const REFERENCE_ORDER: readonly KeyEncoding[] = ['encrypted-pkcs8', 'pkcs8', 'sec1', 'pkcs1'];

/**
 * The private keys in a file's bytes, the one to read first: a PEM file's key blocks in the order the reference
 * tries them (each type in file order), or a whole DER file. Never empty.
 */
export function locatePrivateKeys(data: Buffer): LocatedKey[] {
  // Said as for --certificate: a key is in it, but not read from there (QA pki: "not a private key").
  if (pkcs12Der(data)) throw new KeyParseError(`it is a PKCS#12 file, which is read as ${option('certificate')} without ${option('privateKey')}`);
  if (isPem(data)) {
    const text = data.toString('latin1');
    const blocks = decodePem(text).filter((block) => encodingByPemType[block.type]);
    const rank = (type: string) => REFERENCE_ORDER.indexOf(encodingByPemType[type]!);
    blocks.sort((a, b) => rank(a.type) - rank(b.type)); // stable: file order within a type
    const legacy = (block: (typeof blocks)[number]) => block.headers['Proc-Type']?.includes('ENCRYPTED');
    if (blocks[0] && legacy(blocks[0])) {
      throw new KeyParseError(
        'legacy OpenSSL-encrypted PEM keys are not supported; convert the key with ' +
          '`openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.pem -out NEW.pem`',
      );
    }
    const keys = blocks.filter((block) => !legacy(block)).map((block) => ({ encoding: encodingByPemType[block.type]!, der: withoutStrayBytes(block.der) }));
    if (keys.length > 0) return keys;
    throw new KeyParseError(
      damagedBlock(text, Object.keys(encodingByPemType)) ??
        'no private key found (expected a PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block)',
    );
  }
  const encoding = classifyDer(data);
  if (!encoding) throw new KeyParseError(utf16Text(data) ?? 'not a private key (expected PEM, or DER PKCS#8, SEC1 or PKCS#1)');
  return [{ encoding, der: data }];
}

/**
 * A PEM block's DER up to the end of its first element: Go's x509 (PKCS#8, SEC1 and the reference's encrypted
 * PKCS#8) and OpenSSL read a key so and ignore bytes after it (fuzzing QA: such a key, which the reference signs
 * with, was refused as "trailing data after DER" in PKCS#8 only). A DER file stays whole: `cat key.der cert.der`.
 */
function withoutStrayBytes(der: Buffer): Buffer {
  try {
    return der.subarray(0, readNode(der).end);
  } catch (error) {
    if (error instanceof DerError) return der; // what is wrong with it is said where it is read
    throw error;
  }
}

/** Parses a located key, decrypting it if needed. */
export async function parsePrivateKey(located: LocatedKey, passwords: PasswordSource): Promise<FilePrivateKey> {
  if (located.encoding === 'encrypted-pkcs8') {
    return parsePkcs8(await decryptWithPasswords(located.der, passwords));
  }
  if (passwords.password) {
    throw new KeyParseError('a PKCS#8 password was given but the key is not encrypted');
  }
  if (located.encoding === 'pkcs8') return parsePkcs8(located.der);
  return located.encoding === 'sec1' ? ecKey(located.der, 'sec1') : fromKeyObject(nodeKey(located.der, located.encoding));
}

/** Why an encrypted key could not be read without asking, and how to give its password. */
export const NO_PKCS8_PASSWORD = `the key is encrypted and no password was given (use ${optionWays('pkcs8Password')} or ${SECRET_VARIABLES.pkcs8Password})`;

async function decryptWithPasswords(der: Buffer, passwords: PasswordSource): Promise<Buffer> {
  const { decryptPkcs8 } = await import('./encryptedPkcs8.js'); // only for encrypted keys
  // A wrong password says where it came from: --pkcs8-password or --pkcs8-password-file, the variable.
  const given = passwords.password ? { password: passwords.password, from: `given with ${option('pkcs8Password')}` } : undefined;
  const fromEnv = given ? undefined : passwords.fromEnv?.();
  const known = given ?? (fromEnv ? { password: fromEnv, from: `from ${SECRET_VARIABLES.pkcs8Password}` } : undefined);
  if (known) {
    try {
      return await decryptPkcs8(der, known.password);
    } catch (error) {
      if (error instanceof WrongPasswordError) throw new WrongPasswordError(`encrypted PKCS#8 key (${known.from})`);
      throw error;
    }
  }
  let typedRefused = false;
  if (passwords.typed !== undefined) {
    try {
      return await decryptPkcs8(der, passwords.typed);
    } catch (error) {
      if (!(error instanceof WrongPasswordError)) throw error;
      typedRefused = true;
    }
  }
  if (!passwords.prompt) throw new KeyParseError(NO_PKCS8_PASSWORD);
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const password = await passwords.prompt(attempt > 1 ? 'again' : typedRefused ? 'renewed' : 'first');
    try {
      return await decryptPkcs8(der, password);
    } catch (error) {
      if (!(error instanceof WrongPasswordError) || attempt === attempts) throw error;
    }
  }
}

function parsePkcs8(der: Buffer): Promise<FilePrivateKey> | FilePrivateKey {
  const algorithmOid = pkcs8AlgorithmOid(der);
  if (mlDsaVariantByOid[algorithmOid]) {
    return import('./mlDsaKey.js').then((mlDsa) => mlDsa.mlDsaKeyFromPkcs8(der));
  }
  return algorithmOid === Oid.ecPublicKey ? ecKey(der, 'pkcs8') : fromKeyObject(nodeKey(der, 'pkcs8'));
}

/** An EC key, imported as a JWK when it can be (see ecPrivateKeyJwk), else by OpenSSL from its DER. */
function ecKey(der: Buffer, encoding: 'pkcs8' | 'sec1'): FilePrivateKey {
  const read = ecPrivateKeyJwk(der, encoding);
  if (!read) return fromKeyObject(nodeKey(der, encoding));
  if (!read.ownPoint) throw new KeyParseError(`malformed ${encoding.toUpperCase()} key: its public key is not its private key's`);
  const { d: _private, ...publicJwk } = read.jwk;
  return fromKeyObject(createPrivateKey({ key: read.jwk, format: 'jwk' }), publicJwk);
}

function pkcs8AlgorithmOid(der: Buffer): string {
  try {
    const [, algorithm] = sequence(readRoot(der), 'PrivateKeyInfo');
    return decodeOid(sequence(algorithm, 'AlgorithmIdentifier')[0]!);
  } catch (error) {
    if (error instanceof DerError) throw new KeyParseError(`malformed PKCS#8 key: ${error.message}`);
    throw error;
  }
}

function nodeKey(der: Buffer, type: 'pkcs8' | 'sec1' | 'pkcs1'): KeyObject {
  try {
    const key = createPrivateKey({ key: der, format: 'der', type });
    // An EC scalar longer than its curve's: OpenSSL imports it, cannot export it, and Node 20 and 22 abort reading its details (QA).
    if (key.asymmetricKeyType === 'ec') key.export({ type: 'pkcs8', format: 'der' });
    return key;
  } catch {
    throw new KeyParseError(`malformed ${type.toUpperCase()} key`);
  }
}

const supportedCurves: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** `publicJwk`, when the caller has it, saves exporting the public key to match it against a certificate. */
function fromKeyObject(key: KeyObject, publicJwk?: JsonWebKey): FilePrivateKey {
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    if (!supportedCurves[curve]) {
      throw new KeyParseError(`unsupported EC curve ${curve} (P-256, P-384 and P-521 are supported)`);
    }
  } else if (type === 'rsa') {
    // As the reference refuses them (Go's `crypto/rsa: 512-bit keys are insecure`); OpenSSL would sign with
    // some, and fail SHA-512 with others as an internal error.
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 1024) throw new KeyParseError(`${bits}-bit RSA keys are insecure (1024 bits at least)`);
  } else {
    throw new KeyParseError(`unsupported key type ${type} (RSA, EC and ML-DSA keys are supported)`);
  }
  let publicKey: PublicKeyInfo | undefined;
  let jwk = publicJwk;
  const signingKey = type === 'ec' ? { key, dsaEncoding: 'der' as const } : key;
  return {
    get publicKey() {
      return (publicKey ??= parsePublicKeyInfo(createPublicKey(key).export({ type: 'spki', format: 'der' })));
    },
    isKeyOf: (info) => jwkIsPublicKey((jwk ??= createPublicKey(key).export({ format: 'jwk' })), info),
    sign: (data, digest) => {
      try {
        return cryptoSign(nodeDigestName[digest], data, signingKey);
      } catch (error) {
        // OpenSSL imports what it cannot sign with (an RSA prime of 0): a damaged file, not a bug.
        throw new KeyParseError(`the private key is damaged: it cannot sign (${(error as Error).message})`);
      }
    },
  };
}

/** Tells the DER encodings apart by their shape. */
function classifyDer(der: Buffer): KeyEncoding | undefined {
  let fields: DerNode[];
  try {
    fields = sequence(readRoot(der));
  } catch {
    return undefined;
  }
  const [first, second, third] = fields;
  if (first?.tag === Tag.SEQUENCE && second?.tag === Tag.OCTET_STRING) return 'encrypted-pkcs8';
  if (first?.tag !== Tag.INTEGER) return undefined;
  let version: number;
  try {
    version = decodeSmallInteger(first);
  } catch {
    return undefined;
  }
  if (second?.tag === Tag.SEQUENCE && third?.tag === Tag.OCTET_STRING) return 'pkcs8';
  // Version 1 is a multi-prime key's (RFC 8017 A.1.2), as `openssl genpkey -pkeyopt rsa_keygen_primes:3` writes it.
  if ((version === 0 || version === 1) && second?.tag === Tag.INTEGER) return 'pkcs1';
  if (version === 1 && second?.tag === Tag.OCTET_STRING) return 'sec1';
  return undefined;
}
