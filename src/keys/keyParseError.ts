import { HelperError } from '../errors.js';

/** Why a key or certificate file could not be used; the caller adds which file it was. */
export class KeyParseError extends HelperError {}

export class WrongPasswordError extends KeyParseError {
  constructor(what = 'encrypted PKCS#8 key') {
    super(`wrong password for ${what}`);
  }
}
