import { describe, expect, it } from 'vitest';
import { certificateSignatureAlgorithm } from '../../../src/rolesAnywhereRules/signatureAlgorithms.js';
import { RSASSA_PSS } from '../../../src/x509/pssHash.js';

describe("certificateSignatureAlgorithm: the service's SHA-256 or stronger", () => {
  it('judges RSASSA-PSS by the hash its parameters name: none named, or one not in the table, is not strong (mutation QA)', () => {
    expect(certificateSignatureAlgorithm({ signatureAlgorithmOid: RSASSA_PSS, pssHashOid: '2.16.840.1.101.3.4.2.3' })).toEqual({ name: 'RSASSA-PSS', hash: 'SHA-512', strong: true });
    expect(certificateSignatureAlgorithm({ signatureAlgorithmOid: RSASSA_PSS, pssHashOid: undefined })).toEqual({ name: 'RSASSA-PSS', hash: 'an unknown hash', strong: false });
    // SHA3-256: not in the table, so not known to be strong.
    expect(certificateSignatureAlgorithm({ signatureAlgorithmOid: RSASSA_PSS, pssHashOid: '2.16.840.1.101.3.4.2.8' })).toEqual({
      name: 'RSASSA-PSS',
      hash: 'the hash 2.16.840.1.101.3.4.2.8',
      strong: false,
    });
  });

  it.each([
    ['1.3.14.3.2.3', 'md5WithRSA (OIW)', 'MD5'],
    ['1.3.14.3.2.29', 'sha1WithRSASignature (OIW)', 'SHA-1'],
    ['1.3.14.3.2.27', 'dsaWithSHA1 (OIW)', 'SHA-1'],
    ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption', 'MD2'],
    ['1.2.840.113549.1.1.3', 'md4WithRSAEncryption', 'MD4'],
    ['1.2.840.10040.4.3', 'dsa-with-SHA1', 'SHA-1'],
    ['2.16.840.1.101.3.4.3.1', 'dsa-with-SHA224', 'SHA-224'],
    ['1.2.840.10045.4.3.1', 'ecdsa-with-SHA224', 'SHA-224'],
  ])('%s (%s), which OpenSSL does not sign with any more, is weak: %s (mutation QA: docs/check.md names the OIW OIDs)', (oid, name, hash) => {
    expect(certificateSignatureAlgorithm({ signatureAlgorithmOid: oid, pssHashOid: undefined })).toEqual({ name, hash, strong: false });
  });

  it.each(['2.16.840.1.101.3.4.3.17', '2.16.840.1.101.3.4.3.18', '2.16.840.1.101.3.4.3.19'])('ML-DSA (%s) is strong', (oid) => {
    expect(certificateSignatureAlgorithm({ signatureAlgorithmOid: oid, pssHashOid: undefined })?.strong).toBe(true);
  });
});
