import { HelperError } from '../errors.js';
import { debug } from '../log/logger.js';
import { NoTerminalError, promptSecret } from '../terminal/prompt.js';
import { Tag, readRoot, sequence } from '../asn1/der.js';
import { FileKeySource } from './file/fileKeySource.js';
import { KeyParseError } from './file/keyParseError.js';
import { decodePem, isPem } from './file/pem.js';
import { readInputFile } from './file/readInputFile.js';
import type { KeySource } from './keySource.js';

/** Where the certificate and key are, as the command-line flags (or the library's options) say. */
export interface KeySourceOptions {
  readonly certificate?: string | undefined;
  readonly privateKey?: string | undefined;
  readonly intermediates?: string | undefined;
  readonly pkcs8Password?: string | undefined;
  readonly pkcs12Password?: string | undefined;
  /** May a missing password be asked for on the terminal? */
  readonly interactive?: boolean | undefined;
}

/**
 * Picks the key source the way the reference picks its signer (spec §3.1): nothing given → the OS
 * certificate store (unsupported on Linux); otherwise the private key, or the certificate file when it
 * holds the key too (a combined PEM or a PKCS#12 file).
 */
export async function resolveKeySource(options: KeySourceOptions): Promise<KeySource> {
  const { certificate, privateKey, intermediates } = options;
  if (!certificate && !privateKey) {
    throw new HelperError(
      'unable to use cert store signer on linux: give the certificate and key with --certificate and --private-key',
    );
  }
  if (!certificate) {
    throw new HelperError(`undefined certificate value: --private-key ${privateKey} needs --certificate`);
  }

  if (!privateKey) {
    const data = readInputFile(certificate, 'certificate');
    if (!isPem(data) && looksLikePkcs12(data)) {
      debug('not a PEM certificate, so trying PKCS#12');
      if (intermediates) {
        throw new HelperError(
          "can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file",
        );
      }
      const { Pkcs12KeySource } = await import('./file/pkcs12KeySource.js');
      return new Pkcs12KeySource(certificate, options.pkcs12Password);
    }
    if (!hasPrivateKeyBlock(data)) {
      throw new HelperError(
        `unable to parse private key: ${certificate} holds no private key; give the key with --private-key`,
      );
    }
  }

  debug('attempting to use FileSystemSigner');
  return new FileKeySource({
    certificatePath: certificate,
    privateKeyPath: privateKey ?? certificate,
    intermediatesPath: intermediates,
    pkcs8Password: options.pkcs8Password,
    promptPassword: options.interactive ? promptPkcs8Password : undefined,
  });
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
