import { variableSource, type Env } from '../context.js';
import { HelperError } from '../errors.js';
import { unreadableUrlReason, urlProblem } from '../http/urlProblem.js';
import { redactUrl } from '../log/redactUrl.js';
import { invalidRegion, isRegion, regionPartition } from './partitions.js';
import { option, type OptionName } from '../optionNames.js';

/** How a service's endpoints are named: `<hostPrefix>[-fips].<region>.<suffix>`, and what overrides them. */
export interface EndpointService {
  readonly hostPrefix: string;
  /** The service's own variable, read before AWS_ENDPOINT_URL. */
  readonly envVariable: string;
  /** The option that gives an endpoint, for messages. */
  readonly option: OptionName;
  /** Partitions whose FIPS endpoint, without dual-stack, is the plain host (STS in aws-us-gov, as the SDKs' rules have it). */
  readonly fipsIsPlainIn?: readonly string[];
}

const ROLES_ANYWHERE: EndpointService = { hostPrefix: 'rolesanywhere', envVariable: 'AWS_ENDPOINT_URL_ROLESANYWHERE', option: 'endpoint' };

export interface EndpointInputs {
  /** --endpoint */
  readonly endpoint?: string | undefined;
  /** The region the request is for (--region or the trust anchor's). */
  readonly region: string;
  /** --use-fips-endpoint; undefined: AWS_USE_FIPS_ENDPOINT decides. */
  readonly useFipsEndpoint?: boolean | undefined;
  /** --use-dualstack-endpoint; undefined: AWS_USE_DUALSTACK_ENDPOINT decides. */
  readonly useDualstackEndpoint?: boolean | undefined;
  /**
   * What chose FIPS for the request's primary endpoint (for messages), which STS and the fallback Regions
   * follow: a region name such as `us-east-1-fips` chooses it for them too, though their regions carry no
   * marker. Wins over the option and the variable.
   */
  readonly fipsChosenBy?: string | undefined;
  /** The endpoint's name in messages (default: the service's option): a fallback's names its part. */
  readonly endpointName?: string | undefined;
  /** The region's name in messages (default: `region`): where it came from, an option or a variable. */
  readonly regionName?: string | undefined;
  readonly env: Env;
  /** Default: Roles Anywhere. */
  readonly service?: EndpointService;
}

export interface ResolvedEndpoint {
  /** Base URL; the request goes to its path + `/sessions`. */
  readonly url: URL;
  /** The region in the credential scope: never carries `fips` markers. */
  readonly signingRegion: string;
  /** What chose the FIPS endpoint (the region's name, the option or the variable), for messages; undefined when nothing did. */
  readonly fipsChosenBy: string | undefined;
}

const FIPS_MARKERS = /(^fips-|-fips$)/g;

/** A region without its `fips` markers (`us-east-1-fips`, `fips-us-east-1`: us-east-1), as it is signed for. */
export function plainRegion(region: string): string {
  return region.replace(/-fips-/g, '-').replace(FIPS_MARKERS, '');
}

/**
 * Where CreateSession (or another service's request) goes. Precedence: the endpoint option (--endpoint),
 * then the service's variable (AWS_ENDPOINT_URL_ROLESANYWHERE), then AWS_ENDPOINT_URL (both ignored when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), then `https://<service>[-fips].<region>.<partition suffix or
 * dual-stack suffix>` (as the AWS SDKs' endpoint rules, `fipsIsPlainIn` included). FIPS comes from --use-fips-endpoint, else AWS_USE_FIPS_ENDPOINT, or a region such as
 * `fips-us-east-1` / `us-east-1-fips`; dual-stack from --use-dualstack-endpoint, else
 * AWS_USE_DUALSTACK_ENDPOINT. Either way the request is signed for the plain region: a `fips` marker in the
 * credential scope fails the signature (Go helper #196).
 */
export function resolveEndpoint(inputs: EndpointInputs): ResolvedEndpoint {
  const { endpoint, region, useFipsEndpoint, useDualstackEndpoint, fipsChosenBy, env, service = ROLES_ANYWHERE } = inputs;
  // The region becomes part of a host name and of the signature's scope: it must be one, whatever the endpoint.
  if (!isRegion(region)) throw new HelperError(invalidRegion(region, inputs.regionName));
  const regionHasFips = /(^fips-|-fips-|-fips$)/.test(region);
  const signingRegion = plainRegion(region);
  // Each variable is read, and so checked, where something else decides: the reference's SDK refuses one
  // it cannot read whatever else is given.
  const fipsVariable = variableIsTrue(env, 'AWS_USE_FIPS_ENDPOINT');
  const dualStackVariable = variableIsTrue(env, 'AWS_USE_DUALSTACK_ENDPOINT');
  const ignoreConfigured = variableIsTrue(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', { configKeyLenient: true });
  const fips = regionHasFips
    ? { from: `the region ${region}` }
    : fipsChosenBy
      ? { from: fipsChosenBy }
      : chosen(useFipsEndpoint, option('useFipsEndpoint'), fipsVariable, variableSource(env, 'AWS_USE_FIPS_ENDPOINT'));
  const dualStack = chosen(useDualstackEndpoint, option('useDualstackEndpoint'), dualStackVariable, variableSource(env, 'AWS_USE_DUALSTACK_ENDPOINT'));

  const configured = configuredEndpoint(endpoint, inputs.endpointName ?? option(service.option), ignoreConfigured, env, service);
  if (configured) {
    if (fips) throw new HelperError(`FIPS (${fips.from}) and a custom endpoint (${configured.from}) cannot be used together`);
    if (dualStack) {
      throw new HelperError(`dual-stack (${dualStack.from}) and a custom endpoint (${configured.from}) cannot be used together`);
    }
    return { url: parseEndpointUrl(configured.value, configured.from, service), signingRegion, fipsChosenBy: undefined };
  }

  const partition = regionPartition(signingRegion);
  const host = fips && (dualStack || !service.fipsIsPlainIn?.includes(partition.id)) ? `${service.hostPrefix}-fips` : service.hostPrefix;
  const suffix = dualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
  return { url: new URL(`https://${host}.${signingRegion}.${suffix}`), signingRegion, fipsChosenBy: fips?.from };
}

/** Whether an endpoint variant is on, and what turned it on (for messages): the option if given, else the variable. */
function chosen(given: boolean | undefined, name: string, variableIsOn: boolean, variable: string): { from: string } | undefined {
  if (given !== undefined) return given ? { from: name } : undefined;
  return variableIsOn ? { from: variable } : undefined;
}

/**
 * A true-or-false variable (or its shared config key), as the AWS SDKs read it: anything but true or false
 * is an error (FIPS must not go off, nor a configured endpoint stay in use, without a word).
 */
function variableIsTrue(env: Env, variable: string, { configKeyLenient = false } = {}): boolean {
  const value = env[variable];
  const source = variableSource(env, variable);
  // The Go SDK reads ignore_configured_endpoint_urls in the config file as false unless it is true (review).
  const lenient = configKeyLenient && source !== variable;
  if (value && !lenient && !/^(true|false)$/i.test(value)) throw new HelperError(`invalid ${source} ${JSON.stringify(value)}: it must be true or false`);
  return value?.toLowerCase() === 'true';
}

function configuredEndpoint(flag: string | undefined, name: string, ignoreConfigured: boolean, env: Env, service: EndpointService) {
  if (flag) return { value: flag, from: name };
  if (ignoreConfigured) return undefined;
  const own = env[service.envVariable];
  if (own) return { value: own, from: variableSource(env, service.envVariable) };
  if (env.AWS_ENDPOINT_URL) return { value: env.AWS_ENDPOINT_URL, from: variableSource(env, 'AWS_ENDPOINT_URL') };
  return undefined;
}

function parseEndpointUrl(value: string, from: string, service: EndpointService): URL {
  const invalid = (reason: string) => new HelperError(`invalid ${from} ${JSON.stringify(redactUrl(value))}: ${reason}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(unreadableUrlReason(value) ?? `not a URL (e.g. https://${service.hostPrefix}.us-east-1.amazonaws.com)`);
  }
  const problem = urlProblem(value, url);
  if (problem) throw invalid(problem);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('the scheme must be https or http');
  if (url.search || url.hash) throw invalid('it must not have a query or fragment');
  // The Authorization header is the request's signature: a user and password in the URL would never be sent.
  // A path holding `@` is user info the parser cut at a `/` in it (`https://t0k/en@host`): messages quoted it (QA).
  if (url.username || url.password || url.pathname.includes('@')) throw invalid('it must not hold a user name or password (they would not be sent)');
  return url;
}

