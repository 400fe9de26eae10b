import { createPublicKey, constants, verify } from 'node:crypto';
import { Tag, children, contextTag, decodeOid, decodeSmallInteger, sequence, type DerNode } from '../asn1/der.js';
import { parsePublicKeyInfo } from '../keys/certificate.js';
import { mlDsa } from '../mlDsa.js';
import { RSASSA_PSS, pssHashOid } from './pssHash.js';

/** The signature algorithms verified here, by OID: the key type they take and the hash they sign over. */
const ALGORITHMS: Readonly<Record<string, { key: 'rsa' | 'ec'; hash: string }>> = {
  '1.2.840.113549.1.1.5': { key: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { key: 'rsa', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { key: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', hash: 'sha512' },
  '1.2.840.10045.4.1': { key: 'ec', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { key: 'ec', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { key: 'ec', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', hash: 'sha512' },
};

const PSS_HASHES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

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
      const hash = PSS_HASHES[pssHashOid(parameters) ?? ''];
      if (!hash || !key.asymmetricKeyType?.startsWith('rsa')) return false;
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength(parameters!) }, signature);
    }
    const known = ALGORITHMS[oid];
    return known !== undefined && key.asymmetricKeyType === known.key && verify(known.hash, data, key, signature);
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
