import { describe, expect, it } from 'vitest';
import { closestName } from '../../src/closestName.js';

const OPTIONS = ['roleArn', 'roleSessionName', 'assumeRoleArn', 'assumeRoleSessionName', 'assumeRoleDurationSeconds', 'stsEndpoint', 'endpoint', 'externalId'];

describe('closestName', () => {
  it.each([
    ['roleSesionName', 'roleSessionName'],
    ['externalID', 'externalId'],
    // Cut short or run on: a flag's camel case (--assume-role-duration), an SDK habit (…Url).
    ['assumeRoleDuration', 'assumeRoleDurationSeconds'],
    ['assumeRole', 'assumeRoleArn'],
    ['stsEndpointUrl', 'stsEndpoint'],
  ])('takes %s for %s', (typed, meant) => {
    expect(closestName(typed, OPTIONS, { prefixes: true })).toBe(meant);
  });

  it.each(['region', 'role', 'tags', 'x'])('suggests nothing for %s, which is near none', (typed) => {
    expect(closestName(typed, OPTIONS, { prefixes: true })).toBeUndefined();
  });

  it('takes no name cut short or run on unless asked (the CLI\'s commands follow cobra\'s rule)', () => {
    expect(closestName('stsEndpointUrl', OPTIONS)).toBeUndefined();
    expect(closestName('externalID', OPTIONS)).toBe('externalId');
  });
});
