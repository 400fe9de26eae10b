import type { Context } from '../context.js';
import { HelperError } from '../errors.js';
import type { Certificate } from '../keys/certificate.js';
import { readIntermediates } from '../keys/file/certificateFile.js';
import type { CertificateAndChain, KeySource, KeySourceOptions, SigningIdentity } from '../keys/keySource.js';
import { readCertificateAlone } from '../keys/resolveKeySource.js';
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
 * certificate (and other faults of the key), yet the certificate still deserves checking: it is then read
 * on its own (a file, or a token's certificate read without logging in), and the source's refusal becomes
 * the private key's finding.
 */
export async function certificateUnderCheck(
  openSource: () => Promise<KeySource>,
  options: KeySourceOptions,
  context: Context,
): Promise<CertificateUnderCheck> {
  let source: KeySource | undefined;
  let identity: SigningIdentity | undefined;
  let keyProblem: HelperError | undefined;
  try {
    source = await openSource();
    identity = await source.current();
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    keyProblem = error;
  }
  if (identity) {
    // A key alone (a pkcs11: URI or TPM key as --private-key), named as credential-process names it.
    if (!identity.certificate) {
      throw new HelperError(`nothing to check: ${source!.description} is a key alone; give its certificate with ${option('certificate')}`);
    }
    return { certificate: identity.certificate, intermediates: identity.chain, identity, keyProblem: undefined };
  }
  let alone: CertificateAndChain | undefined;
  try {
    alone = await readCertificateAlone(options, context);
  } catch {
    // Not a certificate file of its own (a PKCS#12 file, say): the source's reason is the one to give.
  }
  if (!alone) throw keyProblem!;
  // --intermediates, else the chain a token holds, as the key source takes them.
  const intermediates = readIntermediates(options.intermediates) ?? alone.chain;
  return { certificate: alone.certificate, intermediates, identity: undefined, keyProblem: keyProblem!.text };
}
