import type { Env } from '../context.js';
import { resolveEndpoint, type EndpointInputs, type EndpointService, type ResolvedEndpoint } from '../session/endpoint.js';

/**
 * STS's endpoints: `https://sts[-fips].<region>.<partition suffix>`, or AWS_ENDPOINT_URL_STS. In GovCloud
 * the SDKs' STS rules give FIPS without dual-stack as the plain `sts.<region>.amazonaws.com` (the endpoint
 * there is FIPS already), and `sts-fips.` only with dual-stack.
 */
const STS: EndpointService = { hostPrefix: 'sts', envVariable: 'AWS_ENDPOINT_URL_STS', option: 'stsEndpoint', fipsIsPlainIn: ['aws-us-gov'] };

/**
 * Where AssumeRole goes for credentials issued in `region`: the endpoint given, else AWS_ENDPOINT_URL_STS,
 * else AWS_ENDPOINT_URL (both ignored with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else the Region's own
 * STS. Regional rather than the global `sts.amazonaws.com`: it answers in the Region that issued the
 * credentials, so a Region fallback does not lean on us-east-1. FIPS and dual-stack as for Roles Anywhere,
 * FIPS as the Region's CreateSession chose it (`fipsChosenBy`), also by the region's name.
 */
export function resolveStsEndpoint(
  stsEndpoint: string | undefined,
  region: string,
  env: Env,
  variants: Pick<EndpointInputs, 'useFipsEndpoint' | 'useDualstackEndpoint' | 'fipsChosenBy' | 'endpointName'> = {},
): ResolvedEndpoint {
  const { useFipsEndpoint, useDualstackEndpoint, fipsChosenBy, endpointName } = variants;
  return resolveEndpoint({ endpoint: stsEndpoint, region, env, service: STS, useFipsEndpoint, useDualstackEndpoint, fipsChosenBy, endpointName });
}
