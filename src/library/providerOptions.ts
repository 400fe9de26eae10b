import { closestName } from '../closestName.js';
import { secretInValue } from '../files/secretInValue.js';
import type { InputContent } from '../keys/input.js';
import type { SdkRequestHandler } from '../sdkRequestHandler.js';
import type { Logger } from '../log/logger.js';

/**
 * The options of `fromRolesAnywhere`: the CLI flags that make sense in a program, camelCased.
 *
 * `certificate`, `privateKey` and `intermediates` take a file path (or a `pkcs11:` URI; for the key also a
 * TPM `handle:0x81…` or `ssh-agent[:SHA256:<fingerprint>]`), or the PEM or DER itself: a string holding
 * `-----BEGIN`, or a Buffer / Uint8Array.
 */
export interface RolesAnywhereProviderOptions {
  // The identity options may be undefined, as unset variables give them: a provider given none of them lets
  // an SDK credential chain go on (tryNextLink); one given some but not all says which are missing.
  readonly certificate?: string | Uint8Array | undefined;
  readonly privateKey?: string | Uint8Array | undefined;
  /** PEM bundle of the intermediate CA certificates, sent in X-Amz-X509-Chain. */
  readonly intermediates?: string | Uint8Array | undefined;
  readonly trustAnchorArn: string | undefined;
  readonly profileArn: string | undefined;
  readonly roleArn: string | undefined;
  /** Default: the trust anchor's Region. */
  readonly region?: string | undefined;
  /** CreateSession's endpoint (default: AWS_ENDPOINT_URL_ROLESANYWHERE, else AWS_ENDPOINT_URL, else the Region's). */
  readonly endpoint?: string | undefined;
  /** The Region's FIPS endpoint (default: AWS_USE_FIPS_ENDPOINT); the signature stays scoped to the plain Region. */
  readonly useFipsEndpoint?: boolean | undefined;
  /** The Region's dual-stack endpoint (default: AWS_USE_DUALSTACK_ENDPOINT). */
  readonly useDualstackEndpoint?: boolean | undefined;
  /** 900–43200 (default 3600). */
  readonly durationSeconds?: number | undefined;
  /** 2–64 of [\w+=,.@-]; the profile must accept it (acceptRoleSessionName). */
  readonly roleSessionName?: string | undefined;
  /** After CreateSession, assume this role with STS (role chaining) and give its credentials. */
  readonly assumeRoleArn?: string | undefined;
  /** The chained session's name (default: the Roles Anywhere session's). */
  readonly assumeRoleSessionName?: string | undefined;
  /** The external ID the chained role's trust policy asks for. */
  readonly externalId?: string | undefined;
  /** The chained session's duration: 900–3600 (default 3600; AWS allows no more for role chaining). */
  readonly assumeRoleDurationSeconds?: number | undefined;
  /** Session tags of the chained session, key to value (up to 50, by STS's rules). */
  readonly assumeRoleTags?: Readonly<Record<string, string>> | undefined;
  /** Keys of assumeRoleTags that carry on into sessions chained from the chained one. */
  readonly assumeRoleTransitiveTagKeys?: readonly string[] | undefined;
  /** STS's endpoint for assumeRoleArn (default: AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else the trust anchor's Region's). */
  readonly stsEndpoint?: string | undefined;
  /**
   * Regions to try, in order, when the primary cannot issue credentials (unreachable, 5xx or throttling
   * after the retries, or a 403). The role is the same; each Region's endpoints default to its own.
   */
  readonly fallbacks?: readonly RolesAnywhereFallback[] | undefined;
  /** For an encrypted PKCS#8 key (default: AWS_ROLESANYWHERE_PKCS8_PASSWORD). */
  readonly pkcs8Password?: string | undefined;
  /** For a PKCS#12 file given as `certificate` (default: AWS_ROLESANYWHERE_PKCS12_PASSWORD, else empty). */
  readonly pkcs12Password?: string | undefined;
  /** PKCS#11 module (default p11-kit-proxy.so); the PIN comes from the URI or AWS_ROLESANYWHERE_PKCS11_PIN. */
  readonly pkcs11Lib?: string | undefined;
  /** Use the user PIN as the context-specific PIN of always-authenticate keys. */
  readonly reusePin?: boolean | undefined;
  /** The TPM key's password ('' for none; default: AWS_ROLESANYWHERE_TPM_KEY_PASSWORD). */
  readonly tpmKeyPassword?: string | undefined;
  /** false turns TLS verification of the endpoint off (default true). */
  readonly verifyTls?: boolean | undefined;
  /**
   * Share credentials with other processes through the per-user credential cache that
   * `credential-process --cache` uses (default false).
   */
  readonly cache?: boolean | undefined;
  /**
   * An AWS SDK request handler to send CreateSession (and STS's AssumeRole) through, as SDK clients take one:
   * `new NodeHttpHandler({ httpsAgent })` for an agent's proxy or CAs. Default: the helper's own HTTP client,
   * which reads HTTPS_PROXY, NO_PROXY and AWS_CA_BUNDLE (a calling client's handler is not taken: it would
   * replace those).
   */
  readonly requestHandler?: SdkRequestHandler | undefined;
  /** Where the provider logs (default: the calling SDK client's logger, else nothing). Never given secrets. */
  readonly logger?: Logger | undefined;
  /**
   * The configuration of the SDK client that creates this provider, as the SDK passes it to the providers
   * it makes (CredentialProviderOptions): its region and logger count after the calling client's.
   */
  readonly parentClientConfig?: CallerClientConfig | undefined;
}

/** What an SDK client passes when it calls its credential provider, or creates one: its own region and logger. */
export interface CallerClientConfig {
  readonly region?: string | (() => Promise<string>) | undefined;
  readonly logger?: Logger | undefined;
}

/** A Region to fall back to: its trust anchor and profile (the role stays the same), and its endpoints if not its Region's. */
export interface RolesAnywhereFallback {
  readonly trustAnchorArn: string;
  readonly profileArn: string;
  readonly endpoint?: string | undefined;
  readonly stsEndpoint?: string | undefined;
}

type Kind = 'input' | 'string' | 'number' | 'boolean' | 'logger' | 'fallbacks' | 'clientConfig' | 'tags' | 'strings' | 'requestHandler';

const OPTION_KINDS: Readonly<Record<keyof RolesAnywhereProviderOptions, Kind>> = {
  certificate: 'input',
  privateKey: 'input',
  intermediates: 'input',
  trustAnchorArn: 'string',
  profileArn: 'string',
  roleArn: 'string',
  region: 'string',
  endpoint: 'string',
  useFipsEndpoint: 'boolean',
  useDualstackEndpoint: 'boolean',
  durationSeconds: 'number',
  roleSessionName: 'string',
  assumeRoleArn: 'string',
  assumeRoleSessionName: 'string',
  externalId: 'string',
  assumeRoleDurationSeconds: 'number',
  assumeRoleTags: 'tags',
  assumeRoleTransitiveTagKeys: 'strings',
  stsEndpoint: 'string',
  fallbacks: 'fallbacks',
  pkcs8Password: 'string',
  pkcs12Password: 'string',
  pkcs11Lib: 'string',
  reusePin: 'boolean',
  tpmKeyPassword: 'string',
  verifyTls: 'boolean',
  cache: 'boolean',
  requestHandler: 'requestHandler',
  logger: 'logger',
  parentClientConfig: 'clientConfig',
};

/** The options an identity comes from: a provider given none of them is not configured (a chain goes on). */
const IDENTITY_OPTIONS = ['certificate', 'privateKey', 'trustAnchorArn', 'profileArn', 'roleArn'] as const;

/** @internal fromRolesAnywhere's: whether any identity option was given (an empty string counts as none). */
export function isConfigured(options: RolesAnywhereProviderOptions): boolean {
  return IDENTITY_OPTIONS.some((name) => options[name] !== undefined && options[name] !== '');
}

/**
 * Why the options cannot be used as given, or undefined: an unknown option (a typo, with the option meant),
 * or a value of the wrong type. Values are checked further when the provider is first called.
 * @internal fromRolesAnywhere's, left out of the package's declarations.
 */
export function optionsProblem(options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) return 'it needs an options object';
  for (const [name, value] of Object.entries(options)) {
    // Own keys only: `toString` or a JSON config's `__proto__` is an unknown option, not Object.prototype's.
    const kind = Object.hasOwn(OPTION_KINDS, name) ? (OPTION_KINDS as Record<string, Kind>)[name] : undefined;
    if (!kind) {
      return `unknown option ${name}${hint(closestName(name, Object.keys(OPTION_KINDS), { prefixes: true }))}`;
    }
    if (value !== undefined && !hasKind(value, kind)) return `invalid ${name}: ${kind === 'fallbacks' ? fallbacksProblem(value) : describeKind(kind)}`;
  }
  return secretsProblem(options as RolesAnywhereProviderOptions);
}

/** Options whose value may be base64, and how long: an external ID, a session name, a tag's value (its key: 128). */
const BASE64_LENGTHS: Readonly<Record<string, number>> = { externalId: 1224, roleSessionName: 64, assumeRoleSessionName: 64, assumeRoleTags: 256 };
/** Options that take a key, a PIN, a password or a path (a module's): their values are another check's. */
const SECRET_PLACES = new Set(['certificate', 'privateKey', 'intermediates', 'pkcs8Password', 'pkcs12Password', 'tpmKeyPassword', 'pkcs11Lib']);
/** Options a URL with user info may be given to: endpoints (their check hides it), and values STS takes with `:`, `/` and `@`. */
const URL_PLACES = new Set(['endpoint', 'stsEndpoint', 'externalId', 'assumeRoleTags', 'assumeRoleTransitiveTagKeys']);

/**
 * A key, a pkcs11: URI with its PIN, or a URL with user info given to an option that takes none (options
 * swapped, `roleArn: keyPem`): the option's own check would quote it whole, in a message a logger records
 * (QA).
 */
function secretsProblem(options: RolesAnywhereProviderOptions): string | undefined {
  const texts: [string, string, number?][] = [];
  for (const [name, value] of Object.entries(options)) {
    if (SECRET_PLACES.has(name)) continue;
    if (typeof value === 'string') texts.push([name, value]);
    else if (name === 'assumeRoleTransitiveTagKeys') texts.push(...(value as string[]).map((text, index): [string, string] => [`${name}[${index}]`, text]));
    else if (name === 'assumeRoleTags') for (const [key, text] of Object.entries(value as Record<string, string>)) texts.push([name, key, 128], [name, text]);
    else if (name === 'fallbacks') {
      for (const [index, fallback] of (value as RolesAnywhereFallback[]).entries()) {
        for (const [field, text] of Object.entries(fallback)) if (typeof text === 'string') texts.push([`fallbacks[${index}].${field}`, text]);
      }
    }
  }
  for (const [name, text, base64Length] of texts) {
    const option = name.replace(/[[.].*/, '');
    const field = name.replace(/^.*\./, '');
    const secret = secretInValue(text, base64Length ?? BASE64_LENGTHS[option] ?? 0, !URL_PLACES.has(field) && !URL_PLACES.has(option));
    if (secret?.kind === 'key') return `invalid ${name} (PEM or base64 content, not shown): a key or certificate is given as certificate, privateKey or intermediates`;
    if (secret?.kind === 'pin') return `invalid ${name} "${secret.shown}": a pkcs11: URI is given as certificate or privateKey`;
    if (secret?.kind === 'url') return `invalid ${name} "${secret.shown}": it is a URL with a user name or password`;
  }
  return undefined;
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'input':
      return typeof value === 'string' || value instanceof Uint8Array;
    case 'logger':
      return typeof value === 'object' && value !== null && ['debug', 'info', 'warn', 'error'].every((level) => typeof (value as Record<string, unknown>)[level] === 'function');
    case 'clientConfig': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const { region, logger } = value as CallerClientConfig;
      return ['undefined', 'string', 'function'].includes(typeof region) && (logger === undefined || hasKind(logger, 'logger'));
    }
    case 'fallbacks':
      return Array.isArray(value) && value.every(isFallback);
    case 'tags':
      // A plain object: a Map's or a class's entries are not its own properties, and would be dropped (review).
      return isPlainObject(value) && Object.values(value).every((tag) => typeof tag === 'string');
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'requestHandler':
      return typeof value === 'object' && value !== null && typeof (value as { handle?: unknown }).handle === 'function';
    default:
      return typeof value === kind;
  }
}

function describeKind(kind: Kind): string {
  switch (kind) {
    case 'input':
      return 'it must be a path, a URI, or the PEM or DER itself (string or Buffer)';
    case 'logger':
      return 'it must have debug, info, warn and error methods';
    case 'fallbacks':
      return 'it must be an array of { trustAnchorArn, profileArn, endpoint?, stsEndpoint? } with string values';
    case 'tags':
      return "it must be an object of tag keys and their values, strings: { team: 'payments' }";
    case 'strings':
      return 'it must be an array of strings';
    case 'requestHandler':
      return "it must be an AWS SDK request handler, with a handle method (new NodeHttpHandler({ httpsAgent }) of '@smithy/node-http-handler')";
    case 'clientConfig':
      return 'it must be an object whose region, if any, is a string or a function and whose logger, if any, has debug, info, warn and error methods';
    default:
      return `it must be a ${kind}`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const FALLBACK_FIELDS: readonly string[] = ['trustAnchorArn', 'profileArn', 'endpoint', 'stsEndpoint'] satisfies (keyof RolesAnywhereFallback)[];

function isFallback(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).every(([name, field]) => FALLBACK_FIELDS.includes(name) && (field === undefined || typeof field === 'string'));
}

/** What is wrong with a `fallbacks` value that is not an array of fallbacks: the entry and its field, where one is to blame. */
function fallbacksProblem(value: unknown): string {
  const shape = describeKind('fallbacks');
  if (!Array.isArray(value)) return shape;
  const index = value.findIndex((entry) => !isFallback(entry));
  const entry: unknown = value[index];
  if (typeof entry !== 'object' || entry === null) return `${shape} (fallbacks[${index}] is not an object)`;
  const [name] = Object.entries(entry).find(([field, text]) => !FALLBACK_FIELDS.includes(field) || (text !== undefined && typeof text !== 'string'))!;
  return FALLBACK_FIELDS.includes(name)
    ? `${shape} (fallbacks[${index}].${name} is not a string)`
    : `${shape} (fallbacks[${index}]: unknown field ${name}${hint(closestName(name, FALLBACK_FIELDS, { prefixes: true }))})`;
}

/**
 * A certificate, key or chain option as a key source input: content when it is PEM or DER, else a path.
 * Content is named after its option (`privateKey (content)`), as messages name a path.
 * @internal fromRolesAnywhere's, left out of the package's declarations (its type needs Node's Buffer).
 */
export function toInput(value: string | Uint8Array | undefined, optionName: string): string | InputContent | undefined {
  // An empty string is none, as an unset variable gives it and as the CLI takes --private-key "".
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') return value.includes('-----BEGIN ') ? { content: Buffer.from(value, 'utf8'), name: `${optionName} (content)` } : value;
  return { content: Buffer.from(value.buffer, value.byteOffset, value.byteLength), name: `${optionName} (content)` };
}

function hint(meant: string | undefined): string {
  return meant ? ` (did you mean ${meant}?)` : '';
}
