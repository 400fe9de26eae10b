/**
 * ML-DSA (FIPS 204) private keys from PKCS#8, signed with @noble/post-quantum: Node 20 and 22 have no
 * ML-DSA, and this module is loaded only when a key file holds one. Signatures are pure ML-DSA with an
 * empty context and no added randomness, as the reference makes them.
 */
import {
  DerError,
  Tag,
  content,
  contextTag,
  decodeOctetString,
  decodeOid,
  encodeBitString,
  encodeOid,
  encodeSequence,
  readRoot,
  sequence,
} from '../../asn1/der.js';
import { parsePublicKeyInfo } from '../certificate.js';
import { samePublicKey } from '../keyMatch.js';
import { mlDsaVariantByOid, type MlDsaVariant } from '../oids.js';
import { KeyParseError } from '../keyParseError.js';
import type { FilePrivateKey } from './filePrivateKey.js';
import { mlDsa } from '../../mlDsa.js';

export function mlDsaKeyFromPkcs8(der: Buffer): FilePrivateKey {
  try {
    const [, algorithm, privateKey] = sequence(readRoot(der), 'PrivateKeyInfo');
    const oidNode = sequence(algorithm, 'AlgorithmIdentifier')[0]!;
    const oid = decodeOid(oidNode);
    const variant = mlDsaVariantByOid[oid]!;
    const { secretKey, publicKey } = expandPrivateKey(variant, decodeOctetString(privateKey!));
    const implementation = mlDsa[variant];
    const spki = encodeSequence(encodeSequence(encodeOid(oid)), encodeBitString(Buffer.from(publicKey)));
    const publicKeyInfo = parsePublicKeyInfo(spki);
    return {
      publicKey: publicKeyInfo,
      isKeyOf: (info) => samePublicKey(publicKeyInfo, info),
      sign: (data) => Buffer.from(implementation.sign(data, secretKey, { extraEntropy: false })),
    };
  } catch (error) {
    if (error instanceof DerError) throw new KeyParseError(`malformed ML-DSA key: ${error.message}`);
    throw error;
  }
}

/**
 * The three private-key forms of RFC 9881: the 32-byte seed (`[0]`), the expanded key, or both (then
 * they must agree).
 */
function expandPrivateKey(variant: MlDsaVariant, encoded: Buffer): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const implementation = mlDsa[variant];
  const choice = readRoot(encoded);
  if (choice.tag === contextTag(0, false)) return fromSeed(variant, content(choice));
  if (choice.tag === Tag.OCTET_STRING) {
    const secretKey = checkExpandedLength(variant, content(choice));
    try {
      return { secretKey, publicKey: implementation.getPublicKey(secretKey) };
    } catch (error) {
      // noble's own words for coefficients out of range, which a damaged file has (fuzzing QA: an internal error).
      throw new KeyParseError(`invalid ${variant} expanded private key (${(error as Error).message})`);
    }
  }
  const [seedNode, expandedNode] = sequence(choice, 'ML-DSA private key');
  const keys = fromSeed(variant, decodeOctetString(seedNode!));
  const expanded = checkExpandedLength(variant, decodeOctetString(expandedNode!));
  if (!Buffer.from(keys.secretKey).equals(expanded)) {
    throw new KeyParseError(`${variant} private key's seed and expanded key do not match`);
  }
  return keys;
}

function fromSeed(variant: MlDsaVariant, seed: Buffer) {
  if (seed.length !== 32) throw new KeyParseError(`invalid seed length for ${variant}: got ${seed.length}, want 32`);
  return mlDsa[variant].keygen(seed);
}

function checkExpandedLength(variant: MlDsaVariant, expanded: Buffer): Buffer {
  const expected = mlDsa[variant].lengths.secretKey;
  if (expanded.length !== expected) {
    throw new KeyParseError(`invalid expanded key length for ${variant}: got ${expanded.length}, want ${expected}`);
  }
  return expanded;
}
