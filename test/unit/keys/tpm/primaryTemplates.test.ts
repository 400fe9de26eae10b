import { describe, expect, it } from 'vitest';
import { ECC_P256_STORAGE, RSA_2048_STORAGE, templatesToTry } from '../../../../src/keys/tpm/primaryTemplates.js';

describe('templatesToTry', () => {
  it('tries the ECC storage key first, then the RSA one', () => {
    expect(templatesToTry(false, undefined)).toEqual([ECC_P256_STORAGE, RSA_2048_STORAGE]);
  });

  it('starts with the template that worked last time', () => {
    expect(templatesToTry(false, RSA_2048_STORAGE)).toEqual([RSA_2048_STORAGE, ECC_P256_STORAGE]);
  });

  it('uses only the RSA storage key when the key file says rsaParent', () => {
    expect(templatesToTry(true, ECC_P256_STORAGE)).toEqual([RSA_2048_STORAGE]);
  });

  it('matches the reference\'s template byte for byte (SHA-256 name, AES-128-CFB, the storage attributes)', () => {
    expect(ECC_P256_STORAGE.args).toEqual(['-g', 'sha256', '-G', 'ecc256:aes128cfb', '-a', 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda']);
    expect(RSA_2048_STORAGE.args).toEqual(['-g', 'sha256', '-G', 'rsa2048:aes128cfb', '-a', 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda']);
  });
});
