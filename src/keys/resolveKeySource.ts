import type { Context } from '../context.js';
import { HelperError } from '../errors.js';
import { parseCertSelector } from './certStore/certSelector.js';
import { inputName, readInput } from './input.js';
import { isPkcs11Uri } from './pkcs11/uri.js';
import type { KeySource, KeySourceOptions, PasswordOption } from './keySource.js';
import { KEY_SOURCE_KINDS } from './keySourceKinds.js';
import { option } from '../optionNames.js';

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
      if (privateKey && typeof certificate === 'string' && !isPkcs11Uri(certificate)) readInput(certificate, 'certificate');
      throw error;
    }
  };
  const keyFile = () => (keyData ??= readKeyFile());
  const kind = KEY_SOURCE_KINDS.find((candidate) => candidate.claims(options, keyFile))!;
  context.logger.debug(kind.chosen);
  const misplaced = PASSWORD_USES.find(([name]) => options[name] !== undefined && options[name] !== false && !kind.passwords.includes(name));
  if (misplaced) {
    throw new HelperError(`${option(misplaced[0])} is for ${misplaced[1]}, not ${kind.what}: ${inputName(privateKey ?? certificate!)}`);
  }
  return kind.open(options, context, keyFile);
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
  if (options.pkcs12Password !== undefined && options.privateKey) {
    throw new HelperError(
      `${option('pkcs12Password')} is for a PKCS#12 file given as ${option('certificate')} without ${option('privateKey')}`,
    );
  }
}

/** The reference reads the macOS Keychain and Windows stores; this helper reads files, tokens and TPMs only. */
export function certStoreUnsupported(): HelperError {
  const where = process.platform === 'linux' ? 'on linux' : `on ${process.platform} by roles-anywhere-helper`;
  return new HelperError(
    `unable to use cert store signer ${where}: give the certificate and key with ${option('certificate')} and ${option('privateKey')} ` +
      '(files, pkcs11: URIs or TPM keys)',
  );
}
