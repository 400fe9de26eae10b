import { decodeBitString, decodeOid, readRoot, sequence } from '../asn1/der.js';
import { defaultSessionTags, type SessionTag } from '../rolesAnywhereRules/sessionTags.js';
import { sourceIdentityOf } from '../rolesAnywhereRules/sourceIdentity.js';
import { accessDenied, untrusted } from './serviceErrors.js';
import { sessionTagProblem } from './sessionTags.js';
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
  /** The session tags of the default attribute mapping. */
  readonly sessionTags: readonly SessionTag[];
  /** Why its attributes cannot all become session tags; undefined when they can. */
  readonly sessionTagProblem: string | undefined;
}

const leafFacts = new WeakMap<CheckedCertificate, LeafFacts>();

/** Worked out once per certificate: clients send the same one again and again. */
export function factsOf(leaf: CheckedCertificate): LeafFacts {
  const known = leafFacts.get(leaf);
  if (known) return known;
  const sessionTags = defaultSessionTags(leaf.parsed);
  const facts = {
    key: leafKey(leaf),
    serialNumber: BigInt(`0x${leaf.parsed.serialNumber}`).toString(),
    sourceIdentity: sourceIdentityOf(leaf.parsed.subjectName.getField('CN')[0], leaf.parsed.serialNumber).value,
    sessionTags,
    sessionTagProblem: sessionTagProblem(sessionTags),
  };
  leafFacts.set(leaf, facts);
  return facts;
}

/** The curves whose keys sign AWS4-X509-ECDSA-SHA256 requests, as node:crypto names them. */
const EC_CURVES: ReadonlySet<string> = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
const MIN_RSA_BITS = 2048;

/** The certificate's key, if it is one the service accepts: RSA of 2048 bits or more, EC P-256/384/521, ML-DSA. */
function leafKey(leaf: CheckedCertificate): LeafKey {
  const spki = Buffer.from(leaf.parsed.publicKey.rawData);
  const [algorithm, bits] = sequence(readRoot(spki));
  const oid = decodeOid(sequence(algorithm)[0]!);
  if (oid === '1.2.840.113549.1.1.1') {
    const keyObject = leaf.native.publicKey;
    const size = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
    if (size < MIN_RSA_BITS) throw untrusted(`the end-entity certificate's RSA key has ${size} bits (${MIN_RSA_BITS} or more are required)`);
    return { type: 'RSA', keyObject };
  }
  if (oid === '1.2.840.10045.2.1') {
    const keyObject = leaf.native.publicKey;
    const curve = keyObject.asymmetricKeyDetails?.namedCurve;
    if (!curve || !EC_CURVES.has(curve)) {
      throw untrusted(`the end-entity certificate's EC key is on ${curve ?? 'an unnamed curve'} (P-256, P-384 or P-521 is required)`);
    }
    return { type: 'EC', keyObject };
  }
  const variant = ML_DSA_BY_OID[oid];
  if (!variant) throw accessDenied(`Unsupported key type ${oid} in the signing certificate`);
  return { type: variant, publicKey: decodeBitString(bits!) };
}
