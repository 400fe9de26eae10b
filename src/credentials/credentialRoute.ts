import { withVariables, type Env } from '../context.js';
import { HelperError } from '../errors.js';
import { option, optionElement } from '../optionNames.js';
import { parseArn } from '../session/arn.js';
import type { ResolvedEndpoint } from '../session/endpoint.js';
import { resolveFallbackSession, type FallbackInputs } from '../session/fallbacks.js';
import type { SessionConfig, SessionInputs } from '../session/sessionConfig.js';
import { resolveAssumeRoleConfig, type AssumeRoleConfig, type AssumeRoleInputs } from '../sts/assumeRoleConfig.js';
import { resolveStsEndpoint } from '../sts/stsEndpoint.js';

/** Where credentials are to come from besides the primary CreateSession, as given. */
export interface RouteInputs extends AssumeRoleInputs {
  /** The primary Region's STS endpoint (default: AWS_ENDPOINT_URL_STS, else the Region's). */
  readonly stsEndpoint?: string | undefined;
  /** Regions to try, in order, when the primary cannot issue credentials. */
  readonly fallbacks?: readonly FallbackInputs[] | undefined;
}

/** One Region to ask: its CreateSession and, with role chaining, its STS. */
export interface RegionRoute {
  /** For messages: `us-east-1 (primary)`, `us-west-2 (fallback 1)`. */
  readonly name: string;
  readonly session: SessionConfig;
  readonly sts: ResolvedEndpoint | undefined;
}

/** The way to credentials: the Regions to ask in turn, and the role to chain into after CreateSession. */
export interface CredentialRoute {
  readonly regions: readonly [RegionRoute, ...RegionRoute[]];
  readonly assumeRole: AssumeRoleConfig | undefined;
}

/**
 * The route for checked session inputs, every part checked before anything is sent. Nothing here loads
 * STS code: a cache hit and a plain CreateSession pay nothing for routes they do not take.
 */
export function resolveCredentialRoute(inputs: SessionInputs & RouteInputs, primary: SessionConfig, env: Env): CredentialRoute {
  const assumeRole = resolveAssumeRoleConfig(inputs, parseArn(primary.trustAnchorArn).partition);
  const fallbacks = inputs.fallbacks ?? [];
  if (inputs.stsEndpoint === '') throw new HelperError(`invalid ${option('stsEndpoint')} "": it is empty (leave it out for STS's own in the Region)`);
  const strayStsEndpoint = inputs.stsEndpoint ? option('stsEndpoint') : fallbacks.some((f) => f.stsEndpoint) ? `the STS endpoint of ${option('fallbacks')}` : undefined;
  if (!assumeRole && strayStsEndpoint) throw new HelperError(`${strayStsEndpoint} needs ${option('assumeRoleArn')}: STS is called only to chain into a role`);

  const region = (name: string, session: SessionConfig, stsEndpoint: string | undefined, stsEnv: Env, endpointName?: string): RegionRoute => ({
    name: `${session.signingRegion} (${name})`,
    session,
    sts: assumeRole ? resolveStsEndpoint(stsEndpoint, session.signingRegion, stsEnv, { ...inputs, fipsChosenBy: session.fipsChosenBy, endpointName }) : undefined,
  });
  // As with Roles Anywhere's endpoint, the configured STS endpoint (AWS_ENDPOINT_URL_STS) is the primary's:
  // a fallback's STS is its own, so that the chained call goes to the Region that answered.
  const fallbackEnv = withVariables(env, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' });
  const regions: [RegionRoute, ...RegionRoute[]] = [region('primary', primary, inputs.stsEndpoint, env)];
  for (const [i, fallback] of fallbacks.entries()) {
    const next = region(`fallback ${i + 1}`, resolveFallbackSession(fallback, i + 1, inputs, primary, env), fallback.stsEndpoint, fallbackEnv, optionElement('fallbacks', i, 'stsEndpoint'));
    const same = regions.find((earlier) => requestOf(earlier) === requestOf(next));
    if (same) {
      throw new HelperError(
        `invalid ${optionElement('fallbacks', i)}: it names the same trust anchor, profile and endpoints as ${same.name}, so it could only fail ` +
          "as that does: give another Region's trust anchor and profile, or another endpoint",
      );
    }
    regions.push(next);
  }
  return { regions, assumeRole };
}

/** What a Region's calls are: two Regions alike would get the same answers, so the second could never help. */
function requestOf({ session, sts }: RegionRoute): string {
  return JSON.stringify([session.trustAnchorArn, session.profileArn, session.endpoint.href, sts?.url.href]);
}

/** Whether the route is a single CreateSession, which needs none of the code that chaining or fallbacks load. */
export function isDirect(route: CredentialRoute): boolean {
  return route.regions.length === 1 && !route.assumeRole;
}
