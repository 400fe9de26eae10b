/**
 * An error meant for the user: its message is one line that names the input and the reason,
 * e.g. `unable to parse private key /x/key.pem: wrong password for encrypted PKCS#8 key`.
 * Anything that is not a HelperError reaching the top level is a bug and is reported as such.
 *
 * The bundles the CLI is shipped as share one copy of this module (src/runtime.ts), so `instanceof`
 * works across them.
 */
export class HelperError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A command-line usage error: unknown flag, bad flag value, conflicting flags. */
export class UsageError extends HelperError {}

/** The text of any thrown value, for wrapping into a HelperError message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
