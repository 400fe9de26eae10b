import { Tag, content, contextTag, decodeBoolean, decodeOctetString, decodeOid, decodeSmallInteger, readRoot, sequence, children, expectTag, DerError, type DerNode } from '../asn1/der.js';
import { requireDer } from './derNodes.js';
import { readName, type DistinguishedName } from './name.js';

export interface Extension {
  /** The extension's OID. */
  readonly type: string;
  readonly critical: boolean;
  /** The DER inside its OCTET STRING. */
  readonly value: Buffer;
}

/**
 * The extensions of a TBSCertificate (its `[3] EXPLICIT` field, if any); each value must be DER (requireDer),
 * and no extension may appear twice (RFC 5280 §4.2, as Go's crypto/x509 refuses it: which of two
 * basicConstraints would hold is the issuer's secret).
 */
export function readExtensions(node: DerNode | undefined): Extension[] {
  if (!node) return [];
  const [list] = children(node);
  const extensions = sequence(list, 'Extensions').map((extension) => {
    const [type, second, third] = sequence(extension, 'Extension');
    const critical = third !== undefined && decodeBoolean(second!);
    const value = decodeOctetString((third ?? second)!);
    requireDer(readRoot(value));
    return { type: decodeOid(type!), critical, value };
  });
  const repeated = extensions.find((extension, at) => extensions.findIndex((other) => other.type === extension.type) !== at);
  if (repeated) throw new DerError(`extension ${repeated.type} appears twice`);
  return extensions;
}

export const EXTENSION = {
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  cRLReason: '2.5.29.21',
} as const;

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength?: number;
}

/** `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }`. */
export function readBasicConstraints(value: Buffer): BasicConstraints {
  const fields = sequence(readRoot(value), 'BasicConstraints');
  const ca = fields[0]?.tag === Tag.BOOLEAN ? decodeBoolean(fields.shift()!) : false;
  return fields[0] ? { ca, pathLength: decodeSmallInteger(fields[0]) } : { ca };
}

/** The keyUsage BIT STRING as flags: bit n (digitalSignature is 0) as 2^n, as KeyUsage numbers them. */
export function readKeyUsage(value: Buffer): number {
  const bits = content(expectTag(readRoot(value), Tag.BIT_STRING, 'BIT STRING'));
  if (bits.length === 0 || bits[0]! > 7) throw new DerError('malformed BIT STRING');
  let flags = 0;
  for (let bit = 0; bit < Math.min((bits.length - 1) * 8, 31); bit++) {
    if (bits[1 + (bit >> 3)]! & (0x80 >> (bit & 7))) flags |= 1 << bit;
  }
  return flags;
}

/** The subjectAltName's names of the types the service maps into session tags, each type's in order. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly uri: readonly string[];
  readonly directoryNames: readonly DistinguishedName[];
}

export function readSubjectAltNames(value: Buffer): SubjectAltNames {
  const names = { dns: [] as string[], uri: [] as string[], directoryNames: [] as DistinguishedName[] };
  for (const name of sequence(readRoot(value), 'GeneralNames')) {
    if (name.tag === contextTag(2, false)) names.dns.push(content(name).toString('latin1'));
    else if (name.tag === contextTag(6, false)) names.uri.push(content(name).toString('latin1'));
    else if (name.tag === contextTag(4, true)) names.directoryNames.push(readName(children(name)[0]));
  }
  return names;
}
