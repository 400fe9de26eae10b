/**
 * A minimal DER reader and writer: enough for certificates, PKCS#8 / PBES2, SEC1, PKCS#1 and TSS2 key
 * files. It is hand-written because it sits on the credential-process start-up path, where a general
 * ASN.1 library costs more to load than the whole command may take (see bench/).
 */

export class DerError extends Error {}

export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
} as const;

/** Context-specific tag `[n]`, constructed (EXPLICIT) or primitive (IMPLICIT of a primitive type). */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

export interface DerNode {
  /** The identifier octet (single-octet tags only). */
  readonly tag: number;
  /** The buffer the node was read from. */
  readonly source: Buffer;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

export function readNode(source: Buffer, offset = 0, limit = source.length): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated DER');
  const tag = source[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-octet DER tags are not supported');
  let length = source[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError('unsupported DER length');
    if (contentStart + octets > limit) throw new DerError('truncated DER');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + source[contentStart + i]!;
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('truncated DER');
  return { tag, source, start: offset, contentStart, end };
}

/** Reads a whole buffer as exactly one node (trailing bytes are an error). */
export function readRoot(source: Buffer): DerNode {
  const node = readNode(source);
  if (node.end !== source.length) throw new DerError('trailing data after DER');
  return node;
}

export function content(node: DerNode): Buffer {
  return node.source.subarray(node.contentStart, node.end);
}

/** The node's full encoding (identifier, length and content). */
export function encoding(node: DerNode): Buffer {
  return node.source.subarray(node.start, node.end);
}

export function children(node: DerNode): DerNode[] {
  if (!(node.tag & 0x20)) throw new DerError('expected a constructed DER value');
  const result: DerNode[] = [];
  let offset = node.contentStart;
  while (offset < node.end) {
    const child = readNode(node.source, offset, node.end);
    result.push(child);
    offset = child.end;
  }
  return result;
}

export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`expected ${what}`);
  return node;
}

/** Children of a SEQUENCE, checking the tag. */
export function sequence(node: DerNode | undefined, what = 'SEQUENCE'): DerNode[] {
  return children(expectTag(node, Tag.SEQUENCE, what));
}

export function decodeOid(node: DerNode): string {
  const bytes = content(expectTag(node, Tag.OID, 'OBJECT IDENTIFIER'));
  if (bytes.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  // Each arc in base 128, its last byte without the top bit, and no leading 0x80 (a padded arc).
  if (bytes.at(-1)! & 0x80) throw new DerError('malformed OBJECT IDENTIFIER: its last arc is cut short');
  const arcs: bigint[] = [];
  let value = 0n;
  let arcStart = true;
  for (const byte of bytes) {
    if (arcStart && byte === 0x80) throw new DerError('malformed OBJECT IDENTIFIER: an arc is padded');
    value = (value << 7n) | BigInt(byte & 0x7f);
    arcStart = !(byte & 0x80);
    if (arcStart) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs.shift()!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

/** A two's-complement INTEGER as a bigint. */
export function decodeInteger(node: DerNode): bigint {
  const bytes = content(expectTag(node, Tag.INTEGER, 'INTEGER'));
  if (bytes.length === 0) throw new DerError('empty INTEGER');
  let value = BigInt(`0x${bytes.toString('hex')}`);
  if (bytes[0]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

/** A small non-negative INTEGER as a number (iteration counts, versions). */
export function decodeSmallInteger(node: DerNode): number {
  const value = decodeInteger(node);
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new DerError('INTEGER out of range');
  return Number(value);
}

export function decodeOctetString(node: DerNode): Buffer {
  return content(expectTag(node, Tag.OCTET_STRING, 'OCTET STRING'));
}

/** The bits of a BIT STRING with no unused bits (keys and signatures always have none). */
export function decodeBitString(node: DerNode): Buffer {
  const bytes = content(expectTag(node, Tag.BIT_STRING, 'BIT STRING'));
  if (bytes.length === 0) throw new DerError('empty BIT STRING');
  return bytes.subarray(1);
}

export function decodeBoolean(node: DerNode): boolean {
  const bytes = content(expectTag(node, Tag.BOOLEAN, 'BOOLEAN'));
  if (bytes.length !== 1) throw new DerError('malformed BOOLEAN');
  return bytes[0] !== 0;
}

/**
 * UTCTime (two-digit year, 1950–2049) or GeneralizedTime, both in the `Z` form DER requires. Read digit
 * by digit: a regular expression costs ~0.1 ms to compile on every credential-process run.
 */
export function decodeTime(node: DerNode | undefined): Date {
  const utc = node?.tag === Tag.UTC_TIME;
  if (!node || (!utc && node.tag !== Tag.GENERALIZED_TIME)) throw new DerError('expected a time');
  const text = content(node).toString('latin1');
  const yearDigits = utc ? 2 : 4;
  const fieldsEnd = yearDigits + 10;
  const fraction = text.slice(fieldsEnd, -1);
  const wellFormed =
    text.length > fieldsEnd &&
    text.endsWith('Z') &&
    isDigits(text, 0, fieldsEnd) &&
    (fraction === '' || (!utc && fraction.length > 1 && fraction[0] === '.' && isDigits(fraction, 1, fraction.length)));
  if (!wellFormed) throw new DerError(utc ? 'malformed UTCTime' : 'malformed GeneralizedTime');
  const field = (at: number, length = 2) => Number(text.slice(at, at + length));
  let year = field(0, yearDigits);
  if (utc) year += year < 50 ? 2000 : 1900;
  const at = yearDigits;
  const [month, day, hour, minute, second] = [field(at), field(at + 2), field(at + 4), field(at + 6), field(at + 8)];
  // Out of range is malformed, as Go reads it, not carried over into the next field (month 13 as next January).
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC reads years 0 to 99 as 1900 to 1999
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError(utc ? 'malformed UTCTime' : 'malformed GeneralizedTime');
  }
  return date;
}

function isDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

// ---- writing ----

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function encodeNode(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function encodeSequence(...parts: Buffer[]): Buffer {
  return encodeNode(Tag.SEQUENCE, ...parts);
}

/** An unsigned big-endian magnitude as a minimal DER INTEGER. */
export function encodeUnsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let bytes = magnitude.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return encodeNode(Tag.INTEGER, bytes);
}

export function encodeSmallInteger(value: number): Buffer {
  const hex = value.toString(16);
  return encodeUnsignedInteger(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map((arc) => BigInt(arc));
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const group: number[] = [Number(value & 0x7fn)];
    for (let rest = value >> 7n; rest > 0n; rest >>= 7n) group.unshift(Number(rest & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return encodeNode(Tag.OID, Buffer.from(bytes));
}

export function encodeOctetString(bytes: Buffer): Buffer {
  return encodeNode(Tag.OCTET_STRING, bytes);
}

export function encodeBitString(bytes: Buffer): Buffer {
  return encodeNode(Tag.BIT_STRING, Buffer.from([0]), bytes);
}
