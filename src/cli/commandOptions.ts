import type { RolesAnywhereOptions } from '../credentials/rolesAnywhereSession.js';
import type { KeySourceOptions } from '../keys/resolveKeySource.js';
import { enableDebug } from '../log/logger.js';
import type { FlagValues } from './commandLine.js';
import { VERSION } from './version.js';

const text = (flags: FlagValues, name: string) => (flags[name] as string | undefined) || undefined;

/** Turns --debug on first, so that everything after it can log. */
export function applyDebugFlag(flags: FlagValues): void {
  if (flags.debug) enableDebug();
}

export function keySourceOptions(flags: FlagValues): KeySourceOptions {
  return {
    certificate: text(flags, 'certificate'),
    privateKey: text(flags, 'private-key'),
    intermediates: text(flags, 'intermediates'),
    certSelector: flags['cert-selector'] as string | undefined,
    pkcs8Password: text(flags, 'pkcs8-password'),
    pkcs12Password: flags['pkcs12-password'] as string | undefined,
    pkcs11Lib: text(flags, 'pkcs11-lib'),
    reusePin: flags['reuse-pin'] === true,
    tpmKeyPassword: text(flags, 'tpm-key-password'),
    noTpmKeyPassword: flags['no-tpm-key-password'] === true,
    interactive: true,
  };
}

export function rolesAnywhereOptions(flags: FlagValues): RolesAnywhereOptions {
  return {
    ...keySourceOptions(flags),
    trustAnchorArn: text(flags, 'trust-anchor-arn'),
    profileArn: text(flags, 'profile-arn'),
    roleArn: text(flags, 'role-arn'),
    sessionDuration: flags['session-duration'] as number | undefined,
    roleSessionName: text(flags, 'role-session-name'),
    region: text(flags, 'region'),
    endpoint: text(flags, 'endpoint'),
    verifyTls: !flags['no-verify-ssl'],
    version: VERSION,
  };
}
