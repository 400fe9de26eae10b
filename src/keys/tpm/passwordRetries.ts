import { Tpm2ToolError } from './tpmError.js';
import type { TpmKeyPassword } from './tpmPassword.js';
import { isWrongPassword } from './tpmResponseCode.js';

/**
 * Runs `attempt` (an operation that takes the TPM lock, loads the key and signs) with the key's password;
 * when the TPM refuses it, asks again (TpmKeyPassword.afterRefusal: another prompt, or an error saying where
 * the password came from) and attempts anew from the start. Every prompt comes between attempts, while this
 * run holds no lock, so that a person retyping a password does not keep the user's other runs off the TPM.
 */
export async function withPasswordRetries<T>(
  password: Pick<TpmKeyPassword, 'value' | 'afterRefusal'>,
  required: boolean,
  attempt: (auth: string) => Promise<T>,
): Promise<T> {
  let auth = await password.value(required);
  for (;;) {
    try {
      return await attempt(auth);
    } catch (error) {
      if (!(error instanceof Tpm2ToolError) || !isWrongPassword(error.responseCode)) throw error;
      auth = await password.afterRefusal();
    }
  }
}
