import { describe, expect, it } from 'vitest';
import { ExpectedToken, tokenProblem } from '../../../../src/outputs/ecs/expectedToken.js';

describe('ExpectedToken', () => {
  it('matches the token only, whatever the lengths', () => {
    const expected = new ExpectedToken('s3cret-token');
    expect(expected.matches('s3cret-token')).toBe(true);
    for (const other of ['', 's3cret-toke', 's3cret-tokenn', 'S3cret-token', 's3cret-token\n']) expect(expected.matches(other), other).toBe(false);
  });
});

describe('tokenProblem', () => {
  it('accepts what every SDK sends as it is', () => {
    expect(tokenProblem('abc-DEF_123.~+/=')).toBeUndefined();
    expect(tokenProblem('with inner space')).toBeUndefined();
    expect(tokenProblem('x'.repeat(8192))).toBeUndefined(); // the longest (mutation sweep: refusing it passed)
  });

  it.each([
    ['', 'it is empty'],
    ['x'.repeat(8193), 'it is longer than 8192 characters'],
    ['token\n', `it ends with a newline, which botocore (boto3, the AWS CLI) refuses as "not a legal header value" and the AWS SDK for JavaScript cannot send; write the token without one (printf '%s' "$TOKEN" > FILE)`],
    ['token\r\n', /^it ends with a newline/],
    ['to\nken', /^it holds a line break, which botocore/],
    ['to\rken', /^it holds a line break, which botocore/], // mutation sweep: a CR alone went unseen
    ['token\r', /^it ends with a carriage return, which botocore/],
    // QA: the example is the character's kind, not a tab where there is none.
    ['tökén', 'it holds a character other than printable ASCII (one beyond ASCII), which an HTTP header does not carry as it is'],
    ['a\x01b', 'it holds a character other than printable ASCII (a control character), which an HTTP header does not carry as it is'],
    ['a\x7fb', 'it holds a character other than printable ASCII (a control character), which an HTTP header does not carry as it is'], // DEL (mutation sweep)
    ['a\tb', 'it holds a character other than printable ASCII (a tab), which an HTTP header does not carry as it is'],
    [' token', 'it starts or ends with a space, which HTTP drops from a header value'],
    ['token ', 'it starts or ends with a space, which HTTP drops from a header value'],
  ])('refuses %j', (token, problem) => {
    if (typeof problem === 'string') expect(tokenProblem(token)).toBe(problem);
    else expect(tokenProblem(token)).toMatch(problem);
  });
});
