import { describe, expect, it } from 'vitest';
import { noteSources } from '../../../src/context.js';
import { resolveFallbackSession, type FallbackInputs } from '../../../src/session/fallbacks.js';
import { resolveSessionConfig } from '../../../src/session/sessionConfig.js';
import { refusalOf } from '../../support/refusal.js';

const INPUTS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/east',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/east',
  roleArn: 'arn:aws:iam::123456789012:role/workload',
  durationSeconds: 1800,
  endpoint: 'http://127.0.0.1:1',
};
const WEST = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west',
  profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/west',
};
const ENV = { AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://127.0.0.1:2' };
const primary = resolveSessionConfig(INPUTS, ENV);
const resolve = (fallback: FallbackInputs) => resolveFallbackSession(fallback, 2, INPUTS, primary, ENV);
const refusal = (fallback: FallbackInputs) => refusalOf(() => resolve(fallback));

describe('a fallback\'s CreateSession', () => {
  it('is the primary\'s request with the fallback\'s trust anchor and profile, in their Region, at the Region\'s own endpoint', () => {
    expect(resolve(WEST)).toEqual({
      ...primary,
      ...WEST,
      signingRegion: 'us-west-2',
      // Neither the primary's --endpoint nor AWS_ENDPOINT_URL_ROLESANYWHERE: those are the primary's.
      endpoint: new URL('https://rolesanywhere.us-west-2.amazonaws.com'),
    });
    expect(resolve({ ...WEST, endpoint: 'http://127.0.0.1:3' }).endpoint.href).toBe('http://127.0.0.1:3/');
  });

  it('is in its own Region even when the primary was given --region (mutation QA)', () => {
    const inputs = { ...INPUTS, region: 'us-east-2' };
    const fallback = resolveFallbackSession(WEST, 2, inputs, resolveSessionConfig(inputs, ENV), ENV);
    expect([fallback.signingRegion, fallback.endpoint.href]).toEqual(['us-west-2', 'https://rolesanywhere.us-west-2.amazonaws.com/']);
  });

  it('is refused, naming the fallback, without its trust anchor or profile, with a bad ARN, or in another partition', () => {
    expect(refusal({ trustAnchorArn: WEST.trustAnchorArn })).toBe('invalid --fallback #2: it needs a profile ARN');
    expect(refusal({})).toBe('invalid --fallback #2: it needs a trust anchor ARN and a profile ARN');
    expect(refusal({ ...WEST, profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/eu' })).toBe(
      'invalid --fallback #2: trust anchor and profile regions don\'t match: the trust anchor is in "us-west-2", the profile in "eu-west-1"',
    );
    expect(refusal({ ...WEST, trustAnchorArn: 'west' })).toBe('invalid --fallback #2: failed to parse trust anchor arn "west": arn: invalid prefix');
    expect(
      refusal({ trustAnchorArn: 'arn:aws-us-gov:rolesanywhere:us-gov-west-1:123456789012:trust-anchor/g', profileArn: 'arn:aws-us-gov:rolesanywhere:us-gov-west-1:123456789012:profile/g' }),
    ).toBe(
      "invalid --fallback #2: its trust anchor is in the aws-us-gov partition, the primary's in aws (the role, arn:aws:iam::123456789012:role/workload, is the same in every Region, so fallbacks stay in its partition)",
    );
  });

  it('names a shared config setting that is its mistake by the setting, as the primary does (review: the copy of the environment made for it named AWS_USE_DUALSTACK_ENDPOINT, not set)', () => {
    const setting = 'use_dualstack_endpoint in profile dev of /home/u/.aws/config';
    const env = noteSources({ AWS_USE_DUALSTACK_ENDPOINT: 'true' }, new Map([['AWS_USE_DUALSTACK_ENDPOINT', setting]]));
    // The primary at its Region's own (dual-stack) endpoint; the fallback at its own.
    const inputs = { ...INPUTS, endpoint: undefined };
    const fallback = () => resolveFallbackSession({ ...WEST, endpoint: 'http://127.0.0.1:3' }, 2, inputs, resolveSessionConfig(inputs, env), env);
    expect(refusalOf(fallback)).toBe(`dual-stack (${setting}) and a custom endpoint (--fallback #2: endpoint) cannot be used together`);
  });
});
