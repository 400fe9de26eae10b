import type { KeyObject } from 'node:crypto';

/** TPM2B_PUBLIC blobs made from node:crypto keys, as a TPM would report them, for the unit tests. */
export interface PublicBlobOptions {
  readonly attributes?: number;
  /** TPMT_*_SCHEME: the algorithm and, unless NULL or RSAES, its details. */
  readonly scheme?: Buffer;
  readonly symmetric?: Buffer;
  /** Overrides the curve ID (ECC) to make an unsupported one. */
  readonly curveId?: number;
  readonly exponent?: number;
}

export const SIGN = 0x0004_0000;
export const DECRYPT = 0x0002_0000;
export const RESTRICTED = 0x0001_0000;
const SIGNING_ATTRIBUTES = 0x0000_0072 | SIGN;
const NULL = u16(0x0010);
const curveIds: Record<string, number> = { 'P-256': 0x0003, 'P-384': 0x0004, 'P-521': 0x0005 };

export function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
}

export function sized(bytes: Buffer): Buffer {
  return Buffer.concat([u16(bytes.length), bytes]);
}

export function publicBlob(key: KeyObject, options: PublicBlobOptions = {}): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const head = [u32(options.attributes ?? SIGNING_ATTRIBUTES), sized(Buffer.alloc(0)), options.symmetric ?? NULL, options.scheme ?? NULL];
  let area: Buffer;
  if (jwk.kty === 'RSA') {
    const modulus = Buffer.from(jwk.n!, 'base64url');
    area = Buffer.concat([u16(0x0001), u16(0x000b), ...head, u16(modulus.length * 8), u32(options.exponent ?? 0), sized(modulus)]);
  } else {
    const curve = options.curveId ?? curveIds[jwk.crv!]!;
    const [x, y] = [Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')];
    area = Buffer.concat([u16(0x0023), u16(0x000b), ...head, u16(curve), NULL, sized(x), sized(y)]);
  }
  return sized(area);
}
