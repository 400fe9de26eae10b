import type { Context } from '../context.js';
import { HelperError } from '../errors.js';
import type { Certificate } from '../keys/certificate.js';
import { readCertificate, readIntermediates } from '../keys/file/certificateFile.js';
import type { KeySource, KeySourceOptions, SigningIdentity } from '../keys/keySource.js';
import { isPkcs11Uri } from '../keys/pkcs11/uri.js';
import { withPkcs11js } from '../keys/pkcs11/withPkcs11js.js';
import { option } from '../optionNames.js';

/** The certificate and chain to check, and the key source's identity or why it could not give one. */
export interface CertificateUnderCheck {
  readonly certificate: Certificate;
  readonly intermediates: readonly Certificate[];
  readonly identity: SigningIdentity | undefined;
  /** Why the key source gave no identity: a key that does not match, a wrong password, no TPM... */
  readonly keyProblem: string | undefined;
}

/**
 * Asks the key source for its certificate, chain and key. A source refuses a key that does not match its
 * certificate (and other faults of the key), yet the certificate still deserves checking: when it is a
 * file, it is read directly and the source's refusal becomes the private key's finding.
 */
export async function certificateUnderCheck(
  openSource: () => Promise<KeySource>,
  options: KeySourceOptions,
  context: Context,
): Promise<CertificateUnderCheck> {
  let identity: SigningIdentity | undefined;
  let keyProblem: HelperError | undefined;
  try {
    identity = await (await openSource()).current();
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    keyProblem = error;
  }
  if (identity) {
    if (!identity.certificate) {
      throw new HelperError(`nothing to check: the key has no certificate; give one with ${option('certificate')}`);
    }
    return { certificate: identity.certificate, intermediates: identity.chain, identity, keyProblem: undefined };
  }
  const input = options.certificate;
  if (!input) throw keyProblem!;
  let certificate: Certificate | undefined;
  try {
    certificate = isPkcs11Uri(input) ? await pkcs11Certificate(input, options, context) : readCertificate(input);
  } catch {
    // Not a certificate file of its own (a PKCS#12 file, say): the source's reason is the one to give.
  }
  if (!certificate) throw keyProblem!;
  const intermediates = readIntermediates(options.intermediates) ?? [];
  return { certificate, intermediates, identity: undefined, keyProblem: keyProblem!.text };
}

/** The certificate a pkcs11: URI names, read from the token without logging in; undefined if not one. */
async function pkcs11Certificate(uri: string, options: KeySourceOptions, context: Context): Promise<Certificate | undefined> {
  const { readPkcs11Certificate } = await withPkcs11js(() => import('../keys/pkcs11/listCertificates.js'));
  return readPkcs11Certificate({ uri, pkcs11Lib: options.pkcs11Lib }, context);
}
