import type { Context } from '../context.js';
import { HelperError } from '../errors.js';
import { isLoopbackHost } from '../http/loopback.js';
import { checkProxySettings, sendsOverTls } from '../http/proxy.js';
import { retryPolicyFromEnv } from '../http/retry.js';
import type { SdkRequestHandler } from '../sdkRequestHandler.js';
import { StopSignal } from '../http/stopSignal.js';
import type { KeySource, KeySourceOptions } from '../keys/keySource.js';
import { checkKeySourceOptions } from '../keys/resolveKeySource.js';
import { createSession, type CreateSessionOptions } from '../session/createSession.js';
import { resolveSessionConfig, type SessionConfig, type SessionInputs } from '../session/sessionConfig.js';
import { userAgent } from '../session/userAgent.js';
import type { CredentialProvider } from './credentialProvider.js';
import { trustedCas } from '../http/trustedCas.js';
import { keySourceOnFirstUse } from './keySourceOnFirstUse.js';
import { isDirect, resolveCredentialRoute, type CredentialRoute, type RouteInputs } from './credentialRoute.js';
import { option } from '../optionNames.js';

// Held in the session's bundle (scripts/build.mjs: VENDORED), which serve then requires for it rather than hold a copy.
export * from './keySourceOnFirstUse.js';

export interface RolesAnywhereOptions extends SessionInputs, KeySourceOptions, RouteInputs {
  /** false turns TLS verification of the endpoint off (--no-verify-ssl). */
  readonly verifyTls?: boolean | undefined;
  /** The library's: an AWS SDK request handler to send through instead of the helper's own HTTP client. */
  readonly requestHandler?: SdkRequestHandler | undefined;
  readonly version: string;
}

/**
 * A checked CreateSession set-up: call getCredentials as often as needed, close when done. The key source
 * is opened by the first getCredentials, so that a caller that never signs (a cache hit, say) never loads a
 * PKCS#11 module, reads a TPM key or asks for a password.
 */
export interface RolesAnywhereSession {
  /** The primary Region's CreateSession. */
  readonly config: SessionConfig;
  /** The Regions to ask in turn, and the role chained into, if any. */
  readonly route: CredentialRoute;
  /** CreateSession (with the route's fallbacks and role chaining, when it has them). */
  readonly getCredentials: CredentialProvider;
  /** The key source, opened if it is not yet. */
  keySource(): Promise<KeySource>;
  /** Why the session no longer fetches (`the session was closed`); undefined while it does. */
  stopped(): string | undefined;
  close(): Promise<void>;
}

/** Per attempt: connect, send, read the answer. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Checks every input (ARNs, duration, session name, region, endpoint, proxy and CA settings, and what of
 * the key source needs no file or device) before anything is opened or sent, so that a mistake is
 * reported as what it is. With `sharedKeySource` (sessions that sign with one key: serve's roles), the
 * session signs with that source, which its owner opens and closes, instead of opening one of its own.
 */
export function rolesAnywhereSession(options: RolesAnywhereOptions, context: Context, sharedKeySource?: () => Promise<KeySource>): RolesAnywhereSession {
  const { env, logger } = context;
  checkKeySourceOptions(options);
  const config = resolveSessionConfig(options, env);
  const route = resolveCredentialRoute(options, config, env);
  const urls = routeUrls(route);
  // A request handler's agent decides proxies and CAs: the variables are not read (review: a SOCKS proxy
  // in HTTPS_PROXY, the very reason to give an agent, stopped the provider).
  const ownClient = !options.requestHandler;
  if (ownClient) checkProxySettings(urls, env);
  const verifyTls = options.verifyTls ?? true;
  // The handler's agent verifies TLS as it was made to: turning it off here would be a setting that does nothing.
  if (!verifyTls && !ownClient) {
    throw new HelperError(`${option('verifyTls')} false does not reach a request handler, whose agent verifies TLS: give it one with rejectUnauthorized: false`);
  }
  if (!verifyTls) logger.warn(`TLS certificate verification of the endpoint is disabled (${option('verifyTls')})`);
  // No TLS keeps the credentials an endpoint on another host answers with from the network.
  for (const origin of new Set(urls.filter((url) => url.protocol === 'http:' && !isLoopbackHost(url.hostname)).map((url) => url.origin))) {
    logger.warn(`the endpoint ${origin} is plain HTTP, not on a loopback address: the credentials it answers with may cross the network unencrypted`);
  }
  // Only TLS uses them (to an https endpoint or proxy, as the reference's transport does): then they are read,
  // and a mistake in them reported, before anything is signed; with http alone a (large, often system-wide)
  // bundle is read only if a redirect leads to https.
  let cas = ownClient && urls.some((url) => sendsOverTls(url, env)) ? trustedCas(env) : undefined;
  // close() stops a request under way and the retries to come: a refresh in the background (the library's,
  // serve's) to an endpoint that does not answer kept the process up to 30 s after it (QA: a pod's grace period).
  const closing = new StopSignal();
  const sessionOptions: CreateSessionOptions = {
    transport: {
      verifyTls,
      caBundle: () => (cas ??= trustedCas(env)),
      timeoutMs: REQUEST_TIMEOUT_MS,
      signal: closing,
      handler: options.requestHandler,
    },
    retry: retryPolicyFromEnv(env),
    userAgent: userAgent(options.version),
  };
  const own = sharedKeySource ? undefined : keySourceOnFirstUse(options, context);
  const keySource = sharedKeySource ?? own!.open;
  const createSessionIn = async (regionConfig: SessionConfig, deadline?: number) =>
    createSession(regionConfig, await keySource(), { ...sessionOptions, deadline }, context);
  // What a chained route checks its held Roles Anywhere credentials against: a renewed certificate gets a new session.
  const certificate = async () => (await (await keySource()).current()).certificate?.der;
  let routed: Promise<CredentialProvider> | undefined;
  return {
    config,
    route,
    keySource,
    getCredentials: isDirect(route)
      ? () => createSessionIn(config)
      : async (fetchOptions) => {
          // Chaining and fallbacks bring the STS client: loaded only when the route takes them.
          routed ??= import('./routeProvider.js').then(({ routeProvider }) => routeProvider(route, createSessionIn, { ...sessionOptions, certificate }, context));
          return (await routed)(fetchOptions);
        },
    stopped: () => closing.reason,
    close: async () => {
      closing.stop('the session was closed');
      await own?.close();
    },
  };
}

/** Every endpoint the route may send to: each Region's Roles Anywhere and, with chaining, STS. */
function routeUrls(route: CredentialRoute): URL[] {
  return route.regions.flatMap(({ session, sts }) => (sts ? [session.endpoint, sts.url] : [session.endpoint]));
}
