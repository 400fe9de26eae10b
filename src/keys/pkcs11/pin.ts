import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../../context.js';
import { HelperError } from '../../errors.js';
import { NoTerminalError, promptSecret } from '../../terminal/prompt.js';
import { readSecretFile } from '../secretFile.js';
import { SECRET_VARIABLES, secretFromEnv } from '../secretVariables.js';
import type { Pkcs11Uri } from './uri.js';
import { option } from '../../optionNames.js';

/** The user PIN for tokens, when the URI does not carry one (so that it stays out of `ps` and shell history). */
const PIN_ENVIRONMENT_VARIABLE = SECRET_VARIABLES.pkcs11Pin;

/** There is no PIN to log in with: none was given and there is no terminal to ask on (or asking is not allowed). */
export class NoPinError extends HelperError {}

export interface PinOptions {
  /** The URIs that may carry a PIN, the key's first. */
  readonly uris: readonly Pkcs11Uri[];
  /** May a missing PIN be asked for on the terminal? */
  readonly interactive: boolean;
  /** Use the user PIN as the context-specific PIN of CKA_ALWAYS_AUTHENTICATE keys. */
  readonly reusePin: boolean;
  readonly env: Env;
}

/** A PIN and where it came from (for messages; never the PIN itself). */
export interface Pin {
  readonly value: string;
  readonly source: string;
}

/**
 * Where the PINs come from, in order: the URI's `pin-value`, its `pin-source` file (key URI before
 * certificate URI), the AWS_ROLESANYWHERE_PKCS11_PIN environment variable, and last a prompt on the terminal.
 * PINs that worked are remembered, so that a long-running command logs in again after a token comes back
 * without asking again.
 */
export class Pins {
  #user: Pin | undefined;
  #context: Pin | undefined;
  /**
   * PINs given (not typed) that a token refused as incorrect: not sent again, since each wrong try counts
   * toward the token locking its PIN (QA: a long-running command logging in again at every refresh with a
   * PIN changed since would block it). A pin-source file corrected meanwhile gives a new one, which is tried.
   */
  readonly #refused = new Set<string>();

  constructor(private readonly options: PinOptions) {}

  /** The user PIN given without a prompt, or one that worked before; undefined when none. */
  userPin(): Pin | undefined {
    if (this.#user) return this.#user;
    for (const uri of this.options.uris) {
      if (uri.pinValue !== undefined) return { value: uri.pinValue, source: "the URI's pin-value" };
      if (uri.pinSource !== undefined) {
        return { value: readPinSource(uri.pinSource), source: `pin-source ${uri.pinSource}` };
      }
    }
    const fromEnv = secretFromEnv(this.options.env, 'pkcs11Pin');
    if (fromEnv) return { value: fromEnv, source: PIN_ENVIRONMENT_VARIABLE };
    return undefined;
  }

  rememberUserPin(pin: Pin): void {
    this.#user = pin;
  }

  /** A token refused this PIN, which was given rather than typed: it is neither remembered nor sent again. */
  refuse(pin: Pin): void {
    this.#refused.add(pin.value);
    if (this.#user?.value === pin.value) this.#user = undefined;
    if (this.#context?.value === pin.value) this.#context = undefined;
  }

  /** Whether a token refused this PIN before (see refuse). */
  refusedBefore(pin: Pin): boolean {
    return this.#refused.has(pin.value);
  }

  /** A context-specific PIN given without a prompt: one that worked before, or the user PIN with --reuse-pin. */
  contextPin(): Pin | undefined {
    if (this.#context) return this.#context;
    if (!this.options.reusePin) return undefined;
    const user = this.userPin();
    return user && { ...user, source: `${user.source} (${option('reusePin')})` };
  }

  rememberContextPin(pin: Pin): void {
    this.#context = pin;
  }

  /**
   * Asks on the terminal, with the reference's prompts (`Please enter your user PIN:`). A NoPinError, which
   * says what the PIN was for and how to give it instead, when there is no terminal or asking is off.
   */
  async prompt(request: PinRequest, retry: boolean): Promise<Pin> {
    const { name, neededFor, howToGiveIt } = request;
    const unable = (reason: string) =>
      new NoPinError(`unable to read PKCS#11 ${name}${neededFor ? ` for ${neededFor}` : ''}: ${reason}; ${howToGiveIt}`);
    if (!this.options.interactive) throw unable('it was not given, and prompting is off');
    try {
      const value = await promptSecret(retry ? `Incorrect ${name}. Please re-enter your ${name}:` : `Please enter your ${name}:`);
      return { value, source: 'the terminal' };
    } catch (error) {
      if (error instanceof NoTerminalError) throw unable(`it was not given, and it could not be asked for (${error.message})`);
      throw error;
    }
  }
}

export interface PinRequest {
  /** As the prompt names it: `user PIN`, `context-specific PIN for private key object (<uri>)`. */
  readonly name: string;
  /** What it is needed for, for the message when it cannot be had. */
  readonly neededFor?: string;
  readonly howToGiveIt: string;
}

/** How to give the user PIN without a terminal, for messages. */
export const USER_PIN_HELP =
  `give it with the URI's pin-value or pin-source, or the ${PIN_ENVIRONMENT_VARIABLE} environment variable`;

/**
 * A pin-source: a file path or a `file:` URI; the file holds the PIN, optionally followed by a newline, and
 * only its owner may read it (src/keys/secretFile.ts).
 */
function readPinSource(source: string): string {
  let path = source;
  if (source.startsWith('file:')) {
    // A relative one (file:user.pin) would be read from the root folder, not the working folder as a plain path is.
    if (!source.startsWith('file:/')) throw new HelperError('unable to read PKCS#11 PIN from pin-source: it is not a file: URI with an absolute path');
    try {
      path = fileURLToPath(source);
    } catch {
      // file://host/path: a file on another host, which the URI names, and no path of this machine.
      const reason = /^file:\/\/[^/]/.test(source) ? 'it names a host (file://host/...), and only this machine\'s files are read: write file:///path' : 'it is not a file: URI with an absolute path';
      throw new HelperError(`unable to read PKCS#11 PIN from pin-source: ${reason}`);
    }
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(source) || source.startsWith('|')) {
    // Not shown: it may be the PIN itself, given where its file belongs.
    throw new HelperError('unable to read PKCS#11 PIN from pin-source: only files are supported (a path or a file: URI)');
  }
  // A relative path is read from the working folder: the caller's (the AWS CLI's, an SDK's), not always the shell's.
  const where = isAbsolute(path) ? '' : ` (a relative path, read from the working folder ${process.cwd()})`;
  return readSecretFile(path, `PKCS#11 PIN from pin-source${where}`);
}
