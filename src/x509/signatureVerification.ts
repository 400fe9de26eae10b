import { createPublicKey, constants, verify } from 'node:crypto';
import { Tag, children, contextTag, decodeOid, decodeSmallInteger, sequence, type DerNode } from '../asn1/der.js';
import { parsePublicKeyInfo } from '../keys/certificate.js';
import { mlDsa } from '../mlDsa.js';
import { RSASSA_PSS, pssHashOid } from './pssHash.js';
import { HASH_NAMES, SIGNATURE_ALGORITHMS } from './signatureAlgorithms.js';

/** The hashes node:crypto verifies RSA and ECDSA signatures over here, by their names in signatureAlgorithms.ts. */
const VERIFIED_HASHES: ReadonlySet<string> = new Set(['SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512']);

/** node:crypto's name for a hash verified here (`sha256` for `SHA-256`), or undefined. */
function nodeHash(hash: string | undefined): string | undefined {
  return hash !== undefined && VERIFIED_HASHES.has(hash) ? hash.replace('-', '').toLowerCase() : undefined;
}

/**
 * Whether `signature` over `data` (a CRL's TBSCertList) verifies with the key of `spki` by the algorithm
 * `algorithm` names (an AlgorithmIdentifier): RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA through node:crypto,
 * ML-DSA through @noble/post-quantum. False for a key of another type than the algorithm's, an algorithm
 * not known here, or anything that does not parse.
 */
export function signatureVerifies(data: Buffer, algorithm: DerNode, signature: Buffer, spki: Buffer): boolean {
  try {
    const [oidNode, parameters] = sequence(algorithm, 'AlgorithmIdentifier');
    const oid = decodeOid(oidNode!);
    const info = parsePublicKeyInfo(spki);
    if (info.keyType?.startsWith('ML-DSA')) {
      return oid === info.algorithmOid && mlDsa[info.keyType as keyof typeof mlDsa].verify(signature, data, info.keyBits);
    }
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    if (oid === RSASSA_PSS) {
      const hash = nodeHash(HASH_NAMES[pssHashOid(parameters) ?? '']);
      if (!hash || !key.asymmetricKeyType?.startsWith('rsa')) return false;
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength(parameters!) }, signature);
    }
    const known = SIGNATURE_ALGORITHMS[oid];
    const hash = nodeHash(known?.hash);
    // DSA signatures are named in the table but not verified here (Go's crypto/x509 no longer verifies them).
    if (!known || !hash || (known.key !== 'rsa' && known.key !== 'ec')) return false;
    return key.asymmetricKeyType === known.key && verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

/** RSASSA-PSS-params' `[2] EXPLICIT INTEGER DEFAULT 20`. */
function pssSaltLength(parameters: DerNode): number {
  const salt = children(parameters).find((node) => node.tag === contextTag(2, true));
  const [value] = salt ? children(salt) : [];
  return value?.tag === Tag.INTEGER ? decodeSmallInteger(value) : 20;
}
