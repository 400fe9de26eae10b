import { Tag, children, contextTag, decodeOid, sequence, type DerNode } from '../asn1/der.js';

export const RSASSA_PSS = '1.2.840.113549.1.1.10';
const SHA1 = '1.3.14.3.2.26';

/**
 * The OID of the hash RSASSA-PSS parameters name (`[0] EXPLICIT AlgorithmIdentifier`), SHA-1's when they
 * leave it out (RFC 4055); undefined without parameters, or with some that are not RSASSA-PSS-params.
 */
export function pssHashOid(parameters: DerNode | undefined): string | undefined {
  if (parameters?.tag !== Tag.SEQUENCE) return undefined;
  try {
    const hash = children(parameters).find((node) => node.tag === contextTag(0, true));
    return hash ? decodeOid(sequence(children(hash)[0], 'AlgorithmIdentifier')[0]!) : SHA1;
  } catch {
    return undefined;
  }
}
