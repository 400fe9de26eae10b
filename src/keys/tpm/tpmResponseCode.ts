/**
 * TPM 2.0 response codes (TPM 2.0 Part 2, 6.6) as tpm2-tools report them on stderr, e.g.
 * `ERROR: Esys_Sign(0x9A2) - tpm:session(1):authorization failure without DA implications`.
 */
import { cutShort } from '../../log/printable.js';

/** Format-one codes carry the handle, parameter or session they refer to in bits 6 and 8–11. */
const FORMAT_ONE = 0x080;
const WARNING = 0x900;

const BAD_AUTH = 0x022;
const AUTH_FAIL = 0x00e;
const INTEGRITY = 0x01f;
const HANDLE = 0x00b;
const LOCKOUT = 0x021;

export interface ToolFailure {
  /** The TPM's response code, when the failure came from the TPM (not from the TSS or the tool). */
  readonly responseCode: number | undefined;
  /** The tool's own words for it, without the log prefixes. */
  readonly text: string;
}

/** Reads the response code and its description from a tpm2-tools stderr. */
export function readToolFailure(stderr: string): ToolFailure {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  for (const line of lines) {
    const match = /^ERROR: \w+\((0x[0-9a-fA-F]+)\) - (.+)$/.exec(line);
    if (!match) continue;
    const code = Number.parseInt(match[1]!, 16);
    // Bits 16 and up name a TSS layer (ESAPI, marshalling, TCTI): not a TPM answer.
    return { responseCode: code >>> 16 === 0 ? code : undefined, text: `${match[2]} (${match[1]!.toLowerCase()})` };
  }
  const errors = lines.filter((line) => line.startsWith('ERROR: ') && !line.startsWith('ERROR: Unable to run'));
  return { responseCode: undefined, text: cutShort((errors[0] ?? lines.at(-1) ?? 'no error output').replace(/^ERROR: /, ''), MAX_QUOTED) };
}

/** How much of a line a message quotes: a line's length (fuzzing QA: a tool's 2 MB line, quoted whole). */
const MAX_QUOTED = 300;

function formatOneNumber(code: number): number | undefined {
  return code & FORMAT_ONE ? code & 0x3f : undefined;
}

/** TPM_RC_BAD_AUTH (noDA keys) or TPM_RC_AUTH_FAIL (DA-protected keys): the password was wrong. */
export function isWrongPassword(code: number | undefined): boolean {
  if (code === undefined) return false;
  const number = formatOneNumber(code);
  return number === BAD_AUTH || number === AUTH_FAIL;
}

/** TPM_RC_AUTH_FAIL: a wrong password for a DA-protected key, which counts toward the TPM's lockout. */
export function isCountedWrongPassword(code: number | undefined): boolean {
  return code !== undefined && formatOneNumber(code) === AUTH_FAIL;
}

/** TPM_RC_INTEGRITY: a private blob that the parent did not wrap (another parent, another TPM). */
export function isIntegrityFailure(code: number | undefined): boolean {
  return code !== undefined && formatOneNumber(code) === INTEGRITY;
}

/** TPM_RC_HANDLE: no such object (a persistent handle that is not there). */
export function isMissingHandle(code: number | undefined): boolean {
  return code !== undefined && formatOneNumber(code) === HANDLE;
}

/** TPM_RC_LOCKOUT: dictionary-attack protection refuses authorizations for now. */
export function isLockout(code: number | undefined): boolean {
  return code === (WARNING | LOCKOUT);
}
