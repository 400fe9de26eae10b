import {
  DerError,
  Tag,
  contextTag,
  decodeBitString,
  decodeInteger,
  decodeOid,
  decodeTime,
  encoding,
  readRoot,
  sequence,
  type DerNode,
} from '../asn1/der.js';
import { Oid, curveNameByOid, mlDsaVariantByOid, type MlDsaVariant } from './oids.js';

/** The public-key type of a certificate or key, as the helper names it (and `read-certificate-data` prints it). */
export type KeyType = 'RSA' | 'EC' | MlDsaVariant;

export interface PublicKeyInfo {
  /** The SubjectPublicKeyInfo DER. */
  readonly spki: Buffer;
  /** undefined when the helper cannot sign with this kind of key. */
  readonly keyType: KeyType | undefined;
  readonly algorithmOid: string;
  /** `P-256`, `P-384`, `P-521` for EC keys on a named curve the helper supports. */
  readonly curve?: string;
  /** An EC key's named curve, by OID, for messages about one the helper does not support (secp256k1: 1.3.132.0.10). */
  readonly curveOid?: string;
  /** The BIT STRING of the SubjectPublicKeyInfo. */
  readonly keyBits: Buffer;
}

/** An X.509 certificate, parsed just enough to sign with it and check it before sending it. */
export interface Certificate {
  readonly der: Buffer;
  readonly serialNumber: bigint;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly publicKey: PublicKeyInfo;
}

/** Why DER bytes are not a certificate (the caller says which file). */
export class CertificateParseError extends Error {}

/** Where a TBSCertificate's own signature AlgorithmIdentifier is among its fields: after the serial number, and the version if given. */
export function tbsSignatureIndex(fields: readonly DerNode[]): number {
  return fields[0]?.tag === contextTag(0, true) ? 2 : 1;
}

/**
 * Parses a DER certificate. MD5- and SHA-1-signed certificates and unknown key types parse too: whether
 * a certificate is acceptable is decided later, with a message that says why.
 */
export function parseCertificate(der: Buffer): Certificate {
  try {
    const [tbs, signatureAlgorithm, signature] = sequence(readRoot(der), 'Certificate');
    if (!signatureAlgorithm || !signature) throw new DerError('incomplete Certificate');
    const fields = sequence(tbs, 'TBSCertificate');
    if (fields[0]?.tag === contextTag(0, true)) fields.shift();
    const [serial, , issuer, validity, subject, spki] = fields;
    if (!spki) throw new DerError('the certificate has no subject public key info');
    const serialNumber = decodeInteger(serial!);
    if (serialNumber < 0n) throw new DerError('negative serial number');
    const [notBefore, notAfter] = sequence(validity, 'Validity');
    if (!issuer || !subject || issuer.tag !== Tag.SEQUENCE || subject.tag !== Tag.SEQUENCE) {
      throw new DerError('malformed Name');
    }
    return {
      der,
      serialNumber,
      notBefore: decodeTime(notBefore),
      notAfter: decodeTime(notAfter),
      issuer: encoding(issuer),
      subject: encoding(subject),
      publicKey: parsePublicKeyInfo(encoding(spki)),
    };
  } catch (error) {
    if (error instanceof DerError) throw new CertificateParseError(error.message);
    throw error;
  }
}

export function parsePublicKeyInfo(spki: Buffer): PublicKeyInfo {
  const [algorithm, bits] = sequence(readRoot(spki), 'SubjectPublicKeyInfo');
  const [oidNode, parameters] = sequence(algorithm, 'AlgorithmIdentifier');
  const algorithmOid = decodeOid(oidNode!);
  const keyBits = decodeBitString(bits!);
  if (algorithmOid === Oid.rsaEncryption) return { spki, keyType: 'RSA', algorithmOid, keyBits };
  if (algorithmOid === Oid.ecPublicKey) {
    const curveOid = parameters?.tag === Tag.OID ? decodeOid(parameters) : undefined;
    const curve = curveOid && curveNameByOid[curveOid];
    return { spki, keyType: curve ? 'EC' : undefined, algorithmOid, curve, curveOid, keyBits };
  }
  return { spki, keyType: mlDsaVariantByOid[algorithmOid], algorithmOid, keyBits };
}
