import { createHash } from 'node:crypto';
import type { PublicKeyInfo } from '../certificate.js';
import { ecdsaPartsToDer } from '../ecdsaSignature.js';
import { nodeDigestName, type Digest } from '../keySource.js';
import { TpmError } from './tpmError.js';
import { TpmAlg } from './tpmPublicArea.js';
import { TpmReader } from './tpmReader.js';

type TpmHash = 'sha256' | 'sha384' | 'sha512';

/** What to ask tpm2_sign for: `-s <scheme> -g <hash> -d` over `digest`. */
export interface TpmSignRequest {
  readonly scheme: 'rsassa' | 'ecdsa';
  readonly hash: TpmHash;
  readonly digest: Buffer;
}

/**
 * ECDSA: a TPM signs a digest exactly as long as its scheme's hash, and the reference picks that hash by
 * curve. Cutting a longer digest to the curve's size, or padding a shorter one with leading zeros, keeps
 * the number ECDSA signs the same, so the signature verifies as ECDSA with the requested digest.
 */
const ecdsaHashByCurve: Readonly<Record<string, { hash: TpmHash; size: number }>> = {
  'P-256': { hash: 'sha256', size: 32 },
  'P-384': { hash: 'sha384', size: 48 },
  'P-521': { hash: 'sha512', size: 64 },
};

export function tpmSignRequest(publicKey: PublicKeyInfo, data: Buffer, digest: Digest): TpmSignRequest {
  const hashed = createHash(nodeDigestName[digest]).update(data).digest();
  if (publicKey.keyType === 'RSA') return { scheme: 'rsassa', hash: nodeDigestName[digest] as TpmHash, digest: hashed };
  const ecdsa = ecdsaHashByCurve[publicKey.curve ?? ''];
  if (!ecdsa) throw new TpmError('unsupported curve');
  const fitted =
    hashed.length >= ecdsa.size
      ? hashed.subarray(0, ecdsa.size)
      : Buffer.concat([Buffer.alloc(ecdsa.size - hashed.length), hashed]);
  return { scheme: 'ecdsa', hash: ecdsa.hash, digest: fitted };
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
