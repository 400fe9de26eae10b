import type { Tpm2Tools } from './tpm2Tools.js';

/** What a wrong password for a DA-protected key left of the TPM's dictionary-attack allowance. */
export interface LockoutNote {
  /** The TPM refuses every DA-protected authorization now: asking for the password again is no use. */
  readonly lockedOut: boolean;
  /** For a message: `the TPM locks out after 2 more wrong passwords`, or what to do now it has. */
  readonly text: string;
}

/** Fewer wrong passwords than this left before the lockout are worth saying: as many as the prompt asks for. */
const FEW_LEFT = 3;

/**
 * The TPM's lockout counter against its limit (`tpm2_getcap properties-variable`), read after it refused a
 * password, so that whoever types or gives the next one knows what it risks (swtpm's limit is 3, the
 * prompt's tries too). Undefined when the TPM does not say (a note is not worth a failure), or when more
 * than FEW_LEFT wrong ones are left.
 */
export async function readLockoutNote(tools: Tpm2Tools): Promise<LockoutNote | undefined> {
  let text: string;
  try {
    text = await tools.output('tpm2_getcap', ['properties-variable']);
  } catch (error) {
    tools.logger.debug(`TPM: unable to read its lockout counter: ${(error as Error).message}`);
    return undefined;
  }
  const counter = property(text, 'TPM2_PT_LOCKOUT_COUNTER');
  const limit = property(text, 'TPM2_PT_MAX_AUTH_FAIL');
  if (counter === undefined || limit === undefined) return undefined;
  if (/^\s*inLockout:\s*1\s*$/m.test(text) || counter >= limit) {
    return {
      lockedOut: true,
      text: 'the TPM now refuses passwords (dictionary-attack lockout); wait for it to recover, or reset it with tpm2_dictionarylockout -c',
    };
  }
  const left = limit - counter;
  if (left > FEW_LEFT) return undefined;
  return { lockedOut: false, text: `the TPM locks out after ${left} more wrong password${left === 1 ? '' : 's'}` };
}

function property(text: string, name: string): number | undefined {
  const value = new RegExp(`^${name}:\\s*(0x[0-9a-fA-F]+|\\d+)\\s*$`, 'm').exec(text)?.[1];
  return value === undefined ? undefined : Number(value);
}
