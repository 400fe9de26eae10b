import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { children, encoding, readRoot } from '../../../../src/asn1/der.js';
import { EmulatorSetupError } from '../../../../src/emulator/emulatorOptions.js';
import { CertificateAuthority, type CertificateOptions } from '../../../../src/emulator/pki/certificateAuthority.js';
import { generateKey, KEY_ALGORITHMS, pkcs8Pem, type GeneratedKey } from '../../../../src/emulator/pki/generateKey.js';
import { parseX509Certificate } from '../../../../src/x509/x509Certificate.js';
import { SIGNATURE_ALGORITHMS } from '../../../../src/x509/signatureAlgorithms.js';
import { openssl } from '../../../support/scenario.js';

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

  it('makes what CertificateOptions says it does by default: an ec-p256 key, valid from a day ago for 30 days, ten years for a CA (QA apidoc)', async () => {
    const DAY = 86_400_000;
    const before = Date.now();
    const root = await CertificateAuthority.create({ subject: 'CN=Defaults Root' });
    const middle = await root.issueIntermediate({ subject: 'CN=Defaults CA' });
    const leaf = await middle.issue({ subject: 'CN=defaults' });
    const after = Date.now();
    expect(leaf.key!.algorithm).toBe('ec-p256');
    for (const [issued, days] of [[root.certificate, 3650], [middle.certificate, 3650], [leaf, 30]] as const) {
      const certificate = new X509Certificate(issued.der);
      expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      // X.509 times are whole seconds.
      expect(Date.parse(certificate.validFrom)).toBeGreaterThanOrEqual(before - DAY - 1000);
      expect(Date.parse(certificate.validFrom)).toBeLessThanOrEqual(after - DAY);
      expect(Date.parse(certificate.validTo)).toBeGreaterThanOrEqual(before + days * DAY - 1000);
      expect(Date.parse(certificate.validTo)).toBeLessThanOrEqual(after + days * DAY);
    }
  });

  it('refuses a zero serial number, which it could not give the certificate, with an EmulatorSetupError as its other options (QA apidoc: a bare Error)', async () => {
    for (const issued of [ca.issue({ subject: 'CN=zero', serialNumber: '00' }), ca.issueIntermediate({ subject: 'CN=zero', serialNumber: '0' })]) {
      await expect(issued).rejects.toMatchObject({ subject: 'serialNumber', message: 'serialNumber must be a positive serial number in hex' });
      await expect(issued).rejects.toBeInstanceOf(EmulatorSetupError);
    }
  });

  it.each(['rsa-2048', 'ec-p256'] as const)('a %s CA signs with each hash asked for, under the name of that hash: node:crypto (OpenSSL) verifies each', async (keyAlgorithm) => {
    const issuer = await CertificateAuthority.create({ subject: `CN=${keyAlgorithm} Root`, keyAlgorithm });
    const named: string[] = [];
    for (const signatureHash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const issued = await issuer.issue({ subject: 'CN=hashed', signatureHash });
      expect(new X509Certificate(issued.der).verify(new X509Certificate(issuer.certificate.der).publicKey)).toBe(true);
      named.push(SIGNATURE_ALGORITHMS[parseX509Certificate(issued.der).signatureAlgorithmOid]!.name);
    }
    expect(named).toEqual(
      keyAlgorithm === 'rsa-2048'
        ? ['sha1WithRSAEncryption', 'sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption']
        : ['ecdsa-with-SHA1', 'ecdsa-with-SHA256', 'ecdsa-with-SHA384', 'ecdsa-with-SHA512'],
    );
  });

  it.each([
    ['rsa-2048', '300d06092a864886f70d01010b0500'],
    ['ec-p256', '300a06082a8648ce3d040302'],
    ['ml-dsa-44', '300b0609608648016503040311'],
  ] as const)('a %s CA names its signature algorithm as %s: NULL parameters for RSA, none for ECDSA and ML-DSA (RFC 4055, 5758, 9881)', async (keyAlgorithm, algorithm) => {
    const issuer = await CertificateAuthority.create({ subject: 'CN=Named Root', keyAlgorithm });
    const issued = await issuer.issue({ subject: 'CN=named' });
    expect(encoding(children(readRoot(issued.der))[1]!).toString('hex')).toBe(algorithm);
  });

  it('gives the certificate the serial number asked for', async () => {
    const issued = await ca.issue({ subject: 'CN=given', serialNumber: '00ff01' });
    expect(openssl(['x509', '-noout', '-serial'], issued.pem).toString()).toBe('serial=FF01\n');
  });
});

describe("the test PKI refuses options it cannot take, with an EmulatorSetupError naming the key (the QA pass's cases)", () => {
  const refused = async (made: () => Promise<unknown> | unknown, message: string) => {
    const error = await Promise.resolve().then(made).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmulatorSetupError);
    expect((error as Error).message).toBe(message);
  };
  const DN = "subject must be a distinguished name such as CN=workload,O=Example (or '', none)";

  it.each<[string, () => Promise<unknown>, string]>([
    ['a subject @peculiar/x509 reads as no name (it made an empty subject)', () => CertificateAuthority.create({ subject: 'not a dn' }), DN],
    ['no subject', () => CertificateAuthority.create({} as { subject: string }), DN.replace('must be', 'is required and must be')],
    ['a lower-case attribute type (a TypeError from inside @peculiar/x509)', () => CertificateAuthority.create({ subject: 'cn=Test' }), DN],
    ['a negative path length (pathlen:-1 was written)', () => CertificateAuthority.create({ subject: 'CN=x', pathLength: -1 }), 'pathLength must be an integer, 0 or more'],
    ['notAfter before notBefore', () => CertificateAuthority.create({ subject: 'CN=x', notBefore: new Date(2031, 0), notAfter: new Date(2030, 0) }),
      'notAfter must not be before notBefore'],
    ['a year for a Date', () => CertificateAuthority.create({ subject: 'CN=x', notAfter: 2030 as unknown as Date }), 'notAfter must be a valid Date'],
    ['an unknown key algorithm (OpenSSL: key size too small)', () => CertificateAuthority.create({ subject: 'CN=x', keyAlgorithm: 'rsa2048' as 'rsa-2048' }),
      `keyAlgorithm must be one of ${KEY_ALGORITHMS.join(', ')}`],
    ['a misspelt key', () => CertificateAuthority.create({ subject: 'CN=x', notafter: new Date() } as { subject: string }), 'unknown key notafter (did you mean notAfter?)'],
    ['issue() without options', () => ca.issue(undefined as unknown as CertificateOptions), 'the options must be an object'],
    ['a date that is no time (notAfter=Bad time value was written)', () => ca.issue({ subject: 'CN=l', notAfter: new Date('garbage') }), 'notAfter must be a valid Date'],
    ['a serial number with 0x', () => ca.issue({ subject: 'CN=l', serialNumber: '0x12' }), 'serialNumber must be a positive serial number in hex'],
    ['SAN names as one string', () => ca.issue({ subject: 'CN=l', subjectAltNames: { dns: 'a.example' as unknown as string[] } }), 'subjectAltNames.dns must be a list'],
    ['an IP SAN that is no address (an Error from inside @peculiar/x509, naming no option)', () => ca.issue({ subject: 'CN=l', subjectAltNames: { ip: ['127.0.0.1', '999.1.1.1'] } }),
      'subjectAltNames.ip[1] must be an IPv4 or IPv6 address'],
    ['a host name for an IP SAN', () => ca.issue({ subject: 'CN=l', subjectAltNames: { ip: ['localhost'] } }), 'subjectAltNames.ip[0] must be an IPv4 or IPv6 address'],
    // An IA5String: check and the emulator refuse a certificate holding other, as Go does (review: 'bücher.example' was written as latin1, 'ā' as 01).
    ['a DNS SAN that is not ASCII', () => ca.issue({ subject: 'CN=l', subjectAltNames: { dns: ['a.example', 'bücher.example'] } }),
      'subjectAltNames.dns[1] must be ASCII (an IA5String: an IDN in its xn-- form, a URI with its other characters %-encoded)'],
    ['a URI SAN that is not ASCII', () => ca.issue({ subject: 'CN=l', subjectAltNames: { uri: ['spiffe://example.org/wörkload'] } }),
      'subjectAltNames.uri[0] must be ASCII (an IA5String: an IDN in its xn-- form, a URI with its other characters %-encoded)'],
    ['a directoryName SAN with a lower-case attribute type (an Error from inside @peculiar/x509)', () => ca.issue({ subject: 'CN=l', subjectAltNames: { directoryName: ['cn=x'] } }),
      'subjectAltNames.directoryName[0] must be a distinguished name such as CN=workload,O=Example'],
    ['a publicKey that is no SubjectPublicKeyInfo (an Error from inside @peculiar/x509)', () => ca.issue({ subject: 'CN=l', publicKey: Buffer.from('garbage') }),
      'publicKey must be a Buffer of SubjectPublicKeyInfo DER'],
    ['a directoryName SAN @peculiar/x509 reads as no name (it wrote an empty one)', () => ca.issueIntermediate({ subject: 'CN=i', subjectAltNames: { directoryName: ['not a dn'] } }),
      'subjectAltNames.directoryName[0] must be a distinguished name such as CN=workload,O=Example'],
    ['an intermediate with a key usage out of range', () => ca.issueIntermediate({ subject: 'CN=i', keyUsage: 1024 }), 'keyUsage must be KeyUsage bits (0 to 511) or null'],
    ['a CRL of one serial number rather than a list', () => ca.crl('01' as unknown as string[]), 'revokedSerialNumbersHex must be a list'],
    ['a serial number twice in a CRL, in another case (a bare Error from inside @peculiar/x509)', () => ca.crl(['0a', '02', '0A']),
      'revokedSerialNumbersHex[2] is the serial number of revokedSerialNumbersHex[0]: a CRL lists each once'],
    ['a serial number twice in a CRL, with a leading zero', () => ca.crl(['00ff', 'ff']), 'revokedSerialNumbersHex[1] is the serial number of revokedSerialNumbersHex[0]: a CRL lists each once'],
  ])('%s', async (_name, made, message) => {
    await refused(made, message);
  });

  it('generateKey and pkcs8Pem check their arguments too', async () => {
    await refused(() => generateKey(undefined as unknown as 'ec-p256'), `keyAlgorithm must be one of ${KEY_ALGORITHMS.join(', ')}`);
    await refused(() => pkcs8Pem('x' as unknown as GeneratedKey), 'key must be a key of generateKey or an issued certificate');
    await refused(() => pkcs8Pem(generateKey('ec-p256'), 'raw' as 'seed'), 'form must be one of seed, expanded, both');
  });

  it('takes options left undefined, as exactOptionalPropertyTypes lets them be written', async () => {
    const intermediate = await ca.issueIntermediate({ subject: 'CN=I', pathLength: undefined, notBefore: undefined });
    const leaf = await intermediate.issue({ subject: 'CN=leaf', keyAlgorithm: undefined, serialNumber: undefined, subjectAltNames: { dns: undefined } });
    expect(openssl(['x509', '-noout', '-subject'], leaf.pem).toString()).toBe('subject=CN = leaf\n');
  });
});
