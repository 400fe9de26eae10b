/**
 * Marks the helper's errors. The CLI is shipped as several bundles (rarely used parts are loaded on
 * demand), each with its own copy of this module, so an error from one bundle must be recognised by
 * another: `instanceof HelperError` checks this brand, not the prototype chain.
 */
const BRAND = Symbol.for('roles-anywhere-helper.HelperError');

/**
 * An error meant for the user: its message is one line that names the input and the reason,
 * e.g. `unable to parse private key /x/key.pem: wrong password for encrypted PKCS#8 key`.
 * Anything that is not a HelperError reaching the top level is a bug and is reported as such.
 */
export class HelperError extends Error {
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== HelperError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** A command-line usage error: unknown flag, bad flag value, conflicting flags. */
export class UsageError extends HelperError {}

/** The text of any thrown value, for wrapping into a HelperError message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
