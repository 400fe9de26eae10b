import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePublicKeyInfo } from '../../../../src/keys/certificate.js';
import type { Digest } from '../../../../src/keys/keySource.js';
import { decodeTpmSignature, tpmSignRequest } from '../../../../src/keys/tpm/signatureScheme.js';
import { openssl } from '../../../support/scenario.js';
import { sized, u16 } from '../../../support/tpmPublicBlobs.js';

const dir = mkdtempSync(join(tmpdir(), 'rah-tpm-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const digests: Digest[] = ['SHA256', 'SHA384', 'SHA512'];

describe('tpmSignRequest', () => {
  it.each(digests)('RSA: RSASSA over the %s of the data', (digest) => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const info = parsePublicKeyInfo(publicKey.export({ type: 'spki', format: 'der' }));
    const request = tpmSignRequest(info, Buffer.from('data'), digest);
    expect(request.scheme).toBe('rsassa');
    expect(request.hash).toBe(digest.toLowerCase());
    expect(request.digest.equals(createHash(digest.toLowerCase()).update('data').digest())).toBe(true);
  });

  const curves = [['P-256', 'sha256', 32], ['P-384', 'sha384', 48], ['P-521', 'sha512', 64]] as const;
  it.each(curves.flatMap((curve) => digests.map((digest) => [...curve, digest] as const)))(
    'ECDSA on %s signs with %s a %d-byte digest that verifies as ECDSA with %s',
    (namedCurve, hash, size, digest) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
      const info = parsePublicKeyInfo(publicKey.export({ type: 'spki', format: 'der' }));
      const data = Buffer.from(`data for ${namedCurve} ${digest}`);
      const request = tpmSignRequest(info, data, digest);
      expect(request).toMatchObject({ scheme: 'ecdsa', hash });
      expect(request.digest.length).toBe(size);
      // Sign the fitted digest as the TPM does (raw ECDSA over the given bytes), verify as the service does.
      const keyPath = join(dir, 'key.pem');
      writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const signature = openssl(['pkeyutl', '-sign', '-inkey', keyPath], request.digest);
      expect(verify(digest.toLowerCase(), data, publicKey, signature)).toBe(true);
    },
  );
});

describe('tpmSignRequest for a key bound to a scheme (tpm2_create -G ecc384:ecdsa binds ECDSA with SHA-256)', () => {
  const ecInfo = (namedCurve: string) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    return { privateKey, publicKey, info: parsePublicKeyInfo(publicKey.export({ type: 'spki', format: 'der' })) };
  };

  it.each([['P-384', 'SHA256'], ['P-521', 'SHA256'], ['P-256', 'SHA384'], ['P-256', 'SHA512']] as const)(
    'ECDSA on %s bound to SHA-256 signs a %s digest that verifies',
    (namedCurve, digest) => {
      const { privateKey, publicKey, info } = ecInfo(namedCurve);
      const data = Buffer.from(`bound ${namedCurve} ${digest}`);
      const request = tpmSignRequest(info, data, digest, 'sha256');
      expect(request).toMatchObject({ scheme: 'ecdsa', hash: 'sha256' });
      expect(request.digest.length).toBe(32);
      const keyPath = join(dir, 'bound.pem');
      writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const signature = openssl(['pkeyutl', '-sign', '-inkey', keyPath], request.digest);
      expect(verify(digest.toLowerCase(), data, publicKey, signature)).toBe(true);
    },
  );

  it('refuses, saying why, a digest the bound hash cannot carry', () => {
    expect(() => tpmSignRequest(ecInfo('P-384').info, Buffer.from('x'), 'SHA384', 'sha256')).toThrow(
      'it is bound to ECDSA with SHA256: on P-384 it cannot sign a SHA384 digest',
    );
    expect(() => tpmSignRequest(ecInfo('P-521').info, Buffer.from('x'), 'SHA512', 'sha256')).toThrow(
      'it is bound to ECDSA with SHA256: on P-521 it cannot sign a SHA512 digest',
    );
    expect(() => tpmSignRequest(ecInfo('P-256').info, Buffer.from('x'), 'SHA256', 'sha384')).toThrow(
      'it is bound to ECDSA with SHA384: on P-256 it cannot sign a SHA256 digest',
    );
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsa = parsePublicKeyInfo(publicKey.export({ type: 'spki', format: 'der' }));
    expect(tpmSignRequest(rsa, Buffer.from('x'), 'SHA256', 'sha256')).toMatchObject({ scheme: 'rsassa', hash: 'sha256' });
    expect(() => tpmSignRequest(rsa, Buffer.from('x'), 'SHA384', 'sha256')).toThrow('it is bound to RSASSA with SHA256: it cannot sign a SHA384 digest');
  });
});

describe('decodeTpmSignature', () => {
  it('turns a TPMT_SIGNATURE of ECDSA into DER', () => {
    const r = Buffer.alloc(32, 0x80);
    const s = Buffer.concat([Buffer.alloc(1), Buffer.alloc(31, 0x7f)]);
    const der = decodeTpmSignature(Buffer.concat([u16(0x0018), u16(0x000b), sized(r), sized(s)]));
    expect(der.toString('hex')).toBe(`3044022100${r.toString('hex')}021f${'7f'.repeat(31)}`);
  });

  it('returns an RSASSA signature as it is', () => {
    const signature = Buffer.alloc(256, 0xab);
    expect(decodeTpmSignature(Buffer.concat([u16(0x0014), u16(0x000c), sized(signature)])).equals(signature)).toBe(true);
  });

  it('refuses another scheme and malformed bytes', () => {
    expect(() => decodeTpmSignature(Buffer.concat([u16(0x0016), u16(0x000b), sized(Buffer.alloc(4))]))).toThrow('unexpected TPM signature algorithm 0x16');
    expect(() => decodeTpmSignature(Buffer.concat([u16(0x0014), u16(0x000b), sized(Buffer.alloc(4)), Buffer.alloc(1)]))).toThrow('malformed TPM signature: trailing bytes');
  });
});
