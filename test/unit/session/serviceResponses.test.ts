import { describe, expect, it } from 'vitest';
import { parseCreateSessionResponse, redactResponseBody } from '../../../src/session/parseCreateSessionResponse.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, isRetryableServiceError, retryPolicyFromEnv } from '../../../src/session/retry.js';
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

  it('retries 5xx, 429 and throttling codes, not 4xx', () => {
    expect(isRetryableServiceError(503, 'UnknownError')).toBe(true);
    expect(isRetryableServiceError(429, 'UnknownError')).toBe(true);
    expect(isRetryableServiceError(400, 'ThrottlingException')).toBe(true);
    expect(isRetryableServiceError(403, 'AccessDeniedException')).toBe(false);
  });

  it('backs off with full jitter, bounded by the cap', () => {
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0.999)).toBe(999);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 2, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 20, () => 0.999)).toBe(19980);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0)).toBe(0);
  });

  it('reads AWS_MAX_ATTEMPTS', () => {
    expect(retryPolicyFromEnv({}).maxAttempts).toBe(3);
    expect(retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: '5' }).maxAttempts).toBe(5);
    expect(() => retryPolicyFromEnv({ AWS_MAX_ATTEMPTS: 'many' })).toThrow('invalid AWS_MAX_ATTEMPTS "many": it must be a whole number, 1 or more');
  });
});

describe('CreateSession responses', () => {
  const body = {
    credentialSet: [{ credentials: { accessKeyId: 'ASIA1', secretAccessKey: 'SECRET', sessionToken: 'TOKEN', expiration: '2030-01-01T00:00:00Z' } }],
  };

  it('reads credentialSet[0].credentials, keeping the expiration text as sent', () => {
    expect(parseCreateSessionResponse(JSON.stringify(body))).toEqual({
      accessKeyId: 'ASIA1', secretAccessKey: 'SECRET', sessionToken: 'TOKEN', expiration: new Date('2030-01-01T00:00:00Z'), expirationText: '2030-01-01T00:00:00Z',
    });
  });

  it.each([
    ['{}', 'unable to obtain temporary security credentials from CreateSession (no credentialSet)'],
    ['{"credentialSet":[]}', 'unable to obtain temporary security credentials from CreateSession (no credentialSet)'],
    ['{"credentialSet":[{}]}', 'the response has no credentials in credentialSet[0]'],
    ['{"credentialSet":[{"credentials":{"accessKeyId":"a","secretAccessKey":"s","sessionToken":"t","expiration":"soon"}}]}', 'the response\'s credentials expiration "soon" is not a date'],
    ['null', 'unable to obtain temporary security credentials from CreateSession (no credentialSet)'],
  ])('rejects %s', (text, message) => {
    expect(() => parseCreateSessionResponse(text)).toThrow(message);
  });

  it('redacts the secret key and session token for --debug, and hides bodies that are not JSON', () => {
    const redacted = redactResponseBody(JSON.stringify(body));
    expect(redacted).toContain('ASIA1');
    expect(redacted).not.toContain('SECRET');
    expect(redacted).not.toContain('TOKEN');
    expect(redactResponseBody('secret=abc')).toBe('<10 bytes, not JSON>');
  });
});
