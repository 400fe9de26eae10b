import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyAcceptance, rsaModulusBits } from '../../../src/keys/acceptedKeys.js';
import { parsePublicKeyInfo } from '../../../src/keys/certificate.js';
import { generateKey } from '../../../src/emulator/pki/generateKey.js';
import { openssl } from '../../support/scenario.js';

const rsa = (modulusLength: number) => parsePublicKeyInfo(generateKeyPairSync('rsa', { modulusLength }).publicKey.export({ type: 'spki', format: 'der' }));
const ec = (namedCurve: string) => parsePublicKeyInfo(generateKeyPairSync('ec', { namedCurve }).publicKey.export({ type: 'spki', format: 'der' }));

describe('keyAcceptance: the keys Roles Anywhere takes', () => {
  it('RSA of 2048 bits or more, not 2047', () => {
    expect(keyAcceptance(rsa(2047))).toEqual({ accepted: false, rsaBits: 2047 });
    expect(keyAcceptance(rsa(2048))).toEqual({ accepted: true, keyType: 'RSA' });
    expect(keyAcceptance(rsa(3072))).toEqual({ accepted: true, keyType: 'RSA' });
  });

  it('EC on P-256, P-384 and P-521 by name; not another curve, nor P-256 spelt out by its parameters', () => {
    for (const curve of ['prime256v1', 'secp384r1', 'secp521r1']) expect(keyAcceptance(ec(curve))).toEqual({ accepted: true, keyType: 'EC' });
    expect(keyAcceptance(ec('secp256k1'))).toEqual({ accepted: false });
    const explicit = openssl(['pkey', '-pubout', '-outform', 'DER'], openssl(['ecparam', '-name', 'prime256v1', '-param_enc', 'explicit', '-genkey', '-noout']));
    expect(keyAcceptance(parsePublicKeyInfo(explicit))).toEqual({ accepted: false });
  });

  it('ML-DSA; not Ed25519', () => {
    expect(keyAcceptance(parsePublicKeyInfo(generateKey('ml-dsa-44').spki))).toEqual({ accepted: true, keyType: 'ML-DSA-44' });
    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(keyAcceptance(parsePublicKeyInfo(ed25519))).toEqual({ accepted: false });
  });
});

describe('rsaModulusBits', () => {
  it("is node:crypto's modulusLength, and 0 for an RSAPublicKey that does not parse", () => {
    for (const modulusLength of [1024, 2047, 2049, 4096]) {
      const key = generateKeyPairSync('rsa', { modulusLength }).publicKey;
      expect(rsaModulusBits(parsePublicKeyInfo(key.export({ type: 'spki', format: 'der' })))).toBe(key.asymmetricKeyDetails!.modulusLength);
    }
    expect(rsaModulusBits({ ...rsa(2048), keyBits: Buffer.from([0x30, 0x03, 0x04, 0x01, 0x00]) })).toBe(0);
  });
});
