/** Every flag of the reference's commands, with its type, default and help, in one table. */
export type FlagType = 'string' | 'bool' | 'int' | 'enum';

export interface FlagSpec {
  readonly type: FlagType;
  readonly help: string;
  readonly default?: string | number;
  /** Allowed values of an enum flag. */
  readonly values?: readonly string[];
}

const FLAG_TABLE = {
  'role-arn': { type: 'string', help: 'Target role to assume' },
  'profile-arn': { type: 'string', help: 'Profile to pull policies from' },
  'trust-anchor-arn': { type: 'string', help: 'Trust anchor to use for authentication' },
  'session-duration': { type: 'int', default: 3600, help: 'Duration, in seconds, for the resulting session (900 to 43200)' },
  region: { type: 'string', help: 'Signing region (default: the trust anchor\'s)' },
  endpoint: { type: 'string', help: 'Endpoint used to call CreateSession' },
  'no-verify-ssl': { type: 'bool', help: 'Skip TLS certificate verification of the endpoint (not recommended)' },
  'with-proxy': { type: 'bool', help: 'Accepted for compatibility: HTTPS_PROXY/HTTP_PROXY/NO_PROXY are always honoured' },
  debug: { type: 'bool', help: 'Log the request, the signing steps and the response (never secrets) to stderr' },
  certificate: { type: 'string', help: 'Path to the certificate file (PEM or DER), a PKCS#12 file, or a pkcs11: URI' },
  'private-key': { type: 'string', help: 'Path to the private key file (PEM or DER), a pkcs11: URI, or handle: for a TPM key' },
  intermediates: { type: 'string', help: 'Path to the intermediate certificates (PEM bundle)' },
  'cert-selector': { type: 'string', help: 'JSON file (file://<path>) or Key=...,Value=... pairs selecting a certificate from an OS store' },
  'system-store-name': { type: 'string', default: 'MY', help: 'Name of the Windows system store to search' },
  'use-latest-expiring-certificate': { type: 'bool', help: 'Pick the latest-expiring certificate when several match' },
  'pkcs11-lib': { type: 'string', help: 'PKCS#11 module (default p11-kit-proxy.so)' },
  'reuse-pin': { type: 'bool', help: 'Use the user PIN as the context-specific PIN of always-authenticate keys' },
  'tpm-key-password': { type: 'string', help: 'Password of the TPM key' },
  'no-tpm-key-password': { type: 'bool', help: 'The TPM key has no password' },
  'role-session-name': { type: 'string', help: 'Name of the role session (2 to 64 characters of [\\w+=,.@-])' },
  'pkcs8-password': { type: 'string', help: 'Password of an encrypted PKCS#8 private key' },
  'pkcs12-password': { type: 'string', help: 'Password of the PKCS#12 file (default: empty)' },
  port: { type: 'int', default: 9911, help: 'Port on 127.0.0.1 to serve credentials on' },
  'hop-limit': { type: 'int', default: 64, help: 'IP TTL of the responses (1 keeps containers behind a bridge out)' },
  profile: { type: 'string', default: 'default', help: 'Profile in the credentials file to write' },
  once: { type: 'bool', help: 'Write the credentials once and exit' },
  format: { type: 'enum', default: 'json', values: ['json', 'text', 'bin'], help: 'Output format' },
  digest: { type: 'enum', default: 'SHA256', values: ['SHA256', 'SHA384', 'SHA512'], help: 'Digest to sign' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAG_TABLE;

export const FLAGS: Readonly<Record<FlagName, FlagSpec>> = FLAG_TABLE;

const KEY_FLAGS = [
  'certificate',
  'private-key',
  'cert-selector',
  'system-store-name',
  'use-latest-expiring-certificate',
  'pkcs11-lib',
  'reuse-pin',
  'tpm-key-password',
  'no-tpm-key-password',
  'pkcs8-password',
  'pkcs12-password',
  'debug',
] as const satisfies readonly FlagName[];

/** The flags of credential-process, serve and update. */
export const CREDENTIAL_FLAGS = [
  'role-arn',
  'profile-arn',
  'trust-anchor-arn',
  'session-duration',
  'region',
  'endpoint',
  'no-verify-ssl',
  'with-proxy',
  'intermediates',
  'role-session-name',
  ...KEY_FLAGS,
] as const satisfies readonly FlagName[];

export const SIGN_STRING_FLAGS = [...KEY_FLAGS, 'format', 'digest'] as const satisfies readonly FlagName[];

export const READ_CERTIFICATE_DATA_FLAGS = [
  'certificate',
  'cert-selector',
  'system-store-name',
  'pkcs11-lib',
  'debug',
] as const satisfies readonly FlagName[];

/**
 * Pairs that cannot be given together, per command, as the reference declares them (spec §1.2–1.4). A pair
 * counts only flags given on the command line, not defaults.
 */
const CREDENTIAL_EXCLUSIONS: readonly (readonly [FlagName, FlagName])[] = [
  ['certificate', 'cert-selector'],
  ['certificate', 'system-store-name'],
  ['private-key', 'cert-selector'],
  ['private-key', 'system-store-name'],
  ['private-key', 'use-latest-expiring-certificate'],
  ['use-latest-expiring-certificate', 'intermediates'],
  ['use-latest-expiring-certificate', 'reuse-pin'],
  ['cert-selector', 'intermediates'],
  ['cert-selector', 'reuse-pin'],
  ['system-store-name', 'reuse-pin'],
  ['tpm-key-password', 'cert-selector'],
  ['tpm-key-password', 'reuse-pin'],
  ['no-tpm-key-password', 'cert-selector'],
  ['no-tpm-key-password', 'tpm-key-password'],
  ['pkcs8-password', 'tpm-key-password'],
];

const SIGN_STRING_EXCLUSIONS: readonly (readonly [FlagName, FlagName])[] = [
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
  ['no-tpm-key-password', 'reuse-pin'],
  ['no-tpm-key-password', 'tpm-key-password'],
  ['pkcs8-password', 'tpm-key-password'],
];

const READ_CERTIFICATE_DATA_EXCLUSIONS: readonly (readonly [FlagName, FlagName])[] = [
  ['certificate', 'cert-selector'],
  ['certificate', 'system-store-name'],
];

export const EXCLUSIONS = {
  credentials: CREDENTIAL_EXCLUSIONS,
  signString: SIGN_STRING_EXCLUSIONS,
  readCertificateData: READ_CERTIFICATE_DATA_EXCLUSIONS,
} as const;

/**
 * The first violated pair, worded as the reference's flag library words it:
 * `if any flags in the group [a b] are set none of the others can be; [a b] were all set`.
 */
export function exclusionViolation(
  pairs: readonly (readonly [FlagName, FlagName])[],
  isSet: (flag: FlagName) => boolean,
): string | undefined {
  const violated = pairs
    .filter(([a, b]) => isSet(a) && isSet(b))
    .map((pair) => ({ pair, key: pair.join(' ') }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))[0];
  if (!violated) return undefined;
  const [a, b] = violated.pair;
  return `if any flags in the group [${a} ${b}] are set none of the others can be; [${[a, b].sort().join(' ')}] were all set`;
}
