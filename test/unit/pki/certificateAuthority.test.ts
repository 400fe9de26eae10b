import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/pki/certificateAuthority.js';
import { openssl } from '../../support/scenario.js';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Test PKI Root' });
});

describe("the test PKI's CertificateAuthority", () => {
  it('writes CRLs OpenSSL reads: PEM labelled X509 CRL, each entry with its reason', async () => {
    const text = openssl(['crl', '-noout', '-text'], await ca.crl(['0a1b'])).toString();
    expect(text).toContain('Serial Number: 0A1B');
    expect(text).toContain('Key Compromise');
  });

  it('refuses a zero serial number, which it could not give the certificate', async () => {
    await expect(ca.issue({ subject: 'CN=zero', serialNumber: '00' })).rejects.toThrow("serialNumber 00: a certificate's serial number must be positive (RFC 5280)");
  });

  it('gives the certificate the serial number asked for', async () => {
    const issued = await ca.issue({ subject: 'CN=given', serialNumber: '00ff01' });
    expect(openssl(['x509', '-noout', '-serial'], issued.pem).toString()).toBe('serial=FF01\n');
  });
});
