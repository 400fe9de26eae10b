import { describe, expect, it } from 'vitest';
import { chainedSessionName } from '../../../src/sts/roleSessionName.js';

const source = (roleSessionName: string | undefined) => ({
  accessKeyId: 'a',
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date(0),
  expirationText: '',
  roleSessionName,
});

describe('the chained session\'s default name', () => {
  it('is the Roles Anywhere session\'s, kept to what STS accepts', () => {
    expect(chainedSessionName(source('5f2c8a0e91b7d3c4'))).toBe('5f2c8a0e91b7d3c4');
    expect(chainedSessionName(source('a name/with*odd'))).toBe('a-name-with-odd');
    expect(chainedSessionName(source('x'.repeat(80)))).toBe('x'.repeat(64));
  });

  it('is roles-anywhere-<ms> when the service named none', () => {
    expect(chainedSessionName(source(undefined), () => 1234)).toBe('roles-anywhere-1234');
    expect(chainedSessionName(source('x'), () => 1234)).toBe('roles-anywhere-1234');
    // Two characters, the fewest STS takes, are a name (mutation QA).
    expect(chainedSessionName(source('0a'), () => 1234)).toBe('0a');
  });
});
