import type { Env } from '../../context.js';
import { NoTerminalError, promptSecret } from '../../terminal/prompt.js';
import { readSecretFile } from '../secretFile.js';
import { SECRET_VARIABLES, secretFromEnv } from '../secretVariables.js';
import type { LockoutNote } from './lockoutState.js';
import { GivenPasswordRefusedError, TpmError } from './tpmError.js';
import { option, optionWays } from '../../optionNames.js';

/** The environment variable that may hold the TPM key's password (after the flags, before the prompt). */
const TPM_KEY_PASSWORD_ENV = SECRET_VARIABLES.tpmKeyPassword;

/** The one way a password file is given (the library takes no file). */
const FILE_FLAG = '--tpm-key-password-file';

/** A wrong password typed on the terminal is asked for again, up to this many tries in all. */
const MAX_PROMPTS = 3;

export interface TpmPasswordOptions {
  /** --tpm-key-password, or what --tpm-key-password-file holds */
  readonly password: string | undefined;
  /** --tpm-key-password-file (not standard input): read again once the TPM refused what it held. */
  readonly passwordFile?: string | undefined;
  /** --no-tpm-key-password */
  readonly noPassword: boolean;
  readonly env: Env;
  /** May the password be asked for on the terminal? */
  readonly interactive: boolean;
}

type Origin = 'flag' | 'env' | 'prompt' | 'no-password flag' | 'key file';

/**
 * Where a TPM key's password comes from, in order: --tpm-key-password (or the file of
 * --tpm-key-password-file, which the CLI reads), --no-tpm-key-password (none),
 * AWS_ROLESANYWHERE_TPM_KEY_PASSWORD, then the terminal. A key file whose emptyAuth is TRUE needs none.
 * A password typed on the terminal is kept for the next signature (serve and update sign again at every
 * refresh). The password itself never appears in an error message.
 */
export class TpmKeyPassword {
  #given: string | undefined;
  /** The given password the TPM refused, while no other is given. */
  #refusedGiven: string | undefined;
  #prompted: string | undefined;
  #origin: Origin = 'key file';
  #prompts = 0;

  constructor(private readonly options: TpmPasswordOptions) {
    this.#given = options.password;
  }

  /** The auth value to use ('' for none); `required` is false when the key file says emptyAuth TRUE. */
  async value(required: boolean): Promise<string> {
    const { noPassword, env } = this.options;
    if (!required) return this.#from('key file', '');
    if (this.#given !== undefined) return this.#from('flag', this.#given);
    if (noPassword) return this.#from('no-password flag', '');
    const fromEnv = secretFromEnv(env, 'tpmKeyPassword');
    if (fromEnv !== undefined) return this.#from('env', fromEnv);
    if (this.#prompted === undefined) this.#prompted = await this.#prompt('Please enter your TPM key password:');
    return this.#from('prompt', this.#prompted);
  }

  /**
   * The TPM refused the password from `value`: asks again when it was typed (unless the TPM now refuses any),
   * else says where it came from (a GivenPasswordRefusedError); either way with what is left of the TPM's
   * lockout allowance, when the refusal counted toward it (`lockout`).
   */
  async afterRefusal(lockout?: LockoutNote): Promise<string> {
    const note = lockout ? `; ${lockout.text}` : '';
    switch (this.#origin) {
      case 'prompt':
        this.#prompted = undefined;
        if (this.#prompts >= MAX_PROMPTS || lockout?.lockedOut) {
          throw new TpmError(`incorrect TPM key password (typed ${this.#prompts === 1 ? 'once' : `${this.#prompts} times`})${note}`);
        }
        this.#prompted = await this.#prompt(`Incorrect TPM key password${lockout ? ` (${lockout.text})` : ''}. Please try again:`);
        return this.#prompted;
      case 'flag':
        this.#refusedGiven = this.#given;
        throw new GivenPasswordRefusedError(`incorrect TPM key password (given with ${option('tpmKeyPassword')})`, note);
      case 'env':
        throw new GivenPasswordRefusedError(`incorrect TPM key password (from ${TPM_KEY_PASSWORD_ENV})`, note);
      case 'no-password flag':
        throw new GivenPasswordRefusedError(`incorrect TPM key password: the key has a password, but ${option('noTpmKeyPassword')} says it has none`, note);
      case 'key file':
        throw new GivenPasswordRefusedError('incorrect TPM key password: the key has a password, but its key file says it has none (emptyAuth)', note);
    }
  }

  /**
   * After the TPM refused the password given: whether another is given now, its file holding another since
   * (which is then used), so that a corrected file needs no restart. A flag or variable cannot change.
   */
  givenAnew(): boolean {
    const file = this.options.passwordFile;
    if (file === undefined || this.#refusedGiven === undefined) return false;
    const text = readSecretFile(file, `TPM key password from ${FILE_FLAG}`);
    if (text === this.#refusedGiven) return false;
    this.#given = text;
    this.#refusedGiven = undefined;
    return true;
  }

  #from(origin: Origin, value: string): string {
    this.#origin = origin;
    return value;
  }

  async #prompt(text: string): Promise<string> {
    if (!this.options.interactive) throw this.#unreadable('no terminal may be used');
    this.#prompts++;
    try {
      return await promptSecret(text);
    } catch (error) {
      if (error instanceof NoTerminalError) throw this.#unreadable(error.message);
      throw error;
    }
  }

  #unreadable(reason: string): TpmError {
    return new TpmError(
      `unable to read your TPM key password (${reason}); give it with ${optionWays('tpmKeyPassword')} or ${TPM_KEY_PASSWORD_ENV}, ` +
        `or use ${option('noTpmKeyPassword')} if the key has none`,
    );
  }
}
