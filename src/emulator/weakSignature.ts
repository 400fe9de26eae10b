import { children, contextTag, decodeOid, readRoot, sequence } from '../asn1/der.js';

/** Signature algorithms over hashes weaker than SHA-256, by OID: the service rejects certificates signed with them. */
const WEAK_SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'MD2',
  '1.2.840.113549.1.1.4': 'MD5',
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10040.4.3': 'SHA-1',
  '1.2.840.113549.1.1.14': 'SHA-224',
  '1.2.840.10045.4.3.1': 'SHA-224',
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';
/** The hashes RSASSA-PSS parameters may name that are SHA-256 or stronger. */
const STRONG_PSS_HASHES: ReadonlySet<string> = new Set([
  '2.16.840.1.101.3.4.2.1', // SHA-256
  '2.16.840.1.101.3.4.2.2', // SHA-384
  '2.16.840.1.101.3.4.2.3', // SHA-512
]);
const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
};

/**
 * The weak hash a certificate is signed over (`SHA-1`, `SHA-1 (RSASSA-PSS)`), or undefined when it is
 * SHA-256 or stronger. RSASSA-PSS names its hash in the algorithm's parameters, SHA-1 when it leaves it
 * out (RFC 4055), so the OID alone does not say.
 */
export function weakSignatureHash(der: Buffer): string | undefined {
  const [, algorithm] = sequence(readRoot(der));
  const [oid, parameters] = sequence(algorithm);
  const algorithmOid = decodeOid(oid!);
  if (algorithmOid !== RSASSA_PSS) return WEAK_SIGNATURE_ALGORITHMS[algorithmOid];
  // RSASSA-PSS-params: SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, ... }
  const hashField = parameters ? children(parameters).find((node) => node.tag === contextTag(0, true)) : undefined;
  const hashOid = hashField ? decodeOid(sequence(children(hashField)[0])[0]!) : '1.3.14.3.2.26';
  if (STRONG_PSS_HASHES.has(hashOid)) return undefined;
  return `${HASH_NAMES[hashOid] ?? `the hash ${hashOid}`} (RSASSA-PSS)`;
}
