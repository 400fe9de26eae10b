import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { parseCertificate } from '../../../src/keys/certificate.js';
import { usableCertificate } from '../../../src/keys/certificateChecks.js';
import type { SigningIdentity } from '../../../src/keys/keySource.js';

describe('usableCertificate', () => {
  it('refuses a certificate from the second after it expires, and takes it up to then (QA: a mutation to an hour late went unseen)', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Checks CA' });
    const notAfter = new Date('2030-06-01T12:00:00Z');
    const issued = await ca.issue({ subject: 'CN=leaf', notBefore: new Date('2030-01-01T00:00:00Z'), notAfter });
    const certificate = parseCertificate(issued.der);
    const identity = { certificate, chain: [] } as unknown as SigningIdentity;
    expect(usableCertificate(identity, 'leaf.pem', notAfter)).toBe(certificate);
    expect(() => usableCertificate(identity, 'leaf.pem', new Date(notAfter.getTime() + 1_000))).toThrow(
      "certificate leaf.pem expired at 2030-06-01T12:00:00Z, and this machine's clock reads 2030-06-01T12:00:01Z",
    );
    // The library's content names itself: not "certificate certificate (content)" (mutation sweep).
    expect(() => usableCertificate(identity, 'certificate (content)', new Date(notAfter.getTime() + 1_000))).toThrow(
      /^certificate \(content\) expired at 2030-06-01T12:00:00Z, and /,
    );
  });

  it("names this machine's clock, in UTC, when the certificate has not started by it: a device that boots with its clock behind sees why (QA time)", async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Checks CA' });
    const issued = await ca.issue({ subject: 'CN=leaf', notBefore: new Date('2030-01-01T00:00:00Z'), notAfter: new Date('2030-06-01T00:00:00Z') });
    const identity = { certificate: parseCertificate(issued.der), chain: [] } as unknown as SigningIdentity;
    expect(() => usableCertificate(identity, 'leaf.pem', new Date('2029-12-31T23:40:00.500Z'))).toThrow(
      "certificate leaf.pem is not valid until 2030-01-01T00:00:00Z, and this machine's clock reads 2029-12-31T23:40:00Z",
    );
  });
});
