import { defineCommand } from '../../command.js';
import { withSecretFiles, type Exclusions } from '../../flags.js';
import { SIGN_STRING_FLAGS } from './flags.js';

/**
 * As the reference declares them: credential-process's pairs less the chain's, plus no-tpm-key-password/reuse-pin;
 * and the secret files'.
 */
const SIGN_STRING_EXCLUSIONS: Exclusions<typeof SIGN_STRING_FLAGS> = withSecretFiles([
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
]);

export const signStringCommand = defineCommand({
  name: 'sign-string',
  summary: 'Sign a fixed test string with the private key, to check that it can be used',
  flags: SIGN_STRING_FLAGS,
  exclusions: SIGN_STRING_EXCLUSIONS,
  load: async () => (await import('./run.js')).run,
});
