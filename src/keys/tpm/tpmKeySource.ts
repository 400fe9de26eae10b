import type { Context } from '../../context.js';
import { HelperError, reasonOf } from '../../errors.js';
import type { Certificate } from '../certificate.js';
import { certificateFromFile, readIntermediates } from '../file/certificateFile.js';
import { KeyParseError } from '../keyParseError.js';
import { inputName, readInput, type Input } from '../input.js';
import { samePublicKey } from '../keyMatch.js';
import type { Digest, KeySource, KeySourceOptions, SigningIdentity } from '../keySource.js';
import { KeyFileLoader } from './keyFileLoader.js';
import { readLockoutNote } from './lockoutState.js';
import { withPasswordRetries } from './passwordRetries.js';
import { isTpmHandle, parseTpmHandle } from './tpmHandleSyntax.js';
import { resolveTcti, type Tcti } from './tcti.js';
import { Tpm2Tools } from './tpm2Tools.js';
import { GivenPasswordRefusedError, TpmError } from './tpmError.js';
import { withTpmLock } from './tpmLock.js';
import { hexHandle, readHandlePublic } from './tpmHandle.js';
import { TpmKeyPassword } from './tpmPassword.js';
import { signingProblem, type TpmPublicArea } from './tpmPublicArea.js';
import { signWithTpm } from './tpmSigner.js';
import { parseTss2KeyFile, type Tss2KeyFile } from './tss2KeyFile.js';
import { withWorkDir } from './workDir.js';
import { serialQueue } from '../../serialQueue.js';
import { reloadOnChange } from '../reloadOnChange.js';

/**
 * A TPM 2.0 key, through tpm2-tools: a TSS2 key file (`--private-key key.pem`, or a combined key and
 * certificate file as `--certificate`), or a persistent key (`--private-key handle:0x81000101`). The
 * certificate, the intermediates and the key file are read again when they change on disk; the key is
 * loaded into the TPM for each signature and flushed afterwards, so that a long-running `serve` or
 * `update` leaves nothing behind in it.
 * The context's `env` is where the TCTI and the password variable are read.
 */
export async function openTpmKeySource(options: KeySourceOptions, context: Context): Promise<KeySource> {
  const password = new TpmKeyPassword({
    password: options.tpmKeyPassword,
    passwordFile: options.tpmKeyPasswordFile,
    noPassword: options.noTpmKeyPassword ?? false,
    env: context.env,
    interactive: options.interactive ?? false,
  });
  const handle = isTpmHandle(options.privateKey) ? parseTpmHandle(options.privateKey) : undefined;
  return new TpmKeySource(options, handle, password, context);
}

/** How the source reaches its TPM, resolved on first use. */
interface TpmAccess {
  readonly tcti: Tcti;
  readonly tools: Tpm2Tools;
  readonly loader: KeyFileLoader;
}

class TpmKeySource implements KeySource {
  readonly description: string;
  /** The TSS2 key (file or content), unless the key is a persistent handle. */
  readonly #keyInput: Input | undefined;
  #tpmAccess: TpmAccess | undefined;
  #closed = false;
  readonly #current: () => Promise<SigningIdentity>;
  /** One signature at a time: a TPM without a resource manager has room for few objects. */
  readonly #serialised = serialQueue();
  /**
   * The key (its private blob, or its handle) whose given password the TPM refused, and why: that password is
   * not sent for it again (QA: serve's retries, and each client's request, locked the TPM out within a minute,
   * every DA-protected key with it). A renewed key file is another key, tried afresh.
   */
  #refused: { readonly key: string; readonly reason: string } | undefined;

  constructor(
    private readonly options: KeySourceOptions,
    private readonly handle: number | undefined,
    private readonly password: TpmKeyPassword,
    private readonly context: Context,
  ) {
    this.#keyInput = handle === undefined ? (options.privateKey ?? options.certificate) : undefined;
    this.description = inputName(this.#keyInput ?? options.privateKey!);
    this.#current = reloadOnChange(
      [options.certificate, this.#keyInput, options.intermediates],
      () => this.#read(),
      context.logger,
      'certificate or TPM key files changed on disk; reading them again',
    );
  }

  current(): Promise<SigningIdentity> {
    return this.#current();
  }

  /**
   * Once the signatures under way have ended: the tool running is ended, and the wait for another run's
   * TPM lock, not waited for (see Tpm2Tools.stop).
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#tpmAccess?.tools.stop();
    await this.#serialised(async () => undefined);
  }

  async #read(): Promise<SigningIdentity> {
    const { certificate: certificateInput, intermediates } = this.options;
    const keyData = this.#keyInput ? readInput(this.#keyInput, 'private key') : undefined;
    const certificate = certificateInput
      ? certificateFromFile(
          certificateInput === this.#keyInput ? keyData! : readInput(certificateInput, 'certificate'),
          inputName(certificateInput),
        )
      : undefined;
    const keyFile = keyData ? this.#parseKeyFile(keyData) : undefined;
    const publicArea = keyFile?.publicArea ?? (await this.#readHandlePublic());
    const problem = signingProblem(publicArea);
    if (problem) throw new HelperError(`unable to use TPM key ${this.description}: ${problem}`);
    if (certificate && !samePublicKey(publicArea.publicKey, certificate.publicKey)) {
      throw new HelperError(`private key does not match the certificate: TPM key ${this.description} is not the key of ${inputName(certificateInput!)}`);
    }
    const chain: Certificate[] = readIntermediates(intermediates) ?? [];
    return {
      certificate,
      chain,
      publicKey: publicArea.publicKey,
      sign: (data, digest) => this.#serialised(() => this.#sign(keyFile, publicArea, data, digest)),
    };
  }

  #parseKeyFile(data: Buffer): Tss2KeyFile {
    try {
      const keyFile = parseTss2KeyFile(data);
      if (keyFile.emptyAuth && this.options.tpmKeyPassword !== undefined) {
        throw new KeyParseError("password is provided but TPM key file indicates that one isn't required");
      }
      return keyFile;
    } catch (error) {
      if (error instanceof KeyParseError) throw new HelperError(`unable to parse private key ${this.description}: ${reasonOf(error)}`);
      throw error;
    }
  }

  /** A persistent key's public area, read again with the files: another key made persistent at the handle comes with a renewed certificate (QA: the old area kept, refused as not its key). */
  async #readHandlePublic(): Promise<TpmPublicArea> {
    try {
      return await this.#withTpm(({ tools }) => withWorkDir((dir) => readHandlePublic(tools, this.handle!, dir)));
    } catch (error) {
      throw this.#explained(error, 'read');
    }
  }

  async #sign(keyFile: Tss2KeyFile | undefined, publicArea: TpmPublicArea, data: Buffer, digest: Digest): Promise<Buffer> {
    const key = keyFile ? keyFile.privateBlob.toString('base64') : `handle ${this.handle}`;
    if (this.#refused?.key === key) {
      if (!this.password.givenAnew()) {
        const reason = `${this.#refused.reason}, refused before: not sent again (each wrong try counts toward the TPM's lockout)`;
        throw this.#explained(new TpmError(reason), 'sign with');
      }
      // Another password given: tried, and kept while it works (review: refused again after one signature).
      this.#refused = undefined;
    }
    try {
      // The password is asked for (again, after a refusal) while the TPM is not locked, so that a prompt does
      // not keep other runs off it; the answer is kept.
      return await withPasswordRetries(this.password, !keyFile?.emptyAuth, (auth) =>
        this.#withTpm(({ tools, loader }) => withWorkDir(async (dir) => {
          const context = keyFile ? await loader.load(keyFile, dir) : hexHandle(this.handle!);
          const key = { context, isContextFile: keyFile !== undefined, publicKey: publicArea.publicKey, boundHash: publicArea.schemeHash };
          return await signWithTpm(tools, key, auth, dir, data, digest);
        })),
        () => this.#withTpm(({ tools }) => readLockoutNote(tools)),
      );
    } catch (error) {
      if (error instanceof GivenPasswordRefusedError) this.#refused = { key, reason: error.reason };
      throw this.#explained(error, 'sign with');
    }
  }

  /** Runs one operation's tpm2-tools calls while this user's other runs of the helper keep off the TPM. */
  #withTpm<T>(operation: (access: TpmAccess) => Promise<T>): Promise<T> {
    const access = this.#tpm();
    return withTpmLock(access.tcti, this.context.env, this.context.logger, () => operation(access), undefined, () => !this.#closed);
  }

  /** The TCTI is resolved on first use, so that a key file's own errors come first, as the reference's do. */
  #tpm(): TpmAccess {
    if (!this.#tpmAccess) {
      const tcti = resolveTcti(this.context.env);
      this.context.logger.debug(`TPM: using TCTI ${tcti.config}${tcti.resourceManaged ? ' (resource-managed)' : ''}`);
      const tools = new Tpm2Tools(tcti, this.context.env, this.context.logger);
      this.#tpmAccess = { tcti, tools, loader: new KeyFileLoader(tools) };
    }
    return this.#tpmAccess;
  }

  #explained(error: unknown, action: string): unknown {
    if (error instanceof TpmError || error instanceof KeyParseError) {
      return new HelperError(`unable to ${action} TPM key ${this.description}: ${reasonOf(error)}`, { cause: error });
    }
    return error;
  }
}
