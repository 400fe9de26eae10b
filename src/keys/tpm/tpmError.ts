import { HelperError } from '../../errors.js';
import type { ToolFailure } from './tpmResponseCode.js';

/** Why the TPM could not load or use a key; the key source adds which key it was. */
export class TpmError extends HelperError {}

/** The TPM refused a password that was given rather than typed: trying it again would only count toward its lockout. */
export class GivenPasswordRefusedError extends TpmError {
  /** `reason` says which password it was; `note`, what is left of the TPM's lockout allowance ('' when it does not count). */
  constructor(
    readonly reason: string,
    note: string,
  ) {
    super(`${reason}${note}`);
  }
}

/** A tpm2-tools command that failed, with the TPM's response code when the TPM refused it. */
export class Tpm2ToolError extends TpmError {
  readonly responseCode: number | undefined;

  constructor(
    readonly tool: string,
    failure: ToolFailure,
  ) {
    super(`${tool} failed: ${failure.text}`);
    this.responseCode = failure.responseCode;
  }
}
