import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeTpmPublic, signingProblem } from '../../../../src/keys/tpm/tpmPublicArea.js';
import { DECRYPT, RESTRICTED, SIGN, publicBlob, sized, u16 } from '../../../support/tpmPublicBlobs.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const ec = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).publicKey;
const spki = (key: ReturnType<typeof ec>) => key.export({ type: 'spki', format: 'der' });
const X_STARTS_WITH_ZERO =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAFZav6FY3VM2ue9mwQgbWaEq+5HpZgKQhe3zQQJHOgqSp6Z+AwGdG6NX5i2unUzXJ8uQ6L62T6GXmq2XmQNOug==';

describe('decodeTpmPublic', () => {
  it('gives an RSA key the SubjectPublicKeyInfo node:crypto writes, exponent 0 meaning 65537', () => {
    const area = decodeTpmPublic(publicBlob(rsa));
    expect(area.publicKey.keyType).toBe('RSA');
    expect(area.publicKey.spki.equals(spki(rsa))).toBe(true);
  });

  it('keeps an explicit RSA exponent', () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 }).publicKey;
    const area = decodeTpmPublic(publicBlob(key, { exponent: 3 }));
    expect(createPublicKey({ key: area.publicKey.spki, format: 'der', type: 'spki' }).export({ format: 'jwk' }).e).toBe('Aw');
  });

  it.each(['P-256', 'P-384', 'P-521'])('gives an ECC %s key its SubjectPublicKeyInfo', (curve) => {
    const key = ec(curve);
    const area = decodeTpmPublic(publicBlob(key));
    expect(area.publicKey.curve).toBe(curve);
    expect(area.publicKey.spki.equals(spki(key))).toBe(true);
  });

  it('pads EC coordinates a TPM wrote without their leading zero bytes', () => {
    // A fixed key whose X starts with a zero byte. (Generating keys until one does made Node 20 deadlock:
    // a JWK export that triggers GC while finalising a key-generation job.)
    const key = createPublicKey({ key: Buffer.from(X_STARTS_WITH_ZERO, 'base64'), format: 'der', type: 'spki' });
    const blob = publicBlob(key);
    const xAt = 2 + 18; // size prefix, then type, nameAlg, attributes, authPolicy, symmetric, scheme, curve, kdf
    const x = blob.subarray(xAt + 2, xAt + 34);
    const short = Buffer.concat([blob.subarray(2, xAt), sized(x.subarray(1)), blob.subarray(xAt + 34)]);
    expect(decodeTpmPublic(sized(short)).publicKey.spki.equals(spki(key))).toBe(true);
  });

  it('skips a symmetric definition and scheme details (storage keys, ECDAA with its count, RSAES without hash)', () => {
    const aes128cfb = Buffer.concat([u16(0x0006), u16(128), u16(0x0043)]);
    expect(decodeTpmPublic(publicBlob(ec('P-256'), { symmetric: aes128cfb, scheme: Buffer.concat([u16(0x001a), u16(0x000b), u16(1)]) })).scheme).toBe(0x001a);
    expect(decodeTpmPublic(publicBlob(rsa, { scheme: u16(0x0015) })).scheme).toBe(0x0015);
    expect(decodeTpmPublic(publicBlob(rsa, { scheme: Buffer.concat([u16(0x0014), u16(0x000b)]) })).scheme).toBe(0x0014);
    // The hash a bound scheme signs with, which tpm2_sign must be asked for.
    expect(decodeTpmPublic(publicBlob(ec('P-384'), { scheme: Buffer.concat([u16(0x0018), u16(0x000b)]) })).schemeHash).toBe('sha256');
    expect(decodeTpmPublic(publicBlob(rsa, { scheme: Buffer.concat([u16(0x0014), u16(0x000d)]) })).schemeHash).toBe('sha512');
    expect(decodeTpmPublic(publicBlob(rsa, { scheme: u16(0x0010) })).schemeHash).toBeUndefined();
  });

  it('refuses other object types, other curves and malformed blobs', () => {
    expect(() => decodeTpmPublic(sized(Buffer.concat([u16(0x0008), Buffer.alloc(30)])))).toThrow('unsupported TPMv2 key type');
    expect(() => decodeTpmPublic(publicBlob(ec('P-256'), { curveId: 0x0010 }))).toThrow('unsupported curve');
    const blob = publicBlob(rsa);
    expect(() => decodeTpmPublic(blob.subarray(0, -1))).toThrow('malformed TPMv2 PUBLIC blob: truncated');
    expect(() => decodeTpmPublic(sized(Buffer.concat([blob.subarray(2), Buffer.from([0])])))).toThrow('malformed TPMv2 PUBLIC blob: trailing bytes');
  });
});

describe('decodeTpmPublic, past the mutation sweep', () => {
  it("skips an ECC key's KDF scheme with its hash", () => {
    const key = ec('P-256');
    const area = publicBlob(key).subarray(2);
    const kdfAt = 16; // type, nameAlg, attributes, authPolicy, symmetric, scheme, curve
    const withKdf = Buffer.concat([area.subarray(0, kdfAt), u16(0x0020), u16(0x000b), area.subarray(kdfAt + 2)]);
    expect(decodeTpmPublic(sized(withKdf)).publicKey.spki.equals(spki(key))).toBe(true);
  });

  it('refuses an EC coordinate one byte longer than the curve, saying so', () => {
    const area = publicBlob(ec('P-256')).subarray(2);
    const xAt = 18; // type, nameAlg, attributes, authPolicy, symmetric, scheme, curve, kdf
    const longX = Buffer.concat([area.subarray(0, xAt), sized(Buffer.concat([Buffer.of(0), area.subarray(xAt + 2, xAt + 34)])), area.subarray(xAt + 34)]);
    expect(() => decodeTpmPublic(sized(longX))).toThrow('malformed TPMv2 PUBLIC blob: EC coordinate longer than the curve');
  });

  it('refuses bytes after the TPM2B_PUBLIC', () => {
    expect(() => decodeTpmPublic(Buffer.concat([publicBlob(rsa), Buffer.of(0)]))).toThrow('malformed TPMv2 PUBLIC blob: trailing bytes');
  });
});

describe('signingProblem', () => {
  it('accepts a signing key with no scheme or the scheme the helper uses', () => {
    expect(signingProblem(decodeTpmPublic(publicBlob(rsa)))).toBeUndefined();
    expect(signingProblem(decodeTpmPublic(publicBlob(rsa, { scheme: Buffer.concat([u16(0x0014), u16(0x000b)]) })))).toBeUndefined();
    expect(signingProblem(decodeTpmPublic(publicBlob(ec('P-384'), { scheme: Buffer.concat([u16(0x0018), u16(0x000c)]) })))).toBeUndefined();
  });

  it('says why a key cannot sign what the helper signs', () => {
    expect(signingProblem(decodeTpmPublic(publicBlob(rsa, { attributes: DECRYPT | 0x72 })))).toBe('it is not a signing key (its sign attribute is not set)');
    expect(signingProblem(decodeTpmPublic(publicBlob(ec('P-256'), { attributes: SIGN | RESTRICTED | 0x72 })))).toBe(
      'it is a restricted signing key, which signs only digests the TPM made itself',
    );
    expect(signingProblem(decodeTpmPublic(publicBlob(rsa, { scheme: Buffer.concat([u16(0x0016), u16(0x000b)]) })))).toBe(
      'it is bound to signing scheme 0x0016, not RSASSA (PKCS#1 v1.5)',
    );
  });
});
