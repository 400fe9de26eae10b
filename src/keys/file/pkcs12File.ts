import { Tag, decodeOid, decodeSmallInteger, readNode } from '../../asn1/der.js';
import { decodePem, isPem } from '../../asn1/pem.js';

/**
 * A PKCS#12 file's DER: the file's own, or its PKCS12 block's when it is PEM (as GnuTLS's certtool writes one
 * unless told --outder); undefined when it is no PKCS#12 file.
 */
export function pkcs12Der(data: Buffer): Buffer | undefined {
  const der = isPem(data) ? decodePem(data.toString('latin1'))[0] : { type: 'PKCS12', der: data };
  return der?.type === 'PKCS12' && looksLikePkcs12(der.der) ? der.der : undefined;
}

/** keytool's format before Java 9 (JKS) and its JCEKS, by their magic numbers: no PKCS#12 file, though taken for one. */
export function isJavaKeystore(data: Buffer): boolean {
  return data.length >= 4 && [0xfeedfeed, 0xcececece].includes(data.readUInt32BE(0));
}

export const JAVA_KEYSTORE =
  'it is a Java keystore (JKS or JCEKS), not PKCS#12: convert it with `keytool -importkeystore -srckeystore OLD.jks -destkeystore NEW.p12 -deststoretype PKCS12`';

/** ContentInfo types a PFX's authSafe holds: PKCS#7 data (password integrity) or signedData. */
const AUTH_SAFE_TYPES = ['1.2.840.113549.1.7.1', '1.2.840.113549.1.7.2'];

/**
 * PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo SEQUENCE { contentType OID, ... }, ... },
 * told by its first bytes alone: a file cut short is still known for PKCS#12 (and said to be damaged),
 * and a DER key, whose SEQUENCE also starts with an INTEGER, is not taken for one.
 */
export function looksLikePkcs12(data: Buffer): boolean {
  if (data.length < 32) return false;
  try {
    // Headers only: the lengths they give may run past the end of a truncated file.
    const root = readNode(data, 0, Infinity);
    const version = readNode(data, root.contentStart);
    const authSafe = readNode(data, version.end, Infinity);
    const type = readNode(data, authSafe.contentStart);
    return (
      root.tag === Tag.SEQUENCE && version.tag === Tag.INTEGER && decodeSmallInteger(version) === 3 &&
      authSafe.tag === Tag.SEQUENCE && type.tag === Tag.OID && AUTH_SAFE_TYPES.includes(decodeOid(type))
    );
  } catch {
    return false;
  }
}
