/** An STS refusal: its HTTP status, `Code` and `Message`, answered in STS's `<ErrorResponse>` shape. */
export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Why, where the message (STS's words) does not say: logged, not answered. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

// The codes, statuses and messages STS answers with.
export const missingAuthenticationToken = () => new StsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
export const incompleteSignature = (message: string) => new StsError(400, 'IncompleteSignature', message);
export const invalidClientTokenId = (reason: string) => new StsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', reason);
export const expiredToken = () => new StsError(403, 'ExpiredToken', 'The security token included in the request is expired');
export const signatureDoesNotMatch = (
  message = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  reason?: string,
) => new StsError(403, 'SignatureDoesNotMatch', message, reason);
export const accessDenied = (message: string, reason?: string) => new StsError(403, 'AccessDenied', message, reason);
export const validationError = (message: string) => new StsError(400, 'ValidationError', message);
export const malformedPolicyDocument = () => new StsError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
/** STS's words, which differ for tags alone. */
export const packedPolicyTooLarge = (percent: number, tagsAlone: boolean) =>
  new StsError(
    400,
    'PackedPolicyTooLarge',
    tagsAlone ? `Packed size of session tags consumes ${percent}% of allotted space.` : `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`,
  );
/** The emulator's own refusal (STS's answer is not documented): a parameter in both the query and the body of a POST. */
export const repeatedParameters = (names: readonly string[]) =>
  new StsError(400, 'InvalidParameterCombination', `${names.join(', ')} given in both the query string and the body: give each parameter once`);
/** The emulator's own answer to an STS action it does not emulate, before it checks the signature (some are unsigned). */
export const notEmulated = (action: string) =>
  new StsError(501, 'NotImplemented', `The emulator does not answer STS ${action}: it emulates GetCallerIdentity and AssumeRole`);
export const missingAction = () => new StsError(400, 'MissingAction', 'Missing Action');
export const invalidAction = (action: string, version: string) =>
  new StsError(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`);
