import type { Context } from '../../context.js';
import { option } from '../../optionNames.js';
import { HelperError, reasonOf } from '../../errors.js';
import type { Certificate, PublicKeyInfo } from '../certificate.js';
import { unsupportedKeyType } from '../certificateChecks.js';
import { inputName, readInput, type Input } from '../input.js';
import type { KeySource, SigningIdentity } from '../keySource.js';
import { certificateFromFile, derShape, readIntermediates } from './certificateFile.js';
import { KeyParseError } from '../keyParseError.js';
import type { FilePrivateKey } from './filePrivateKey.js';
import { beginCount, decodePem, isPem } from '../../asn1/pem.js';
import { locatePrivateKeys, parsePrivateKey, type LocatedKey, type PasswordAsked, type PasswordSource } from './privateKey.js';
import { secretFromEnv } from '../secretVariables.js';
import { reloadOnChange } from '../reloadOnChange.js';
import { latestSecret } from '../secretFile.js';

export interface FileKeySourceOptions {
  readonly certificate: Input;
  /** The same input as the certificate for a combined PEM (key and certificate in one). */
  readonly privateKey: Input;
  readonly intermediates?: Input | undefined;
  readonly pkcs8Password?: string | undefined;
  /** Where pkcs8Password was read from, read again with each reading of the key. */
  readonly pkcs8PasswordFile?: string | undefined;
  /** Asks for the PKCS#8 password on a terminal; undefined when there is none to ask on. */
  readonly promptPassword?: ((asked: PasswordAsked) => Promise<string>) | undefined;
}

/**
 * A certificate and private key in files or given inline (PEM or DER; PKCS#8, encrypted PKCS#8, SEC1 or
 * PKCS#1). The files are read again whenever they change on disk, so a renewed certificate is picked up by
 * `serve` and `update` without a restart.
 */
export class FileKeySource implements KeySource {
  readonly description: string;
  readonly #current: () => Promise<SigningIdentity>;
  readonly #password: () => string | undefined;
  /** The password typed at the prompt, for the key read again once renewed. */
  #typed: string | undefined;

  constructor(
    private readonly options: FileKeySourceOptions,
    private readonly context: Context,
  ) {
    this.description = inputName(options.certificate);
    const { certificate, privateKey, intermediates } = options;
    this.#password = latestSecret(options.pkcs8Password || undefined, options.pkcs8PasswordFile, 'PKCS#8 password from --pkcs8-password-file');
    this.#current = reloadOnChange([certificate, privateKey, intermediates], () => this.#load(), context.logger, 'certificate or key files changed on disk; reading them again');
  }

  current(): Promise<SigningIdentity> {
    return this.#current();
  }

  async close(): Promise<void> {}

  async #load(): Promise<SigningIdentity> {
    const { certificate: certificateInput, privateKey, intermediates } = this.options;
    const certificatePath = inputName(certificateInput);
    const certificateData = readInput(certificateInput, 'certificate');
    let certificate: Certificate;
    try {
      certificate = certificateFromFile(certificateData, certificatePath);
    } catch (error) {
      if (privateKey !== certificateInput) this.#checkNotSwapped(certificateData, privateKey);
      throw error;
    }
    if (!certificate.publicKey.keyType) throw unsupportedKeyType(certificate.publicKey, certificatePath);
    const keyData = privateKey === certificateInput ? certificateData : readInput(privateKey, 'private key');
    const key = await this.#readKey(keyData, certificate.publicKey);
    if (!key.isKeyOf(certificate.publicKey)) {
      throw new HelperError(
        `private key does not match the certificate: ${inputName(privateKey)} is not the key of ${certificatePath}`,
      );
    }
    const chain: Certificate[] = readIntermediates(intermediates) ?? [];
    return {
      certificate,
      chain,
      unsentCertificates: () => (isPem(certificateData) ? beginCount(certificateData.toString('latin1'), 'CERTIFICATE') - 1 : 0),
      publicKey: certificate.publicKey,
      sign: async (data, digest) => key.sign(data, digest),
    };
  }

  /** A certificate file holding a key, and a key file holding a certificate: they were given the wrong way round. */
  #checkNotSwapped(certificateData: Buffer, privateKey: Input): void {
    // PEM blocks, or what DER bytes look like.
    const holds = (data: Buffer, shape: 'certificate' | 'key') =>
      isPem(data)
        ? decodePem(data.toString('latin1')).some((block) => (shape === 'key' ? block.type.endsWith('PRIVATE KEY') : block.type === 'CERTIFICATE'))
        : derShape(data) === shape;
    if (holds(certificateData, 'certificate') || !holds(certificateData, 'key')) return;
    if (!holds(readInput(privateKey, 'private key'), 'certificate')) return;
    throw new HelperError(
      `the certificate and the private key look swapped: ${inputName(this.options.certificate)} holds a private key and ` +
        `${inputName(privateKey)} a certificate; give the certificate with ${option('certificate')} and the key with ${option('privateKey')}`,
    );
  }

  /**
   * The key the reference reads (see locatePrivateKeys) or, in a file of several keys, another that is the
   * certificate's, where that one is not or does not parse (fuzzing QA: a file the reference signs with was
   * refused, reading its first key block instead).
   */
  async #readKey(data: Buffer, certificateKey: PublicKeyInfo): Promise<FilePrivateKey> {
    const { privateKey, promptPassword } = this.options;
    let prompted: string | undefined;
    try {
      const [first, ...others] = locatePrivateKeys(data);
      // The reference reads an encrypted key where there is one (they come first), and no other then.
      const alternatives = first!.encoding === 'encrypted-pkcs8' ? [] : others;
      const passwords: PasswordSource = {
        password: this.#password(),
        typed: this.#typed,
        fromEnv: () => secretFromEnv(this.context.env, 'pkcs8Password'),
        prompt:
          promptPassword &&
          (async (asked) => {
            prompted = await promptPassword(asked);
            return prompted;
          }),
      };
      let key: FilePrivateKey;
      try {
        key = await parsePrivateKey(first!, passwords);
      } catch (error) {
        // The reference tries the next type of block after one that does not parse.
        if (!(error instanceof KeyParseError)) throw error;
        const other = await certificatesKey(alternatives, certificateKey, passwords);
        if (other) return other;
        throw error;
      }
      if (prompted !== undefined) this.#typed = prompted;
      if (key.isKeyOf(certificateKey)) return key;
      return (await certificatesKey(alternatives, certificateKey, passwords)) ?? key;
    } catch (error) {
      if (error instanceof KeyParseError) {
        throw new HelperError(`unable to parse private key ${inputName(privateKey)}: ${reasonOf(error)}`);
      }
      throw error;
    }
  }
}

/** The first of these keys that is the certificate's. */
async function certificatesKey(keys: readonly LocatedKey[], certificateKey: PublicKeyInfo, passwords: PasswordSource): Promise<FilePrivateKey | undefined> {
  for (const located of keys) {
    try {
      const key = await parsePrivateKey(located, passwords);
      if (key.isKeyOf(certificateKey)) return key;
    } catch (error) {
      if (!(error instanceof KeyParseError)) throw error;
    }
  }
  return undefined;
}
