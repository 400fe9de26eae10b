import type { Context } from '../context.js';
import { HelperError } from '../errors.js';
import { parseCertSelector } from './certSelector.js';
import { readCertificate } from './file/certificateFile.js';
import { inputName, readInput, type Input } from './input.js';
import type { CertificateAndChain, KeySource, KeySourceOptions, NamedCertificates, PasswordOption } from './keySource.js';
import { KEY_SOURCE_KINDS } from './keySourceKinds.js';
import { fileKeySourceKind, refuseKeylessFile } from './file/fileKeySourceKind.js';
import { option } from '../optionNames.js';

// --cert-selector's parser, for read-certificate-data's bundle, which requires dist/keys.cjs (this module's
// bundle, scripts/build.mjs) anyway: one copy rather than two (0.5 kB of the packed package).
export * from './certSelector.js';

/** Opens the key source the options name: the first kind of the registry that claims them. */
export async function resolveKeySource(options: KeySourceOptions, context: Context): Promise<KeySource> {
  checkKeySourceOptions(options);
  const { certificate, privateKey } = options;
  if (!certificate && !privateKey) throw certStoreUnsupported();
  let keyData: Buffer | undefined;
  const readKeyFile = () => {
    try {
      return readInput(privateKey ?? certificate!, privateKey ? 'private key' : 'certificate');
    } catch (error) {
      // With both files unreadable, the certificate is named first, as the reference names it.
      if (privateKey && certificate !== undefined && !namedCertificates(certificate)) readInput(certificate, 'certificate');
      throw error;
    }
  };
  const keyFile = () => (keyData ??= readKeyFile());
  const kind = KEY_SOURCE_KINDS.find((candidate) => candidate.claims(options, keyFile))!;
  context.logger.debug(kind.chosen);
  const misplaced = PASSWORD_USES.find(([name]) => options[name] !== undefined && options[name] !== false && !kind.passwords.includes(name));
  if (misplaced) {
    if (kind === fileKeySourceKind) refuseKeylessFile(options, keyFile);
    throw new HelperError(`${option(misplaced[0])} is for ${misplaced[1]}, not ${kind.what}: ${inputName(privateKey ?? certificate!)}`);
  }
  return kind.open(options, context, keyFile);
}

/**
 * The certificate the options name, read on its own rather than through its key: a file's, or the one a kind
 * names otherwise (a pkcs11: URI's, read from the token without logging in); undefined if there is none.
 * For `check`, whose key source may refuse the key (a wrong password or PIN, a key that does not match): the
 * certificate still deserves checking.
 */
export async function readCertificateAlone(options: KeySourceOptions, context: Context): Promise<CertificateAndChain | undefined> {
  const { certificate } = options;
  if (certificate === undefined) return undefined;
  const named = namedCertificates(certificate);
  return named ? named.read(certificate as string, options, context) : { certificate: readCertificate(certificate), chain: [] };
}

/**
 * What `read-certificate-data` prints for a certificate a kind names otherwise than by a file (for a pkcs11:
 * URI, every certificate it matches); undefined for a file, which the command reads itself.
 */
export async function listNamedCertificates(certificate: string, options: KeySourceOptions, context: Context): Promise<string | undefined> {
  return namedCertificates(certificate)?.list(certificate, options, context);
}

/** The certificates of the kind that names the certificate option otherwise than by a file, if one does. */
function namedCertificates(certificate: Input): NamedCertificates | undefined {
  return KEY_SOURCE_KINDS.find(({ certificates }) => certificates?.names(certificate))?.certificates;
}

/** Each password option, and the key it is for. */
const PASSWORD_USES: readonly (readonly [PasswordOption, string])[] = [
  ['pkcs8Password', 'an encrypted PKCS#8 key file'],
  ['pkcs12Password', 'a PKCS#12 file'],
  ['tpmKeyPassword', 'a TPM key'],
  ['noTpmKeyPassword', 'a TPM key'],
];

/** The checks that need no file or device, so that they can come before everything else (as the reference's). */
export function checkKeySourceOptions(options: KeySourceOptions): void {
  if (options.certSelector !== undefined) parseCertSelector(options.certSelector);
  if (options.pkcs12Password && options.privateKey) {
    throw new HelperError(
      `${option('pkcs12Password')} is for a PKCS#12 file given as ${option('certificate')} without ${option('privateKey')}`,
    );
  }
}

/** The reference reads the macOS Keychain and Windows stores; this helper reads files, tokens and TPMs only. */
export function certStoreUnsupported(certificateOnly = false): HelperError {
  const where = process.platform === 'linux' ? 'on linux' : `on ${process.platform} by roles-anywhere-helper`;
  return new HelperError(
    `unable to use cert store signer ${where}: ` +
      (certificateOnly
        ? `give the certificate with ${option('certificate')} (a file or a pkcs11: URI)`
        : `give the certificate and key with ${option('certificate')} and ${option('privateKey')} (files, pkcs11: URIs or TPM keys)`),
  );
}
