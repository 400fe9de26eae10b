import pkcs11js from 'pkcs11js';
import {
  DerError,
  Tag,
  content,
  encodeBitString,
  encodeNode,
  encodeOid,
  encodeSequence,
  encodeUnsignedInteger,
  readRoot,
} from '../../asn1/der.js';
import { CertificateParseError, parseCertificate, parsePublicKeyInfo, type PublicKeyInfo } from '../certificate.js';
import { Oid } from '../oids.js';
import { findObjects, readAttribute } from './findObjects.js';
import type { TokenSession } from './pkcs11Session.js';

export type TokenKeyType = 'RSA' | 'EC';

/**
 * The public key held in an object's own attributes: CKA_MODULUS and CKA_PUBLIC_EXPONENT (RSA), or
 * CKA_EC_PARAMS and CKA_EC_POINT (EC); undefined when the object does not have or reveal them (SoftHSM's EC
 * private keys have no CKA_EC_POINT).
 */
export function publicKeyOfObject(session: TokenSession, object: Buffer, keyType: TokenKeyType): PublicKeyInfo | undefined {
  const read = (type: number) => readAttribute(session.api, session.handle, object, type);
  if (keyType === 'RSA') {
    const modulus = read(pkcs11js.CKA_MODULUS);
    const exponent = read(pkcs11js.CKA_PUBLIC_EXPONENT);
    if (!modulus?.length || !exponent?.length) return undefined;
    const rsaPublicKey = encodeSequence(encodeUnsignedInteger(modulus), encodeUnsignedInteger(exponent));
    return parsePublicKeyInfo(
      encodeSequence(encodeSequence(encodeOid(Oid.rsaEncryption), encodeNode(Tag.NULL)), encodeBitString(rsaPublicKey)),
    );
  }
  const parameters = read(pkcs11js.CKA_EC_PARAMS);
  const point = read(pkcs11js.CKA_EC_POINT);
  if (!parameters?.length || !point?.length) return undefined;
  try {
    return parsePublicKeyInfo(
      encodeSequence(encodeSequence(encodeOid(Oid.ecPublicKey), parameters), encodeBitString(unwrapEcPoint(point))),
    );
  } catch (error) {
    if (error instanceof DerError) return undefined; // CKA_EC_PARAMS that is not DER
    throw error;
  }
}

/**
 * Public keys that may belong to a private key whose own attributes do not give it away: public-key objects
 * and certificates with its CKA_ID. They are only candidates: the caller checks with a test signature.
 */
export function publicKeysWithId(session: TokenSession, id: Buffer, keyType: TokenKeyType): PublicKeyInfo[] {
  const { api, handle } = session;
  const candidates: PublicKeyInfo[] = [];
  const keyTypeCode = keyType === 'RSA' ? pkcs11js.CKK_RSA : pkcs11js.CKK_EC;
  for (const object of findObjects(api, handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: keyTypeCode },
    { type: pkcs11js.CKA_ID, value: id },
  ])) {
    const key = publicKeyOfObject(session, object, keyType);
    if (key) candidates.push(key);
  }
  for (const object of findObjects(api, handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_ID, value: id },
  ])) {
    const spki = certificatePublicKey(readAttribute(api, handle, object, pkcs11js.CKA_VALUE));
    if (spki?.keyType === keyType) candidates.push(spki);
  }
  return candidates;
}

function certificatePublicKey(der: Buffer | undefined): PublicKeyInfo | undefined {
  if (!der) return undefined;
  try {
    return parseCertificate(der).publicKey;
  } catch (error) {
    if (error instanceof CertificateParseError) return undefined;
    throw error;
  }
}

/** Coordinate sizes of P-256, P-384 and P-521: a bare uncompressed point is `04‖X‖Y`. */
const COORDINATE_BYTES = new Set([32, 48, 66]);

/** CKA_EC_POINT is a DER OCTET STRING holding the point, though some tokens give the bare point. */
function unwrapEcPoint(value: Buffer): Buffer {
  if (value[0] === 0x04 && value.length % 2 === 1 && COORDINATE_BYTES.has((value.length - 1) / 2)) return value;
  try {
    const node = readRoot(value);
    if (node.tag === Tag.OCTET_STRING) return content(node);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
  }
  return value;
}
