import { Tag, encodeBitString, encodeNode, encodeOid, encodeSequence, encodeUnsignedInteger } from '../../asn1/der.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from '../certificate.js';
import { KeyParseError } from '../keyParseError.js';
import { Oid } from '../oids.js';
import { TpmReader } from './tpmReader.js';

/** TPM_ALG_ID values (TPM 2.0 Part 2, 6.3) that a signing key's public area uses. */
export const TpmAlg = {
  RSA: 0x0001,
  NULL: 0x0010,
  RSASSA: 0x0014,
  RSAES: 0x0015,
  ECDSA: 0x0018,
  ECDAA: 0x001a,
  ECC: 0x0023,
} as const;

/** TPMA_OBJECT bits the helper looks at. */
const Attribute = { restricted: 0x0001_0000, sign: 0x0004_0000 } as const;

const curveById: Readonly<Record<number, { name: string; oid: string; size: number }>> = {
  0x0003: { name: 'P-256', oid: Oid.prime256v1, size: 32 },
  0x0004: { name: 'P-384', oid: Oid.secp384r1, size: 48 },
  0x0005: { name: 'P-521', oid: Oid.secp521r1, size: 66 },
};

const PUBLIC_BLOB = 'TPMv2 PUBLIC blob';

/** The hashes a signing scheme may be bound to (TPM_ALG_ID), by the names tpm2_sign's -g takes. */
const hashById: Readonly<Record<number, TpmHash>> = { 0x0004: 'sha1', 0x000b: 'sha256', 0x000c: 'sha384', 0x000d: 'sha512' };

export type TpmHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** What a TPM2B_PUBLIC says about a key: its public key, what it may do, and the scheme it is bound to. */
export interface TpmPublicArea {
  readonly publicKey: PublicKeyInfo;
  readonly attributes: number;
  /** TPM_ALG_NULL when the key signs with whatever scheme the caller asks for. */
  readonly scheme: number;
  /** The hash a bound scheme signs with (tpm2_create -G ecc384:ecdsa binds ECDSA with SHA-256). */
  readonly schemeHash?: TpmHash | undefined;
}

/** Decodes a TPM2B_PUBLIC (the 2-byte size, then a TPMT_PUBLIC of an RSA or ECC key). */
export function decodeTpmPublic(tpm2b: Buffer): TpmPublicArea {
  const reader = new TpmReader(tpm2b, PUBLIC_BLOB);
  const area = new TpmReader(reader.sized(), PUBLIC_BLOB);
  reader.end();
  const type = area.u16();
  if (type !== TpmAlg.RSA && type !== TpmAlg.ECC) throw new KeyParseError('unsupported TPMv2 key type');
  area.u16(); // nameAlg
  const attributes = area.u32();
  area.sized(); // authPolicy
  skipSymmetric(area);
  const scheme = area.u16();
  let schemeHash: number | undefined;
  if (scheme !== TpmAlg.NULL && scheme !== TpmAlg.RSAES) schemeHash = area.u16();
  if (scheme === TpmAlg.ECDAA) area.u16(); // and ECDAA's count
  let spki: Buffer;
  if (type === TpmAlg.RSA) {
    area.u16(); // keyBits
    const exponent = area.u32() || 65537;
    const modulus = area.sized();
    spki = rsaSpki(modulus, exponent);
  } else {
    const curve = curveById[area.u16()];
    if (!curve) throw new KeyParseError('unsupported curve');
    if (area.u16() !== TpmAlg.NULL) area.u16(); // KDF scheme and its hash
    const x = area.sized();
    const y = area.sized();
    spki = ecSpki(curve.oid, leftPad(x, curve.size), leftPad(y, curve.size));
  }
  area.end();
  return { publicKey: parsePublicKeyInfo(spki), attributes, scheme, schemeHash: schemeHash === undefined ? undefined : hashById[schemeHash] };
}

/** Why the key cannot sign what the helper signs, or undefined when it can. */
export function signingProblem(area: TpmPublicArea): string | undefined {
  if (!(area.attributes & Attribute.sign)) return 'it is not a signing key (its sign attribute is not set)';
  if (area.attributes & Attribute.restricted) return 'it is a restricted signing key, which signs only digests the TPM made itself';
  const wanted = area.publicKey.keyType === 'RSA' ? TpmAlg.RSASSA : TpmAlg.ECDSA;
  if (area.scheme !== TpmAlg.NULL && area.scheme !== wanted) {
    return `it is bound to signing scheme 0x${area.scheme.toString(16).padStart(4, '0')}, not ${area.publicKey.keyType === 'RSA' ? 'RSASSA (PKCS#1 v1.5)' : 'ECDSA'}`;
  }
  return undefined;
}

function skipSymmetric(area: TpmReader): void {
  if (area.u16() !== TpmAlg.NULL) {
    area.u16(); // keyBits
    area.u16(); // mode
  }
}

function rsaSpki(modulus: Buffer, exponent: number): Buffer {
  const exponentBytes = Buffer.alloc(4);
  exponentBytes.writeUInt32BE(exponent);
  const rsaPublicKey = encodeSequence(encodeUnsignedInteger(modulus), encodeUnsignedInteger(exponentBytes));
  return encodeSequence(encodeSequence(encodeOid(Oid.rsaEncryption), encodeNode(Tag.NULL)), encodeBitString(rsaPublicKey));
}

function ecSpki(curveOid: string, x: Buffer, y: Buffer): Buffer {
  const point = Buffer.concat([Buffer.from([4]), x, y]);
  return encodeSequence(encodeSequence(encodeOid(Oid.ecPublicKey), encodeOid(curveOid)), encodeBitString(point));
}

function leftPad(bytes: Buffer, size: number): Buffer {
  if (bytes.length > size) throw new KeyParseError(`malformed ${PUBLIC_BLOB}: EC coordinate longer than the curve`);
  return Buffer.concat([Buffer.alloc(size - bytes.length), bytes]);
}
