import { afterAll, describe, expect, it } from 'vitest';
import { contextTag, encodeNode, encodeOid, encodeSequence, encoding, readRoot, sequence } from '../../../src/asn1/der.js';
import { inspectCertificate } from '../../../src/check/inspectedCertificate.js';
import { tbsSignatureIndex } from '../../../src/keys/certificate.js';
import { signatureAlgorithmFinding } from '../../../src/check/signatureAlgorithm.js';
import { weakSignature as weakSignatureOf } from '../../../src/emulator/weakSignature.js';
import { RSASSA_PSS } from '../../../src/x509/pssHash.js';
import { HASH_NAMES, SIGNATURE_ALGORITHMS } from '../../../src/x509/signatureAlgorithms.js';
import { generateKey, pkcs8Pem } from '../../../src/emulator/pki/generateKey.js';
import { Workspace, openssl } from '../../support/scenario.js';

const workspace = new Workspace();
afterAll(() => workspace.cleanup());

/** The emulator's verdict on a certificate's DER. */
const weakSignature = (der: Buffer) => weakSignatureOf(inspectCertificate(der).parsed);

/** A self-signed RSA certificate, signed by OpenSSL with these options. */
function signedWith(...options: string[]): Buffer {
  const key = workspace.write('key.pem', pkcs8Pem(generateKey('rsa-2048')));
  const csr = openssl(['req', '-new', '-key', key, '-subj', '/CN=pss']);
  return openssl(['x509', '-req', '-signkey', key, '-days', '1', '-outform', 'DER', ...options], csr);
}

describe('the weak hash a certificate is signed over', () => {
  it('RSASSA-PSS over SHA-1 (the parameters leave the hash out) or SHA-224 is weak; over SHA-256 it is not', () => {
    const pss = ['-sigopt', 'rsa_padding_mode:pss'];
    expect(weakSignature(signedWith('-sha1', ...pss))).toBe('SHA-1 (RSASSA-PSS)');
    expect(weakSignature(signedWith('-sha224', ...pss))).toBe('SHA-224 (RSASSA-PSS)');
    expect(weakSignature(signedWith('-sha256', ...pss))).toBeUndefined();
    expect(weakSignature(signedWith('-sha512', ...pss))).toBeUndefined();
  });

  it('PKCS#1 v1.5 by the algorithm alone', () => {
    expect(weakSignature(signedWith('-sha1'))).toBe('SHA-1');
    expect(weakSignature(signedWith('-sha256'))).toBeUndefined();
  });
});

/**
 * A certificate's DER with its signature algorithm replaced, in the TBSCertificate and outside it, as a
 * certificate names it (neither check nor the emulator reads the signature for this).
 */
function withSignatureAlgorithm(der: Buffer, oid: string, parameters?: Buffer): Buffer {
  const [tbs, , signature] = sequence(readRoot(der));
  const algorithm = encodeSequence(encodeOid(oid), ...(parameters ? [parameters] : []));
  const fields = sequence(tbs);
  const at = tbsSignatureIndex(fields);
  return encodeSequence(encodeSequence(...fields.map((field, index) => (index === at ? algorithm : encoding(field)))), algorithm, encoding(signature!));
}

/** RSASSA-PSS parameters naming this hash, or leaving it out (SHA-1). */
const pssParameters = (hashOid?: string) => encodeSequence(...(hashOid ? [encodeNode(contextTag(0, true), encodeSequence(encodeOid(hashOid)))] : []));

describe("check's verdict on a signature algorithm and the emulator's", () => {
  it('agree for every algorithm check knows, RSASSA-PSS over each hash, md4WithRSA and the OIW sha1WithRSA weak among them', () => {
    const base = signedWith('-sha256');
    const cases: [string, Buffer][] = [
      ...Object.keys(SIGNATURE_ALGORITHMS).map((oid): [string, Buffer] => [oid, withSignatureAlgorithm(base, oid)]),
      ['RSASSA-PSS without a hash (SHA-1)', withSignatureAlgorithm(base, RSASSA_PSS, pssParameters())],
      ...Object.entries(HASH_NAMES).map(([oid, hash]): [string, Buffer] => [`RSASSA-PSS over ${hash}`, withSignatureAlgorithm(base, RSASSA_PSS, pssParameters(oid))]),
    ];
    const verdicts = cases.map(([name, der]) => ({
      name,
      check: signatureAlgorithmFinding(inspectCertificate(der)).status === 'fail' ? 'weak' : 'accepted',
      emulator: weakSignature(der) === undefined ? 'accepted' : 'weak',
    }));
    expect(verdicts.filter((verdict) => verdict.check !== verdict.emulator)).toEqual([]);
    const weak = verdicts.filter((verdict) => verdict.emulator === 'weak').map((verdict) => verdict.name);
    // Every one over a hash weaker than SHA-256 (MD2, MD4, MD5, SHA-1, SHA-224), and only those.
    expect(weak.sort()).toEqual([
      '1.2.840.10040.4.3', '1.2.840.10045.4.1', '1.2.840.10045.4.3.1', '1.2.840.113549.1.1.14', '1.2.840.113549.1.1.2', '1.2.840.113549.1.1.3', '1.2.840.113549.1.1.4',
      '1.2.840.113549.1.1.5', '1.3.14.3.2.27', '1.3.14.3.2.29', '1.3.14.3.2.3', '2.16.840.1.101.3.4.3.1',
      'RSASSA-PSS over MD5', 'RSASSA-PSS over SHA-1', 'RSASSA-PSS over SHA-224', 'RSASSA-PSS without a hash (SHA-1)',
    ]);
  });

  it('an algorithm check does not know: check warns, the emulator refuses it', () => {
    const der = withSignatureAlgorithm(signedWith('-sha256'), '1.3.101.112');
    expect(signatureAlgorithmFinding(inspectCertificate(der)).status).toBe('warn');
    expect(weakSignature(der)).toBe('an algorithm the service is not known to accept (OID 1.3.101.112)');
  });

  it('RSASSA-PSS over a hash the table does not name, or with parameters naming none: weak, by its OID or as unknown', () => {
    const base = signedWith('-sha256');
    const unnamed = withSignatureAlgorithm(base, RSASSA_PSS, pssParameters('1.2.3.4'));
    expect(weakSignature(unnamed)).toBe('the hash 1.2.3.4 (RSASSA-PSS)');
    expect(signatureAlgorithmFinding(inspectCertificate(unnamed)).message).toBe(
      'signed with RSASSA-PSS: the service refuses the hash 1.2.3.4; have it signed with SHA-256 or stronger',
    );
    const none = withSignatureAlgorithm(base, RSASSA_PSS, encodeOid('1.2.3.4'));
    expect(weakSignature(none)).toBe('an unknown hash (RSASSA-PSS)');
    expect(signatureAlgorithmFinding(inspectCertificate(none)).status).toBe('fail');
  });
});
