import { variableSource, type Context } from '../context.js';
import { HelperError } from '../errors.js';
import { checkProxySettings } from '../http/proxy.js';
import { retryPolicyFromEnv } from '../http/retry.js';
import { readRoot, sequence, Tag } from '../asn1/der.js';
import { decodePem, encodePem } from '../keys/file/pem.js';
import { readInputFile } from '../files/readInputFile.js';
import type { KeySource, KeySourceOptions } from '../keys/keySource.js';
import { checkKeySourceOptions, resolveKeySource } from '../keys/resolveKeySource.js';
import { createSession, type CreateSessionOptions } from '../session/createSession.js';
import { resolveSessionConfig, type SessionConfig, type SessionInputs } from '../session/sessionConfig.js';
import { userAgent } from '../session/userAgent.js';
import type { CredentialProvider } from './credentialProvider.js';
import { isDirect, resolveCredentialRoute, type CredentialRoute, type RouteInputs } from './credentialRoute.js';
import { option } from '../optionNames.js';

export interface RolesAnywhereOptions extends SessionInputs, KeySourceOptions, RouteInputs {
  /** false turns TLS verification of the endpoint off (--no-verify-ssl). */
  readonly verifyTls?: boolean | undefined;
  /** Per attempt: connect, send, read the answer. */
  readonly requestTimeoutMs?: number | undefined;
  readonly now?: (() => Date) | undefined;
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
  close(): Promise<void>;
}

/** Per attempt, when the caller gives no requestTimeoutMs. */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

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
  checkProxySettings(routeUrls(route), env);
  const verifyTls = options.verifyTls ?? true;
  if (!verifyTls) logger.warn(`warning: TLS certificate verification of the endpoint is disabled (${option('verifyTls')})`);
  const sessionOptions: CreateSessionOptions = {
    transport: {
      verifyTls,
      // Only TLS uses it: with http endpoints a (large, often system-wide) AWS_CA_BUNDLE is not read.
      caBundle: env.AWS_CA_BUNDLE && usesTls(route) ? readCaBundle(env.AWS_CA_BUNDLE, variableSource(env, 'AWS_CA_BUNDLE')) : undefined,
      timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    },
    retry: retryPolicyFromEnv(env),
    userAgent: userAgent(options.version),
    now: options.now,
  };
  const own = sharedKeySource ? undefined : keySourceOnFirstUse(options, context);
  const keySource = sharedKeySource ?? own!.open;
  const createSessionIn = async (regionConfig: SessionConfig, deadline?: number) =>
    createSession(regionConfig, await keySource(), { ...sessionOptions, deadline }, context);
  let routed: Promise<CredentialProvider> | undefined;
  return {
    config,
    route,
    keySource,
    getCredentials: isDirect(route)
      ? () => createSessionIn(config)
      : async () => {
          // Chaining and fallbacks bring the STS client: loaded only when the route takes them.
          routed ??= import('./routeProvider.js').then(({ routeProvider }) => routeProvider(route, createSessionIn, sessionOptions, context));
          return (await routed)();
        },
    close: async () => own?.close(),
  };
}

/** A key source opened by the first `open()` (not before: see RolesAnywhereSession), and closed by `close()`. */
export function keySourceOnFirstUse(options: KeySourceOptions, context: Context): { open(): Promise<KeySource>; close(): Promise<void> } {
  let opening: Promise<KeySource> | undefined;
  return {
    open: () => {
      // A source that failed to open (a file not there yet, a token not inserted) is tried again next time.
      opening ??= resolveKeySource(options, context).catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
      return opening;
    },
    close: async () => {
      const source = await opening?.catch(() => undefined);
      opening = undefined;
      await source?.close();
    },
  };
}

/** Every endpoint the route may send to: each Region's Roles Anywhere and, with chaining, STS. */
function routeUrls(route: CredentialRoute): URL[] {
  return route.regions.flatMap(({ session, sts }) => (sts ? [session.endpoint, sts.url] : [session.endpoint]));
}

function usesTls(route: CredentialRoute): boolean {
  return routeUrls(route).some((url) => url.protocol === 'https:');
}

/**
 * The CA bundle `source` names (AWS_CA_BUNDLE, or a profile's ca_bundle): its certificates, as Go's
 * AppendCertsFromPEM takes them (and so the reference): CERTIFICATE blocks without headers, the others
 * skipped, as are blocks that are not a certificate's DER (bad base64, a mangled paste). Node's TLS would
 * stop at such a block and drop every CA after it, so what it is given is the certificates alone, written
 * anew. (Their shape is checked, not parsed: a system-wide bundle holds ~150, read on every run.)
 */
function readCaBundle(path: string, source: string): Buffer {
  const data = readInputFile(path, `custom CA bundle (${source})`);
  const certificates = decodePem(data.toString('latin1')).filter((block) => block.type === 'CERTIFICATE');
  if (!certificates.length) throw new HelperError(`failed to load custom CA bundle PEM file ${path}: no CERTIFICATE block found`);
  const readable = certificates.filter((block) => Object.keys(block.headers).length === 0 && hasCertificateShape(block.der));
  if (!readable.length) throw new HelperError(`failed to load custom CA bundle PEM file ${path}: none of its certificates can be read`);
  return Buffer.from(readable.map((block) => encodePem('CERTIFICATE', block.der)).join(''), 'latin1');
}

/** A SEQUENCE of exactly the whole DER, holding two SEQUENCEs and a BIT STRING: a certificate's outline. */
function hasCertificateShape(der: Buffer): boolean {
  try {
    return sequence(readRoot(der)).map((node) => node.tag).join() === [Tag.SEQUENCE, Tag.SEQUENCE, Tag.BIT_STRING].join();
  } catch {
    return false;
  }
}
