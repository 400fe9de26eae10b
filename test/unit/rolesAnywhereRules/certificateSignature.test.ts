import { describe, expect, it } from 'vitest';
import { encodeBitString, encodeOid, encodeSequence, encoding, readRoot, sequence } from '../../../src/asn1/der.js';
import { tbsSignatureIndex } from '../../../src/keys/certificate.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../../src/emulator/pki/generateKey.js';
import { certificateSignedBy } from '../../../src/rolesAnywhereRules/certificateSignature.js';

const ML_DSA_65 = '2.16.840.1.101.3.4.3.18';
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

describe('certificateSignedBy, for an ML-DSA issuer', () => {
  it('takes a signature only under the algorithm of its key, named alike inside and outside the TBSCertificate, as OpenSSL does on Node 24', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Any Root' });
    const key = generateKey('ml-dsa-65');
    const issuer = (await ca.issue({ subject: 'CN=ML-DSA issuer', publicKey: key.spki })).der;
    const template = (await ca.issue({ subject: 'CN=subject' })).der;
    /** The template's TBSCertificate with `inner` as its signature field, signed by the ML-DSA key, under `outer`. */
    const signed = (inner: Buffer, outer: Buffer) => {
      const fields = sequence(sequence(readRoot(template))[0]);
      const at = tbsSignatureIndex(fields);
      const tbs = encodeSequence(...fields.map((field, index) => (index === at ? inner : encoding(field))));
      return encodeSequence(tbs, outer, encodeBitString(key.mlDsa!.sign(tbs)));
    };
    const mlDsa = encodeSequence(encodeOid(ML_DSA_65));
    expect(certificateSignedBy(signed(mlDsa, mlDsa), issuer)).toBe(true);
    expect(certificateSignedBy(signed(encodeSequence(encodeOid(ECDSA_SHA256)), mlDsa), issuer)).toBe(false);
    expect(certificateSignedBy(signed(mlDsa, encodeSequence(encodeOid(ECDSA_SHA256))), issuer)).toBe(false);
  });
});
