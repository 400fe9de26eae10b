import { variableSource, type Env } from '../context.js';
import { HelperError } from '../errors.js';
import { ArnSyntaxError, parseArn, type Arn } from './arn.js';
import { resolveEndpoint, type EndpointInputs } from './endpoint.js';
import { invalidRegion, isRegion } from './partitions.js';
import { MAX_ROLE_ARN, roleArnProblem } from './roleArn.js';
import { option, type OptionName } from '../optionNames.js';
import { DEFAULT_SESSION_DURATION, MAX_SESSION_DURATION, MIN_SESSION_DURATION } from './sessionDurations.js';

/** What the caller asked for, as given (flags, or the library's options). */
export interface SessionInputs {
  readonly trustAnchorArn?: string | undefined;
  readonly profileArn?: string | undefined;
  readonly roleArn?: string | undefined;
  readonly durationSeconds?: number | undefined;
  readonly roleSessionName?: string | undefined;
  readonly region?: string | undefined;
  /** The region when neither `region` nor the trust anchor's ARN gives one, before AWS_REGION (the library: the calling SDK client's). */
  readonly fallbackRegion?: string | undefined;
  readonly endpoint?: string | undefined;
  /** undefined: AWS_USE_FIPS_ENDPOINT decides. */
  readonly useFipsEndpoint?: boolean | undefined;
  /** undefined: AWS_USE_DUALSTACK_ENDPOINT decides. */
  readonly useDualstackEndpoint?: boolean | undefined;
}

/** A checked CreateSession request: every value is one the service can accept. */
export interface SessionConfig {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly roleArn: string;
  readonly durationSeconds: number;
  readonly roleSessionName: string | undefined;
  readonly signingRegion: string;
  readonly endpoint: URL;
  /** What chose the FIPS endpoint (the region's name, the option or the variable); STS and fallback Regions follow it. */
  readonly fipsChosenBy: string | undefined;
}

const REQUIRED_ARNS = [
  ['trustAnchorArn', 'trust anchor'],
  ['profileArn', 'profile'],
  ['roleArn', 'role'],
] as const;

/** STS's rule for role session names, which CreateSession's follow. */
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * For a fallback Region's request: `fipsChosenBy`, the primary's choice of FIPS, which it follows (see
 * resolveEndpoint), and `endpointName`, its endpoint's name in messages.
 */
export function resolveSessionConfig(inputs: SessionInputs, env: Env, fallback: Pick<EndpointInputs, 'fipsChosenBy' | 'endpointName'> = {}): SessionConfig {
  const missing = REQUIRED_ARNS.filter(([name]) => !inputs[name]);
  if (missing.length > 1) {
    // All of them at once, rather than one a run.
    const names = missing.map(([, what]) => what);
    throw new HelperError(
      `no ${names.slice(0, -1).join(', ')} or ${names.at(-1)} ARN given: use ${missing.map(([name]) => option(name)).slice(0, -1).join(', ')} ` +
        `and ${option(missing.at(-1)![0])}`,
    );
  }
  const trustAnchor = requireArn(inputs.trustAnchorArn, 'trust anchor', 'trustAnchorArn', 'rolesanywhere', 'trust-anchor/');
  const profile = requireArn(inputs.profileArn, 'profile', 'profileArn', 'rolesanywhere', 'profile/');
  const role = requireArn(inputs.roleArn, 'role', 'roleArn', 'iam', 'role/');
  if (trustAnchor.region !== profile.region) {
    throw new HelperError(
      `trust anchor and profile regions don't match: the trust anchor is in "${trustAnchor.region}", ` +
        `the profile in "${profile.region}"`,
    );
  }
  if (trustAnchor.partition !== profile.partition) {
    throw new HelperError(
      `trust anchor and profile partitions don't match: "${trustAnchor.partition}" and "${profile.partition}"`,
    );
  }

  if (role.partition !== trustAnchor.partition) {
    throw new HelperError(
      `trust anchor and role partitions don't match: "${trustAnchor.partition}" and "${role.partition}" (Roles Anywhere issues credentials ` +
        `for roles in its trust anchor's partition only)`,
    );
  }

  const durationSeconds = checkedDuration(inputs.durationSeconds);
  const roleSessionName = checkedRoleSessionName(inputs.roleSessionName, 'roleSessionName');

  const region = inputs.region || trustAnchor.region || inputs.fallbackRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new HelperError(`no region: give ${option('region')}, use a trust anchor ARN with a region, or set AWS_REGION`);
  }
  const resolved = resolveEndpoint({
    endpoint: inputs.endpoint,
    region,
    // Named by where it came from, as an endpoint is (the trust anchor's was checked with its ARN).
    regionName: regionSource(inputs, env),
    useFipsEndpoint: inputs.useFipsEndpoint,
    useDualstackEndpoint: inputs.useDualstackEndpoint,
    ...fallback,
    env,
  });
  return {
    trustAnchorArn: inputs.trustAnchorArn!,
    profileArn: inputs.profileArn!,
    roleArn: inputs.roleArn!,
    durationSeconds,
    roleSessionName,
    signingRegion: resolved.signingRegion,
    endpoint: resolved.url,
    fipsChosenBy: resolved.fipsChosenBy,
  };
}

/** What gave the region when the trust anchor's ARN gives none: the option, the calling client, or a variable (or the shared config setting that filled it in). */
function regionSource(inputs: SessionInputs, env: Env): string {
  if (inputs.region) return option('region');
  if (inputs.fallbackRegion) return 'region of the calling client';
  return variableSource(env, env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION');
}

/** The session's duration (default 3600 s), or the HelperError saying why it cannot be asked for. */
export function checkedDuration(given: number | undefined): number {
  const durationSeconds = given ?? DEFAULT_SESSION_DURATION;
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_SESSION_DURATION || durationSeconds > MAX_SESSION_DURATION) {
    throw new HelperError(
      `invalid ${option('durationSeconds')} ${durationSeconds}: it must be a whole number of seconds between ${MIN_SESSION_DURATION} and ` +
        `${MAX_SESSION_DURATION}`,
    );
  }
  return durationSeconds;
}

/** A role session name as given (undefined when empty), checked against STS's rule; a HelperError naming the option otherwise. */
export function checkedRoleSessionName(value: string | undefined, name: OptionName): string | undefined {
  const roleSessionName = value || undefined;
  if (roleSessionName !== undefined && !ROLE_SESSION_NAME.test(roleSessionName)) {
    throw new HelperError(`invalid ${option(name)} ${JSON.stringify(roleSessionName)}: it must be 2 to 64 characters from ASCII letters, digits and +=,.@_-`);
  }
  return roleSessionName;
}

/**
 * A note for a value that is a variable's name as written (`$TRUST_ANCHOR_ARN`, `${…}`, Kubernetes' `$(…)`):
 * no shell expanded it, as none runs a Dockerfile's exec-form `CMD [...]` or a pod's command and args, and
 * Kubernetes expands `$(NAME)` only for a variable of the container's env (QA: a Dockerfile did so).
 */
function unexpandedVariable(value: string): string {
  if (!/^\$(\w+|\{\w+\}|\(\w+\))$/.test(value)) return '';
  return (
    " (a variable's name, left as written: no shell runs a Dockerfile's exec-form CMD or a pod's command, and Kubernetes " +
    "expands $(NAME) only from the container's env)"
  );
}

/**
 * The ARN, checked to be of the kind named (service and resource type), and a role ARN to be one IAM could
 * have made (roleArn.ts); a HelperError naming the option otherwise.
 */
export function requireArn(value: string | undefined, what: string, name: OptionName, service: string, resourcePrefix: string): Arn {
  if (!value) throw new HelperError(`no ${what} ARN given: use ${option(name)}`);
  // Quoted as JSON, so that a line break shows as \n rather than ending the message's line.
  if (hasSpaceOrControl(value)) throw new HelperError(`invalid ${option(name)} ${JSON.stringify(value)}: ARNs hold no whitespace or control characters`);
  let arn: Arn;
  try {
    arn = parseArn(value);
  } catch (error) {
    if (error instanceof ArnSyntaxError) throw new HelperError(`failed to parse ${what} arn "${value}": ${error.message}${unexpandedVariable(value)}`);
    throw error;
  }
  if (arn.region && !isRegion(arn.region)) throw new HelperError(`failed to parse ${what} arn "${value}": ${invalidRegion(arn.region)}`);
  // An empty name (`role/`, or `role/path/` with a path) names nothing: serve would have no role to answer for.
  if (arn.service === service && arn.resource.startsWith(resourcePrefix) && arn.resource.endsWith('/')) {
    throw new HelperError(`failed to parse ${what} arn "${value}": it names no ${what} (it ends with "/", where the name goes)`);
  }
  if (arn.service !== service || !arn.resource.startsWith(resourcePrefix)) {
    throw new HelperError(
      `failed to parse ${what} arn "${value}": not a ${what} ARN ` +
        `(expected arn:<partition>:${service}:${service === 'iam' ? '' : '<region>'}:<account>:${resourcePrefix}<id>)`,
    );
  }
  if (service === 'iam') {
    // Not quoted: a message would echo it whole, as STS does.
    if (value.length > MAX_ROLE_ARN) throw new HelperError(`invalid ${option(name)}: it is ${value.length} characters long, and a role ARN at most ${MAX_ROLE_ARN}`);
    const problem = roleArnProblem(arn);
    if (problem) throw new HelperError(`invalid ${option(name)} ${JSON.stringify(value)}: ${problem}`);
  }
  return arn;
}

/**
 * Whether text holds whitespace or a control character (a space or line break pasted with an ARN). Printable
 * ASCII, all that an ARN holds, is passed over without a regular expression: this runs at every start.
 */
function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code <= 0x20 || code >= 0x7f) && /[\s\x00-\x1f\x7f-\x9f]/.test(text[i]!)) return true;
  }
  return false;
}
