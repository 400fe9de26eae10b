import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  contextTag,
  encodeBitString,
  encodeNode,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeSmallInteger,
} from '../../asn1/der.js';
import { encodePem } from '../../asn1/pem.js';
import { mlDsa } from '../../mlDsa.js';
import { EmulatorSetupError } from '../emulatorOptions.js';

export const KEY_ALGORITHMS = [
  'rsa-1024', // too small for the service: certificates that `check` and the emulator refuse
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'ec-p256',
  'ec-p384',
  'ec-p521',
  'ml-dsa-44',
  'ml-dsa-65',
  'ml-dsa-87',
] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** How an ML-DSA private key is written in PKCS#8 (RFC 9881): seed, expanded key, or both. */
export type MlDsaPrivateKeyForm = 'seed' | 'expanded' | 'both';
const ML_DSA_FORMS: readonly MlDsaPrivateKeyForm[] = ['seed', 'expanded', 'both'];

/** @internal `value` if it names an algorithm of KEY_ALGORITHMS, else an EmulatorSetupError naming `where`. */
export function checkKeyAlgorithm(value: unknown, where: string): KeyAlgorithm {
  if (!KEY_ALGORITHMS.includes(value as KeyAlgorithm)) throw new EmulatorSetupError(where, 'unknown', `${where} must be one of ${KEY_ALGORITHMS.join(', ')}`);
  return value as KeyAlgorithm;
}

/** A freshly generated key pair, with the encodings the tests write to files. */
export interface GeneratedKey {
  readonly algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Buffer;
  /** Unencrypted PKCS#8 DER (ML-DSA: the "both" form unless another is asked for). */
  pkcs8(form?: MlDsaPrivateKeyForm): Buffer;
  /** RSA and EC keys as node:crypto KeyObjects, for encodings node writes (SEC1, PKCS#1, encrypted PKCS#8). */
  readonly keyObject?: KeyObject;
  /** ML-DSA keys: the signature algorithm's OID (the key's own) and a pure ML-DSA signature of a message. */
  readonly mlDsa?: { readonly oid: string; sign(message: Buffer): Buffer };
}

const ML_DSA = {
  'ml-dsa-44': { oid: '2.16.840.1.101.3.4.3.17', implementation: mlDsa['ML-DSA-44'] },
  'ml-dsa-65': { oid: '2.16.840.1.101.3.4.3.18', implementation: mlDsa['ML-DSA-65'] },
  'ml-dsa-87': { oid: '2.16.840.1.101.3.4.3.19', implementation: mlDsa['ML-DSA-87'] },
} as const;

/** A new key pair of `algorithm`, or an EmulatorSetupError for a name not in KEY_ALGORITHMS. */
export function generateKey(algorithm: KeyAlgorithm): GeneratedKey {
  checkKeyAlgorithm(algorithm, 'keyAlgorithm');
  if (algorithm.startsWith('ml-dsa')) return generateMlDsaKey(algorithm as keyof typeof ML_DSA);
  const { privateKey, publicKey } = algorithm.startsWith('rsa')
    ? generateKeyPairSync('rsa', { modulusLength: Number(algorithm.slice(4)) })
    : generateKeyPairSync('ec', { namedCurve: `P-${algorithm.slice(4)}` });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return { algorithm, spki, pkcs8: () => pkcs8, keyObject: privateKey };
}

function generateMlDsaKey(algorithm: keyof typeof ML_DSA): GeneratedKey {
  const { oid, implementation } = ML_DSA[algorithm];
  const seed = randomBytes(32);
  const { publicKey, secretKey } = implementation.keygen(seed);
  const spki = encodeSequence(encodeSequence(encodeOid(oid)), encodeBitString(Buffer.from(publicKey)));
  const privateKeyChoice: Record<MlDsaPrivateKeyForm, Buffer> = {
    seed: encodeNode(contextTag(0, false), seed),
    expanded: encodeOctetString(Buffer.from(secretKey)),
    both: encodeSequence(encodeOctetString(seed), encodeOctetString(Buffer.from(secretKey))),
  };
  return {
    algorithm,
    spki,
    mlDsa: { oid, sign: (message) => Buffer.from(implementation.sign(message, secretKey)) },
    pkcs8: (form = 'both') =>
      encodeSequence(encodeSmallInteger(0), encodeSequence(encodeOid(oid)), encodeOctetString(privateKeyChoice[form])),
  };
}

/** The key as an unencrypted PKCS#8 PEM file. */
export function pkcs8Pem(key: GeneratedKey, form?: MlDsaPrivateKeyForm): string {
  if (typeof (key as Partial<GeneratedKey> | null)?.pkcs8 !== 'function') throw new EmulatorSetupError('key', 'not a key', 'key must be a key of generateKey or an issued certificate');
  if (form !== undefined && !ML_DSA_FORMS.includes(form)) throw new EmulatorSetupError('form', 'unknown', `form must be one of ${ML_DSA_FORMS.join(', ')}`);
  return encodePem('PRIVATE KEY', key.pkcs8(form));
}
