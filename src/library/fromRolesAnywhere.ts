import { CredentialsProviderError } from '@smithy/core/config';
import type { CredentialProvider } from '../credentials/credentialProvider.js';
import { CredentialRefresher, NoValidCredentialsError } from '../credentials/credentialRefresher.js';
import { LIBRARY_REFRESH_POLICY } from '../credentials/refreshPolicies.js';
import type { RolesAnywhereSession } from '../credentials/rolesAnywhereSession.js';
import { HelperError, installProblem } from '../errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { readSharedConfig } from '../session/sharedConfig.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import { VERSION } from '../version.js';
import { libraryLogger } from './libraryLogger.js';
import { nodeVersionProblem } from './nodeVersionProblem.js';
import { isConfigured, optionsProblem, toInput, type CallerClientConfig, type RolesAnywhereProviderOptions } from './providerOptions.js';

/** What the AWS SDK for JavaScript v3 reads from a credential provider (its AwsCredentialIdentity). */
export interface RolesAnywhereCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  /** The role's account. */
  readonly accountId?: string;
}

/**
 * The provider: hand it to an SDK client as `credentials`; `close()` releases a PKCS#11 session or TPM.
 * `forceRefresh: true` (as `client.config.credentials({ forceRefresh: true })` passes it) fetches new
 * credentials rather than handing out those held or cached: after they were refused (a revoked session,
 * an emulator started again).
 */
export interface RolesAnywhereCredentialProvider {
  (props?: { readonly callerClientConfig?: CallerClientConfig; readonly forceRefresh?: boolean }): Promise<RolesAnywhereCredentialIdentity>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A credential provider for the AWS SDK for JavaScript v3 that trades the certificate's key for IAM Roles
 * Anywhere credentials. One CreateSession is in flight however many callers ask; credentials are reused
 * until 10 minutes before they expire (no sooner than a quarter of their life; ones under 10 minutes,
 * half), then refreshed, and the last good ones are kept while a refresh fails and they are still valid.
 * The key is opened on the first call (no password or PIN is ever asked for: a missing one is an error
 * naming the option to set), and held until `close()`. With `cache: true`, a first call that finds a valid
 * entry is answered from it without the session (neither made nor its code loaded), made when a fetch needs it.
 *
 * Configuration errors are CredentialsProviderErrors (the package's copy: not `instanceof` yours) with
 * tryNextLink false, so that a chain stops there, thrown at once for an unknown option or one of the wrong
 * type, else at the first call; a provider given none of its identity options (variables a deployment did
 * not set) says tryNextLink true, as the SDK's providers do when they are not configured, so that a chain
 * goes on.
 */
export function fromRolesAnywhere(options: RolesAnywhereProviderOptions): RolesAnywhereCredentialProvider {
  const problem = nodeVersionProblem() ?? optionsProblem(options);
  // Not with options.logger: it may be the option at fault.
  if (problem) throw new CredentialsProviderError(`fromRolesAnywhere: ${problem}`, { tryNextLink: false });
  let started: Started | undefined;

  /** The provider's set-up, at its first call (`forced`: one with forceRefresh, which a cache hit does not answer). */
  const start = async (caller: CallerClientConfig | undefined, forced: boolean): Promise<Started> => {
    const logger = libraryLogger(options.logger ?? caller?.logger ?? options.parentClientConfig?.logger ?? silentLogger);
    // An empty endpoint (a variable exported empty) would be the Region's real one: refused, as an empty stsEndpoint
    // is; an empty region or session name would go unnoticed as none (QA: `roleSessionName: process.env.X ?? ''`).
    if (options.endpoint === '') throw new HelperError('invalid endpoint "": it is empty (leave it out for the Region\'s own)');
    if (options.region === '') throw new HelperError('invalid region "": it is empty (leave it out for the trust anchor\'s)');
    if (options.roleSessionName === '') throw new HelperError('invalid roleSessionName "": it is empty (leave it out for none)');
    // A client with no region set gives a function that throws: the creating client's is then the fallback.
    const callerRegion = (await regionOf(caller?.region)) ?? (await regionOf(options.parentClientConfig?.region));
    const sessionOptions = {
      ...options,
      certificate: toInput(options.certificate, 'certificate'),
      privateKey: toInput(options.privateKey, 'privateKey'),
      intermediates: toInput(options.intermediates, 'intermediates'),
      // '' says the TPM key has none, as --no-tpm-key-password does (a key file's own flag then decides).
      ...(options.tpmKeyPassword === '' ? { tpmKeyPassword: undefined, noTpmKeyPassword: true } : {}),
      // The trust anchor's Region wins over the calling client's: CreateSession must go to the anchor's.
      fallbackRegion: callerRegion,
      interactive: false,
      version: VERSION,
    };
    // The shared config file's profile, as the CLI and the application's own SDK clients read it.
    const { env, problem: configProblem } = readSharedConfig(process.env);
    const context = { logger, env };
    if (configProblem) logger.warn(`fromRolesAnywhere: ${configProblem}`);
    // A hit is handed out without the session: its code (keys, signing, HTTP) and the cache's (locks, writes,
    // refreshes: sessionCache.ts) are loaded, and its options checked, when a fetch needs it. With verifyTls
    // false the session always has something to say (a warning, or a request handler's error): it is made at
    // once, as without the cache.
    const lookUp = options.cache && !forced && options.verifyTls !== false;
    const found = lookUp ? (await import('../credentials/cache/sessionCacheHit.js')).sessionCacheHit(sessionOptions, context) : {};
    const makeSession = async () => {
      const { rolesAnywhereSession } = await import('../credentials/rolesAnywhereSession.js');
      const cache = options.cache ? await import('../credentials/cache/sessionCache.js') : undefined;
      const session = rolesAnywhereSession(sessionOptions, context);
      const { route } = session;
      logger.debug(
        `fromRolesAnywhere: role ${session.config.roleArn} through ${route.regions.map((region) => region.session.endpoint.href).join(', then ')}` +
          (route.assumeRole ? `, chaining into ${route.assumeRole.roleArn}` : ''),
      );
      return { session, fetch: cache ? cache.withSessionCache(session, sessionOptions, context, found.slot) : session.getCredentials };
    };
    const lazy = lazySession(makeSession);
    // Otherwise made now, as ever: a mistake in the options is the first call's error, and the next call tries again.
    if (!found.credentials) await lazy.session();
    const self: Started = { ...lazy, refresher: refresherSaying(fetchFrom(found.credentials, lazy.session), logger, () => started !== self), logger };
    return self;
  };

  let starting: Promise<Started> | undefined;
  const provider = async (props?: Parameters<RolesAnywhereCredentialProvider>[0]) => {
    if (!isConfigured(options)) {
      throw new CredentialsProviderError(
        'fromRolesAnywhere: not configured: no certificate, private key, trust anchor, profile or role was given',
        { tryNextLink: true, logger: options.logger },
      );
    }
    if (!starting) {
      // Not one that close() took meanwhile: kept as the provider's, it would be taken for open by its refresher
      // (a warning after close()), and a later set-up's failure would be kept, never tried again (review16).
      const setUp: Promise<Started> = start(props?.callerClientConfig, props?.forceRefresh === true).then((s) => {
        if (starting === setUp) started = s;
        return s;
      });
      starting = setUp;
    }
    const mine = starting;
    try {
      const { refresher } = await mine;
      if (props?.forceRefresh) return identityOf(await refresher.forceRefresh());
      return identityOf(refresher.peek() ?? (await refresher.get()));
    } catch (error) {
      // A set-up that failed (a file not there yet) is tried again; not one a close() or another call replaced.
      if (starting === mine && started === undefined) starting = undefined;
      throw providerError(error, started?.logger ?? options.logger);
    }
  };
  const close = async () => {
    // Taken before waiting: a call made meanwhile starts a session of its own, for a later close().
    const closing = starting;
    starting = undefined;
    started = undefined;
    await (await closing?.catch(() => undefined))?.close();
  };
  return Object.assign(provider, { close, [Symbol.asyncDispose]: close });
}

/** A provider's set-up: its refresher, its logger, and its session, made when first needed, which close() closes. */
interface Started extends LazySession {
  readonly refresher: CredentialRefresher;
  readonly logger: Logger;
}

interface LazySession {
  /** The session, and the fetch through it (and the cache, with `cache`), made at the first call of this. */
  session(): Promise<{ readonly session: RolesAnywhereSession; readonly fetch: CredentialProvider }>;
  close(): Promise<void>;
}

/**
 * The session `make` makes, once: one that failed is made again at the next call (a file not there yet); one
 * made after close() (a refresh under way then) is closed at once, so that it opens no key for nobody to close.
 */
function lazySession(make: LazySession['session']): LazySession {
  let made: ReturnType<LazySession['session']> | undefined;
  let closed = false;
  return {
    session: () =>
      (made ??= make().then(
        async (built) => {
          if (closed) await built.session.close();
          return built;
        },
        (error: unknown) => {
          made = undefined;
          throw error;
        },
      )),
    close: async () => {
      closed = true;
      await (await made?.catch(() => undefined))?.session.close();
    },
  };
}

/**
 * The refresher's fetch: a cache hit's credentials first (`hit`, read before any session was made), then the
 * session's fetch, made when first needed (a refresh, a forced call). A forced call never gets the hit.
 */
function fetchFrom(hit: TemporaryCredentials | undefined, session: LazySession['session']): CredentialProvider {
  let first = hit;
  return async (fetchOptions) => {
    const held = first;
    first = undefined;
    if (held && !fetchOptions?.forceRefresh) return held;
    return (await session()).fetch(fetchOptions);
  };
}

/**
 * The calling (or else the creating) client's region, only a fallback (the trust anchor's Region wins): one the
 * client cannot tell (an SDK client with none set throws) is none.
 */
async function regionOf(region: CallerClientConfig['region']): Promise<string | undefined> {
  return typeof region === 'function' ? await region().catch(() => undefined) : region;
}

/**
 * The provider's refresher. A refresh that fails while credentials are held is no caller's error (they get
 * the held ones): it is said as a warning, as the SDK's instance-metadata provider and serve say theirs,
 * unless the provider was closed (`closed`) since it started.
 */
function refresherSaying(fetch: CredentialProvider, logger: Logger, closed: () => boolean): CredentialRefresher {
  let heldUntil = 0;
  return new CredentialRefresher(fetch, {
    ...LIBRARY_REFRESH_POLICY,
    onRefresh: (credentials) => (heldUntil = credentials.expiration.getTime()),
    onFailure: (error, retryInMs) => {
      // A refresh the provider's close() stopped is no failure to tell of (QA: a warning after close()).
      if (Date.now() >= heldUntil || closed()) return;
      logger.warn(
        `fromRolesAnywhere: refreshing the credentials failed, the held ones are used while valid (tried again at a call after ${Math.ceil(retryInMs / 1000)} s): ${failureOf(error)}`,
      );
    },
  });
}

function identityOf(credentials: TemporaryCredentials): RolesAnywhereCredentialIdentity {
  const { accessKeyId, secretAccessKey, sessionToken, expiration, accountId } = credentials;
  return accountId ? { accessKeyId, secretAccessKey, sessionToken, expiration, accountId } : { accessKeyId, secretAccessKey, sessionToken, expiration };
}

/**
 * Every failure as the SDK's CredentialsProviderError, its message naming options as the library does. Its
 * cause is the failure itself, not the refresher's account of it (no credentials held): a service's refusal
 * with its `$metadata`, `$fault` and `code`, as the SDK's exceptions have them.
 */
function providerError(error: unknown, logger: Logger | undefined): CredentialsProviderError {
  const cause = error instanceof NoValidCredentialsError && error.cause !== undefined ? error.cause : error;
  return Object.assign(new CredentialsProviderError(`fromRolesAnywhere: ${failureOf(error)}`, { tryNextLink: false, logger }), { cause });
}

/**
 * A failure as the library says it: a HelperError's message (options named the library's way), a part that
 * could not be loaded as installed (another build's, missing, or its dependencies not found) as such, anything
 * else an internal error.
 */
function failureOf(error: unknown): string {
  if (error instanceof HelperError) return error.message;
  return installProblem(error) ?? `internal error: ${(error as Error)?.message ?? String(error)}`;
}
