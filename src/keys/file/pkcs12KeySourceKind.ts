import { Tag, readRoot, sequence } from '../../asn1/der.js';
import { HelperError } from '../../errors.js';
import type { KeySourceKind } from '../keySource.js';
import { secretFromEnv } from '../secretVariables.js';
import { isPem } from './pem.js';

/** A PKCS#12 file as the certificate, without --private-key. */
export const pkcs12KeySourceKind: KeySourceKind = {
  chosen: 'not a PEM certificate, so trying PKCS#12',
  what: 'a PKCS#12 file',
  passwords: ['pkcs12Password'],
  claims: ({ privateKey }, keyFile) => !privateKey && !isPem(keyFile()) && looksLikePkcs12(keyFile()),
  open: async (options, { env }) => {
    if (options.intermediates) {
      throw new HelperError(
        "can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file",
      );
    }
    const { Pkcs12KeySource } = await import('./pkcs12KeySource.js');
    return new Pkcs12KeySource(options.certificate!, { password: options.pkcs12Password, fromEnv: secretFromEnv(env, 'pkcs12Password') });
  },
};

/** PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, ... }; a certificate starts with a SEQUENCE. */
export function looksLikePkcs12(data: Buffer): boolean {
  try {
    return sequence(readRoot(data))[0]?.tag === Tag.INTEGER;
  } catch {
    return false;
  }
}
