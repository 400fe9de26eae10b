import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdsaRawToDer } from '../../../src/keys/ecdsaSignature.js';

describe('ecdsaRawToDer', () => {
  it.each(['P-256', 'P-384', 'P-521'])('turns %s r‖s signatures into DER that verifies', (namedCurve) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 20; i++) {
      const data = Buffer.from(`message ${i}`);
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = ecdsaRawToDer(raw);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
    }
  });

  it('writes minimal integers, with a leading zero byte only when the high bit is set', () => {
    const raw = Buffer.from('00000080' + '7f000001', 'hex');
    expect(ecdsaRawToDer(raw).toString('hex')).toBe('300a' + '02020080' + '02047f000001');
  });

  it('rejects an odd-length signature', () => {
    expect(() => ecdsaRawToDer(Buffer.alloc(3))).toThrow('malformed raw ECDSA signature of 3 bytes');
  });
});
