import { Tag, children, content, decodeOid, encodeNode, encoding, readRoot, sequence, type DerNode } from '../asn1/der.js';

/** The attribute types Go's pkix.Name parses into fields, with the names its String() prints. */
const STANDARD_TYPES: Readonly<Record<string, string>> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
};

/** The fields Go keeps every value of, each printed as one multi-valued RDN, in this order. */
const MULTI_VALUED = ['2.5.4.6', '2.5.4.8', '2.5.4.7', '2.5.4.9', '2.5.4.17', '2.5.4.10', '2.5.4.11'];
/** The fields Go keeps only the last value of. */
const SINGLE_VALUED = ['2.5.4.3', '2.5.4.5'];

const BMP_STRING = 0x1e;
const STRING_TAGS = new Set<number>([Tag.PRINTABLE_STRING, Tag.UTF8_STRING, Tag.IA5_STRING, 0x12, 0x14, BMP_STRING]);

interface Attribute {
  readonly type: string;
  /** The value as Go decodes it into a string; undefined for non-string values. */
  readonly text: string | undefined;
  readonly der: Buffer;
}

/**
 * A Name (DER) as Go's `pkix.Name.String()` prints it, which the reference shows in `read-certificate-data`
 * and matches `--cert-selector` against: attributes of other types first as single RDNs, then C, ST, L,
 * STREET, POSTALCODE, O, OU (each type's values as one multi-valued RDN), the last CN and the last
 * SERIALNUMBER; the whole list printed in reverse, e.g. `CN=leaf,OU=Unit,O=Org,C=US`.
 */
export function goDistinguishedName(name: Buffer): string {
  const attributes = sequence(readRoot(name), 'Name').flatMap((rdn) =>
    children(rdn).map((node): Attribute => {
      const [type, value] = sequence(node, 'AttributeTypeAndValue');
      return { type: decodeOid(type!), text: decodeString(value!), der: encoding(value!) };
    }),
  );
  const rdns: Attribute[][] = attributes.filter((a) => !(a.type in STANDARD_TYPES)).map((a) => [a]);
  const standard = attributes.filter((a) => a.type in STANDARD_TYPES && a.text !== undefined);
  for (const type of MULTI_VALUED) {
    const values = standard.filter((a) => a.type === type);
    if (values.length > 0) rdns.push(values);
  }
  for (const type of SINGLE_VALUED) {
    const last = standard.filter((a) => a.type === type).at(-1);
    if (last?.text) rdns.push([last]);
  }
  return rdns
    .reverse()
    .map((rdn) => rdn.map(formatAttribute).join('+'))
    .join(',');
}

function formatAttribute(attribute: Attribute): string {
  const name = STANDARD_TYPES[attribute.type];
  if (name) return `${name}=${escapeValue(attribute.text!)}`;
  return `${attribute.type}=#${reencode(attribute).toString('hex')}`;
}

/**
 * Go re-marshals a decoded value: a string as a PrintableString when every character allows it, else as a
 * UTF8String (so an IA5String e-mail address prints with tag 0c); other values are printed as received.
 */
function reencode(attribute: Attribute): Buffer {
  if (attribute.text === undefined) return attribute.der;
  const tag = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(attribute.text) ? Tag.PRINTABLE_STRING : Tag.UTF8_STRING;
  return encodeNode(tag, Buffer.from(attribute.text, 'utf8'));
}

/** Go's escaping: `,+"\<>;` always, a leading space or `#`, and a trailing space. */
function escapeValue(value: string): string {
  const chars = [...value];
  return chars
    .map((char, index) => {
      const escape =
        ',+"\\<>;'.includes(char) ||
        (char === ' ' && (index === 0 || index === chars.length - 1)) ||
        (char === '#' && index === 0);
      return escape ? `\\${char}` : char;
    })
    .join('');
}

function decodeString(node: DerNode): string | undefined {
  if (!STRING_TAGS.has(node.tag)) return undefined;
  const bytes = content(node);
  if (node.tag !== BMP_STRING) return bytes.toString('utf8');
  if (bytes.length % 2 !== 0) return undefined;
  return Buffer.from(bytes).swap16().toString('utf16le');
}
