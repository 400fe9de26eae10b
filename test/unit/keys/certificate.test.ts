import { describe, expect, it } from 'vitest';
import { certificateFromFile, readCertificateBundle, readIntermediates } from '../../../src/keys/file/certificateFile.js';
import { decodePem } from '../../../src/asn1/pem.js';
import { children, encodeOctetString, encodeOid, encodeSequence, encodeSmallInteger, encoding, readRoot, sequence } from '../../../src/asn1/der.js';
import { parseCertificate } from '../../../src/keys/certificate.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { readVector } from '../../support/vectors.js';

describe('certificates', () => {
  it('reads the reference vector certificate: decimal serial, validity, key type', () => {
    const certificate = certificateFromFile(readVector('pki/rsa2048-cert.pem'), 'rsa2048-cert.pem');
    expect(certificate.serialNumber.toString()).toBe('476304768047729818527714114304853335101360880180');
    expect(certificate.publicKey.keyType).toBe('RSA');
    expect(certificate.notAfter.toISOString()).toBe('2026-12-24T23:35:18.000Z');
    expect(certificateFromFile(readVector('pki/ec384-cert.pem'), 'x').publicKey).toMatchObject({ keyType: 'EC', curve: 'P-384' });
  });

  it('reads ML-DSA certificates, which Node 20\'s OpenSSL cannot', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=root' });
    for (const [algorithm, keyType] of [['ml-dsa-44', 'ML-DSA-44'], ['ml-dsa-65', 'ML-DSA-65'], ['ml-dsa-87', 'ML-DSA-87']] as const) {
      const issued = await ca.issue({ subject: 'CN=pq', keyAlgorithm: algorithm });
      expect(parseCertificate(issued.der).publicKey.keyType).toBe(keyType);
    }
  });

  it('takes the first CERTIFICATE block of a PEM file, skipping text and other blocks', () => {
    const bundle = readVector('pki/ec256-key.pem').toString() + 'Comment in bundle\n' + readVector('pki/rsa2048-cert.pem').toString() + readVector('pki/ec256-cert.pem').toString();
    expect(certificateFromFile(Buffer.from(bundle), 'x').publicKey.keyType).toBe('RSA');
  });

  it('reads a certificate and a chain whose PEM headers have no blank line after them, as Go does (QA clientfuzz)', () => {
    // Go's pem.Decode takes `Name: value` lines up to the first line without a colon, blank or not.
    const withHeader = (name: string) => readVector(name).toString('latin1').replace(/-----\n/, '-----\nSubject: CN=vector\n');
    const certificate = certificateFromFile(Buffer.from(withHeader('pki/rsa2048-cert.pem')), 'x');
    expect(certificate.serialNumber.toString()).toBe('476304768047729818527714114304853335101360880180');
    expect(readIntermediates({ content: Buffer.from(withHeader('pki/int-cert.pem')), name: 'x' })).toHaveLength(1);
  });

  it('rejects a PEM block with bad base64 or a mismatched END line', () => {
    expect(decodePem('-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n')).toEqual([]);
    expect(decodePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n')).toEqual([]);
  });

  it('explains what is wrong with a file that is not a certificate', () => {
    const messageOf = (data: Buffer, path: string) => {
      try {
        certificateFromFile(data, path);
      } catch (error) {
        return (error as Error).message;
      }
      return 'parsed';
    };
    expect(messageOf(Buffer.from('hello'), '/x.pem')).toBe('could not parse certificate /x.pem: it is neither PEM (no "-----BEGIN" line) nor DER');
    expect(messageOf(Buffer.alloc(0), '/x.pem')).toBe('could not parse certificate /x.pem: it is empty');
    const pfx = encodeSequence(encodeSmallInteger(3), encodeSequence(encodeOid('1.2.840.113549.1.7.1'), encodeOctetString(Buffer.alloc(40))));
    expect(messageOf(pfx, '/x.p12')).toBe('could not parse certificate /x.p12: it is a PKCS#12 file, which is read as certificate without privateKey');
    // Known by its start even when cut short; a DER key (a SEQUENCE that starts with an INTEGER too) is no PKCS#12 file.
    expect(messageOf(pfx.subarray(0, 40), '/x.p12')).toBe('could not parse certificate /x.p12: it is a PKCS#12 file, which is read as certificate without privateKey');
    const der = decodePem(readVector('pki/ec256-key.pem').toString('latin1'))[0]!.der;
    expect(messageOf(der, '/k.der')).toBe('could not parse certificate /k.der: it is a private key, not a certificate');
    expect(() => certificateFromFile(readVector('pki/ec256-key.pem'), '/k.pem')).toThrow('could not parse PEM data in /k.pem: no CERTIFICATE block found');
  });

  it.each([
    ['no public key', 6, 'the certificate has no subject public key info'],
    ['no subject either', 5, 'the certificate has no subject public key info'],
    ['nothing after the serial number', 2, 'the certificate has no subject public key info'],
  ])('explains a certificate with %s, naming the file (issue 13, item 10)', (_, kept, reason) => {
    expect(() => certificateFromFile(truncatedCertificate(kept), '/cert.der')).toThrow(`could not parse certificate /cert.der: ${reason}`);
  });

  it('explains a certificate whose validity is empty (issue 13, item 10)', () => {
    const [tbs, ...rest] = sequence(readRoot(readDer()));
    const fields = sequence(tbs).map(encoding);
    fields[4] = encodeSequence(); // version, serial, signature, issuer, *validity*
    const der = encodeSequence(encodeSequence(...fields), ...rest.map(encoding));
    expect(() => certificateFromFile(der, '/cert.der')).toThrow('could not parse certificate /cert.der: expected a time');
  });
});

describe('certificate bundles (--intermediates, a trust anchor\'s certificates)', () => {
  const intermediate = readVector('pki/int-cert.pem').toString('latin1');
  const lines = intermediate.trimEnd().split('\n');
  const damaged = 'it holds a damaged PEM block (no END line, or not base64)';

  it.each([
    ['without its END line', lines.slice(0, -1).join('\n')],
    ['with a character that is not base64 in its body', [lines[0], `!${lines[1]!.slice(1)}`, ...lines.slice(2)].join('\n')],
    ['after a whole one', intermediate + lines.slice(0, -1).join('\n')],
  ])('refuses a PEM block %s, which Go skips, rather than send no chain or a shorter one', (_, text) => {
    const content = Buffer.from(text);
    expect(() => readIntermediates({ content, name: 'env:CHAIN' })).toThrow(`invalid certificate chain env:CHAIN (intermediates): ${damaged}`);
    expect(() => readCertificateBundle({ content, name: 'anchor' })).toThrow(`invalid certificate chain anchor: ${damaged}`);
  });

  it.each([
    ['PRIVATE KEY', 'a PRIVATE KEY'],
    ['EC PRIVATE KEY', 'an EC PRIVATE KEY'],
    ['RSA PRIVATE KEY', 'an RSA PRIVATE KEY'],
    ['ENCRYPTED PRIVATE KEY', 'an ENCRYPTED PRIVATE KEY'],
    ['X509 CRL', 'an X509 CRL'],
    ['OPENSSH PRIVATE KEY', 'an OPENSSH PRIVATE KEY'],
    ['CERTIFICATE REQUEST', 'a CERTIFICATE REQUEST'],
  ])('names the %s block a bundle holds instead of certificates, with its article', (type, named) => {
    const content = Buffer.from(`-----BEGIN ${type}-----\nAAAA\n-----END ${type}-----\n`);
    expect(() => readIntermediates({ content, name: 'chain.pem' })).toThrow(`invalid certificate chain chain.pem (intermediates): it holds ${named} block`);
  });

  it('reads whole blocks among comments, and an empty or blank --intermediates as no chain', () => {
    expect(readIntermediates({ content: Buffer.from(`Comment\n${intermediate}Comment\n${intermediate}`), name: 'x' })).toHaveLength(2);
    expect(readIntermediates({ content: Buffer.from(' \r\n\t'), name: 'x' })).toBeUndefined();
    expect(readIntermediates({ content: Buffer.alloc(0), name: 'x' })).toBeUndefined();
  });
});

const readDer = () => decodePem(readVector('pki/ec256-cert.pem').toString())[0]!.der;

/** The vector certificate with only the first `kept` fields of its TBSCertificate (version first). */
function truncatedCertificate(kept: number): Buffer {
  const [tbs, ...rest] = children(readRoot(readDer()));
  return encodeSequence(encodeSequence(...sequence(tbs).slice(0, kept).map(encoding)), ...rest.map(encoding));
}

