import { describe, expect, it } from 'vitest';
import { isIntegrityFailure, isLockout, isMissingHandle, isWrongPassword, readToolFailure } from '../../../../src/keys/tpm/tpmResponseCode.js';

/** stderr of tpm2-tools 5.4 against swtpm, as captured. */
const authFail = `WARNING:esys:src/tss2-esys/api/Esys_Sign.c:311:Esys_Sign_Finish() Received TPM Error
ERROR:esys:src/tss2-esys/api/Esys_Sign.c:105:Esys_Sign() Esys Finish ErrorCode (0x0000098e)
ERROR: Eys_Sign(0x98E) - tpm:session(1):the authorization HMAC check failed and DA counter incremented
ERROR: Unable to run tpm2_sign
`;
const missingHandle = `WARNING:esys:src/tss2-esys/api/Esys_ReadPublic.c:320:Esys_ReadPublic_Finish() Received TPM Error
ERROR:esys:src/tss2-esys/esys_tr.c:278:Esys_TR_FromTPMPublic_Finish() Error ReadPublic ErrorCode (0x0000018b)
ERROR: Esys_TR_FromTPMPublic(0x18B) - tpm:handle(1):the handle is not correct for the use
ERROR: Invalid key authorization
ERROR: Unable to run tpm2_sign
`;

describe('readToolFailure', () => {
  it('reads the TPM response code and its description', () => {
    expect(readToolFailure(authFail)).toEqual({
      responseCode: 0x98e,
      text: 'tpm:session(1):the authorization HMAC check failed and DA counter incremented (0x98e)',
    });
    expect(readToolFailure(missingHandle).responseCode).toBe(0x18b);
  });

  it('does not take a TSS layer code for a TPM answer', () => {
    const failure = readToolFailure('ERROR: Esys_Load(0x70018) - esapi:Received a non-TPM Error\nERROR: Unable to run tpm2_load\n');
    expect(failure.responseCode).toBeUndefined();
    expect(failure.text).toBe('esapi:Received a non-TPM Error (0x70018)');
  });

  it('falls back to the tool\'s own error line', () => {
    expect(readToolFailure('ERROR: Could not open file "x"\nERROR: Unable to run tpm2_load\n')).toEqual({ responseCode: undefined, text: 'Could not open file "x"' });
    expect(readToolFailure('')).toEqual({ responseCode: undefined, text: 'no error output' });
  });
});

describe('response code classes', () => {
  it.each([
    [0x9a2, 'TPM_RC_BAD_AUTH, session 1'],
    [0x98e, 'TPM_RC_AUTH_FAIL, session 1'],
    [0x0a2, 'TPM_RC_BAD_AUTH without session bits'],
  ])('0x%s is a wrong password (%s)', (code) => {
    expect(isWrongPassword(code)).toBe(true);
  });

  it('tells the other failures apart', () => {
    expect(isWrongPassword(0x921)).toBe(false);
    expect(isWrongPassword(0x022)).toBe(false); // format 0 code 0x22 is not BAD_AUTH
    expect(isWrongPassword(undefined)).toBe(false);
    expect(isLockout(0x921)).toBe(true);
    expect(isLockout(0x98e)).toBe(false);
    expect(isIntegrityFailure(0x1df)).toBe(true);
    expect(isIntegrityFailure(0x9a2)).toBe(false);
    expect(isMissingHandle(0x18b)).toBe(true);
    expect(isMissingHandle(0x1df)).toBe(false);
  });
});
