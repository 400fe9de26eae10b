import type { JsonWebKey } from 'node:crypto';
import { DerError, Tag, children, contextTag, decodeBitString, decodeOctetString, decodeOid, decodeSmallInteger, readRoot, sequence } from '../../asn1/der.js';
import { Oid, curveNameByOid } from '../oids.js';

const SCALAR_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

/**
 * The JWK of an EC private key on P-256, P-384 or P-521, read from its PKCS#8 or SEC1 (RFC 5915) DER.
 * Node imports a JWK itself (and checks that the public point is the private scalar's), while DER goes
 * through OpenSSL's decoders, whose first use costs ~0.4 ms of every credential-process run. undefined
 * when the DER is not such a key or does not carry its public point uncompressed: OpenSSL then reads it.
 */
export function ecPrivateKeyJwk(der: Buffer, encoding: 'pkcs8' | 'sec1'): JsonWebKey | undefined {
  try {
    let ecPrivateKey = der;
    let curveOid: string | undefined;
    if (encoding === 'pkcs8') {
      const [, algorithm, privateKey] = sequence(readRoot(der), 'PrivateKeyInfo');
      const [algorithmOid, parameters] = sequence(algorithm, 'AlgorithmIdentifier');
      if (decodeOid(algorithmOid!) !== Oid.ecPublicKey || parameters?.tag !== Tag.OID) return undefined;
      curveOid = decodeOid(parameters);
      ecPrivateKey = decodeOctetString(privateKey!);
    }
    const [version, scalar, ...fields] = sequence(readRoot(ecPrivateKey), 'ECPrivateKey');
    if (decodeSmallInteger(version!) !== 1) return undefined;
    let point: Buffer | undefined;
    for (const field of fields) {
      const [inner] = children(field);
      if (field.tag === contextTag(0, true) && inner?.tag === Tag.OID) curveOid ??= decodeOid(inner);
      if (field.tag === contextTag(1, true) && inner?.tag === Tag.BIT_STRING) point = decodeBitString(inner);
    }
    const crv = curveOid === undefined ? undefined : curveNameByOid[curveOid];
    const size = crv === undefined ? undefined : SCALAR_BYTES[crv];
    const d = decodeOctetString(scalar!);
    if (!size || !point || point.length !== 1 + 2 * size || point[0] !== 4 || d.length > size) return undefined;
    const padded = Buffer.concat([Buffer.alloc(size - d.length), d]);
    return {
      kty: 'EC',
      crv,
      d: padded.toString('base64url'),
      x: point.subarray(1, 1 + size).toString('base64url'),
      y: point.subarray(1 + size).toString('base64url'),
    };
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}
