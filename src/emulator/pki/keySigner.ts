import { createPrivateKey, sign } from 'node:crypto';
import { Tag, encodeNode, encodeOid, encodeSequence } from '../../asn1/der.js';
import type { Signer } from '../../x509/signer.js';
import type { GeneratedKey } from './generateKey.js';

/** The signature algorithms by key type and hash: RSA PKCS#1 v1.5 (with NULL parameters), ECDSA (with none). */
const OIDS = {
  rsa: { 'SHA-1': '1.2.840.113549.1.1.5', 'SHA-256': '1.2.840.113549.1.1.11', 'SHA-384': '1.2.840.113549.1.1.12', 'SHA-512': '1.2.840.113549.1.1.13' },
  ec: { 'SHA-1': '1.2.840.10045.4.1', 'SHA-256': '1.2.840.10045.4.3.2', 'SHA-384': '1.2.840.10045.4.3.3', 'SHA-512': '1.2.840.10045.4.3.4' },
} as const;

/**
 * How a key of the test PKI signs certificates and CRLs: RSA with PKCS#1 v1.5 and ECDSA over `hash`, with
 * node:crypto; ML-DSA with the algorithm its key names, which hashes internally (RFC 9881).
 */
export function keySigner(key: GeneratedKey, hash: keyof (typeof OIDS)['rsa']): Signer {
  if (key.mlDsa) return { algorithm: encodeSequence(encodeOid(key.mlDsa.oid)), sign: key.mlDsa.sign };
  const rsa = key.algorithm.startsWith('rsa');
  const oid = encodeOid(OIDS[rsa ? 'rsa' : 'ec'][hash]);
  const privateKey = key.keyObject ?? createPrivateKey({ key: key.pkcs8(), format: 'der', type: 'pkcs8' });
  return {
    algorithm: rsa ? encodeSequence(oid, encodeNode(Tag.NULL)) : encodeSequence(oid),
    sign: (data) => sign(hash.replace('-', '').toLowerCase(), data, privateKey),
  };
}
