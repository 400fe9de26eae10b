import { describe, expect, it } from 'vitest';
import { formatServiceError, readServiceError } from '../../../src/session/serviceError.js';

describe('service errors', () => {
  it('takes the code from x-amzn-ErrorType, dropping a namespace and a trailing URL', () => {
    const details = readServiceError({ 'x-amzn-errortype': 'com.amazon#AccessDeniedException:http://x', 'x-amzn-requestid': 'r1' }, '{"message":"Untrusted Signing Certificate"}', 'Roles Anywhere');
    expect(details).toEqual({ code: 'AccessDeniedException', message: 'Untrusted Signing Certificate', requestId: 'r1' });
    expect(formatServiceError(details)).toBe('AccessDeniedException: Untrusted Signing Certificate');
    // The three codes CreateSession's model declares print bare; a code that is empty once its namespace goes is UnknownError (mutation sweep).
    expect(formatServiceError({ code: 'ValidationException', message: 'm', requestId: '' })).toBe('ValidationException: m');
    expect(formatServiceError({ code: 'ResourceNotFoundException', message: 'm', requestId: '' })).toBe('ResourceNotFoundException: m');
    expect(readServiceError({ 'x-amzn-errortype': 'com.amazon#:http://x' }, '{}', 'Roles Anywhere').code).toBe('UnknownError');
    // Before a code in the body, as the SDKs read it (mutation sweep: the body's first passed every test).
    expect(readServiceError({ 'x-amzn-errortype': 'AccessDeniedException' }, '{"__type":"ValidationException","message":"m"}', 'Roles Anywhere').code).toBe('AccessDeniedException');
  });

  it('falls back to the JSON code or __type, then UnknownError; a missing message is said to be missing, not UnknownError again', () => {
    expect(readServiceError({}, '{"__type":"ValidationException","Message":"bad"}', 'Roles Anywhere')).toMatchObject({ code: 'ValidationException', message: 'bad' });
    expect(readServiceError({}, '{"Code":"Throttling"}', 'Roles Anywhere')).toMatchObject({ code: 'Throttling', message: 'the answer gives no message' });
    // Fields that are no strings are no code or message (mutation sweep).
    expect(readServiceError({}, '{"code":7,"message":{"text":"m"}}', 'Roles Anywhere')).toEqual({ code: 'UnknownError', message: 'the answer gives no message', requestId: '' });
    expect(formatServiceError(readServiceError({}, '{}', 'Roles Anywhere'))).toBe('api error UnknownError: the answer gives no message');
    expect(formatServiceError(readServiceError({}, 'null', 'Roles Anywhere'))).toBe('api error UnknownError: the answer gives no message');
    expect(formatServiceError(readServiceError({}, '', 'Roles Anywhere'))).toBe('api error UnknownError: the answer is empty');
    expect(formatServiceError(readServiceError({}, ' \r\n', 'Roles Anywhere'))).toBe('api error UnknownError: the answer is empty');
  });

  it("says what an answer that is not the service's says of itself: a redirect's target, its Content-Type, its start (QA: a firewall's page was UnknownError: UnknownError)", () => {
    const page = `<html><head><title>Access Denied</title></head><body>${'Blocked by corporate firewall. '.repeat(10)}</body></html>`;
    expect(readServiceError({ 'content-type': 'text/html' }, page, 'Roles Anywhere')).toEqual({
      code: 'UnknownError',
      message: `the answer is not Roles Anywhere's (Content-Type text/html): ${page.slice(0, 160)}…`,
      requestId: '',
    });
    expect(readServiceError({ location: 'https://portal.example/login', 'content-type': 'text/plain' }, 'Found', 'STS').message).toBe(
      "the answer is not STS's (a redirect to https://portal.example/login, Content-Type text/plain): Found",
    );
    expect(readServiceError({}, 'Service  Unavailable\n', 'STS').message).toBe("the answer is not STS's: Service Unavailable");
    // With a code but no message, the start all the same (review: a proxy's page with x-amzn-ErrorType lost it).
    expect(readServiceError({ 'x-amzn-errortype': 'ForbiddenException' }, '<html><body>Blocked by proxy</body></html>', 'STS')).toMatchObject({
      code: 'ForbiddenException',
      message: "the answer is not STS's: <html><body>Blocked by proxy</body></html>",
    });
    // A redirect's user info is not shown (review); nor a JSON body, which could hold credentials.
    expect(readServiceError({ location: 'https://alice:s3cret@portal.example/login' }, '', 'STS').message).toBe(
      "the answer is not STS's (a redirect to https://***@portal.example/login)",
    );
    const credentials = '{"credentialSet":[{"credentials":{"secretAccessKey":"SECRET"}}]}';
    expect(readServiceError({ 'content-type': 'application/json' }, credentials, 'Roles Anywhere').message).toBe('the answer gives no message');
  });
});
