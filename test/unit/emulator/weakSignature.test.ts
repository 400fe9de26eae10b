import { afterAll, describe, expect, it } from 'vitest';
import { weakSignatureHash } from '../../../src/emulator/weakSignature.js';
import { generateKey, pkcs8Pem } from '../../../src/pki/generateKey.js';
import { Workspace, openssl } from '../../support/scenario.js';

const workspace = new Workspace();
afterAll(() => workspace.cleanup());

/** A self-signed RSA certificate, signed by OpenSSL with these options. */
function signedWith(...options: string[]): Buffer {
  const key = workspace.write('key.pem', pkcs8Pem(generateKey('rsa-2048')));
  const csr = openssl(['req', '-new', '-key', key, '-subj', '/CN=pss']);
  return openssl(['x509', '-req', '-signkey', key, '-days', '1', '-outform', 'DER', ...options], csr);
}

describe('the weak hash a certificate is signed over', () => {
  it('RSASSA-PSS over SHA-1 (the parameters leave the hash out) or SHA-224 is weak; over SHA-256 it is not', () => {
    const pss = ['-sigopt', 'rsa_padding_mode:pss'];
    expect(weakSignatureHash(signedWith('-sha1', ...pss))).toBe('SHA-1 (RSASSA-PSS)');
    expect(weakSignatureHash(signedWith('-sha224', ...pss))).toBe('SHA-224 (RSASSA-PSS)');
    expect(weakSignatureHash(signedWith('-sha256', ...pss))).toBeUndefined();
    expect(weakSignatureHash(signedWith('-sha512', ...pss))).toBeUndefined();
  });

  it('PKCS#1 v1.5 by the algorithm alone', () => {
    expect(weakSignatureHash(signedWith('-sha1'))).toBe('SHA-1');
    expect(weakSignatureHash(signedWith('-sha256'))).toBeUndefined();
  });
});
