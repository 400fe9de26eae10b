import { MIN_RSA_BITS, keyAcceptance, type KeyAcceptance } from '../keys/acceptedKeys.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from '../keys/certificate.js';
import { Oid } from '../keys/oids.js';
import { defaultSessionTags } from '../rolesAnywhereRules/sessionTags.js';
import type { SessionTag } from '../rolesAnywhereRules/sessionTagRules.js';
import { sourceIdentityOf, sourceIdentityProblem } from '../rolesAnywhereRules/sourceIdentity.js';
import { accessDenied, untrusted } from './serviceErrors.js';
import type { CheckedCertificate } from './verifyCertificates.js';
import type { LeafKey } from './verifySignature.js';
import { ATTRIBUTE_TYPES } from '../x509/attributeTypes.js';
import { nameValues } from '../x509/name.js';

/** What the emulator needs of an end-entity certificate. */
export interface LeafFacts {
  readonly key: LeafKey;
  /** Decimal, as the credential scope carries it. */
  readonly serialNumber: string;
  readonly sourceIdentity: string;
  /** Why STS would refuse the source identity; undefined when it would not. */
  readonly sourceIdentityProblem: string | undefined;
  /** The session tags of the default attribute mapping (a profile's mapping keeps some of them). */
  readonly sessionTags: readonly SessionTag[];
}

const leafFacts = new WeakMap<CheckedCertificate, LeafFacts>();

/** Worked out once per certificate: clients send the same one again and again. */
export function factsOf(leaf: CheckedCertificate): LeafFacts {
  const known = leafFacts.get(leaf);
  if (known) return known;
  const sessionTags = defaultSessionTags(leaf.parsed);
  const sourceIdentity = sourceIdentityOf(nameValues(leaf.parsed.subjectName, ATTRIBUTE_TYPES.CN)[0], leaf.parsed.serialNumber).value;
  const facts = {
    key: leafKey(leaf),
    serialNumber: BigInt(`0x${leaf.parsed.serialNumber}`).toString(),
    sourceIdentity,
    sourceIdentityProblem: sourceIdentityProblem(sourceIdentity),
    sessionTags,
  };
  leafFacts.set(leaf, facts);
  return facts;
}

/** The certificate's key, if it is one the service accepts (keys/acceptedKeys.ts). */
function leafKey(leaf: CheckedCertificate): LeafKey {
  const info = parsePublicKeyInfo(leaf.parsed.publicKey);
  const acceptance = keyAcceptance(info);
  if (!acceptance.accepted) throw keyRefused(leaf, info, acceptance);
  if (acceptance.keyType === 'RSA' || acceptance.keyType === 'EC') return { type: acceptance.keyType, keyObject: leaf.native.publicKey };
  return { type: acceptance.keyType, publicKey: info.keyBits };
}

function keyRefused(leaf: CheckedCertificate, info: PublicKeyInfo, { rsaBits }: KeyAcceptance & { accepted: false }) {
  if (rsaBits !== undefined) return untrusted(`the end-entity certificate's RSA key has ${rsaBits} bits (${MIN_RSA_BITS} or more are required)`);
  if (info.algorithmOid !== Oid.ecPublicKey) return accessDenied(`Unsupported key type ${info.algorithmOid} in the signing certificate`);
  // Named as node:crypto names it (secp256k1); a curve spelt out by its parameters is refused even where they are P-256's.
  const curve = info.curveOid ? (leaf.native.publicKey.asymmetricKeyDetails?.namedCurve ?? info.curveOid) : 'a curve given by its parameters, not by name';
  return untrusted(`the end-entity certificate's EC key is on ${curve} (P-256, P-384 or P-521 is required)`);
}
