import { describe, expect, it } from 'vitest';
import { parseArn } from '../../../src/session/arn.js';

describe('parseArn', () => {
  it('splits the six sections, keeping colons in the resource', () => {
    expect(parseArn('arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/abc')).toEqual({
      partition: 'aws', service: 'rolesanywhere', region: 'us-east-1', accountId: '123456789012', resource: 'trust-anchor/abc',
    });
    expect(parseArn('arn:aws-cn:iam::123:role/a:b').resource).toBe('role/a:b');
  });

  it.each([
    ['role/x', 'arn: invalid prefix'],
    ['', 'arn: invalid prefix'],
    ['arn:aws:iam::123', 'arn: not enough sections'],
  ])('rejects %j: %s', (text, message) => {
    expect(() => parseArn(text)).toThrow(message);
  });
});
