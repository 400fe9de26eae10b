import { Tag, content, contextTag, decodeBoolean, decodeOctetString, decodeOid, decodeSmallInteger, readRoot, sequence, children, expectTag, DerError, type DerNode } from '../asn1/der.js';
import { countNodes, fieldsOf, requireDer } from './derNodes.js';
import { readName, type DistinguishedName } from './name.js';

export interface Extension {
  /** The extension's OID. */
  readonly type: string;
  readonly critical: boolean;
  /** The DER inside its OCTET STRING. */
  readonly value: Buffer;
}

/**
 * The extensions of a TBSCertificate (its `[3] EXPLICIT` field, if any); each value must parse, those read
 * here or by path validation in DER (requireDer),
 * and no extension may appear twice (RFC 5280 §4.2, as Go's crypto/x509 refuses it: which of two
 * basicConstraints would hold is the issuer's secret).
 */
export function readExtensions(node: DerNode | undefined): Extension[] {
  if (!node) return [];
  const [list, ...more] = children(node);
  if (more.length > 0) throw new DerError('unexpected fields in a TBSCertificate');
  return readExtensionList(list);
}

/** A SEQUENCE OF Extension, as readExtensions reads it: a CRL's, or its entry's. */
export function readExtensionList(list: DerNode | undefined): Extension[] {
  const extensions = sequence(list, 'Extensions').map((extension) => {
    const [type, second, third] = fieldsOf(extension, 'Extension', 3);
    const critical = third !== undefined && decodeBoolean(second!);
    const value = decodeOctetString((third ?? second)!);
    const root = readRoot(value);
    const oid = decodeOid(type!);
    // Those read here or by path validation are DER, as Go and OpenSSL take them; another's value need only
    // parse: Go and OpenSSL read it not at all, and the service may take it.
    if (READ_HERE.has(oid)) requireDer(root);
    else countNodes(root);
    const [outer, elements] = SHAPES[oid] ?? [root.tag];
    if (root.tag !== outer || (elements && children(root).some((element) => !elements.includes(element.tag)))) throw new DerError(`extension ${oid} is malformed`);
    return { type: oid, critical, value };
  });
  const repeated = extensions.find((extension, at) => extensions.findIndex((other) => other.type === extension.type) !== at);
  if (repeated) throw new DerError(`extension ${repeated.type} appears twice`);
  return extensions;
}

/**
 * The shape of the extensions path validation reads, which check and the emulator read no further: the value's tag,
 * and the tags its elements may have. Go refuses a certificate whose EKU holds an INTEGER, say, and OpenSSL's verify
 * one whose AKI is no SEQUENCE (differential fuzzing QA: check said OK); the subjectAltName's GeneralNames, as Java's.
 */
const SHAPES: Readonly<Record<string, readonly [number, (readonly number[])?]>> = {
  '2.5.29.14': [Tag.OCTET_STRING], // subjectKeyIdentifier
  '2.5.29.35': [Tag.SEQUENCE, [0x80, 0xa1, 0x82]], // authorityKeyIdentifier
  '2.5.29.17': [Tag.SEQUENCE, [0xa0, 0x81, 0x82, 0xa3, 0xa4, 0xa5, 0x86, 0x87, 0x88]], // subjectAltName
  '2.5.29.30': [Tag.SEQUENCE, [0xa0, 0xa1]], // nameConstraints
  '2.5.29.31': [Tag.SEQUENCE, [Tag.SEQUENCE]], // cRLDistributionPoints
  '2.5.29.32': [Tag.SEQUENCE, [Tag.SEQUENCE]], // certificatePolicies
  '2.5.29.37': [Tag.SEQUENCE, [Tag.OID]], // extKeyUsage
  '1.3.6.1.5.5.7.1.1': [Tag.SEQUENCE, [Tag.SEQUENCE]], // authorityInfoAccess
};

export const EXTENSION = {
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  cRLReason: '2.5.29.21',
} as const;

/** The extensions read here or by path validation, whose values must be DER. */
const READ_HERE: ReadonlySet<string> = new Set([...Object.keys(SHAPES), ...Object.values(EXTENSION)]);

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength?: number;
}

/** `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }`. */
export function readBasicConstraints(value: Buffer): BasicConstraints {
  const fields = sequence(readRoot(value), 'BasicConstraints');
  const ca = fields[0]?.tag === Tag.BOOLEAN ? decodeBoolean(fields.shift()!) : false;
  // Nothing after the path length (nor a third field), as OpenSSL's verify takes it (a cA after it was left unread: differential fuzzing QA).
  if (fields.length > 1) throw new DerError('BasicConstraints has more fields than it can');
  return fields[0] ? { ca, pathLength: decodeSmallInteger(fields[0]) } : { ca };
}

/**
 * The keyUsage BIT STRING as flags: bit n (digitalSignature is 0) as 2^n, as KeyUsage numbers them. Its value
 * is DER (readExtensionList): an octet of unused bits, 0 to 7, is there.
 */
export function readKeyUsage(value: Buffer): number {
  const bits = content(expectTag(readRoot(value), Tag.BIT_STRING, 'BIT STRING'));
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
    // An email address, DNS name or URI is an IA5String (ASCII), an IP address 4 or 16 octets: Go refuses others (differential fuzzing QA).
    const bytes = content(name);
    if ([0x81, 0x82, 0x86].includes(name.tag) && bytes.some((byte) => byte > 0x7f)) throw new DerError('a subjectAltName is not ASCII');
    if (name.tag === 0x87 && bytes.length !== 4 && bytes.length !== 16) throw new DerError('a subjectAltName IP address is neither 4 nor 16 octets');
    if (name.tag === contextTag(2, false)) names.dns.push(content(name).toString('latin1'));
    else if (name.tag === contextTag(6, false)) names.uri.push(content(name).toString('latin1'));
    else if (name.tag === contextTag(4, true)) names.directoryNames.push(readName(children(name)[0]));
  }
  return names;
}
