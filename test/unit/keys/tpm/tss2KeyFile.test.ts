import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Tag, encodeNode, encodeOctetString, encodeOid, encodeSequence, contextTag } from '../../../../src/asn1/der.js';
import { encodePem } from '../../../../src/asn1/pem.js';
import { parseTss2KeyFile } from '../../../../src/keys/tpm/tss2KeyFile.js';
import { encodeTss2KeyFile } from '../../../support/swtpm.js';
import { publicBlob, sized } from '../../../support/tpmPublicBlobs.js';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const blobs = { publicBlob: publicBlob(key), privateBlob: sized(Buffer.alloc(126, 7)) };
const spki = key.export({ type: 'spki', format: 'der' });

/** A TSS2 file from raw DER fields, for encodings encodeTss2KeyFile does not write. */
function rawFile(...fields: Buffer[]): Buffer {
  return Buffer.from(encodePem('TSS2 PRIVATE KEY', encodeSequence(encodeOid('2.23.133.10.1.3'), ...fields)));
}

const explicit = (n: number, inner: Buffer) => encodeNode(contextTag(n, true), inner);
const blobFields = [encodeOctetString(blobs.publicBlob), encodeOctetString(blobs.privateBlob)];

describe('parseTss2KeyFile', () => {
  it('reads a loadable key: emptyAuth, parent, blobs and the public key', () => {
    const file = parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ emptyAuth: true, ...blobs })));
    expect(file.emptyAuth).toBe(true);
    expect(file.parent).toBe(0x40000001);
    expect(file.rsaParent).toBe(false);
    expect(file.publicBlob.equals(blobs.publicBlob)).toBe(true);
    expect(file.privateBlob.equals(blobs.privateBlob)).toBe(true);
    expect(file.publicArea.publicKey.spki.equals(spki)).toBe(true);
  });

  it('takes an absent or FALSE emptyAuth to mean the key has a password', () => {
    expect(parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ ...blobs }))).emptyAuth).toBe(false);
    expect(parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ emptyAuth: false, ...blobs }))).emptyAuth).toBe(false);
  });

  it('accepts the non-DER BOOLEAN TRUE (01) some writers use, as the reference does', () => {
    const file = parseTss2KeyFile(rawFile(explicit(0, Buffer.from([Tag.BOOLEAN, 1, 1])), encodeNode(Tag.INTEGER, Buffer.from('40000001', 'hex')), ...blobFields));
    expect(file.emptyAuth).toBe(true);
  });

  it('reads a persistent parent written as a negative INTEGER (its 32 bits unsigned)', () => {
    const file = parseTss2KeyFile(rawFile(encodeNode(Tag.INTEGER, Buffer.from('81000001', 'hex')), ...blobFields));
    expect(file.parent).toBe(0x81000001);
  });

  it.each([0x40000001, 0x40000007, 0x4000000b, 0x4000000c, 0x81000001, 0x81ffffff])('accepts parent 0x%s', (parent) => {
    expect(parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ parent, ...blobs }))).parent).toBe(parent);
  });

  it.each([0x40000002, 0x80000000, 0x01000000])('refuses parent 0x%s', (parent) => {
    expect(() => parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ parent, ...blobs })))).toThrow('invalid parent for TPMv2 key');
  });

  it('reads rsaParent, and skips a description and fields after privkey', () => {
    const description = explicit(4, encodeNode(Tag.UTF8_STRING, Buffer.from('my key')));
    const rsaParent = explicit(5, encodeNode(Tag.BOOLEAN, Buffer.from([0xff])));
    const parent = encodeNode(Tag.INTEGER, Buffer.from('40000001', 'hex'));
    const file = parseTss2KeyFile(rawFile(description, rsaParent, parent, ...blobFields, encodeOctetString(Buffer.from('later'))));
    expect(file.rsaParent).toBe(true);
  });

  it('finds the key block in a file that holds a certificate too, in either order', () => {
    const certificate = encodePem('CERTIFICATE', Buffer.from([0x30, 0]));
    const keyBlock = encodeTss2KeyFile({ emptyAuth: true, ...blobs });
    expect(parseTss2KeyFile(Buffer.from(certificate + keyBlock)).parent).toBe(0x40000001);
    expect(parseTss2KeyFile(Buffer.from(`comment\n${keyBlock}${certificate}`)).parent).toBe(0x40000001);
  });

  it('says what is missing from a malformed file', () => {
    expect(() => parseTss2KeyFile(Buffer.from(encodePem('PRIVATE KEY', Buffer.from([0x30, 0]))))).toThrow('no TSS2 PRIVATE KEY block found');
    // Cut short, or its END line back on (QA: "no TSS2 PRIVATE KEY block found" of a file that has one).
    const keyBlock = encodeTss2KeyFile({ emptyAuth: true, ...blobs });
    const damaged = 'damaged TSS2 PRIVATE KEY block (no END line, or not base64)';
    expect(() => parseTss2KeyFile(Buffer.from(keyBlock.slice(0, 100)))).toThrow(damaged);
    expect(() => parseTss2KeyFile(Buffer.from(`${keyBlock.slice(0, 100)}\n-----END TSS2 PRIVATE KEY-----\n`))).toThrow(damaged);
    expect(() => parseTss2KeyFile(rawFile(encodeNode(Tag.INTEGER, Buffer.from([1]))))).toThrow('malformed TSS2 PRIVATE KEY: expected the pubkey OCTET STRING');
    expect(() => parseTss2KeyFile(rawFile(...blobFields))).toThrow('malformed TSS2 PRIVATE KEY: expected the parent INTEGER');
    expect(() => parseTss2KeyFile(rawFile(explicit(0, Buffer.alloc(0)), ...blobFields))).toThrow('malformed TSS2 PRIVATE KEY: empty tagged field');
  });

  it('checks in the reference\'s order: type, policy, secret, parent, blobs, key type', () => {
    const everythingWrong = { type: '1.2.3', parent: 0x80000000, tagged: { 1: encodeSequence(), 2: encodeOctetString(Buffer.alloc(1)) }, publicBlob: Buffer.alloc(3), privateBlob: Buffer.alloc(3) };
    expect(() => parseTss2KeyFile(Buffer.from(encodeTss2KeyFile(everythingWrong)))).toThrow('invalid OID for TPMv2 key:1.2.3');
    expect(() => parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ ...everythingWrong, type: undefined })))).toThrow('TPMv2 policy not implemented yet');
    expect(() => parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ ...everythingWrong, type: undefined, tagged: { 2: encodeOctetString(Buffer.alloc(1)) } })))).toThrow(
      "TPMv2 key has 'secret' field which should not be set",
    );
    expect(() => parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ ...everythingWrong, type: undefined, tagged: {} })))).toThrow('invalid parent for TPMv2 key');
    expect(() => parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ ...everythingWrong, type: undefined, tagged: {}, parent: undefined })))).toThrow(
      'invalid length for TPMv2 PUBLIC blob',
    );
    expect(() => parseTss2KeyFile(Buffer.from(encodeTss2KeyFile({ ...everythingWrong, type: undefined, tagged: {}, parent: undefined, publicBlob: blobs.publicBlob })))).toThrow(
      'invalid length for TPMv2 PRIVATE blob',
    );
  });
});
