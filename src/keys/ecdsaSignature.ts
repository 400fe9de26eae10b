import { Tag, encodeNode, encodeUnsignedInteger } from '../asn1/der.js';

/**
 * ECDSA signatures as the service wants them, ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }`, from the
 * raw `r‖s` form tokens (PKCS#11 CKM_ECDSA) and TPMs produce.
 */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error(`malformed raw ECDSA signature of ${raw.length} bytes`);
  const half = raw.length / 2;
  return ecdsaPartsToDer(raw.subarray(0, half), raw.subarray(half));
}

export function ecdsaPartsToDer(r: Buffer, s: Buffer): Buffer {
  return encodeNode(Tag.SEQUENCE, encodeUnsignedInteger(r), encodeUnsignedInteger(s));
}
