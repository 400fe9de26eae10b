/**
 * An error meant for the user: its message is one line that names the input and the reason,
 * e.g. `unable to parse private key /x/key.pem: wrong password for encrypted PKCS#8 key`.
 * Anything that is not a HelperError reaching the top level is a bug and is reported as such.
 */
export class HelperError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A command-line usage error: unknown flag, bad flag value, conflicting flags. */
export class UsageError extends HelperError {}

/** The text of any thrown value, for wrapping into a HelperError message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
