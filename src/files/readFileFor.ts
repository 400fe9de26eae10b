import { HelperError } from '../errors.js';

/**
 * Reads a file an option names, a failure worded for that option: `<name>: <reason>`, the reader's reason
 * without its own words for the file (a trust anchor's certificates are no "certificate chain"): `check` and
 * the emulator read the trust anchor's certificates and CRLs so.
 */
export function readFileFor<T>(path: string, name: string, read: (path: string) => T): T {
  try {
    return read(path);
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    // The text, not the message: options in the reason stay placeholders, for the caller to name (src/errors.ts).
    const at = error.text.indexOf(`${path}: `);
    // A key or certificate given where its path belongs is not named: its reader's reason says so (QA).
    const named = error.text.endsWith('(not shown)') ? name.replace(` ${path}`, '') : name;
    throw new HelperError(`${named}: ${at === -1 ? error.text : error.text.slice(at + path.length + 2)}`);
  }
}
