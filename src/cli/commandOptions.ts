import type { RouteInputs } from '../credentials/credentialRoute.js';
import type { RolesAnywhereOptions } from '../credentials/rolesAnywhereSession.js';
import type { KeySourceOptions } from '../keys/keySource.js';
import { parseFallbackFlag } from './fallbackFlag.js';
import type { CREDENTIAL_FLAGS, FlagValues, KEY_FLAGS, ROUTE_FLAGS } from './flags.js';
import { VERSION } from '../version.js';

type KeyFlagValues = Pick<FlagValues<typeof KEY_FLAGS>, 'certificate' | 'private-key' | 'cert-selector' | 'pkcs11-lib'> &
  Partial<FlagValues<typeof KEY_FLAGS>> & { readonly intermediates?: string | undefined };

/** An empty flag value means not given, as in the reference. */
const given = (value: string | undefined) => value || undefined;

/** The key source options of a command's key flags (read-certificate-data has only some of them). */
export function keySourceOptions(flags: KeyFlagValues): KeySourceOptions {
  return {
    certificate: given(flags.certificate),
    privateKey: given(flags['private-key']),
    intermediates: given(flags.intermediates),
    certSelector: flags['cert-selector'],
    pkcs8Password: given(flags['pkcs8-password']),
    pkcs12Password: flags['pkcs12-password'],
    pkcs11Lib: given(flags['pkcs11-lib']),
    reusePin: flags['reuse-pin'] === true,
    tpmKeyPassword: given(flags['tpm-key-password']),
    noTpmKeyPassword: flags['no-tpm-key-password'] === true,
    interactive: true,
  };
}

/** Role chaining and Region fallbacks, for the commands that have the route flags (credential-process, serve, update). */
function routeOptions(flags: Partial<FlagValues<typeof ROUTE_FLAGS>>): RouteInputs {
  return {
    assumeRoleArn: given(flags['assume-role-arn']),
    assumeRoleSessionName: given(flags['assume-role-session-name']),
    externalId: given(flags['external-id']),
    assumeRoleDurationSeconds: flags['assume-role-duration'],
    stsEndpoint: given(flags['sts-endpoint']),
    fallbacks: flags.fallback?.map(parseFallbackFlag),
  };
}

export function rolesAnywhereOptions(flags: FlagValues<typeof CREDENTIAL_FLAGS> & Partial<FlagValues<typeof ROUTE_FLAGS>>): RolesAnywhereOptions {
  return {
    ...keySourceOptions(flags),
    trustAnchorArn: given(flags['trust-anchor-arn']),
    profileArn: given(flags['profile-arn']),
    roleArn: given(flags['role-arn']),
    durationSeconds: flags['session-duration'],
    roleSessionName: given(flags['role-session-name']),
    region: given(flags.region),
    endpoint: given(flags.endpoint),
    verifyTls: !flags['no-verify-ssl'],
    ...routeOptions(flags),
    version: VERSION,
  };
}
