import { describe, expect, it } from 'vitest';
import { formatServiceError, readServiceError } from '../../../src/session/serviceError.js';

describe('service errors', () => {
  it('takes the code from x-amzn-ErrorType, dropping a namespace and a trailing URL', () => {
    const details = readServiceError({ 'x-amzn-errortype': 'com.amazon#AccessDeniedException:http://x', 'x-amzn-requestid': 'r1' }, '{"message":"Untrusted Signing Certificate"}');
    expect(details).toEqual({ code: 'AccessDeniedException', message: 'Untrusted Signing Certificate', requestId: 'r1' });
    expect(formatServiceError(details)).toBe('AccessDeniedException: Untrusted Signing Certificate');
  });

  it('falls back to the JSON code or __type, then UnknownError', () => {
    expect(readServiceError({}, '{"__type":"ValidationException","Message":"bad"}')).toMatchObject({ code: 'ValidationException', message: 'bad' });
    expect(readServiceError({}, '{"Code":"Throttling"}')).toMatchObject({ code: 'Throttling', message: 'UnknownError' });
    expect(formatServiceError(readServiceError({}, 'not json'))).toBe('api error UnknownError: UnknownError');
  });
});
