import { Tag, contextTag, encodeBitString, encodeNode, encodeSequence, encodeSmallInteger } from '../asn1/der.js';
import { serialNumberOctets } from './serialNumber.js';
import type { Signer } from './signer.js';
import { encodeTime } from './time.js';

export interface CertificateFields {
  /** Hex, positive. */
  readonly serialNumber: string;
  /** Name DER. */
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  readonly publicKey: Buffer;
  /** Extension DERs, in order; none leaves the field out. */
  readonly extensions: readonly Buffer[];
}

/** An X.509 v3 certificate (RFC 5280 §4.1) of these fields, signed by `signer`: its DER. */
export function encodeCertificate(fields: CertificateFields, signer: Signer): Buffer {
  const tbs = encodeSequence(
    encodeNode(contextTag(0, true), encodeSmallInteger(2)),
    encodeNode(Tag.INTEGER, serialNumberOctets(fields.serialNumber)),
    signer.algorithm,
    fields.issuer,
    encodeSequence(encodeTime(fields.notBefore), encodeTime(fields.notAfter)),
    fields.subject,
    fields.publicKey,
    ...(fields.extensions.length > 0 ? [encodeNode(contextTag(3, true), encodeSequence(...fields.extensions))] : []),
  );
  return encodeSequence(tbs, signer.algorithm, encodeBitString(signer.sign(tbs)));
}
