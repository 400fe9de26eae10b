import { describe, expect, it } from 'vitest';
import { DerError, Tag, decodeOid, encodeNode, readRoot } from '../../../src/asn1/der.js';

const oid = (hex: string) => decodeOid(readRoot(encodeNode(Tag.OID, Buffer.from(hex, 'hex'))));

describe('decodeOid', () => {
  it.each([
    ['2a8648ce3d0201', '1.2.840.10045.2.1'],
    ['2b0e03021a', '1.3.14.3.2.26'],
    ['883703', '2.999.3'],
    ['00', '0.0'],
  ])('%s is %s', (hex, text) => {
    expect(oid(hex)).toBe(text);
  });

  // Fuzzing QA: all bytes with the top bit made every reader of certificates and keys say "internal error: Cannot mix BigInt and other types".
  it.each([
    ['ffffffffffffff', 'malformed OBJECT IDENTIFIER: its last arc is cut short'],
    ['81', 'malformed OBJECT IDENTIFIER: its last arc is cut short'],
    ['2a81', 'malformed OBJECT IDENTIFIER: its last arc is cut short'],
    ['2a808648', 'malformed OBJECT IDENTIFIER: an arc is padded'],
    ['802a', 'malformed OBJECT IDENTIFIER: an arc is padded'],
    ['', 'empty OBJECT IDENTIFIER'],
  ])('refuses %s', (hex, message) => {
    expect(() => oid(hex)).toThrow(new DerError(message));
  });
});
