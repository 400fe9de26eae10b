import type { LockoutNote } from './lockoutState.js';
import { Tpm2ToolError } from './tpmError.js';
import type { TpmKeyPassword } from './tpmPassword.js';
import { isCountedWrongPassword, isWrongPassword } from './tpmResponseCode.js';

/** A TPM key's password holds at most a digest's bytes (TPM2B_AUTH, sizeof TPMU_HA): tpm2-tools refuse a longer one as `Invalid key authorization`. */
const MAX_PASSWORD_BYTES = 64;

/** A longer one cannot be the key's: refused as a wrong one is, before the TPM is used, and counting toward nothing. */
const TOO_LONG: LockoutNote = { lockedOut: false, text: `it is longer than the ${MAX_PASSWORD_BYTES} bytes a TPM key password can be` };

/**
 * Runs `attempt` (an operation that takes the TPM lock, loads the key and signs) with the key's password;
 * when the TPM refuses it, asks again (TpmKeyPassword.afterRefusal: another prompt, or an error saying where
 * the password came from) and attempts anew from the start. Every prompt comes between attempts, while this
 * run holds no lock, so that a person retyping a password does not keep the user's other runs off the TPM.
 * A refusal that counted toward the TPM's lockout comes with what is left of it (`lockout`).
 */
export async function withPasswordRetries<T>(
  password: Pick<TpmKeyPassword, 'value' | 'afterRefusal'>,
  required: boolean,
  attempt: (auth: string) => Promise<T>,
  lockout: () => Promise<LockoutNote | undefined>,
): Promise<T> {
  let auth = await password.value(required);
  for (;;) {
    if (Buffer.byteLength(auth) > MAX_PASSWORD_BYTES) {
      auth = await password.afterRefusal(TOO_LONG);
      continue;
    }
    try {
      return await attempt(auth);
    } catch (error) {
      if (!(error instanceof Tpm2ToolError) || !isWrongPassword(error.responseCode)) throw error;
      // The note is not worth losing the refusal for (the TPM held by another run past the lock's wait).
      const note = isCountedWrongPassword(error.responseCode) ? await lockout().catch(() => undefined) : undefined;
      auth = await password.afterRefusal(note);
    }
  }
}
