import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePublicKeyInfo } from '../../../src/keys/certificate.js';
import { samePublicKey } from '../../../src/keys/keyMatch.js';
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
