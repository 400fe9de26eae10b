import { DerError, Tag, children, content, decodeOid, encoding, sequence, type DerNode } from '../asn1/der.js';
import { attributeTypeName } from './attributeTypes.js';
import { fieldsOf } from './derNodes.js';

/** One attribute of a distinguished name: its type (an OID) and its value as text, or as `#` and the hex of its DER when it is not a string. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
  /** Whether `value` is `#` and hex. */
  readonly encoded: boolean;
}

/** A Name: its RDNs in order, each a list of attributes. */
export type DistinguishedName = readonly (readonly NameAttribute[])[];

const TEXT_TAGS: Readonly<Record<number, (bytes: Buffer) => string | undefined>> = {
  [Tag.PRINTABLE_STRING]: (bytes) => bytes.toString('latin1'),
  [Tag.IA5_STRING]: (bytes) => bytes.toString('latin1'),
  0x14: (bytes) => bytes.toString('latin1'), // TeletexString
  0x12: (bytes) => bytes.toString('latin1'), // NumericString
  [Tag.UTF8_STRING]: utf8,
  0x1e: (bytes) => Buffer.from(bytes).swap16().toString('utf16le'), // BMPString, UTF-16BE
  0x1c: universalString,
};

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** undefined when the bytes are not UTF-8 (Go and OpenSSL refuse a certificate whose name holds such a value). */
function utf8(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** UTF-32BE, one code point at a time (spread into String.fromCodePoint, a long one overflowed the stack); `#` and hex when one is past U+10FFFF. */
function universalString(bytes: Buffer): string | undefined {
  let text = '';
  for (let at = 0; at < bytes.length; at += 4) {
    const codePoint = bytes.readUInt32BE(at);
    if (codePoint > 0x10ffff) return undefined;
    text += String.fromCodePoint(codePoint);
  }
  return text;
}

/** Reads a Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
export function readName(node: DerNode | undefined): DistinguishedName {
  return sequence(node, 'Name').map((rdn) => {
    if (rdn.tag !== Tag.SET) throw new DerError('expected a SET of a Name');
    return children(rdn).map((attribute): NameAttribute => {
      const [type, value] = fieldsOf(attribute, 'AttributeTypeAndValue', 2);
      if (!value) throw new DerError('an attribute of a Name without a value');
      const bytes = content(value);
      const text = (value.tag === 0x1e && bytes.length % 2) || (value.tag === 0x1c && bytes.length % 4) ? undefined : TEXT_TAGS[value.tag]?.(bytes);
      if (text !== undefined) return { type: decodeOid(type!), value: text, encoded: false };
      return { type: decodeOid(type!), value: `#${encoding(value).toString('hex')}`, encoded: true };
    });
  });
}

/**
 * Reads a certificate's or a CRL's Name, refusing a value that is no string (an INTEGER, a VisibleString) or no string
 * of its type (UTF-8 that is not, an odd-length BMPString), as Go and OpenSSL refuse it (differential fuzzing QA).
 */
export function readStringName(node: DerNode | undefined): DistinguishedName {
  const name = readName(node);
  if (name.flat().some((attribute) => attribute.encoded)) throw new DerError('a name holds a value that is not a string it can have');
  return name;
}

/**
 * A name as messages print it: `CN=leaf, O=Example`, RDNs joined by `, `, the attributes of one by `+`,
 * values escaped as RFC 4514 asks (`,+"\<>;`, a leading space or `#`, a trailing space, the first line
 * break or tab as `\0A`), the form check and the emulator have always printed and sessions are keyed on.
 */
export function nameToString(name: DistinguishedName): string {
  return name
    .map((rdn) => rdn.map(({ type, value, encoded }) => `${attributeTypeName(type) ?? type}=${encoded ? value : escape(value)}`).join('+'))
    .join(', ');
}

function escape(value: string): string {
  return value
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (char) => `\\${Buffer.from(char).toString('hex').toUpperCase()}`);
}

/** The values of one attribute type (by OID), in order, unescaped (`#` and hex left out of the undecoded). */
export function nameValues(name: DistinguishedName, type: string): string[] {
  return name.flatMap((rdn) => rdn.filter((attribute) => attribute.type === type).map(({ value, encoded }) => (encoded ? value.slice(1) : value)));
}
