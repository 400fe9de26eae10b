import type { RouteInputs } from '../credentials/credentialRoute.js';
import type { RolesAnywhereOptions } from '../credentials/rolesAnywhereSession.js';
import { HelperError } from '../errors.js';
import type { KeySourceOptions } from '../keys/keySource.js';
import { NOT_UTF8 } from '../keys/secretVariables.js';
import { option } from '../optionNames.js';
import { parseFallbackFlag } from './fallbackFlag.js';
import { parseTagFlags } from './tagFlag.js';
import type { CREDENTIAL_FLAGS, FlagValues, KEY_FLAGS, ROUTE_FLAGS } from './flags.js';
import { checkOneStandardInput, flagInput, secretFileFlag, type FlagSources } from './flagSources.js';
import { VERSION } from '../version.js';
import { SECRET_FLAG_OPTIONS, type SecretFlag } from './secretFlags.js';

type KeyFlagValues = Pick<FlagValues<typeof KEY_FLAGS>, 'certificate' | 'private-key' | 'cert-selector' | 'pkcs11-lib'> &
  Partial<FlagValues<typeof KEY_FLAGS>> & { readonly intermediates?: string | undefined };

/** An empty flag value means not given, as in the reference. */
const given = (value: string | undefined) => value || undefined;
/** A secret's file, which the key source reads again (a key renewed on disk may take another secret); standard input is read once. */
const readAgain = (path: string | undefined) => (path === '-' ? undefined : given(path));

/**
 * A password flag's value. Node decodes arguments as UTF-8, each byte that is not as U+FFFD: such a
 * password is refused rather than passed on as another one (a wrong TPM password costs one of its tries).
 */
function secretFlag(flags: KeyFlagValues, flag: SecretFlag): string | undefined {
  const value = flags[flag];
  if (value?.includes('\uFFFD')) throw new HelperError(`unable to use ${option(SECRET_FLAG_OPTIONS[flag])}: ${NOT_UTF8}`);
  return value;
}

/**
 * The key source options of a command's key flags (sign-string has no --intermediates): the
 * certificate, key and chain from files, `env:NAME` or `-`, and the secrets from their flags or files.
 * The secrets' environment variables are read below, where a key turns out to need them.
 */
export function keySourceOptions(flags: KeyFlagValues, sources: FlagSources): KeySourceOptions {
  checkOneStandardInput({
    certificate: flags.certificate,
    'private-key': flags['private-key'],
    intermediates: flags.intermediates,
    'pkcs8-password-file': flags['pkcs8-password-file'],
    'pkcs12-password-file': flags['pkcs12-password-file'],
    'tpm-key-password-file': flags['tpm-key-password-file'],
  });
  return {
    certificate: flagInput(flags.certificate, 'certificate', sources),
    privateKey: flagInput(flags['private-key'], 'private key', sources),
    intermediates: flagInput(flags.intermediates, 'certificate bundle', sources),
    certSelector: flags['cert-selector'],
    pkcs8Password: given(secretFlag(flags, 'pkcs8-password')) ?? secretFileFlag(flags['pkcs8-password-file'], 'pkcs8-password-file', 'PKCS#8 password', sources),
    pkcs8PasswordFile: readAgain(flags['pkcs8-password-file']),
    // given(): an empty one is not given either (it held back AWS_ROLESANYWHERE_PKCS12_PASSWORD, and was
    // refused with a key file); the empty password is still tried when nothing else opens the file.
    pkcs12Password: given(secretFlag(flags, 'pkcs12-password')) ?? secretFileFlag(flags['pkcs12-password-file'], 'pkcs12-password-file', 'PKCS#12 password', sources),
    pkcs12PasswordFile: readAgain(flags['pkcs12-password-file']),
    pkcs11Lib: given(flags['pkcs11-lib']),
    reusePin: flags['reuse-pin'] === true,
    tpmKeyPassword:
      given(secretFlag(flags, 'tpm-key-password')) ?? secretFileFlag(flags['tpm-key-password-file'], 'tpm-key-password-file', 'TPM key password', sources),
    tpmKeyPasswordFile: readAgain(flags['tpm-key-password-file']),
    noTpmKeyPassword: flags['no-tpm-key-password'] === true,
    interactive: true,
  };
}

/** Role chaining and Region fallbacks, for the commands that have the route flags (credential-process, serve, update). */
function routeOptions(flags: Partial<FlagValues<typeof ROUTE_FLAGS>>): RouteInputs {
  return {
    // Not given(): an empty value is refused (src/sts/assumeRoleConfig.ts, src/credentials/credentialRoute.ts),
    // not taken as none: a variable that came out empty would change whose credentials, or from where.
    assumeRoleArn: flags['assume-role-arn'],
    assumeRoleSessionName: flags['assume-role-session-name'],
    externalId: flags['external-id'],
    assumeRoleDurationSeconds: flags['assume-role-duration'],
    // A list flag not given is an empty list: none.
    assumeRoleTags: flags['assume-role-tag']?.length ? parseTagFlags(flags['assume-role-tag']) : undefined,
    assumeRoleTransitiveTagKeys: flags['assume-role-transitive-tag-key']?.length ? flags['assume-role-transitive-tag-key'] : undefined,
    stsEndpoint: flags['sts-endpoint'],
    fallbacks: flags.fallback?.map((text) => parseFallbackFlag(text)),
  };
}

export function rolesAnywhereOptions(
  flags: FlagValues<typeof CREDENTIAL_FLAGS> & Partial<FlagValues<typeof ROUTE_FLAGS>>,
  sources: FlagSources,
): RolesAnywhereOptions {
  return { ...keySourceOptions(flags, sources), ...sessionOptions(flags) };
}

/**
 * The options of rolesAnywhereOptions other than the key's: they read nothing, so that serve can give
 * several roles the key options it read once (standard input can be read only once).
 */
export function sessionOptions(
  flags: FlagValues<typeof CREDENTIAL_FLAGS> & Partial<FlagValues<typeof ROUTE_FLAGS>>,
): Omit<RolesAnywhereOptions, keyof KeySourceOptions> {
  return {
    trustAnchorArn: given(flags['trust-anchor-arn']),
    profileArn: given(flags['profile-arn']),
    roleArn: given(flags['role-arn']),
    durationSeconds: flags['session-duration'],
    roleSessionName: given(flags['role-session-name']),
    region: given(flags.region),
    endpoint: given(flags.endpoint),
    // Undefined unless given: then AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT decide.
    useFipsEndpoint: flags['use-fips-endpoint'],
    useDualstackEndpoint: flags['use-dualstack-endpoint'],
    verifyTls: !flags['no-verify-ssl'],
    ...routeOptions(flags),
    version: VERSION,
  };
}
