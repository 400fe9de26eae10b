import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { HelperError } from '../../../src/errors.js';
import { parseCertificate } from '../../../src/keys/certificate.js';
import { signRequest } from '../../../src/sigv4x509/signRequest.js';

describe('signRequest', () => {
  it('refuses a key of no type it signs with (Ed25519), naming the certificate, rather than sign as ML-DSA', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Any Root' });
    const spki = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    const certificate = parseCertificate((await ca.issue({ subject: 'CN=ed25519', publicKey: spki, serialNumber: '1234' })).der);
    let signed = false;
    const identity = {
      certificate,
      chain: [],
      publicKey: certificate.publicKey,
      sign: async () => ((signed = true), Buffer.alloc(0)),
    };
    const request = { method: 'POST', path: '/sessions', query: {}, headers: { Host: 'rolesanywhere.us-east-1.amazonaws.com' }, body: '{}' };
    const attempt = signRequest(request, identity, { date: new Date(), region: 'us-east-1' });
    await expect(attempt).rejects.toThrow(HelperError);
    await expect(attempt).rejects.toThrow(
      'unsupported key type in certificate with serial number 4660 (1.3.101.112); Roles Anywhere accepts RSA of 2048 bits or more, EC P-256, P-384 or P-521, or ML-DSA',
    );
    expect(signed).toBe(false);
  });

  it('sends a chain of more than one certificate as their base64 joined by bare commas, as the reference does (mutation QA: the vectors hold a chain of one)', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Chain Root' });
    const upper = await ca.issueIntermediate({ subject: 'CN=Upper' });
    const lower = await upper.issueIntermediate({ subject: 'CN=Lower' });
    const certificate = parseCertificate((await lower.issue({ subject: 'CN=leaf' })).der);
    const chain = [lower, upper].map((c) => parseCertificate(c.certificate.der));
    const identity = { certificate, chain, publicKey: certificate.publicKey, sign: async () => Buffer.alloc(64) };
    const request = { method: 'POST', path: '/sessions', query: {}, headers: { Host: 'rolesanywhere.us-east-1.amazonaws.com' }, body: '{}' };
    const signed = await signRequest(request, identity, { date: new Date(), region: 'us-east-1' });
    expect(signed.headers['X-Amz-X509-Chain']).toBe(chain.map((c) => c.der.toString('base64')).join(','));
    expect(signed.canonicalRequest).toContain(`\nx-amz-x509-chain:${signed.headers['X-Amz-X509-Chain']}\n`);
  });
});
