import { statSync } from 'node:fs';
import type { Context } from '../../context.js';
import { HelperError, reasonOf } from '../../errors.js';
import type { Certificate } from '../certificate.js';
import type { KeySource, SigningIdentity } from '../keySource.js';
import { certificateFromFile, readCertificateBundle } from './certificateFile.js';
import { KeyParseError } from './keyParseError.js';
import type { FilePrivateKey } from './filePrivateKey.js';
import { locatePrivateKey, parsePrivateKey } from './privateKey.js';
import { readInputFile } from './readInputFile.js';

export interface FileKeySourceOptions {
  readonly certificatePath: string;
  /** The same path as the certificate for a combined PEM file (key and certificate in one). */
  readonly privateKeyPath: string;
  readonly intermediatesPath?: string | undefined;
  readonly pkcs8Password?: string | undefined;
  /** Asks for the PKCS#8 password on a terminal; undefined when there is none to ask on. */
  readonly promptPassword?: ((retry: boolean) => Promise<string>) | undefined;
}

/**
 * A certificate and private key in files (PEM or DER; PKCS#8, encrypted PKCS#8, SEC1 or PKCS#1).
 * The files are read again whenever they change on disk, so a renewed certificate is picked up by
 * `serve` and `update` without a restart.
 */
export class FileKeySource implements KeySource {
  readonly description: string;
  #loaded: { stamp: string; identity: SigningIdentity } | undefined;
  #password: string | undefined;

  constructor(
    private readonly options: FileKeySourceOptions,
    private readonly context: Context,
  ) {
    this.description = options.certificatePath;
    this.#password = options.pkcs8Password || undefined;
  }

  async current(): Promise<SigningIdentity> {
    const { certificatePath, privateKeyPath, intermediatesPath } = this.options;
    const stamp = fileStamp([certificatePath, privateKeyPath, intermediatesPath]);
    if (this.#loaded?.stamp === stamp) return this.#loaded.identity;
    if (this.#loaded) this.context.logger.debug(`certificate or key files changed on disk; reading them again`);
    const identity = await this.#load();
    this.#loaded = { stamp, identity };
    return identity;
  }

  async close(): Promise<void> {}

  async #load(): Promise<SigningIdentity> {
    const { certificatePath, privateKeyPath, intermediatesPath } = this.options;
    const certificateData = readInputFile(certificatePath, 'certificate');
    const certificate = certificateFromFile(certificateData, certificatePath);
    if (!certificate.publicKey.keyType) {
      throw new HelperError(
        `unsupported key type in certificate ${certificatePath} (${certificate.publicKey.algorithmOid}); ` +
          'RSA, EC (P-256, P-384, P-521) and ML-DSA certificates are supported',
      );
    }
    const keyData =
      privateKeyPath === certificatePath ? certificateData : readInputFile(privateKeyPath, 'private key');
    const key = await this.#readKey(keyData);
    if (!key.isKeyOf(certificate.publicKey)) {
      throw new HelperError(
        `private key does not match the certificate: ${privateKeyPath} is not the key of ${certificatePath}`,
      );
    }
    const chain: Certificate[] = intermediatesPath ? readCertificateBundle(intermediatesPath) : [];
    return {
      certificate,
      chain,
      publicKey: certificate.publicKey,
      sign: async (data, digest) => key.sign(data, digest),
    };
  }

  async #readKey(data: Buffer): Promise<FilePrivateKey> {
    const { privateKeyPath, promptPassword } = this.options;
    let prompted: string | undefined;
    try {
      const key = await parsePrivateKey(locatePrivateKey(data), {
        password: this.#password,
        prompt:
          promptPassword &&
          (async (retry) => {
            prompted = await promptPassword(retry);
            return prompted;
          }),
      });
      if (prompted !== undefined) this.#password = prompted;
      return key;
    } catch (error) {
      if (error instanceof KeyParseError) {
        throw new HelperError(`unable to parse private key ${privateKeyPath}: ${reasonOf(error)}`);
      }
      throw error;
    }
  }
}

/** Identity, size and modification time of each file, so that a change on disk is noticed. */
export function fileStamp(paths: readonly (string | undefined)[]): string {
  return paths
    .map((path) => {
      if (!path) return '-';
      try {
        const stat = statSync(path);
        return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `missing:${Math.random()}`;
      }
    })
    .join('|');
}
