import { describe, expect, it } from 'vitest';
import { parseCreateSessionResponse, redactResponseBody } from '../../../src/session/parseCreateSessionResponse.js';

describe('CreateSession responses', () => {
  const body = {
    credentialSet: [{ credentials: { accessKeyId: 'ASIA1', secretAccessKey: 'SECRET', sessionToken: 'TOKEN', expiration: '2030-01-01T00:00:00Z' } }],
  };

  it('reads credentialSet[0].credentials, keeping the expiration text as sent', () => {
    expect(parseCreateSessionResponse(JSON.stringify(body))).toEqual({
      accessKeyId: 'ASIA1', secretAccessKey: 'SECRET', sessionToken: 'TOKEN', expiration: new Date('2030-01-01T00:00:00Z'), expirationText: '2030-01-01T00:00:00Z',
    });
  });

  it('takes the account from the assumed role user, when it is an account id', () => {
    const withUser = (arn: unknown) => JSON.stringify({ credentialSet: [{ ...body.credentialSet[0], assumedRoleUser: { arn } }] });
    expect(parseCreateSessionResponse(withUser('arn:aws:sts::123456789012:assumed-role/r/s')).accountId).toBe('123456789012');
    expect(parseCreateSessionResponse(withUser('arn:aws:sts::12345:assumed-role/r/s')).accountId).toBeUndefined();
    expect(parseCreateSessionResponse(withUser(7)).accountId).toBeUndefined();
    expect(parseCreateSessionResponse(JSON.stringify(body)).accountId).toBeUndefined();
  });

  it('takes the role session\'s name from the assumed role user, for role chaining to derive its own', () => {
    const withUser = (arn: unknown) => JSON.stringify({ credentialSet: [{ ...body.credentialSet[0], assumedRoleUser: { arn } }] });
    expect(parseCreateSessionResponse(withUser('arn:aws:sts::123456789012:assumed-role/r/0a1b2c')).roleSessionName).toBe('0a1b2c');
    expect(parseCreateSessionResponse(withUser('arn:aws:iam::123456789012:role/r')).roleSessionName).toBeUndefined();
    // Only an assumed role's third part is a session name: a role's with a path is not (mutation QA).
    expect(parseCreateSessionResponse(withUser('arn:aws:iam::123456789012:role/ci/r')).roleSessionName).toBeUndefined();
    expect(parseCreateSessionResponse(withUser(7)).roleSessionName).toBeUndefined();
  });

  it.each([
    ['{}', 'unable to obtain temporary security credentials from CreateSession (no credentialSet)'],
    ['{"credentialSet":[]}', 'unable to obtain temporary security credentials from CreateSession (no credentialSet)'],
    ['{"credentialSet":[{}]}', 'the response has no credentials in credentialSet[0]'],
    ['{"credentialSet":[{"credentials":{"accessKeyId":"a","secretAccessKey":"s","sessionToken":"t","expiration":"soon"}}]}', 'the response\'s credentials expiration "soon" is not a date'],
    ['null', 'unable to obtain temporary security credentials from CreateSession (no credentialSet)'],
    // Empty is none, not a key holding a bad character, nor an expiration that is no date (mutation QA).
    ['{"credentialSet":[{"credentials":{"accessKeyId":"","secretAccessKey":"s","sessionToken":"t","expiration":"2030-01-01T00:00:00Z"}}]}', 'the response\'s credentials have no accessKeyId'],
    ['{"credentialSet":[{"credentials":{"accessKeyId":"a","secretAccessKey":"s","sessionToken":"t","expiration":""}}]}', 'the response\'s credentials have no expiration'],
  ])('rejects %s', (text, message) => {
    expect(() => parseCreateSessionResponse(text)).toThrow(message);
  });

  it.each(['accessKeyId', 'secretAccessKey', 'sessionToken'])(
    'refuses a %s with a line break, a blank, a control or a non-ASCII character: update would write it into the credentials file as lines of their own (QA)',
    (name) => {
      for (const value of ['ASIA1\n[evil]\ncredential_process = sh -c x', 'ASIA1\r', '   ', ' ASIA1', 'AS\u0000IA', 'AS\u2028IA', '\ufeffASIA1']) {
        const odd = JSON.stringify({ credentialSet: [{ credentials: { ...body.credentialSet[0]!.credentials, [name]: value } }] });
        expect(() => parseCreateSessionResponse(odd)).toThrow(new Error(`the response's credentials ${name} holds a blank, control or non-ASCII character`));
      }
    },
  );

  it('refuses an expiration that is not an RFC 3339 date and time with its zone, which Date would read as local time or as a date far off (QA: "2027" served as 2027-01-01)', () => {
    const withExpiration = (expiration: string) => JSON.stringify({ credentialSet: [{ credentials: { ...body.credentialSet[0]!.credentials, expiration } }] });
    for (const odd of ['2030-01-01T00:00:00', '2030-01-01 00:00:00Z', '2030', '2030-01-01', '12/31/2030', 'December 31, 2030', 'Tue, 01 Jan 2030 00:00:00 GMT', '2030-01-01T00:00:00+0100',
      // Without its seconds, a year of six digits, a month and day that are none (Date reads the first two).
      '2030-01-01T00:00Z', '+002030-01-01T00:00:00Z', '2030-13-45T00:00:00Z',
      // Days the month has not, which Date reads as days of the next (2030-03-02), and an hour past the day's end.
      '2030-02-30T00:00:00Z', '2028-02-30T00:00:00Z', '2030-04-31T00:00:00Z', '2030-01-01T24:00:00Z']) {
      expect(() => parseCreateSessionResponse(withExpiration(odd))).toThrow(new Error(`the response's credentials expiration "${odd}" is not a date and time with its zone (RFC 3339)`));
    }
    for (const fine of ['2030-01-01T00:00:00Z', '2030-01-01T00:00:00.123456789Z', '2030-01-01T01:00:00+01:00', '2029-12-31T19:00:00-05:00', '2030-01-01t00:00:00z', '2028-02-29T00:00:00Z']) {
      expect(parseCreateSessionResponse(withExpiration(fine)).expirationText).toBe(fine);
    }
  });

  it('describes a body that is not JSON by its headers, and shows its start only when it is markup: a JSON answer cut short may hold secrets (QA)', () => {
    const portal = '<html><head><title>Hotel Wi-Fi: log in</title></head></html>';
    expect(() => parseCreateSessionResponse(portal, { 'content-type': 'text/html' })).toThrow(
      `the response body is not JSON: the answer is not Roles Anywhere's (Content-Type text/html): ${portal}`,
    );
    const cut = JSON.stringify(body).slice(0, -10);
    // Cut short, the service's answer is most likely what it is (review: not "not Roles Anywhere's").
    expect(() => parseCreateSessionResponse(cut, { 'content-type': 'application/json' })).toThrow(
      new Error('the response body is not JSON (Content-Type application/json: cut short?)'),
    );
    expect(() => parseCreateSessionResponse(cut)).toThrow(new Error('the response body is not JSON'));
    // Cut short and mislabelled: its headers, not its text.
    expect(() => parseCreateSessionResponse(cut, { 'content-type': 'text/plain' })).toThrow(
      new Error("the response body is not JSON: the answer is not Roles Anywhere's (Content-Type text/plain)"),
    );
  });

  it('says a compressed answer is one, which the request did not ask for, rather than "cut short?" (QA: Content-Encoding gzip)', () => {
    const gzipped = '\u001f\ufffd\b\u0000\u0000\u0000\u0000\u0000';
    expect(() => parseCreateSessionResponse(gzipped, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toThrow(
      new Error('the response body is not JSON: it is encoded (Content-Encoding gzip), which the request did not ask for'),
    );
    expect(() => parseCreateSessionResponse('{"credentialSet":', { 'content-type': 'application/json', 'content-encoding': 'identity' })).toThrow(
      new Error('the response body is not JSON (Content-Type application/json: cut short?)'),
    );
  });

  it('redacts the secret key and session token for --debug, and hides bodies that are not JSON', () => {
    const redacted = redactResponseBody(JSON.stringify(body));
    expect(redacted).toContain('ASIA1');
    expect(redacted).not.toContain('SECRET');
    expect(redacted).not.toContain('TOKEN');
    expect(redactResponseBody('secret=abc')).toBe('<10 bytes, not JSON>');
  });

  it('redacts a secret field whatever its value is: an object, an array, a number (QA: a malformed answer showed the secret inside an object)', () => {
    for (const value of [{ v: 'SECRETNESTED' }, ['SECRETINARRAY'], 12345678901234]) {
      const redacted = redactResponseBody(JSON.stringify({ credentialSet: [{ credentials: { accessKeyId: 'ASIA1', secretAccessKey: value, SessionToken: value } }] }));
      expect(redacted).toBe('{"credentialSet":[{"credentials":{"accessKeyId":"ASIA1","secretAccessKey":"<redacted>","SessionToken":"<redacted>"}}]}');
    }
  });

  it('hides, rather than fails on, a body nested deeper than it can redact (fuzzing QA: --debug made a good answer an internal error)', () => {
    const deep = JSON.stringify(body).replace(/}$/, `,"extra":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect(parseCreateSessionResponse(deep).accessKeyId).toBe('ASIA1');
    expect(redactResponseBody(deep)).toBe(`<${deep.length} bytes, too deeply nested to show>`);
  });
});
