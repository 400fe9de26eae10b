import pkcs11js from 'pkcs11js';
import { HelperError } from '../../errors.js';
import { type Logger } from '../../log/logger.js';
import { logIn } from './login.js';
import { ignoreFailure, type Pkcs11Api, type Pkcs11Module } from './module.js';
import { describePkcs11Error } from './pkcs11Errors.js';
import type { Pins } from './pin.js';
import { describeToken, type Token } from './slots.js';

/** CK_STATE values of a logged-in user session (pkcs11js does not export the CKS_* constants). */
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;

/** A read-only session on one token, logged in once and kept for as long as its owner needs it. */
export class TokenSession {
  #loggedIn = false;

  /** The module's generation the session was opened in: one initialised anew since has reused its handle. */
  readonly #generation: number;

  private constructor(
    private readonly module: Pkcs11Module,
    readonly token: Token,
    readonly handle: Buffer,
    readonly logger: Logger,
  ) {
    this.#generation = module.generation;
  }

  get api(): Pkcs11Api {
    return this.module.api;
  }

  static open(module: Pkcs11Module, token: Token, logger: Logger): TokenSession {
    try {
      const handle = module.api.C_OpenSession(token.slot, pkcs11js.CKF_SERIAL_SESSION);
      logger.debug(`opened a session on ${describeToken(token)}`);
      return new TokenSession(module, token, handle, logger);
    } catch (error) {
      const reason = describePkcs11Error(error);
      throw new HelperError(`unable to open a session on ${describeToken(token)}: ${reason}`, { cause: error });
    }
  }

  /**
   * Logs in as the user, unless this session already is (the token may not need it at all); `neededFor`
   * (a URI) is for messages.
   */
  async logIn(pins: Pins, neededFor: string): Promise<void> {
    if (this.#loggedIn || !this.token.loginRequired) return;
    await logIn(this.api, this.handle, this.token, pins, neededFor);
    this.#loggedIn = true;
    this.logger.debug(`logged in to ${describeToken(this.token)}`);
  }

  /**
   * Whether the session still works as it was left: open, and still logged in if it was. It is not when
   * the token was removed, the session was closed, or something logged the token out.
   */
  isAlive(): boolean {
    if (this.#reopened()) return false;
    let state: number;
    try {
      state = this.api.C_GetSessionInfo(this.handle).state;
    } catch (error) {
      this.logger.debug(`the session on ${describeToken(this.token)} is gone (${describePkcs11Error(error)})`);
      return false;
    }
    return !this.#loggedIn || state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS;
  }

  close(): void {
    // After the module was initialised anew, the handle may be another user's session: it is left alone.
    if (!this.#reopened()) {
      if (this.#loggedIn) ignoreFailure(() => this.api.C_Logout(this.handle));
      ignoreFailure(() => this.api.C_CloseSession(this.handle));
    }
    this.#loggedIn = false;
    this.logger.debug(`closed the session on ${describeToken(this.token)}`);
  }

  #reopened(): boolean {
    return this.module.generation !== this.#generation;
  }
}

/**
 * One session per token while certificates and keys are looked for: the login state of a token is shared
 * by all of an application's sessions on it, so a second session there would only risk logging the first out.
 */
export class SessionPool {
  readonly #sessions = new Map<bigint, TokenSession>();

  constructor(
    private readonly module: Pkcs11Module,
    readonly logger: Logger,
  ) {}

  on(token: Token): TokenSession {
    let session = this.#sessions.get(token.slotId);
    if (!session) {
      session = TokenSession.open(this.module, token, this.logger);
      this.#sessions.set(token.slotId, session);
    }
    return session;
  }

  /** Closes every session but `keep`, which the caller now owns. */
  closeAllExcept(keep?: TokenSession): void {
    for (const session of this.#sessions.values()) if (session !== keep) session.close();
    this.#sessions.clear();
  }
}
