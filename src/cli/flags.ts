import type { OptionName, OptionNaming } from '../optionNames.js';
import { SECRET_FLAG_OPTIONS } from './secretFlags.js';

/** A flag as pflag declares one: its type, default and help. A `stringArray` flag may be given again, each value kept. */
export interface FlagSpec {
  readonly type: 'string' | 'bool' | 'int' | 'enum' | 'stringArray';
  readonly help: string;
  readonly default?: string | number;
  /** Allowed values of an enum flag. */
  readonly values?: readonly string[];
  /** The value is a path (shell completion offers files). */
  readonly value?: 'path';
  /** A bool flag that is undefined unless given, so that `--flag=false` can say no where something else would say yes. */
  readonly unsetUnlessGiven?: true;
}

/** A command's flags by name (`role-arn`). */
export type FlagSet = { readonly [name: string]: FlagSpec };

type ValueOf<S extends FlagSpec> = S extends { type: 'bool' }
  ? boolean
  : S extends { type: 'int' }
    ? number
    : S extends { type: 'stringArray' }
      ? readonly string[]
      : S extends { values: readonly (infer V)[] }
        ? V
        : string;

/**
 * Parsed values, typed from the flag set: a flag without a default (other than a bool or an array, empty
 * when not given) may be undefined, as may a bool that is unset unless given.
 */
export type FlagValues<F extends FlagSet> = {
  readonly [N in keyof F]: F[N] extends { unsetUnlessGiven: true }
    ? ValueOf<F[N]> | undefined
    : F[N] extends { type: 'bool' | 'stringArray' } | { default: string | number }
      ? ValueOf<F[N]>
      : ValueOf<F[N]> | undefined;
};

/** Pairs of flags that cannot be given together (pflag's mutually exclusive groups of two). */
export type Exclusions<F extends FlagSet> = readonly (readonly [keyof F & string, keyof F & string])[];

/** How every command logs (on stderr): `--debug`, where a command has it, is `--log-level debug`. */
export const LOG_FLAGS = {
  'log-level': { type: 'enum', values: ['error', 'warn', 'info', 'debug'], help: 'Least severe level logged: error, warn, info or debug (default info)' },
  'log-format': { type: 'enum', values: ['text', 'json'], help: 'text (YYYY/MM/DD HH:MM:SS message), or json: one object a line (default text)' },
} as const satisfies FlagSet;

/** Pairs refused by every command that has both (checked with each command's own pairs). */
export const LOG_EXCLUSIONS: readonly (readonly [string, string])[] = [['debug', 'log-level']];

/** Where the certificate and key are, for every command that signs. */
export const KEY_FLAGS = {
  certificate: { type: 'string', value: 'path', help: 'Path to the certificate file (PEM or DER), a PKCS#12 file, or a pkcs11: URI; env:NAME or - for a variable or standard input' },
  'private-key': {
    type: 'string',
    value: 'path',
    help: 'Path to the private key file (PEM or DER), a pkcs11: URI, handle: for a TPM key, or ssh-agent[:SHA256:<fingerprint>]; env:NAME or - as for --certificate',
  },
  'cert-selector': { type: 'string', help: 'JSON file (file://<path>) or Key=...,Value=... pairs selecting a certificate from an OS store' },
  'system-store-name': { type: 'string', default: 'MY', help: 'Name of the Windows system store to search' },
  'use-latest-expiring-certificate': { type: 'bool', help: 'Pick the latest-expiring certificate when several match' },
  'pkcs11-lib': { type: 'string', value: 'path', help: 'PKCS#11 module (default p11-kit-proxy.so)' },
  'reuse-pin': { type: 'bool', help: 'Use the user PIN as the context-specific PIN of always-authenticate keys' },
  'tpm-key-password': { type: 'string', help: 'Password of the TPM key' },
  'tpm-key-password-file': { type: 'string', value: 'path', help: 'File holding the password of the TPM key (- for standard input)' },
  'no-tpm-key-password': { type: 'bool', help: 'The TPM key has no password' },
  'pkcs8-password': { type: 'string', help: 'Password of an encrypted PKCS#8 private key' },
  'pkcs8-password-file': { type: 'string', value: 'path', help: 'File holding the password of an encrypted PKCS#8 private key (- for standard input)' },
  'pkcs12-password': { type: 'string', help: 'Password of the PKCS#12 file (default: empty)' },
  'pkcs12-password-file': { type: 'string', value: 'path', help: 'File holding the password of the PKCS#12 file (- for standard input)' },
  debug: { type: 'bool', help: 'Log the request, the signing steps and the response (never secrets) to stderr' },
  ...LOG_FLAGS,
} as const satisfies FlagSet;

/** The flags of a key, wherever it is (--intermediates too, a flag of the session's): the key's options are made of these. */
export const KEY_OPTION_FLAGS = [
  ...(Object.keys(KEY_FLAGS) as (keyof typeof KEY_FLAGS)[]).filter((flag) => flag !== 'debug' && !Object.hasOwn(LOG_FLAGS, flag)),
  'intermediates',
] as const;

/** What CreateSession is asked for, and how it is sent. */
const SESSION_FLAGS = {
  'role-arn': { type: 'string', help: 'Target role to assume' },
  'profile-arn': { type: 'string', help: 'Profile to pull policies from' },
  'trust-anchor-arn': { type: 'string', help: 'Trust anchor to use for authentication' },
  'session-duration': { type: 'int', default: 3600, help: 'Duration, in seconds, for the resulting session (900 to 43200)' },
  region: { type: 'string', help: "Signing region (default: the trust anchor's)" },
  endpoint: { type: 'string', help: 'Endpoint used to call CreateSession' },
  'no-verify-ssl': { type: 'bool', help: 'Skip TLS certificate verification of the endpoint (not recommended)' },
  'with-proxy': { type: 'bool', help: 'Accepted for compatibility: HTTPS_PROXY/HTTP_PROXY/NO_PROXY are always honoured' },
  intermediates: { type: 'string', value: 'path', help: 'Path to the intermediate certificates (PEM bundle); env:NAME or - as for --certificate' },
  // Unset unless given: then AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT decide, and =false overrides them.
  'use-fips-endpoint': { type: 'bool', unsetUnlessGiven: true, help: 'Send CreateSession to the FIPS endpoint of the Region (as AWS_USE_FIPS_ENDPOINT=true)' },
  'use-dualstack-endpoint': {
    type: 'bool',
    unsetUnlessGiven: true,
    help: 'Send CreateSession to the dual-stack (IPv4 and IPv6) endpoint (as AWS_USE_DUALSTACK_ENDPOINT=true)',
  },
  'role-session-name': { type: 'string', help: 'Name of the role session (2 to 64 characters of [\\w+=,.@-])' },
} as const satisfies FlagSet;

/**
 * The way to credentials beyond one CreateSession, for credential-process, serve and update: another
 * Region when the primary cannot issue credentials, and a role to chain into afterwards.
 */
export const ROUTE_FLAGS = {
  'assume-role-arn': { type: 'string', help: 'After CreateSession, assume this role with STS (role chaining) and hand out its credentials' },
  'assume-role-session-name': { type: 'string', help: "Session name of the chained role (default: the Roles Anywhere session's)" },
  'external-id': { type: 'string', help: "External ID the chained role's trust policy asks for" },
  'assume-role-duration': { type: 'int', help: 'Duration, in seconds, of the chained role session (900 to 3600, the most AWS allows; default 3600)' },
  'assume-role-tag': { type: 'stringArray', help: "A session tag of the chained role session, 'KEY=VALUE' (repeatable; up to 50)" },
  'assume-role-transitive-tag-key': { type: 'stringArray', help: 'The key of a tag given with --assume-role-tag that carries on into sessions chained from it (repeatable)' },
  'sts-endpoint': { type: 'string', help: "STS endpoint for --assume-role-arn (default: AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else the trust anchor's Region's)" },
  fallback: {
    type: 'stringArray',
    help: "Another Region to try, in order, when one cannot issue credentials (CreateSession, or the chained AssumeRole, fails): 'trust-anchor-arn=ARN,profile-arn=ARN[,endpoint=URL][,sts-endpoint=URL]' (repeatable)",
  },
} as const satisfies FlagSet;

/** The flags of credential-process, serve and update. */
export const CREDENTIAL_FLAGS = { ...SESSION_FLAGS, ...KEY_FLAGS } as const satisfies FlagSet;

/** A secret is given by its flag or by its file flag, not both. */
const SECRET_FILE_EXCLUSIONS: Exclusions<typeof KEY_FLAGS> = [
  ['pkcs8-password', 'pkcs8-password-file'],
  ['pkcs12-password', 'pkcs12-password-file'],
  ['tpm-key-password', 'tpm-key-password-file'],
];

/**
 * A command's pairs as the reference declares them, each also with a secret's file flag in place of its
 * flag (`--tpm-key-password-file` with `--reuse-pin` too), and the secret files' own.
 */
export function withSecretFiles<F extends FlagSet>(pairs: Exclusions<F>): Exclusions<F> {
  const variants = (flag: string) => (`${flag}-file` in KEY_FLAGS && flag in SECRET_FLAG_OPTIONS ? [flag, `${flag}-file`] : [flag]);
  const expanded = pairs.flatMap(([a, b]) => variants(a).flatMap((x) => variants(b).map((y) => [x, y] as const)));
  return [...expanded, ...SECRET_FILE_EXCLUSIONS] as Exclusions<F>;
}

/**
 * The pairs of key flags the reference declares for every command that signs (credential-process, serve,
 * update and sign-string), each command adding its own (spec §1.2–1.4).
 */
export const KEY_EXCLUSIONS: Exclusions<typeof KEY_FLAGS> = [
  ['certificate', 'cert-selector'],
  ['certificate', 'system-store-name'],
  ['private-key', 'cert-selector'],
  ['private-key', 'system-store-name'],
  ['private-key', 'use-latest-expiring-certificate'],
  ['use-latest-expiring-certificate', 'reuse-pin'],
  ['cert-selector', 'reuse-pin'],
  ['system-store-name', 'reuse-pin'],
  ['tpm-key-password', 'cert-selector'],
  ['tpm-key-password', 'reuse-pin'],
  ['no-tpm-key-password', 'cert-selector'],
  ['no-tpm-key-password', 'tpm-key-password'],
  ['pkcs8-password', 'tpm-key-password'],
];

/**
 * The pairs credential-process, serve and update refuse together, as the reference declares them (the key
 * flags' and --intermediates'), with the secret files'. A pair counts only flags given on the command line,
 * not defaults.
 */
export const CREDENTIAL_EXCLUSIONS: Exclusions<typeof CREDENTIAL_FLAGS> = withSecretFiles([
  ...KEY_EXCLUSIONS,
  ['use-latest-expiring-certificate', 'intermediates'],
  ['cert-selector', 'intermediates'],
]);

/** The first violated pair, as the reference's flag library finds it (by the pair's text); undefined if none. */
export function violatedExclusion(pairs: readonly (readonly [string, string])[], isSet: (flag: string) => boolean): readonly [string, string] | undefined {
  return pairs
    .filter(([a, b]) => isSet(a) && isSet(b))
    .map((pair) => ({ pair, key: pair.join(' ') }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))[0]?.pair;
}

/**
 * The first violated pair, worded as the reference's flag library words it:
 * `if any flags in the group [a b] are set none of the others can be; [a b] were all set`.
 */
export function exclusionViolation(pairs: readonly (readonly [string, string])[], isSet: (flag: string) => boolean): string | undefined {
  const violated = violatedExclusion(pairs, isSet);
  if (!violated) return undefined;
  const [a, b] = violated;
  return `if any flags in the group [${a} ${b}] are set none of the others can be; [${[a, b].sort().join(' ')}] were all set`;
}

/** Messages from below the CLI name options by their flags (src/optionNames.ts); a roles file's settings are named so too. */
export const FLAG_OF_OPTION: Readonly<Record<Parameters<OptionNaming>[0], string>> = {
  certificate: 'certificate',
  privateKey: 'private-key',
  intermediates: 'intermediates',
  certSelector: 'cert-selector',
  pkcs8Password: 'pkcs8-password',
  pkcs12Password: 'pkcs12-password',
  pkcs11Lib: 'pkcs11-lib',
  reusePin: 'reuse-pin',
  tpmKeyPassword: 'tpm-key-password',
  noTpmKeyPassword: 'no-tpm-key-password',
  trustAnchorArn: 'trust-anchor-arn',
  profileArn: 'profile-arn',
  roleArn: 'role-arn',
  durationSeconds: 'session-duration',
  roleSessionName: 'role-session-name',
  region: 'region',
  endpoint: 'endpoint',
  assumeRoleArn: 'assume-role-arn',
  assumeRoleSessionName: 'assume-role-session-name',
  externalId: 'external-id',
  assumeRoleDurationSeconds: 'assume-role-duration',
  assumeRoleTags: 'assume-role-tag',
  assumeRoleTransitiveTagKeys: 'assume-role-transitive-tag-key',
  stsEndpoint: 'sts-endpoint',
  fallbacks: 'fallback',
  verifyTls: 'no-verify-ssl',
  trustAnchorCertificate: 'trust-anchor-certificate',
  crl: 'crl',
  useFipsEndpoint: 'use-fips-endpoint',
  useDualstackEndpoint: 'use-dualstack-endpoint',
};

/**
 * An element of a list flag by its place from 1 (`--fallback #1`), a field by the part's name (`--fallback #1: sts-endpoint`).
 * A secret a hint offers is named by its file flag first (`--pkcs8-password-file, --pkcs8-password`).
 */
export const flagNaming: OptionNaming = (option, index, part, offered) => {
  const fileFlag = offered ? FILE_FLAG_OF_OPTION[option] : undefined;
  return `${fileFlag ? `--${fileFlag}, ` : ''}--${FLAG_OF_OPTION[option]}${index === undefined ? '' : ` #${index + 1}${part ? `: ${FLAG_OF_OPTION[part]}` : ''}`}`;
};

/** The flags that give a secret option from a file (or standard input) rather than on the command line. */
const FILE_FLAG_OF_OPTION: Partial<Record<OptionName, string>> = Object.fromEntries(
  Object.entries(SECRET_FLAG_OPTIONS).map(([flag, option]) => [option, `${flag}-file`]),
);

/**
 * The naming of one command line: an option given through its file flag is named by that flag, so that
 * `incorrect TPM key password (given with --tpm-key-password-file)` says where the password came from.
 */
export function flagNamingFor(given: ReadonlySet<string>): OptionNaming {
  return (option, index, part, offered) => {
    const fileFlag = FILE_FLAG_OF_OPTION[option];
    return fileFlag && !offered && given.has(fileFlag) ? `--${fileFlag}` : flagNaming(option, index, part, offered);
  };
}
