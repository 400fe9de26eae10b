import { HelperError } from '../../errors.js';

/** `read-certificate-data --certificate pkcs11:...`: see issue 4. */
export async function listPkcs11Certificates(_options: { uri: string; pkcs11Lib?: string | undefined }): Promise<string> {
  throw new HelperError('PKCS#11 keys are not supported yet');
}
