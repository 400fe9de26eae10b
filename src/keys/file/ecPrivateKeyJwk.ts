import { createECDH, type JsonWebKey } from 'node:crypto';
import { DerError, Tag, children, contextTag, decodeBitString, decodeOctetString, decodeOid, decodeSmallInteger, readRoot, sequence } from '../../asn1/der.js';
import { Oid, curveNameByOid } from '../oids.js';

const SCALAR_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
/** OpenSSL's names of the curves, which createECDH takes. */
const ECDH_CURVES: Readonly<Record<string, string>> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };

/** An EC private key's JWK, and whether the public point its file carries (if any) is the private scalar's. */
export interface EcPrivateKeyJwk {
  readonly jwk: JsonWebKey;
  readonly ownPoint: boolean;
}

/**
 * The JWK of an EC private key on P-256, P-384 or P-521, read from its PKCS#8 or SEC1 (RFC 5915) DER.
 * Node imports a JWK itself, while DER goes through OpenSSL's decoders, whose first use costs ~0.4 ms of
 * every credential-process run. The public point is computed from the private scalar (~0.1 ms): neither
 * Node nor OpenSSL checks that a point the file carries is the scalar's, and a key whose point is another
 * key's would match that key's certificate and then sign what it does not verify. undefined when the DER
 * is not such a key: OpenSSL then reads it.
 */
export function ecPrivateKeyJwk(der: Buffer, encoding: 'pkcs8' | 'sec1'): EcPrivateKeyJwk | undefined {
  try {
    let ecPrivateKey = der;
    let curveOid: string | undefined;
    if (encoding === 'pkcs8') {
      const [version, algorithm, privateKey] = sequence(readRoot(der), 'PrivateKeyInfo');
      const [algorithmOid, parameters] = sequence(algorithm, 'AlgorithmIdentifier');
      // A version that is no INTEGER: a damaged file, which Go and OpenSSL refuse (fuzzing QA), is not read around.
      if (version?.tag !== Tag.INTEGER || decodeOid(algorithmOid!) !== Oid.ecPublicKey || parameters?.tag !== Tag.OID) return undefined;
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
    if (!size || d.length > size) return undefined;
    const padded = Buffer.concat([Buffer.alloc(size - d.length), d]);
    const ecdh = createECDH(ECDH_CURVES[crv!]!);
    try {
      ecdh.setPrivateKey(padded);
    } catch {
      return undefined; // zero, or not below the curve's order: OpenSSL says so
    }
    const own = ecdh.getPublicKey();
    const ownPoint = point === undefined || point.equals(point[0] === 4 ? own : ecdh.getPublicKey(undefined, 'compressed'));
    return {
      jwk: {
        kty: 'EC',
        crv,
        d: padded.toString('base64url'),
        x: own.subarray(1, 1 + size).toString('base64url'),
        y: own.subarray(1 + size).toString('base64url'),
      },
      ownPoint,
    };
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}
