/**
 * Marks the helper's errors. The CLI is shipped as several bundles (rarely used parts are loaded on
 * demand), each with its own copy of this module, so an error from one bundle must be recognised by
 * another: each error carries the kinds of its classes, and `instanceof` checks those, not prototypes.
 * A class's kind is its `kind` (stable through minification, for classes checked across bundles), else
 * its name.
 */
const KINDS = Symbol.for('roles-anywhere-helper.errorKinds');

type ErrorClass = Function & { readonly kind?: string };
const kindOf = (errorClass: ErrorClass) => (Object.hasOwn(errorClass, 'kind') ? errorClass.kind! : errorClass.name);

/**
 * An error meant for the user: its message is one line that names the input and the reason,
 * e.g. `unable to parse private key /x/key.pem: wrong password for encrypted PKCS#8 key`.
 * Anything that is not a HelperError reaching the top level is a bug and is reported as such.
 */
export class HelperError extends Error {
  static readonly kind: string = 'HelperError';
  readonly [KINDS]: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const kinds: string[] = [];
    for (let errorClass: ErrorClass = new.target; errorClass !== Error; errorClass = Object.getPrototypeOf(errorClass) as ErrorClass) {
      kinds.push(kindOf(errorClass));
    }
    this.name = kinds[0]!;
    this[KINDS] = kinds;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    const kinds = typeof value === 'object' && value !== null ? (value as Record<symbol, unknown>)[KINDS] : undefined;
    return Array.isArray(kinds) && kinds.includes(kindOf(this));
  }
}

/** A command-line usage error: unknown flag, bad flag value, conflicting flags. */
export class UsageError extends HelperError {
  static override readonly kind: string = 'UsageError';
}

/** The text of any thrown value, for wrapping into a HelperError message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
