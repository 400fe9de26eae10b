import { decodeBitString, decodeOid, readRoot, sequence } from '../asn1/der.js';
import { accessDenied } from './serviceErrors.js';
import type { CheckedCertificate } from './verifyCertificates.js';
import type { LeafKey } from './verifySignature.js';

const ML_DSA_BY_OID: Readonly<Record<string, 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87'>> = {
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

/** What the emulator needs of an end-entity certificate. */
export interface LeafFacts {
  readonly key: LeafKey;
  /** Decimal, as the credential scope carries it. */
  readonly serialNumber: string;
  readonly sourceIdentity: string;
}

const leafFacts = new WeakMap<CheckedCertificate, LeafFacts>();

/** Worked out once per certificate: clients send the same one again and again. */
export function factsOf(leaf: CheckedCertificate): LeafFacts {
  const known = leafFacts.get(leaf);
  if (known) return known;
  const facts = {
    key: leafKey(leaf),
    serialNumber: BigInt(`0x${leaf.parsed.serialNumber}`).toString(),
    sourceIdentity: leaf.parsed.subjectName.getField('CN')[0] ?? leaf.parsed.serialNumber,
  };
  leafFacts.set(leaf, facts);
  return facts;
}

function leafKey(leaf: CheckedCertificate): LeafKey {
  const spki = Buffer.from(leaf.parsed.publicKey.rawData);
  const [algorithm, bits] = sequence(readRoot(spki));
  const oid = decodeOid(sequence(algorithm)[0]!);
  if (oid === '1.2.840.113549.1.1.1') return { type: 'RSA', keyObject: leaf.native.publicKey };
  if (oid === '1.2.840.10045.2.1') return { type: 'EC', keyObject: leaf.native.publicKey };
  const variant = ML_DSA_BY_OID[oid];
  if (!variant) throw accessDenied(`Unsupported key type ${oid} in the signing certificate`);
  return { type: variant, publicKey: decodeBitString(bits!) };
}
