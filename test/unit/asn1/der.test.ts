import { describe, expect, it } from 'vitest';
import { DerError, children, decodeBitString, decodeOid, readNode, readRoot } from '../../../src/asn1/der.js';

// Certificates are read through requireDer, which refuses most of these first: mutation testing found the reader's
// own refusals pinned by nothing, while keys (PKCS#8, SEC1, TSS2) are read through it without requireDer.
describe('the DER reader refuses, with a DerError', () => {
  const der = (hex: string) => Buffer.from(hex, 'hex');

  it('a length whose octets run past the end', () => {
    expect(() => readRoot(der('3082'))).toThrow(new DerError('truncated DER'));
    expect(() => readRoot(der('308201'))).toThrow(new DerError('truncated DER'));
    expect(() => readNode(der('30820100'), 0, 3)).toThrow(new DerError('truncated DER'));
  });

  it('an empty BIT STRING, which has not even its unused-bits octet', () => {
    expect(() => decodeBitString(readRoot(der('0300')))).toThrow(new DerError('empty BIT STRING'));
    expect(decodeBitString(readRoot(der('030100')))).toEqual(Buffer.alloc(0));
  });

  it('an empty OBJECT IDENTIFIER', () => {
    expect(() => decodeOid(readRoot(der('0600')))).toThrow(new DerError('empty OBJECT IDENTIFIER'));
  });

  it('children of a primitive value (an OCTET STRING whose content would parse as a NULL)', () => {
    expect(() => children(readRoot(der('04020500')))).toThrow(new DerError('expected a constructed DER value'));
    expect(children(readRoot(der('30020500')))).toHaveLength(1);
  });
});
