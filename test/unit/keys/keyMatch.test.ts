import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePublicKeyInfo } from '../../../src/keys/certificate.js';
import { jwkIsPublicKey, samePublicKey } from '../../../src/keys/keyMatch.js';
import { openssl } from '../../support/scenario.js';

const info = (spki: Buffer) => parsePublicKeyInfo(spki);

describe('samePublicKey', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = ec.publicKey.export({ type: 'spki', format: 'der' });

  it('matches a key with itself, also when its EC point is compressed', () => {
    const compressed = openssl(['ec', '-pubin', '-inform', 'DER', '-outform', 'DER', '-conv_form', 'compressed'], spki);
    expect(compressed.length).toBeLessThan(spki.length);
    expect(samePublicKey(info(spki), info(spki))).toBe(true);
    expect(samePublicKey(info(spki), info(compressed))).toBe(true);
  });

  it('a certificate whose EC point is damaged (empty, or compressed and off the curve) is refused in words, not as an internal error', () => {
    const jwk = ec.privateKey.export({ format: 'jwk' });
    // The SPKI with its point replaced: the 21-byte AlgorithmIdentifier of P-256, then a BIT STRING.
    const withPoint = (point: Buffer) => Buffer.concat([Buffer.from([0x30, 0x15 + 3 + point.length]), spki.subarray(2, 2 + 0x15), Buffer.from([0x03, point.length + 1, 0]), point]);
    for (const point of [Buffer.alloc(0), Buffer.concat([Buffer.of(2), Buffer.alloc(32, 0xff)])]) {
      expect(() => jwkIsPublicKey(jwk, info(withPoint(point)))).toThrow("the certificate's EC public key is damaged: it is no point of P-256");
    }
  });

  it('tells different keys and key types apart', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' });
    expect(samePublicKey(info(spki), info(other))).toBe(false);
    expect(samePublicKey(info(spki), info(rsa))).toBe(false);
    expect(samePublicKey(info(spki), info(p384))).toBe(false);
    expect(samePublicKey(info(rsa), info(createPublicKey({ key: rsa, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' })))).toBe(true);
  });
});

describe('jwkIsPublicKey', () => {
  const spkiOf = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  const jwkOf = (key: KeyObject) => key.export({ format: 'jwk' });
  // Keys from openssl rather than generateKeyPairSync: Node 20 can deadlock exporting a JWK while the GC
  // finalises a key-generation job.
  const publicKey = (options: string[]) => createPublicKey(openssl(['genpkey', ...options]));
  const ecKey = (curve: string) => publicKey(['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`]);
  const rsaKey = () => publicKey(['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3']);
  const p256 = ecKey('P-256');
  const p521 = ecKey('P-521');
  const rsa = rsaKey();

  it('matches EC keys of every size, also against a compressed point', () => {
    expect(jwkIsPublicKey(jwkOf(p256), info(spkiOf(p256)))).toBe(true);
    expect(jwkIsPublicKey(jwkOf(p521), info(spkiOf(p521)))).toBe(true);
    const compressed = openssl(['ec', '-pubin', '-inform', 'DER', '-outform', 'DER', '-conv_form', 'compressed'], spkiOf(p256));
    expect(jwkIsPublicKey(jwkOf(p256), info(compressed))).toBe(true);
  });

  it('matches an RSA key, whose DER integers carry a leading zero the JWK does not', () => {
    expect(jwkIsPublicKey(jwkOf(rsa), info(spkiOf(rsa)))).toBe(true);
  });

  it('tells other keys, curves and key types apart', () => {
    const otherP256 = ecKey('P-256');
    const otherRsa = rsaKey();
    expect(jwkIsPublicKey(jwkOf(p256), info(spkiOf(otherP256)))).toBe(false);
    expect(jwkIsPublicKey(jwkOf(p256), info(spkiOf(p521)))).toBe(false);
    expect(jwkIsPublicKey(jwkOf(p256), info(spkiOf(rsa)))).toBe(false);
    expect(jwkIsPublicKey(jwkOf(rsa), info(spkiOf(otherRsa)))).toBe(false);
    expect(jwkIsPublicKey(jwkOf(rsa), info(spkiOf(p256)))).toBe(false);
    expect(jwkIsPublicKey({ ...jwkOf(rsa), e: 'AQAB' }, info(spkiOf(rsa)))).toBe(false);
  });
});
