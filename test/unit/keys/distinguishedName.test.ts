import { describe, expect, it } from 'vitest';
import { Tag, encodeNode, encodeOid, encodeSequence } from '../../../src/asn1/der.js';
import { goDistinguishedName } from '../../../src/keys/distinguishedName.js';

const C = '2.5.4.6';
const ST = '2.5.4.8';
const L = '2.5.4.7';
const O = '2.5.4.10';
const OU = '2.5.4.11';
const CN = '2.5.4.3';
const SERIALNUMBER = '2.5.4.5';
const EMAIL = '1.2.840.113549.1.9.1';
const UID = '0.9.2342.19200300.100.1.1';

type Value = string | { tag: number; bytes: Buffer };

/** A Name, one RDN per inner array, each attribute a [type, value] (UTF8String unless a tag is given). */
function name(...rdns: [string, Value][][]): Buffer {
  return encodeSequence(
    ...rdns.map((rdn) =>
      encodeNode(
        Tag.SET,
        ...rdn.map(([type, value]) =>
          encodeSequence(
            encodeOid(type),
            typeof value === 'string' ? encodeNode(Tag.UTF8_STRING, Buffer.from(value)) : encodeNode(value.tag, value.bytes),
          ),
        ),
      ),
    ),
  );
}

describe("goDistinguishedName (Go's pkix.Name.String)", () => {
  it('prints the usual name most specific first', () => {
    const dn = name([[C, 'US']], [[ST, 'State']], [[L, 'City']], [[O, 'Org']], [[OU, 'bar']], [[CN, 'foo']]);
    expect(goDistinguishedName(dn)).toBe('CN=foo,OU=bar,O=Org,L=City,ST=State,C=US');
  });

  it('orders the standard attributes by type, whatever their order in the certificate', () => {
    expect(goDistinguishedName(name([[CN, 'leaf']], [[O, 'Org']], [[C, 'DE']]))).toBe('CN=leaf,O=Org,C=DE');
  });

  it('groups every value of C, ST, L, O and OU into one RDN, and keeps only the last CN and SERIALNUMBER', () => {
    const dn = name([[OU, 'a']], [[CN, 'first']], [[OU, 'b']], [[SERIALNUMBER, '1']], [[CN, 'second']], [[SERIALNUMBER, '2']]);
    expect(goDistinguishedName(dn)).toBe('SERIALNUMBER=2,CN=second,OU=a+OU=b');
  });

  it('splits multi-valued RDNs into the standard groups', () => {
    expect(goDistinguishedName(name([[O, 'Org'], [CN, 'x']]))).toBe('CN=x,O=Org');
  });

  it('puts other attribute types last, as #hex of their re-encoding (an IA5String e-mail becomes PrintableString or UTF8String)', () => {
    const dn = name([[CN, 'leaf']], [[EMAIL, { tag: Tag.IA5_STRING, bytes: Buffer.from('a@b.example') }]], [[UID, 'u(1)']]);
    expect(goDistinguishedName(dn)).toBe(`CN=leaf,${UID}=#130475283129,${EMAIL}=#0c0b6140622e6578616d706c65`);
  });

  it('re-encodes a string with only PrintableString characters as a PrintableString', () => {
    expect(goDistinguishedName(name([[UID, { tag: Tag.UTF8_STRING, bytes: Buffer.from('ab-1') }]]))).toBe(`${UID}=#130461622d31`);
  });

  it('prints other values as received', () => {
    expect(goDistinguishedName(name([[UID, { tag: Tag.INTEGER, bytes: Buffer.from([5]) }]]))).toBe(`${UID}=#020105`);
  });

  it("escapes , + \" \\ < > ; everywhere, # and space at the start and space at the end", () => {
    expect(goDistinguishedName(name([[CN, 'a,b+c"d\\e<f>g;h']]))).toBe('CN=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    expect(goDistinguishedName(name([[CN, '#x y ']]))).toBe('CN=\\#x y\\ ');
    expect(goDistinguishedName(name([[O, ' lead']]))).toBe('O=\\ lead');
  });

  it('decodes BMPString and PrintableString values', () => {
    const bmp = Buffer.from('Ünï', 'utf16le').swap16();
    expect(goDistinguishedName(name([[CN, { tag: 0x1e, bytes: bmp }]], [[O, { tag: Tag.PRINTABLE_STRING, bytes: Buffer.from('P') }]]))).toBe(
      'CN=Ünï,O=P',
    );
  });

  it('prints an empty name as an empty string', () => {
    expect(goDistinguishedName(encodeSequence())).toBe('');
  });
});
