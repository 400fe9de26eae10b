import type { Env } from '../context.js';

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

/**
 * A secret's variable in the caller's environment, one trailing newline left out as a file's is (a
 * Kubernetes Secret made from a file holds one); an empty one counts as not set.
 */
export function secretFromEnv(env: Env, secret: keyof typeof SECRET_VARIABLES): string | undefined {
  return env[SECRET_VARIABLES[secret]]?.replace(/\r?\n$/, '') || undefined;
}
