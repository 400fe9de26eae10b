import { describe, expect, it } from 'vitest';
import { noteSources, type Env } from '../../../src/context.js';
import { isDirect, resolveCredentialRoute, type RouteInputs } from '../../../src/credentials/credentialRoute.js';
import { resolveSessionConfig } from '../../../src/session/sessionConfig.js';
import { refusalOf } from '../../support/refusal.js';

const INPUTS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/east',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/east',
  roleArn: 'arn:aws:iam::123456789012:role/workload',
};
const WEST = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west',
  profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/west',
};
const DEPLOY = 'arn:aws:iam::210987654321:role/deploy';
const route = (inputs: RouteInputs, env: Env = {}) => resolveCredentialRoute({ ...INPUTS, ...inputs }, resolveSessionConfig(INPUTS, env), env);
const refusal = (inputs: RouteInputs) => refusalOf(() => route(inputs));

describe('the credential route', () => {
  it('is direct with neither fallbacks nor chaining: the primary Region and its role', () => {
    const direct = route({ fallbacks: [] });
    expect(isDirect(direct)).toBe(true);
    expect(direct.regions.map((region) => [region.name, region.sts])).toEqual([['us-east-1 (primary)', undefined]]);
    expect(direct.assumeRole).toBeUndefined();
  });

  it('with chaining, hands out the chained role\'s credentials, each Region with its own STS', () => {
    const chained = route({ assumeRoleArn: DEPLOY, fallbacks: [WEST, { ...WEST, stsEndpoint: 'http://127.0.0.1:9' }] }, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:8' });
    expect(isDirect(chained)).toBe(false);
    expect(chained.assumeRole?.roleArn).toBe(DEPLOY);
    expect(chained.regions.map((region) => [region.name, region.sts?.url.href, region.sts?.signingRegion])).toEqual([
      ['us-east-1 (primary)', 'http://127.0.0.1:8/', 'us-east-1'],
      // AWS_ENDPOINT_URL_STS is the primary's, as --sts-endpoint is: a fallback's STS is its Region's or its own.
      ['us-west-2 (fallback 1)', 'https://sts.us-west-2.amazonaws.com/', 'us-west-2'],
      ['us-west-2 (fallback 2)', 'http://127.0.0.1:9/', 'us-west-2'],
    ]);
  });

  it('takes FIPS chosen by the region\'s name to STS and to the fallback Regions, whose names carry no marker', () => {
    for (const region of ['us-east-1-fips', 'fips-us-east-1']) {
      const inputs = { ...INPUTS, region };
      const fips = resolveCredentialRoute({ ...inputs, assumeRoleArn: DEPLOY, fallbacks: [WEST] }, resolveSessionConfig(inputs, {}), {});
      expect(fips.regions.map((r) => [r.name, r.session.endpoint.href, r.sts?.url.href, r.sts?.signingRegion])).toEqual([
        ['us-east-1 (primary)', 'https://rolesanywhere-fips.us-east-1.amazonaws.com/', 'https://sts-fips.us-east-1.amazonaws.com/', 'us-east-1'],
        ['us-west-2 (fallback 1)', 'https://rolesanywhere-fips.us-west-2.amazonaws.com/', 'https://sts-fips.us-west-2.amazonaws.com/', 'us-west-2'],
      ]);
      // A custom endpoint cannot be FIPS, whatever chose it: as with --use-fips-endpoint, said rather than dropped.
      expect(refusalOf(() => resolveCredentialRoute({ ...inputs, fallbacks: [{ ...WEST, endpoint: 'http://127.0.0.1:9' }] }, resolveSessionConfig(inputs, {}), {}))).toBe(
        `FIPS (the region ${region}) and a custom endpoint (--fallback #1: endpoint) cannot be used together`,
      );
    }
  });

  it('names a fallback\'s endpoints as its parts (the library: fallbacks[1].stsEndpoint), not as the flags of the same names', () => {
    const fallbacks = [WEST, { ...WEST, stsEndpoint: 'ftp://x' }];
    expect(refusal({ assumeRoleArn: DEPLOY, stsEndpoint: 'http://127.0.0.1:8', fallbacks })).toBe('invalid --fallback #2: sts-endpoint "ftp://x": the scheme must be https or http');
    expect(() => route({ assumeRoleArn: DEPLOY, fallbacks })).toThrow(/^invalid fallbacks\[1\]\.stsEndpoint "ftp:\/\/x": the scheme must be https or http$/);
    expect(refusal({ fallbacks: [{ ...WEST, endpoint: 'ftp://x' }] })).toBe('invalid --fallback #1: endpoint "ftp://x": the scheme must be https or http');
    expect(refusal({ fallbacks: [{ ...WEST, endpoint: 'not a url' }] })).toBe(
      'invalid --fallback #1: endpoint "not a url": not a URL (e.g. https://rolesanywhere.us-east-1.amazonaws.com)',
    );
    const fips = { ...INPUTS, useFipsEndpoint: true };
    const fipsRefusal = (fallback: object) =>
      refusalOf(() => resolveCredentialRoute({ ...fips, assumeRoleArn: DEPLOY, fallbacks: [fallback] }, resolveSessionConfig(fips, {}), {}));
    expect(fipsRefusal({ ...WEST, endpoint: 'https://west.example' })).toBe('FIPS (--use-fips-endpoint) and a custom endpoint (--fallback #1: endpoint) cannot be used together');
    expect(fipsRefusal({ ...WEST, stsEndpoint: 'https://sts.example' })).toBe('FIPS (--use-fips-endpoint) and a custom endpoint (--fallback #1: sts-endpoint) cannot be used together');
    // The fallback's other mistakes are still the fallback's, said once.
    expect(() => route({ fallbacks: [{ ...WEST, profileArn: 'p' }] })).toThrow(/^invalid fallbacks\[0\]: failed to parse profile arn "p"/);
  });

  it('refuses a fallback that asks what the primary or an earlier fallback asks: it could only fail as that does', () => {
    const same = (earlier: string) => `the same trust anchor, profile and endpoints as ${earlier}, so it could only fail as that does`;
    expect(refusal({ fallbacks: [INPUTS] })).toBe(
      `invalid --fallback #1: it names ${same('us-east-1 (primary)')}: give another Region's trust anchor and profile, or another endpoint`,
    );
    expect(refusal({ fallbacks: [WEST, { ...WEST, endpoint: 'https://rolesanywhere.us-west-2.amazonaws.com' }] })).toContain(`invalid --fallback #2: it names ${same('us-west-2 (fallback 1)')}`);
    expect(refusal({ assumeRoleArn: DEPLOY, fallbacks: [WEST, WEST] })).toContain(`invalid --fallback #2: it names ${same('us-west-2 (fallback 1)')}`);
    // Another endpoint, or another STS to chain with, may answer where the other does not.
    expect(route({ fallbacks: [{ ...INPUTS, endpoint: 'https://vpce.example' }] }).regions).toHaveLength(2);
    expect(route({ assumeRoleArn: DEPLOY, fallbacks: [WEST, { ...WEST, stsEndpoint: 'http://127.0.0.1:9' }] }).regions).toHaveLength(3);
  });

  it('refuses an STS endpoint without a role to chain into', () => {
    expect(refusal({ stsEndpoint: 'http://127.0.0.1:8' })).toBe('--sts-endpoint needs --assume-role-arn: STS is called only to chain into a role');
    expect(refusal({ fallbacks: [{ ...WEST, stsEndpoint: 'http://127.0.0.1:9' }] })).toBe(
      'the STS endpoint of --fallback needs --assume-role-arn: STS is called only to chain into a role',
    );
  });

  it("names a shared config setting by the setting in a fallback's STS too (review: its copy of the environment named AWS_USE_DUALSTACK_ENDPOINT, not set)", () => {
    const setting = 'use_dualstack_endpoint in profile dev of /home/u/.aws/config';
    const env = noteSources({ AWS_USE_DUALSTACK_ENDPOINT: 'true' }, new Map([['AWS_USE_DUALSTACK_ENDPOINT', setting]]));
    expect(refusalOf(() => route({ assumeRoleArn: DEPLOY, fallbacks: [{ ...WEST, stsEndpoint: 'http://127.0.0.1:9' }] }, env))).toBe(
      `dual-stack (${setting}) and a custom endpoint (--fallback #1: sts-endpoint) cannot be used together`,
    );
  });
});
