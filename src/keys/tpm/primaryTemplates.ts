/**
 * The storage primary keys a key file's hierarchy parent stands for. A primary key is derived from the
 * hierarchy's seed and its template, so the template must match byte for byte the one the key was
 * created under, or TPM2_Load fails its integrity check. These are the TCG's "H" templates (TCG TPM v2.0
 * Provisioning Guidance 7.5.1; EK Credential Profile B.4.5 H-2 and B.4.4 H-1): SHA-256 name, AES-128-CFB,
 * no scheme, empty unique field. The ECC one is what the reference, the tpm2-openssl provider and
 * openssl_tpm2_engine use; the RSA one is what tpm2-tss-engine uses, and key files may say so with
 * rsaParent.
 */
export interface PrimaryTemplate {
  readonly name: string;
  /** tpm2_createprimary arguments after `-C <hierarchy>`. */
  readonly args: readonly string[];
}

const STORAGE_ATTRIBUTES = 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda';

export const ECC_P256_STORAGE: PrimaryTemplate = {
  name: 'ECC P-256 storage key',
  args: ['-g', 'sha256', '-G', 'ecc256:aes128cfb', '-a', STORAGE_ATTRIBUTES],
};

export const RSA_2048_STORAGE: PrimaryTemplate = {
  name: 'RSA-2048 storage key',
  args: ['-g', 'sha256', '-G', 'rsa2048:aes128cfb', '-a', STORAGE_ATTRIBUTES],
};

/** The templates to try, most likely first: the file's rsaParent, or the one that worked last time. */
export function templatesToTry(rsaParent: boolean, lastWorked: PrimaryTemplate | undefined): PrimaryTemplate[] {
  if (rsaParent) return [RSA_2048_STORAGE];
  const first = lastWorked ?? ECC_P256_STORAGE;
  return [first, first === ECC_P256_STORAGE ? RSA_2048_STORAGE : ECC_P256_STORAGE];
}
