import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inspectCertificate } from '../../../src/check/inspectedCertificate.js';
import { keyPossessionFinding } from '../../../src/check/keyPossession.js';
import { HelperError } from '../../../src/errors.js';
import { mlDsaKeyFromPkcs8 } from '../../../src/keys/file/mlDsaKey.js';
import type { SigningIdentity } from '../../../src/keys/keySource.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { generateKey, type GeneratedKey, type KeyAlgorithm } from '../../../src/emulator/pki/generateKey.js';

/** An identity whose key signs as a key source would: RSA PKCS#1 v1.5 or ECDSA over SHA-256, pure ML-DSA. */
function identitySigningWith(key: GeneratedKey): SigningIdentity {
  const mlDsa = key.algorithm.startsWith('ml-dsa') ? mlDsaKeyFromPkcs8(key.pkcs8()) : undefined;
  return {
    certificate: undefined,
    chain: [],
    publicKey: undefined as never,
    sign: async (data) => (mlDsa ? mlDsa.sign(data, 'SHA256') : sign('sha256', data, { key: key.keyObject!, dsaEncoding: 'der' })),
  };
}

describe('the private key matches the certificate: a test signature', () => {
  it.each(['ec-p256', 'ec-p384', 'rsa-2048'] as KeyAlgorithm[])('%s: the key of the certificate passes, another key fails', async (algorithm) => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Possession Root' });
    const issued = await ca.issue({ subject: 'CN=possession', keyAlgorithm: algorithm });
    const certificate = inspectCertificate(issued.der);
    expect(await keyPossessionFinding(identitySigningWith(issued.key!), certificate)).toMatchObject({ check: 'privateKey', status: 'pass' });
    const mismatched = await keyPossessionFinding(identitySigningWith(generateKey(algorithm)), certificate);
    expect(mismatched).toEqual({
      check: 'privateKey',
      status: 'fail',
      message: "the private key does not match the certificate: a test signature does not verify with the certificate's key",
    });
  });

  it('ML-DSA signatures are verified too', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=ML-DSA Root' });
    const issued = await ca.issue({ subject: 'CN=ml-dsa', keyAlgorithm: 'ml-dsa-65' });
    const certificate = inspectCertificate(issued.der);
    expect((await keyPossessionFinding(identitySigningWith(issued.key!), certificate)).status).toBe('pass');
    expect((await keyPossessionFinding(identitySigningWith(generateKey('ml-dsa-65')), certificate)).status).toBe('fail');
  });

  it("a certificate whose public key is damaged fails, not an internal error (fuzzing QA: 'internal error: …decode error')", async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Possession Root' });
    const issued = await ca.issue({ subject: 'CN=possession', keyAlgorithm: 'ec-p256' });
    const der = Buffer.from(issued.der);
    // The point's 04 (uncompressed) made 02 (compressed), which 64 bytes are not.
    const at = der.indexOf(issued.key!.spki.subarray(-65));
    expect(at).toBeGreaterThan(0);
    der[at] = 0x02;
    expect(await keyPossessionFinding(identitySigningWith(issued.key!), inspectCertificate(der))).toMatchObject({ check: 'privateKey', status: 'fail' });
  });

  it('a key that cannot sign fails with the reason', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Possession Root' });
    const certificate = inspectCertificate((await ca.issue({ subject: 'CN=possession' })).der);
    const broken: SigningIdentity = { certificate: undefined, chain: [], publicKey: undefined as never, sign: () => Promise.reject(new HelperError('the token was removed')) };
    expect(await keyPossessionFinding(broken, certificate)).toEqual({
      check: 'privateKey',
      status: 'fail',
      message: 'the private key could not make a test signature: the token was removed',
    });
  });
});
