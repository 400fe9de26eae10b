import { jsonReply, type Reply } from './httpExchange.js';

/**
 * A Roles Anywhere refusal (CreateSession or the management API), answered the way the service answers:
 * status, `x-amzn-ErrorType`, `{"message"}`.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'AccessDeniedException' | 'ValidationException' | 'ResourceNotFoundException' | 'TooManyTagsException' | 'InternalServerError' | 'NotImplemented' | 'RequestEntityTooLarge',
    message: string,
  ) {
    super(message);
  }
}

export const accessDenied = (message: string) => new ServiceError(403, 'AccessDeniedException', message);
export const validationError = (message: string) => new ServiceError(400, 'ValidationException', message);
export const notFound = (message: string) => new ServiceError(404, 'ResourceNotFoundException', message);
export const tooManyTags = (message: string) => new ServiceError(400, 'TooManyTagsException', message);
/** An operation the emulator does not answer: not a missing resource, which code under test might act on. */
export const notEmulated = (message: string) => new ServiceError(501, 'NotImplemented', message);

/** The service's answer when the certificate or its chain is not acceptable, with the reason appended. */
export const untrusted = (reason: string) => accessDenied(`Untrusted Signing Certificate: ${reason}`);

/** The reply for a refusal. */
export function serviceErrorReply(error: ServiceError): Reply {
  return { ...jsonReply(error.status, { message: error.message }), headers: { 'x-amzn-ErrorType': error.code } };
}
