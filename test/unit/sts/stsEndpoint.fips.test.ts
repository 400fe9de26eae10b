import { describe, expect, it } from 'vitest';
import { resolveStsEndpoint } from '../../../src/sts/stsEndpoint.js';

describe('STS endpoints with the FIPS and dual-stack options', () => {
  it('follow the options, as Roles Anywhere\'s do', () => {
    expect(resolveStsEndpoint(undefined, 'us-east-1', {}, { useFipsEndpoint: true }).url.host).toBe('sts-fips.us-east-1.amazonaws.com');
    expect(resolveStsEndpoint(undefined, 'us-east-1', {}, { useDualstackEndpoint: true }).url.host).toBe('sts.us-east-1.api.aws');
    expect(resolveStsEndpoint(undefined, 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, { useFipsEndpoint: false }).url.host).toBe('sts.us-east-1.amazonaws.com');
  });
});
