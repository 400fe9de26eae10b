import type { Env } from '../context.js';
import { HelperError } from '../errors.js';

/**
 * The environment variable of each secret. Every secret is looked for in one order (README, "Passwords
 * and PINs"): first what the caller gave (an option, or on the command line its flag or its file flag; for
 * the PIN the URI's pin-value or pin-source), then this variable, then the terminal where the secret has a
 * prompt and there is one. A variable is used only by a key that needs the secret, so that one set for
 * every run does not get in the way of keys without a password.
 */
export const SECRET_VARIABLES = {
  pkcs8Password: 'AWS_ROLESANYWHERE_PKCS8_PASSWORD',
  pkcs12Password: 'AWS_ROLESANYWHERE_PKCS12_PASSWORD',
  tpmKeyPassword: 'AWS_ROLESANYWHERE_TPM_KEY_PASSWORD',
  pkcs11Pin: 'AWS_ROLESANYWHERE_PKCS11_PIN',
} as const;

/** The names of those variables: never recorded (a cache shortcut's environment) or passed on (tpm2-tools'). */
export const SECRET_VARIABLE_NAMES: ReadonlySet<string> = new Set(Object.values(SECRET_VARIABLES));

/**
 * A secret's variable in the caller's environment, one trailing newline left out as a file's is (a
 * Kubernetes Secret made from a file holds one), and a trailing CR, the end of a CRLF whose LF the shell's
 * `$(cat file)` took (QA: a wrong PIN passed on); an empty one counts as not set.
 */
export function secretFromEnv(env: Env, secret: keyof typeof SECRET_VARIABLES): string | undefined {
  const value = env[SECRET_VARIABLES[secret]]?.replace(/\r?\n?$/, '') || undefined;
  // Node decodes the environment as UTF-8, each byte that is not as U+FFFD: such a secret, passed on, is
  // a wrong one, and a wrong PIN or TPM password costs one of the token's or the TPM's tries.
  if (value?.includes('\uFFFD')) throw new HelperError(`unable to use ${SECRET_VARIABLES[secret]}: ${NOT_UTF8}`);
  return value;
}

/** Why a secret that is not UTF-8 text is refused rather than passed on altered. */
export const NOT_UTF8 = 'it is not UTF-8 text (the helper passes secrets on as UTF-8, and would pass on another secret); set it in UTF-8';
