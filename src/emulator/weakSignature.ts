import { children, contextTag, decodeOid, readRoot, sequence } from '../asn1/der.js';
import { isStrongHash } from '../rolesAnywhereRules/signatureAlgorithms.js';
import { RSASSA_PSS } from '../x509/pssHash.js';
import { HASH_NAMES, SIGNATURE_ALGORITHMS } from '../x509/signatureAlgorithms.js';

/** RSASSA-PSS's hash when its parameters leave it out (RFC 4055). */
const PSS_DEFAULT_HASH = '1.3.14.3.2.26';

/**
 * Why the service would not take a certificate's signature (`SHA-1`, `SHA-1 (RSASSA-PSS)`, an algorithm
 * not known to be accepted), or undefined when it is SHA-256 or stronger. An allowlist: the User Guide
 * asks for "SHA256 or stronger", which an algorithm missing from the table is not known to be. RSASSA-PSS
 * names its hash in the algorithm's parameters, so the OID alone does not say.
 */
export function weakSignature(der: Buffer): string | undefined {
  const [, algorithm] = sequence(readRoot(der));
  const [oid, parameters] = sequence(algorithm);
  const algorithmOid = decodeOid(oid!);
  if (algorithmOid !== RSASSA_PSS) {
    const known = SIGNATURE_ALGORITHMS[algorithmOid];
    if (!known) return `an algorithm the service is not known to accept (OID ${algorithmOid})`;
    return isStrongHash(known.hash) ? undefined : known.hash;
  }
  // RSASSA-PSS-params: SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, ... }
  const hashField = parameters ? children(parameters).find((node) => node.tag === contextTag(0, true)) : undefined;
  const hashOid = hashField ? decodeOid(sequence(children(hashField)[0])[0]!) : PSS_DEFAULT_HASH;
  const hash = HASH_NAMES[hashOid];
  if (hash !== undefined && isStrongHash(hash)) return undefined;
  return `${hash ?? `the hash ${hashOid}`} (RSASSA-PSS)`;
}
