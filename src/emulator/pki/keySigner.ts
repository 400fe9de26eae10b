import { createPrivateKey, sign } from 'node:crypto';
import { Tag, encodeNode, encodeOid, encodeSequence } from '../../asn1/der.js';
import { signatureAlgorithmOid } from '../../x509/signatureAlgorithms.js';
import type { Signer } from '../../x509/signer.js';
import type { GeneratedKey } from './generateKey.js';

/**
 * How a key of the test PKI signs certificates and CRLs: RSA with PKCS#1 v1.5 and ECDSA over `hash`, with
 * node:crypto; ML-DSA with the algorithm its key names, which hashes internally (RFC 9881). The hashes are
 * certificateAuthority.ts's public SignatureHash, which cannot be imported here without a cycle.
 */
export function keySigner(key: GeneratedKey, hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'): Signer {
  if (key.mlDsa) return { algorithm: encodeSequence(encodeOid(key.mlDsa.oid)), sign: key.mlDsa.sign };
  const rsa = key.algorithm.startsWith('rsa');
  const oid = encodeOid(signatureAlgorithmOid(rsa ? 'rsa' : 'ec', hash)!);
  const privateKey = key.keyObject ?? createPrivateKey({ key: key.pkcs8(), format: 'der', type: 'pkcs8' });
  return {
    algorithm: rsa ? encodeSequence(oid, encodeNode(Tag.NULL)) : encodeSequence(oid),
    sign: (data) => sign(hash.replace('-', '').toLowerCase(), data, privateKey),
  };
}
