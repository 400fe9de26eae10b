import { describe, expect, it } from 'vitest';
import { clockSkewHint, formatServiceError, readServiceError } from '../../../src/session/serviceError.js';

describe('service errors', () => {
  it('takes the code from x-amzn-ErrorType, dropping a namespace and a trailing URL', () => {
    const details = readServiceError({ 'x-amzn-errortype': 'com.amazon#AccessDeniedException:http://x', 'x-amzn-requestid': 'r1' }, '{"message":"Untrusted Signing Certificate"}', 'Roles Anywhere');
    expect(details).toEqual({ code: 'AccessDeniedException', message: 'Untrusted Signing Certificate', requestId: 'r1' });
    expect(formatServiceError(details)).toBe('AccessDeniedException: Untrusted Signing Certificate');
  });

  it('falls back to the JSON code or __type, then UnknownError', () => {
    expect(readServiceError({}, '{"__type":"ValidationException","Message":"bad"}', 'Roles Anywhere')).toMatchObject({ code: 'ValidationException', message: 'bad' });
    expect(readServiceError({}, '{"Code":"Throttling"}', 'Roles Anywhere')).toMatchObject({ code: 'Throttling', message: 'UnknownError' });
    expect(formatServiceError(readServiceError({}, '', 'Roles Anywhere'))).toBe('api error UnknownError: UnknownError');
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
    expect(readServiceError({ 'content-type': 'application/json' }, credentials, 'Roles Anywhere').message).toBe('UnknownError');
  });

  it("says how far this machine's clock is from the service's when the service refused the request's date (QA17)", () => {
    const now = Date.parse('2026-12-03T16:00:00Z');
    const date = 'Thu, 03 Dec 2026 15:54:00 GMT';
    const expired = 'Signature expired: X-Amz-Date is too far from the current time';
    expect(clockSkewHint({ date }, expired, now)).toBe(
      ` (this machine's clock is 6 min ahead of the service's, whose answer is dated ${date}: check its time synchronisation)`,
    );
    expect(clockSkewHint({ date: 'Thu, 03 Dec 2026 19:00:00 GMT' }, 'Signature not yet current: 20261203T160000Z is still later than …', now)).toContain('3 h behind');
    // Within a minute, another refusal, or no date: nothing to say.
    expect(clockSkewHint({ date: 'Thu, 03 Dec 2026 15:59:30 GMT' }, expired, now)).toBe('');
    expect(clockSkewHint({ date }, 'Untrusted Signing Certificate', now)).toBe('');
    expect(clockSkewHint({}, expired, now)).toBe('');
  });
});
