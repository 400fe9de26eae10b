import { withVariables, type Env } from '../context.js';
import { HelperError, reasonOf } from '../errors.js';
import { optionElement } from '../optionNames.js';
import { parseArn } from './arn.js';
import { resolveSessionConfig, type SessionConfig, type SessionInputs } from './sessionConfig.js';

/** A Region to try when those before it cannot issue credentials: its trust anchor and profile, and how to reach it. */
export interface FallbackInputs {
  readonly trustAnchorArn?: string | undefined;
  readonly profileArn?: string | undefined;
  /** Its Roles Anywhere endpoint (default: its Region's). */
  readonly endpoint?: string | undefined;
  /** Its STS endpoint, for role chaining (default: its Region's). */
  readonly stsEndpoint?: string | undefined;
}

/**
 * The CreateSession request of the `n`th fallback (from 1): the primary's, with the fallback's trust
 * anchor, profile and endpoint. The role is global and stays the same, so the fallback must be in the
 * primary's partition. The endpoint is the fallback's own or its Region's: AWS_ENDPOINT_URL_ROLESANYWHERE
 * and AWS_ENDPOINT_URL name the primary's, and sending the fallback there would try the same place twice.
 * FIPS is as the primary's, also when the primary's region name chose it (`us-east-1-fips`).
 */
export function resolveFallbackSession(fallback: FallbackInputs, n: number, inputs: SessionInputs, primary: SessionConfig, env: Env): SessionConfig {
  const invalid = (reason: string) => new HelperError(`invalid ${optionElement('fallbacks', n - 1)}: ${reason}`);
  const endpointName = optionElement('fallbacks', n - 1, 'endpoint');
  const missing = [fallback.trustAnchorArn ? '' : 'a trust anchor ARN', fallback.profileArn ? '' : 'a profile ARN'].filter(Boolean);
  if (missing.length) throw invalid(`it needs ${missing.join(' and ')}`);
  // Not taken as not given: requests meant for a private endpoint would go to the public one without a word.
  for (const part of ['endpoint', 'stsEndpoint'] as const) {
    if (fallback[part] === '') throw new HelperError(`invalid ${optionElement('fallbacks', n - 1, part)} "": it is empty (leave it out for its Region's own)`);
  }
  // Said before the session's own checks, which would call it the role's partition mismatch.
  const partition = partitionOfArn(fallback.trustAnchorArn!);
  const primaryPartition = parseArn(primary.trustAnchorArn).partition;
  if (partition !== undefined && partition !== primaryPartition) {
    throw invalid(
      `its trust anchor is in the ${partition} partition, the primary's in ${primaryPartition} (the role, ${primary.roleArn}, ` +
        'is the same in every Region, so fallbacks stay in its partition)',
    );
  }
  let config: SessionConfig;
  try {
    config = resolveSessionConfig(
      { ...inputs, trustAnchorArn: fallback.trustAnchorArn, profileArn: fallback.profileArn, endpoint: fallback.endpoint, region: undefined },
      withVariables(env, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }),
      { fipsChosenBy: primary.fipsChosenBy, endpointName },
    );
  } catch (error) {
    // A message about its endpoint names the fallback already.
    throw reasonOf(error).includes(endpointName) ? error : invalid(reasonOf(error));
  }
  return config;
}

/** The partition of an ARN, or undefined where it is no ARN (which the session's checks then say). */
function partitionOfArn(arn: string): string | undefined {
  try {
    return parseArn(arn).partition;
  } catch {
    return undefined;
  }
}
