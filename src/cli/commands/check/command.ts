import { defineCommand } from '../../command.js';
import { CREDENTIAL_EXCLUSIONS } from '../../flags.js';
import { CHECK_FLAGS } from './flags.js';

export const checkCommand = defineCommand({
  name: 'check',
  summary: "Check a certificate, its key, chain and the ARNs against Roles Anywhere's rules, without calling AWS unless --endpoint is given",
  flags: CHECK_FLAGS,
  arguments: 'refused',
  exclusions: CREDENTIAL_EXCLUSIONS,
  load: async () => (await import('./run.js')).run,
});
