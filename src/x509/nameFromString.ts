import { Tag, encodeNode, encodeOid, encodeSequence, readRoot } from '../asn1/der.js';
import { ATTRIBUTE_TYPES } from './attributeTypes.js';

/**
 * A distinguished name written as text (`CN=workload,O=Example`, `CN=a+OU=b`, `O="Example, Inc"`,
 * `CN=a\,b`, `1.2.3.4=#0c0161`), read as the emulator's options have always been read (by @peculiar/x509's
 * rules, which docs/emulator.md promises): attributes split at unescaped `,` and `+` (a `+` joins the next
 * into the same RDN), types by name (CN, L, ST, O, OU, C, DC, E, G, I, SN, T; upper case) or dotted OID,
 * values unquoted and unescaped; a value that is `#` and hex is that DER. The Name's DER, with each value a
 * PrintableString when it can be, E and DC an IA5String, others a UTF8String; an Error for a type it does
 * not know. Text with no `TYPE=` in it makes an empty name.
 */
export function encodeName(text: string): Buffer {
  const rdns: Buffer[][] = [];
  const pattern = /(\d\.[\d.]*\d|[A-Za-z]+)=((?:"")|(?:".*?[^\\]")|(?:[^,+"\\](?=[,+]|$))|(?:[^,+].*?(?:[^\\][,+]))|(?:))([,+])?/g;
  let level = ',';
  for (let match = pattern.exec(`${text},`); match; match = pattern.exec(`${text},`)) {
    let value = match[2]!;
    let next = match[3];
    const last = value[value.length - 1];
    if (last === ',' || last === '+') {
      value = value.slice(0, -1);
      next = last;
    }
    const attribute = encodeAttribute(typeOid(match[1]!), value);
    // level is '+' only after an attribute, so there is an RDN to join.
    if (level === '+') rdns.at(-1)!.push(attribute);
    else rdns.push([attribute]);
    level = next ?? ',';
  }
  return encodeSequence(...rdns.map((rdn) => encodeNode(Tag.SET, ...rdn)));
}

function typeOid(type: string): string {
  const oid = /\d/.test(type) ? type : (ATTRIBUTE_TYPES as Readonly<Record<string, string>>)[type];
  if (!oid || !/^[0-2](\.(0|[1-9]\d*))+$/.test(oid)) throw new Error(`unknown attribute type ${type}`);
  return oid;
}

function encodeAttribute(type: string, written: string): Buffer {
  if (written.startsWith('#')) {
    const der = Buffer.from(written.slice(1), 'hex');
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(written.slice(1))) throw new Error(`${written} is not the hex of DER`);
    readRoot(der);
    return encodeSequence(encodeOid(type), der);
  }
  const value = unescape(written);
  if (type === ATTRIBUTE_TYPES.E || type === ATTRIBUTE_TYPES.DC) return encodeSequence(encodeOid(type), encodeNode(Tag.IA5_STRING, Buffer.from(value, 'latin1')));
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value);
  return encodeSequence(encodeOid(type), encodeNode(printable ? Tag.PRINTABLE_STRING : Tag.UTF8_STRING, Buffer.from(value, printable ? 'latin1' : 'utf8')));
}

/** A value without its quotes, and with `\0a`, `\0d`, `\0g` (a tab) and `\x` (any x) unescaped. */
function unescape(value: string): string {
  const quoted = /"(.*?[^\\])?"/.exec(value);
  if (quoted && quoted[1] === undefined) throw new Error('an empty quoted value');
  return (quoted ? quoted[1]! : value)
    .replace(/\\0a/gi, '\n')
    .replace(/\\0d/gi, '\r')
    .replace(/\\0g/gi, '\t')
    .replace(/\\(.)/g, '$1');
}
