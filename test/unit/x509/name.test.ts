import { describe, expect, it } from 'vitest';
import { encodeNode, encodeOid, encodeSequence, readRoot, Tag } from '../../../src/asn1/der.js';
import { nameToString, nameValues, readName } from '../../../src/x509/name.js';
import { encodeName } from '../../../src/x509/nameFromString.js';
import * as x509 from '../../support/peculiarX509.js';

/** Names as the emulator's options and docs write them, and the odd ones @peculiar/x509 (which read them before) reads its own way. */
const WRITTEN = [
  'CN=workload,O=Example',
  'CN=Test Root, O=Ex\\, Inc+OU=a',
  'CN=leaf,E=a@b.c,DC=ex,DC=com',
  'O="q,r"+OU=z,1.2.3=#0c0161',
  'CN=Zoë 名前,L=Paris,ST=IDF,C=FR,G=Ann,I=A,SN=Smith,T=Dr',
  'CN=a\\0aB,OU=tab\\0gx',
  'CN=,O=b',
  'CN=a,,O=b',
  'CN=a+',
  'CN="x',
  'CN=a=b',
  'not a dn',
  '',
  '2.5.4.9=1 Main St,0.9.2342.19200300.100.1.1=jdoe',
  // An apostrophe is a PrintableString character; \0d a carriage return (mutation testing).
  "CN=O'Brien,OU=cr\\0dx",
];

describe('encodeName: a name written as text, as the emulator has always read it', () => {
  it.each(WRITTEN)('%j: the DER @peculiar/x509 makes of it', (text) => {
    expect(encodeName(text).toString('hex')).toBe(Buffer.from(new x509.Name(text).toArrayBuffer()).toString('hex'));
  });

  it.each([['cn=Test', 'unknown attribute type cn'], ['X=1', 'unknown attribute type X'], ['CN=""', 'an empty quoted value'], ['1.2.3=#0c0161zz', '#0c0161zz is not the hex of DER']])(
    'refuses %j, as @peculiar/x509 did: %s',
    (text, message) => {
      expect(() => new x509.Name(text)).toThrow();
      expect(() => encodeName(text)).toThrow(message);
    },
  );

  it.each(['3.1', '1.02'])('refuses %j=x, which is no OID (@peculiar/x509 wrote one of other arcs)', (type) => {
    expect(() => encodeName(`${type}=x`)).toThrow(`unknown attribute type ${type}`);
  });
});

describe('nameToString: a name as messages print it', () => {
  const attribute = (oid: string, value: Buffer) => encodeNode(Tag.SET, encodeSequence(encodeOid(oid), value));
  const odd = encodeSequence(
    attribute('2.5.4.3', encodeNode(Tag.INTEGER, Buffer.from([5]))), // not a string: '#' and its DER
    attribute('2.5.4.10', encodeNode(0x1a, Buffer.from('ab'))), // VisibleString, which it does not decode either
    attribute('2.5.4.11', encodeNode(Tag.UTF8_STRING, Buffer.from(' a,\n\r\t#'))), // escapes, the first line break only
    encodeNode(Tag.SET, encodeSequence(encodeOid('2.5.4.3'), encodeNode(Tag.PRINTABLE_STRING, Buffer.from([0xe9]))), encodeSequence(encodeOid('2.5.4.10'), encodeNode(0x1e, Buffer.from('00e9', 'hex')))),
    attribute('1.2.3.4', encodeNode(Tag.PRINTABLE_STRING, Buffer.from('x'))),
    attribute('1.2.840.113549.1.9.1', encodeNode(Tag.IA5_STRING, Buffer.from('a@b'))),
    attribute('2.5.4.3', encodeNode(0x1c, Buffer.from('000000e9', 'hex'))), // UniversalString
    attribute('2.5.4.3', encodeNode(0x14, Buffer.from('<t>;'))), // TeletexString
    attribute('2.5.4.3', encodeNode(Tag.UTF8_STRING, Buffer.from('a '))), // a trailing space
  );

  it.each([...WRITTEN.map((text) => [text, encodeName(text)] as const), ['odd values', odd] as const])('%s: as @peculiar/x509 printed it', (_, der) => {
    const name = readName(readRoot(der));
    const theirs = new x509.Name(new Uint8Array(der));
    expect(nameToString(name)).toBe(theirs.toString());
    expect(nameValues(name, '2.5.4.3')).toEqual(theirs.getField('CN'));
  });
});

describe('readName: UniversalString values', () => {
  const name = (value: Buffer) => encodeSequence(encodeNode(Tag.SET, encodeSequence(encodeOid('2.5.4.3'), encodeNode(0x1c, value))));

  it('reads one of 300,000 characters (a certificate given to check or the emulator) without overflowing the stack', () => {
    const value = Buffer.alloc(4 * 300_000, Buffer.from('00000041', 'hex'));
    expect(nameToString(readName(readRoot(name(value))))).toBe(`CN=${'A'.repeat(300_000)}`);
  });

  it('leaves one holding no Unicode code point as `#` and its DER, as other values it cannot decode, rather than throw a RangeError', () => {
    for (const codePoint of ['ffffffff', '00110000']) {
      expect(nameToString(readName(readRoot(name(Buffer.from(codePoint, 'hex')))))).toBe(`CN=#1c04${codePoint}`);
    }
    expect(nameToString(readName(readRoot(name(Buffer.from('0010ffff', 'hex')))))).toBe('CN=\u{10ffff}');
  });
});

describe('readName: values and names that are not what they should be', () => {
  it('leaves a BMPString of an odd number of octets as `#` and its DER, rather than throw a RangeError (@peculiar/x509 threw one)', () => {
    const der = encodeSequence(encodeNode(Tag.SET, encodeSequence(encodeOid('2.5.4.3'), encodeNode(0x1e, Buffer.from('00e900', 'hex')))));
    expect(nameToString(readName(readRoot(der)))).toBe('CN=#1e0300e900');
  });

  it('refuses an RDN that is a SEQUENCE where a SET must be, as @peculiar/x509 and Go do', () => {
    const der = encodeSequence(encodeSequence(encodeSequence(encodeOid('2.5.4.3'), encodeNode(Tag.UTF8_STRING, Buffer.from('a')))));
    expect(() => readName(readRoot(der))).toThrow('expected a SET of a Name');
  });
});
