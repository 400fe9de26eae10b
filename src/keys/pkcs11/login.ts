import pkcs11js from 'pkcs11js';
import { HelperError } from '../../errors.js';
import { type Logger } from '../../log/logger.js';
import type { Pkcs11Api } from './module.js';
import { describePkcs11Error, returnCode } from './pkcs11Errors.js';
import { NoPinError, USER_PIN_HELP, type Pin, type Pins } from './pin.js';
import { describeToken, type Token } from './slots.js';
import { option } from '../../optionNames.js';

/** What is said of a given PIN a token refused before (see Pins.refuse). */
const NOT_SENT_AGAIN = 'refused before: not sent again (each wrong try counts toward locking the PIN)';

/** Wrong PINs typed on the terminal before giving up (tokens lock themselves after a few). */
const PROMPT_ATTEMPTS = 3;

/**
 * Logs in as the user (CKU_USER) with the PIN given or remembered, else one typed on the terminal. A wrong
 * PIN that was given is an error at once; a wrong PIN typed is asked for again.
 */
export async function logIn(api: Pkcs11Api, session: Buffer, token: Token, pins: Pins, neededFor: string): Promise<void> {
  const where = `${neededFor} on ${describeToken(token)}`;
  const given = pins.userPin();
  if (given) {
    if (pins.refusedBefore(given)) throw new HelperError(`user authentication failed: ${where}, PIN from ${given.source}, ${NOT_SENT_AGAIN}`);
    const failure = tryLogin(api, session, pkcs11js.CKU_USER, given);
    if (failure === undefined) return pins.rememberUserPin(given);
    if (returnCode(failure) === pkcs11js.CKR_PIN_INCORRECT) pins.refuse(given);
    throw new HelperError(`user authentication failed (${describePkcs11Error(failure)}): ${where}, PIN from ${given.source}`);
  }
  let failure: unknown;
  for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
    const pin = await pins.prompt({ name: 'user PIN', neededFor: where, howToGiveIt: USER_PIN_HELP }, failure !== undefined);
    failure = tryLogin(api, session, pkcs11js.CKU_USER, pin);
    if (failure === undefined) return pins.rememberUserPin(pin);
    if (returnCode(failure) !== pkcs11js.CKR_PIN_INCORRECT) break;
  }
  throw new HelperError(`user authentication failed (${describePkcs11Error(failure)}): ${where}`);
}

/**
 * The context-specific login a CKA_ALWAYS_AUTHENTICATE key needs after each C_SignInit: with the PIN that
 * worked before or (--reuse-pin) the user PIN, else one typed on the terminal.
 */
export async function logInForSignature(
  api: Pkcs11Api,
  session: Buffer,
  keyDescription: string,
  pins: Pins,
  logger: Logger,
): Promise<void> {
  const given = pins.contextPin();
  // One refused before is not tried again: it is asked for on the terminal, where there is one.
  const refusedBefore = given !== undefined && pins.refusedBefore(given);
  let failure: unknown;
  if (given && !refusedBefore) {
    failure = tryLogin(api, session, pkcs11js.CKU_CONTEXT_SPECIFIC, given);
    if (failure === undefined) return pins.rememberContextPin(given);
    if (returnCode(failure) === pkcs11js.CKR_PIN_INCORRECT) pins.refuse(given);
    logger.debug(`user re-authentication attempt failed (${describePkcs11Error(failure)})`);
  }
  for (let attempt = 1; attempt <= PROMPT_ATTEMPTS; attempt++) {
    let pin: Pin;
    try {
      const name = `context-specific PIN for private key object (${keyDescription})`;
      pin = await pins.prompt({ name, howToGiveIt: CONTEXT_PIN_HELP }, failure !== undefined || refusedBefore);
    } catch (error) {
      if (given && error instanceof NoPinError) {
        throw new HelperError(
          refusedBefore
            ? `user re-authentication failed: ${keyDescription}, PIN from ${given.source}, ${NOT_SENT_AGAIN}`
            : `user re-authentication failed (${describePkcs11Error(failure)}): ${keyDescription}, PIN from ${given.source}`,
        );
      }
      throw error;
    }
    failure = tryLogin(api, session, pkcs11js.CKU_CONTEXT_SPECIFIC, pin);
    if (failure === undefined) return pins.rememberContextPin(pin);
    if (returnCode(failure) !== pkcs11js.CKR_PIN_INCORRECT) break;
  }
  throw new HelperError(`user re-authentication failed (${describePkcs11Error(failure)}): ${keyDescription}`);
}

const CONTEXT_PIN_HELP =
  'the key asks for its PIN at every signature (CKA_ALWAYS_AUTHENTICATE): ' +
  `give ${option('reusePin')} if it is the user PIN, or run on a terminal`;

/** undefined when logged in (or already logged in), else the failure. */
function tryLogin(api: Pkcs11Api, session: Buffer, userType: number, pin: Pin): unknown {
  try {
    api.C_Login(session, userType, pin.value);
    return undefined;
  } catch (error) {
    if (userType === pkcs11js.CKU_USER && returnCode(error) === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) return undefined;
    return error;
  }
}
