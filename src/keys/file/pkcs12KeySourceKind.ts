import { HelperError } from '../../errors.js';
import type { KeySourceKind } from '../keySource.js';
import { secretFromEnv } from '../secretVariables.js';
import { JAVA_KEYSTORE, isJavaKeystore, pkcs12Der } from './pkcs12File.js';
import { inputName } from '../input.js';

/** A PKCS#12 file as the certificate, without --private-key. */
export const pkcs12KeySourceKind: KeySourceKind = {
  chosen: 'not a PEM certificate, so trying PKCS#12',
  what: 'a PKCS#12 file',
  passwords: ['pkcs12Password'],
  claims: ({ privateKey }, keyFile) => !privateKey && (pkcs12Der(keyFile()) !== undefined || isJavaKeystore(keyFile())),
  open: async (options, { env, logger }, keyFile) => {
    if (isJavaKeystore(keyFile())) throw new HelperError(`could not parse certificate ${inputName(options.certificate!)}: ${JAVA_KEYSTORE}`);
    if (options.intermediates) {
      throw new HelperError(
        "can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file",
      );
    }
    const { Pkcs12KeySource } = await import('./pkcs12KeySource.js');
    return new Pkcs12KeySource(options.certificate!, { password: options.pkcs12Password, file: options.pkcs12PasswordFile, fromEnv: () => secretFromEnv(env, 'pkcs12Password') }, logger);
  },
};
