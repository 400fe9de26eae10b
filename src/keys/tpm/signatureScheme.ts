import { createHash } from 'node:crypto';
import type { PublicKeyInfo } from '../certificate.js';
import { ecdsaPartsToDer } from '../ecdsaSignature.js';
import { nodeDigestName, type Digest } from '../keySource.js';
import { TpmError } from './tpmError.js';
import { TpmAlg, type TpmHash } from './tpmPublicArea.js';
import { TpmReader } from './tpmReader.js';

/** What to ask tpm2_sign for: `-s <scheme> -g <hash> -d` over `digest`. */
export interface TpmSignRequest {
  readonly scheme: 'rsassa' | 'ecdsa';
  readonly hash: TpmHash;
  readonly digest: Buffer;
}

const HASH_BYTES: Readonly<Record<TpmHash, number>> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
/** The reference picks the ECDSA scheme's hash by curve, for a key bound to none; and the curves' order sizes. */
const ECDSA_CURVES: Readonly<Record<string, { hash: TpmHash; bits: number }>> = {
  'P-256': { hash: 'sha256', bits: 256 },
  'P-384': { hash: 'sha384', bits: 384 },
  'P-521': { hash: 'sha512', bits: 521 },
};

/**
 * ECDSA: a TPM signs a digest exactly as long as its scheme's hash: the curve's (as the reference picks
 * it), or the one the key is bound to (`tpm2_create -G ecc384:ecdsa` binds SHA-256). ECDSA signs the
 * digest's leftmost bits, as many as the curve's order has; cutting a longer digest to the scheme's size,
 * or padding a shorter one with leading zeros, keeps that number the same where the sizes allow it, so
 * the signature verifies as ECDSA with the requested digest. RSASSA signs with the scheme's own hash.
 */
export function tpmSignRequest(publicKey: PublicKeyInfo, data: Buffer, digest: Digest, boundHash?: TpmHash): TpmSignRequest {
  const hashed = createHash(nodeDigestName[digest]).update(data).digest();
  const requested = nodeDigestName[digest] as TpmHash;
  if (publicKey.keyType === 'RSA') {
    if (boundHash && boundHash !== requested) throw new TpmError(`it is bound to RSASSA with ${boundHash.toUpperCase()}: it cannot sign a ${digest} digest`);
    return { scheme: 'rsassa', hash: requested, digest: hashed };
  }
  const curve = ECDSA_CURVES[publicKey.curve ?? ''];
  if (!curve) throw new TpmError('unsupported curve');
  const hash = boundHash ?? curve.hash;
  const size = HASH_BYTES[hash];
  const fits = hashed.length === size || (hashed.length > size ? size * 8 >= curve.bits : size * 8 <= curve.bits);
  if (!fits) throw new TpmError(`it is bound to ECDSA with ${hash.toUpperCase()}: on ${publicKey.curve} it cannot sign a ${digest} digest`);
  const fitted = hashed.length >= size ? hashed.subarray(0, size) : Buffer.concat([Buffer.alloc(size - hashed.length), hashed]);
  return { scheme: 'ecdsa', hash, digest: fitted };
}

/**
 * A TPMT_SIGNATURE as tpm2_sign writes it, as the helper hands signatures on: the PKCS#1 v1.5 signature
 * for RSASSA, DER `SEQUENCE { r, s }` for ECDSA.
 */
export function decodeTpmSignature(bytes: Buffer): Buffer {
  const reader = new TpmReader(bytes, 'TPM signature');
  const algorithm = reader.u16();
  reader.u16(); // hash
  let signature: Buffer;
  if (algorithm === TpmAlg.RSASSA) {
    signature = Buffer.from(reader.sized());
  } else if (algorithm === TpmAlg.ECDSA) {
    const r = reader.sized();
    signature = ecdsaPartsToDer(r, reader.sized());
  } else {
    throw new TpmError(`unexpected TPM signature algorithm 0x${algorithm.toString(16)}`);
  }
  reader.end();
  return signature;
}
