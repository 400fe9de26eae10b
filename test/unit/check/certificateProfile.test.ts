import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateProfileFindings } from '../../../src/check/certificateProfile.js';
import type { Finding } from '../../../src/check/findings.js';
import { inspectCertificate } from '../../../src/check/inspectedCertificate.js';
import * as x509 from '../../support/peculiarX509.js';
import { CertificateAuthority, type CertificateOptions } from '../../../src/emulator/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../../src/emulator/pki/generateKey.js';
import { Workspace, openssl } from '../../support/scenario.js';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Profile Root' });
});

async function profile(options: Partial<CertificateOptions> = {}): Promise<Record<string, Finding>> {
  const issued = await ca.issue({ subject: 'CN=profile', ...options });
  return Object.fromEntries(certificateProfileFindings(inspectCertificate(issued.der)).map((finding) => [finding.check, finding]));
}

/** The signatureAlgorithm finding of a self-signed RSA end entity that OpenSSL signs with these options. */
function signatureFinding(signOptions: string[]): Finding | undefined {
  const workspace = new Workspace();
  try {
    const key = workspace.write('key.pem', pkcs8Pem(generateKey('rsa-2048')));
    workspace.write('leaf.ext', 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
    const csr = openssl(['req', '-new', '-key', key, '-subj', '/CN=signed']);
    const der = openssl(['x509', '-req', '-signkey', key, '-outform', 'DER', ...signOptions, '-extfile', workspace.path('leaf.ext')], csr);
    return certificateProfileFindings(inspectCertificate(der)).find((f) => f.check === 'signatureAlgorithm');
  } finally {
    workspace.cleanup();
  }
}

/** A self-signed EC end entity that OpenSSL makes with these extensions (lines of an extfile). */
function selfSigned(subject: string, extensions: readonly string[]): Buffer {
  const workspace = new Workspace();
  try {
    const key = workspace.write('key.pem', pkcs8Pem(generateKey('ec-p256')));
    workspace.write('leaf.ext', `${extensions.join('\n')}\n`);
    const csr = openssl(['req', '-new', '-key', key, '-subj', `/CN=${subject}`]);
    return openssl(['x509', '-req', '-signkey', key, '-outform', 'DER', '-extfile', workspace.path('leaf.ext')], csr);
  } finally {
    workspace.cleanup();
  }
}

describe("the end entity's profile", () => {
  it('a certificate as the service wants it passes every rule', async () => {
    const findings = await profile();
    expect(Object.values(findings).map((f) => f.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(findings.version!.message).toBe('X.509 version 3');
    expect(findings.subject!.message).toBe('subject CN=profile');
    expect(findings.signatureAlgorithm!.message).toBe('signed with ecdsa-with-SHA256');
    expect(findings.publicKey!.message).toBe('EC key on P-256');
  });

  it('an empty subject fails, even with a subjectAltName: the service does not support one yet', async () => {
    expect((await profile({ subject: '', subjectAltNames: { dns: ['empty.example'] } })).subject).toEqual({
      check: 'subject',
      status: 'fail',
      message: 'empty subject: the service does not support certificates without a subject yet (even with a critical subjectAltName)',
    });
  });

  it('a CA certificate as end entity fails', async () => {
    const { basicConstraints } = await profile({ basicConstraintsCa: true });
    expect(basicConstraints).toMatchObject({ status: 'fail', message: expect.stringContaining('CA:true') });
  });

  it('no basicConstraints extension passes: the service requires only that a CA field present be false', async () => {
    expect((await profile({ basicConstraintsCa: null })).basicConstraints).toEqual({
      check: 'basicConstraints',
      status: 'pass',
      message: 'end entity, not a CA (no basicConstraints extension)',
    });
  });

  it('a keyUsage without digitalSignature fails, naming the usages it has', async () => {
    const { keyUsage } = await profile({ keyUsage: x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment });
    expect(keyUsage).toMatchObject({ status: 'fail' });
    expect(keyUsage!.message).toBe('keyUsage (keyEncipherment, dataEncipherment) lacks digitalSignature, which the service requires of the end entity');
  });

  it('no keyUsage extension at all fails, as the service refuses it', async () => {
    expect((await profile({ keyUsage: null })).keyUsage).toEqual({
      check: 'keyUsage',
      status: 'fail',
      message: 'no keyUsage extension: the service requires one with digitalSignature of the end entity',
    });
  });

  it.each(['ec-p256', 'rsa-2048'] as const)('a SHA-1 signature fails (issuer key %s)', async (caKey) => {
    const rsaCa = await CertificateAuthority.create({ subject: 'CN=SHA-1 Root', keyAlgorithm: caKey });
    const issued = await rsaCa.issue({ subject: 'CN=sha1', signatureHash: 'SHA-1' });
    const finding = certificateProfileFindings(inspectCertificate(issued.der)).find((f) => f.check === 'signatureAlgorithm')!;
    expect(finding.status).toBe('fail');
    expect(finding.message).toMatch(/^signed with (ecdsa-with-SHA1|sha1WithRSAEncryption): the service refuses SHA-1/);
  });

  it.each([
    ['-sha1', 'fail', 'signed with RSASSA-PSS: the service refuses SHA-1; have it signed with SHA-256 or stronger'],
    ['-sha224', 'fail', 'signed with RSASSA-PSS: the service refuses SHA-224; have it signed with SHA-256 or stronger'],
    ['-sha256', 'pass', 'signed with RSASSA-PSS'],
  ])('an RSASSA-PSS signature with %s in its parameters: %s', (hash, status, message) => {
    expect(signatureFinding([hash, '-sigopt', 'rsa_padding_mode:pss'])).toEqual({ check: 'signatureAlgorithm', status, message });
  });

  it('an MD5 signature fails, as SHA-1 does (an algorithm it did not know would only warn)', () => {
    expect(signatureFinding(['-md5'])).toEqual({
      check: 'signatureAlgorithm',
      status: 'fail',
      message: 'signed with md5WithRSAEncryption: the service refuses MD5; have it signed with SHA-256 or stronger',
    });
  });

  it('SHA-384 and SHA-512 signatures pass', async () => {
    expect((await profile({ signatureHash: 'SHA-384' })).signatureAlgorithm!.message).toBe('signed with ecdsa-with-SHA384');
    expect((await profile({ signatureHash: 'SHA-512' })).signatureAlgorithm!.status).toBe('pass');
  });

  it('an RSA-1024 key fails; RSA-2048, P-384, P-521 and ML-DSA keys pass', async () => {
    expect((await profile({ keyAlgorithm: 'rsa-1024' })).publicKey).toMatchObject({
      status: 'fail',
      message: 'RSA key of 1024 bits: the service accepts RSA keys of 2048 bits or more',
    });
    expect((await profile({ keyAlgorithm: 'rsa-2048' })).publicKey!.message).toBe('RSA key of 2048 bits');
    expect((await profile({ keyAlgorithm: 'ec-p384' })).publicKey!.message).toBe('EC key on P-384');
    expect((await profile({ keyAlgorithm: 'ec-p521' })).publicKey!.status).toBe('pass');
    expect((await profile({ keyAlgorithm: 'ml-dsa-65' })).publicKey!.message).toBe('ML-DSA-65 key');
  });

  it('an EC key on another curve, or with its curve spelt out by parameters, fails, saying which', async () => {
    const accepted = 'the service accepts RSA of 2048 bits or more, EC P-256, P-384 or P-521, or ML-DSA';
    const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'der' });
    expect((await profile({ publicKey: secp256k1 })).publicKey).toEqual({ check: 'publicKey', status: 'fail', message: `EC secp256k1 key: ${accepted}` });
    const explicitKey = openssl(['ecparam', '-name', 'prime256v1', '-param_enc', 'explicit', '-genkey', '-noout']);
    const explicit = openssl(['pkey', '-pubout', '-outform', 'DER'], explicitKey);
    expect((await profile({ publicKey: explicit })).publicKey).toEqual({
      check: 'publicKey',
      status: 'fail',
      message: `EC key whose curve is given by its parameters, not by name: ${accepted}`,
    });
  });

  it("a certificate whose version is negative is damaged, not an internal error (fuzzing QA: 'internal error: INTEGER out of range')", async () => {
    const der = Buffer.from((await ca.issue({ subject: 'CN=profile' })).der);
    // TBSCertificate's [0] EXPLICIT INTEGER 2 (a0 03 02 01 02), made -1.
    const at = der.indexOf(Buffer.from('a003020102', 'hex'));
    expect(at).toBeGreaterThan(0);
    der[at + 4] = 0xff;
    expect(() => inspectCertificate(der)).toThrow('its DER is damaged (INTEGER out of range)');
  });

  it("a certificate whose RSA public key does not parse is damaged, not an internal error (fuzzing QA: 'internal error: Zero buffer length')", () => {
    const der = Buffer.from('MIICSjCCAfCgAwIBAgIQD6KEuZfydZdSn4ngfwm5FjAKBggqhkjOPQQDAjAYMQkwBwYDVQQDEwAxCzAJBgNVBAoTAmZ6MB4XDTI2MTIwNDAxMjgyNloXDTI3MDEwNDAxMjgyNlowJTEWMBQGA1UEAxMNbGVhZi1yc2EtMjA0ODELMAkGA1UEChMCZnowggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCpL2nnqcZtM/3MjIiLTkZ+CcWYJoJl72XGRykg6pYjYXdyZRd9gH6IHt8ia+m1bQHgj+jbfcyzXWrcKOlA9JhieJpdmRUbv7muIDddxJZbEkUPw0BqBAoGMsqfI0XB6X2wRpsh1o/61oXdOz1Bjwx9B6jXVIhn2IQ03LdiyJxRGF3pQMg0DztL+f45T03Z4cYp1Kt1NyJJi0rY/+Nd7yuIbkULGClwELu+cVWR9ckuQX5L6qagXUUw9mQv11Q7JC+4aRNMxW27QyFeF5p0SwywOBvZ9RW+NmCdxRTqjKynvjjwqQudqGDdwMCfzPhfChNXpiXxsrmiI7ojlr+54h9zoAMBAAGjRDBCMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeAMCIGA1UdEQQbMBmCCWEuZXhhbXBsZYYMc3BpZmZlOi8veC95MAoGCCqGSM49BAMCA0gAMEUCIQDS6egKHhpswjc8t9OyYwqvd5k4MQ9/tg7y5wRk7btDfgIgY2W3/GpAk/UMbUjANILv55jP9/m0QSjZCzVgCz0BT0g=', 'base64');
    expect(() => inspectCertificate(der)).toThrow('its DER is damaged (expected INTEGER)');
  });

  it('an X.509 version 1 certificate (OpenSSL 3 writes one for a CSR signed without extensions) fails', () => {
    const workspace = new Workspace();
    try {
      const key = workspace.write('key.pem', pkcs8Pem(generateKey('ec-p256')));
      const csr = openssl(['req', '-new', '-key', key, '-subj', '/CN=v1']);
      const der = openssl(['x509', '-req', '-signkey', key, '-outform', 'DER'], csr);
      const [version] = certificateProfileFindings(inspectCertificate(der));
      expect(version).toMatchObject({ check: 'version', status: 'fail', message: 'X.509 version 1: the service accepts version 3 certificates only' });
    } finally {
      workspace.cleanup();
    }
  });

  it('every extension RFC 5280 defines may be marked critical: no extensions finding (mutation QA: each could leave the list unnoticed)', () => {
    const certificate = inspectCertificate(
      selfSigned('all critical', [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'subjectKeyIdentifier=critical,hash',
        'authorityKeyIdentifier=critical,keyid:always',
        'subjectAltName=critical,DNS:leaf.example',
        'issuerAltName=critical,DNS:ca.example',
        'nameConstraints=critical,permitted;DNS:example.com',
        'crlDistributionPoints=critical,URI:http://crl.example/ca.crl',
        'certificatePolicies=critical,1.2.3.4',
        'policyMappings=critical,1.2.3.4:1.2.3.5',
        'policyConstraints=critical,requireExplicitPolicy:0',
        'extendedKeyUsage=critical,clientAuth',
        'freshestCRL=critical,URI:http://crl.example/delta.crl',
        'inhibitAnyPolicy=critical,0',
        'authorityInfoAccess=critical,OCSP;URI:http://ocsp.example',
        'subjectInfoAccess=critical,caRepository;URI:http://repository.example',
      ]),
    );
    expect(certificate.parsed.extensions.filter((extension) => extension.critical)).toHaveLength(16);
    expect(certificateProfileFindings(certificate).map((finding) => finding.check)).toEqual(['version', 'subject', 'basicConstraints', 'keyUsage', 'signatureAlgorithm', 'publicKey']);
  });

  it('an X.509 version 2 certificate fails too: version 3 only (mutation QA: version >= 2 passed)', async () => {
    const der = Buffer.from((await ca.issue({ subject: 'CN=v2' })).der);
    // TBSCertificate's [0] EXPLICIT INTEGER 2 (a0 03 02 01 02), made 1: version 2.
    const at = der.indexOf(Buffer.from('a003020102', 'hex'));
    expect(at).toBeGreaterThan(0);
    der[at + 4] = 0x01;
    const [version] = certificateProfileFindings(inspectCertificate(der));
    expect(version).toEqual({ check: 'version', status: 'fail', message: 'X.509 version 2: the service accepts version 3 certificates only' });
  });

  it('names the first of two extensions marked critical that RFC 5280 does not define (mutation QA: the last passed)', () => {
    const der = selfSigned('two unknown', ['keyUsage=critical,digitalSignature', '1.2.3.4.5.6=critical,ASN1:NULL', '1.2.3.4.5.7=critical,ASN1:NULL']);
    expect(certificateProfileFindings(inspectCertificate(der)).filter((finding) => finding.check === 'extensions')).toEqual([
      { check: 'extensions', status: 'fail', message: 'it marks critical an extension path validation does not know (1.2.3.4.5.6), which a verifier must refuse' },
    ]);
  });
});
