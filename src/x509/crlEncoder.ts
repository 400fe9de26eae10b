import { Tag, encodeBitString, encodeNode, encodeSequence, encodeSmallInteger } from '../asn1/der.js';
import { EXTENSION } from './extensions.js';
import { encodeExtension } from './extensionEncoders.js';
import { serialNumberOctets } from './serialNumber.js';
import type { Signer } from './signer.js';
import { encodeTime } from './time.js';

export interface CrlFields {
  /** Name DER. */
  readonly issuer: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** The serial numbers (hex) it revokes, each on `revocationDate` for key compromise. */
  readonly revoked: readonly string[];
  readonly revocationDate: Date;
}

const KEY_COMPROMISE = 1;

/** An X.509 v2 CRL (RFC 5280 §5.1) of these fields, signed by `signer`: its DER. */
export function encodeCrl(fields: CrlFields, signer: Signer): Buffer {
  const reason = encodeSequence(encodeExtension(EXTENSION.cRLReason, false, encodeNode(0x0a, Buffer.from([KEY_COMPROMISE]))));
  const entries = fields.revoked.map((serial) => encodeSequence(encodeNode(Tag.INTEGER, serialNumberOctets(serial)), encodeTime(fields.revocationDate), reason));
  const tbs = encodeSequence(
    encodeSmallInteger(1),
    signer.algorithm,
    fields.issuer,
    encodeTime(fields.thisUpdate),
    encodeTime(fields.nextUpdate),
    ...(entries.length > 0 ? [encodeSequence(...entries)] : []),
  );
  return encodeSequence(tbs, signer.algorithm, encodeBitString(signer.sign(tbs)));
}
