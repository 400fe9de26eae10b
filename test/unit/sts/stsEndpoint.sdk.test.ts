import { createRequire } from 'node:module';
import { STSClient } from '@aws-sdk/client-sts';
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { customEndpointFunctions, resolveEndpoint as resolveByRuleSet } from '@smithy/core/endpoints';
import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../../src/session/endpoint.js';
import { resolveStsEndpoint } from '../../../src/sts/stsEndpoint.js';

// The installed Roles Anywhere client is old (its partitions lack aws-iso-f and aws-eusc): its rules are
// evaluated here with the partitions of @aws-sdk/core, which the STS client uses.
const { ruleSet: rolesAnywhereRuleSet } = createRequire(import.meta.url)('@aws-sdk/client-rolesanywhere/dist-cjs/endpoint/ruleset.js') as {
  ruleSet: Parameters<typeof resolveByRuleSet>[0];
};
customEndpointFunctions.aws = awsEndpointFunctions;

const REGIONS = [
  'us-east-1', 'eu-west-1', 'mx-central-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1',
  'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1',
];
const CASES = REGIONS.flatMap((region) => [false, true].flatMap((fips) => [false, true].map((dualStack) => [region, fips, dualStack] as const)));

/** The SDK's URL, or `refused` where its rules refuse the combination. */
function sdkUrl(resolve: () => { url: URL }): string {
  try {
    return resolve().url.href;
  } catch {
    return 'refused';
  }
}

describe('endpoints as the AWS SDK for JavaScript v3 resolves them, Region × FIPS × dual-stack', () => {
  const sts = new STSClient({ region: 'us-east-1' });

  it.each(CASES)('STS in %s, FIPS %s, dual-stack %s', (region, fips, dualStack) => {
    const sdk = sdkUrl(() => sts.config.endpointProvider({ Region: region, UseFIPS: fips, UseDualStack: dualStack, UseGlobalEndpoint: false }));
    const ours = sdkUrl(() => resolveStsEndpoint(undefined, region, {}, { useFipsEndpoint: fips, useDualstackEndpoint: dualStack }));
    expect(ours).toBe(sdk);
  });

  it.each(CASES)('Roles Anywhere in %s, FIPS %s, dual-stack %s', (region, fips, dualStack) => {
    const sdk = sdkUrl(() => resolveByRuleSet(rolesAnywhereRuleSet, { endpointParams: { Region: region, UseFIPS: fips, UseDualStack: dualStack } }));
    const ours = sdkUrl(() => resolveEndpoint({ region, env: {}, useFipsEndpoint: fips, useDualstackEndpoint: dualStack }));
    expect(ours).toBe(sdk);
  });

  it('GovCloud STS with FIPS from the variable or a fips region, as the SDKs: the plain host, signed for the plain region', () => {
    expect(resolveStsEndpoint(undefined, 'us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' }).url.href).toBe('https://sts.us-gov-west-1.amazonaws.com/');
    const fromRegion = resolveStsEndpoint(undefined, 'us-gov-east-1', {}, { fipsChosenBy: 'the region us-gov-east-1-fips' });
    expect({ url: fromRegion.url.href, signingRegion: fromRegion.signingRegion }).toEqual({ url: 'https://sts.us-gov-east-1.amazonaws.com/', signingRegion: 'us-gov-east-1' });
  });
});
