import { defineCommand } from '../../command.js';
import { KEY_EXCLUSIONS, withSecretFiles, type Exclusions } from '../../flags.js';
import { SIGN_STRING_FLAGS } from './flags.js';

/** As the reference declares them: the key flags' pairs and no-tpm-key-password/reuse-pin; and the secret files'. */
const SIGN_STRING_EXCLUSIONS: Exclusions<typeof SIGN_STRING_FLAGS> = withSecretFiles([...KEY_EXCLUSIONS, ['no-tpm-key-password', 'reuse-pin']]);

export const signStringCommand = defineCommand({
  name: 'sign-string',
  summary: 'Sign a fixed test string with the private key, to check that it can be used',
  flags: SIGN_STRING_FLAGS,
  exclusions: SIGN_STRING_EXCLUSIONS,
  load: async () => (await import('./run.js')).run,
});
