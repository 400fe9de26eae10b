import { isIPv4 } from 'node:net';
import { Tag, contextTag, encodeNode, encodeOctetString, encodeOid, encodeSequence, encodeSmallInteger } from '../asn1/der.js';
import { EXTENSION } from './extensions.js';
import { encodeName } from './nameFromString.js';

/** An Extension: its OID, `critical` TRUE when it is (FALSE is the default, left out), and its value's DER in an OCTET STRING. */
export function encodeExtension(type: string, critical: boolean, value: Buffer): Buffer {
  return encodeSequence(encodeOid(type), ...(critical ? [encodeNode(Tag.BOOLEAN, Buffer.from([0xff]))] : []), encodeOctetString(value));
}

/** basicConstraints, critical: cA (left out when false, its default) and the path length, if any. */
export function basicConstraintsExtension(ca: boolean, pathLength?: number): Buffer {
  const fields = [...(ca ? [encodeNode(Tag.BOOLEAN, Buffer.from([0xff]))] : []), ...(pathLength === undefined ? [] : [encodeSmallInteger(pathLength)])];
  return encodeExtension(EXTENSION.basicConstraints, true, encodeSequence(...fields));
}

/** keyUsage, critical: flag 2^n as bit n of a BIT STRING with no trailing zero bits. */
export function keyUsageExtension(flags: number): Buffer {
  const bits = Math.floor(Math.log2(flags || 1)) + 1;
  const bytes = Buffer.alloc(flags === 0 ? 0 : Math.ceil(bits / 8));
  for (let bit = 0; bit < bits; bit++) if (flags & (1 << bit)) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const unused = flags === 0 ? 0 : bytes.length * 8 - bits;
  return encodeExtension(EXTENSION.keyUsage, true, encodeNode(Tag.BIT_STRING, Buffer.from([unused]), bytes));
}

export interface GeneralNames {
  readonly dns?: readonly string[] | undefined;
  readonly ip?: readonly string[] | undefined;
  readonly uri?: readonly string[] | undefined;
  readonly directoryName?: readonly string[] | undefined;
}

/** subjectAltName, not critical: DNS names, IP addresses, URIs, then directory names (written as encodeName reads them). */
export function subjectAltNameExtension(names: GeneralNames): Buffer {
  const of = (values: readonly string[] = [], encode: (value: string) => Buffer) => values.map(encode);
  return encodeExtension(
    EXTENSION.subjectAltName,
    false,
    encodeSequence(
      ...of(names.dns, (name) => encodeNode(contextTag(2, false), Buffer.from(name, 'latin1'))),
      ...of(names.ip, (address) => encodeNode(contextTag(7, false), ipOctets(address))),
      ...of(names.uri, (uri) => encodeNode(contextTag(6, false), Buffer.from(uri, 'latin1'))),
      ...of(names.directoryName, (name) => encodeNode(contextTag(4, true), encodeName(name))),
    ),
  );
}

/** An IPv4 address's 4 octets, an IPv6 address's 16 (`::` expanded, a dotted IPv4 tail read as two groups). */
function ipOctets(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  const tail = address.slice(address.lastIndexOf(':') + 1);
  const text = isIPv4(tail) ? `${address.slice(0, -tail.length)}${ipOctets(tail).toString('hex').replace(/^(.{4})/, '$1:')}` : address;
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [head = '', rest] = text.split('::');
  const before = groups(head);
  const after = rest === undefined ? [] : groups(rest);
  const octets = Buffer.alloc(16);
  [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after].forEach((group, i) => octets.writeUInt16BE(group, i * 2));
  return octets;
}
