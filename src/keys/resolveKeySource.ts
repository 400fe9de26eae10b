import { Tag, readRoot, sequence } from '../asn1/der.js';
import { HelperError } from '../errors.js';
import { debug } from '../log/logger.js';
import { parseCertSelector } from './certStore/certSelector.js';
import { NoTerminalError, promptSecret } from '../terminal/prompt.js';
import { FileKeySource } from './file/fileKeySource.js';
import { KeyParseError } from './file/keyParseError.js';
import { decodePem, isPem } from './file/pem.js';
import { readInputFile } from './file/readInputFile.js';
import type { KeySource } from './keySource.js';

/** Where the certificate and key are, as the command-line flags (or the library's options) say. */
export interface KeySourceOptions {
  /** A certificate file (PEM or DER, or a combined key+certificate PEM, or PKCS#12), or a pkcs11: URI. */
  readonly certificate?: string | undefined;
  /** A key file, a pkcs11: URI, a TSS2 key file, or `handle:0x81...` for a persistent TPM key. */
  readonly privateKey?: string | undefined;
  readonly intermediates?: string | undefined;
  /** Selects a certificate from an OS store (macOS Keychain, Windows), which this helper cannot use. */
  readonly certSelector?: string | undefined;
  readonly pkcs8Password?: string | undefined;
  readonly pkcs12Password?: string | undefined;
  readonly pkcs11Lib?: string | undefined;
  readonly reusePin?: boolean | undefined;
  readonly tpmKeyPassword?: string | undefined;
  readonly noTpmKeyPassword?: boolean | undefined;
  /** May a missing password or PIN be asked for on the terminal? */
  readonly interactive?: boolean | undefined;
}

const TSS2_BLOCK = '-----BEGIN TSS2 PRIVATE KEY-----';

/**
 * Picks the key source the way the reference picks its signer (spec §3.1): a pkcs11: URI → the token;
 * `handle:` or a TSS2 key file → the TPM; otherwise files, where the certificate file may hold the key too
 * (a combined PEM or a PKCS#12 file). Each source is loaded only when used.
 */
export async function resolveKeySource(options: KeySourceOptions): Promise<KeySource> {
  const { certificate, privateKey, intermediates } = options;
  checkKeySourceOptions(options);
  if (!certificate && !privateKey) throw certStoreUnsupported();

  if (isPkcs11Uri(privateKey) || isPkcs11Uri(certificate)) {
    debug('attempting to use PKCS11Signer');
    const { openPkcs11KeySource } = await import('./pkcs11/pkcs11KeySource.js');
    return openPkcs11KeySource(options);
  }

  const keyPath = privateKey ?? certificate!;
  const keyData = privateKey?.startsWith('handle:') ? undefined : readInputFile(keyPath, privateKey ? 'private key' : 'certificate');
  if (!keyData || keyData.includes(TSS2_BLOCK)) {
    debug('attempting to use TPMv2Signer');
    const { openTpmKeySource } = await import('./tpm/tpmKeySource.js');
    return openTpmKeySource(options);
  }

  if (!certificate) {
    throw new HelperError(`undefined certificate value: --private-key ${privateKey} needs --certificate`);
  }
  if (!privateKey) {
    if (!isPem(keyData) && looksLikePkcs12(keyData)) {
      debug('not a PEM certificate, so trying PKCS#12');
      if (intermediates) {
        throw new HelperError(
          "can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file",
        );
      }
      const { Pkcs12KeySource } = await import('./file/pkcs12KeySource.js');
      return new Pkcs12KeySource(certificate, options.pkcs12Password);
    }
    if (!hasPrivateKeyBlock(keyData)) {
      throw new HelperError(`unable to parse private key: ${certificate} holds no private key; give the key with --private-key`);
    }
  }

  debug('attempting to use FileSystemSigner');
  return new FileKeySource({
    certificatePath: certificate,
    privateKeyPath: keyPath,
    intermediatesPath: intermediates,
    pkcs8Password: options.pkcs8Password,
    promptPassword: options.interactive ? promptPkcs8Password : undefined,
  });
}

/** The checks that need no file or device, so that they can come before everything else (as the reference's). */
export function checkKeySourceOptions(options: KeySourceOptions): void {
  if (options.certSelector !== undefined) parseCertSelector(options.certSelector);
  if (options.pkcs12Password !== undefined && options.privateKey) {
    throw new HelperError('--pkcs12-password is for a PKCS#12 file given as --certificate without --private-key');
  }
}

/** The reference reads the macOS Keychain and Windows stores; this helper reads files, tokens and TPMs only. */
export function certStoreUnsupported(): HelperError {
  const where = process.platform === 'linux' ? 'on linux' : `on ${process.platform} by roles-anywhere-helper`;
  return new HelperError(
    `unable to use cert store signer ${where}: give the certificate and key with --certificate and --private-key ` +
      '(files, pkcs11: URIs or TPM keys)',
  );
}

export function isPkcs11Uri(value: string | undefined): boolean {
  return value?.startsWith('pkcs11:') ?? false;
}

async function promptPkcs8Password(retry: boolean): Promise<string> {
  try {
    return await promptSecret(
      retry ? 'Incorrect PKCS#8 private key password. Please try again:' : 'Please enter your PKCS#8 private key password:',
    );
  } catch (error) {
    if (error instanceof NoTerminalError) {
      throw new KeyParseError(
        `the key is encrypted and no password was given (use --pkcs8-password); unable to ask for it: ${error.message}`,
      );
    }
    throw error;
  }
}

/** PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, ... }; a certificate starts with a SEQUENCE. */
function looksLikePkcs12(data: Buffer): boolean {
  try {
    return sequence(readRoot(data))[0]?.tag === Tag.INTEGER;
  } catch {
    return false;
  }
}

function hasPrivateKeyBlock(data: Buffer): boolean {
  return isPem(data) && decodePem(data.toString('latin1')).some((block) => block.type.endsWith('PRIVATE KEY'));
}
