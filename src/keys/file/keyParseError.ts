import { HelperError } from '../../errors.js';

/**
 * Why a key or certificate file could not be used; the caller adds which file it was. Recognised across
 * bundles (see src/errors.ts): encrypted keys are decrypted by a bundle of their own.
 */
export class KeyParseError extends HelperError {
  static override readonly kind: string = 'KeyParseError';
}

export class WrongPasswordError extends KeyParseError {
  static override readonly kind: string = 'WrongPasswordError';

  constructor(what = 'encrypted PKCS#8 key') {
    super(`wrong password for ${what}`);
  }
}
