import { defineCommand } from '../../command.js';
import { CREDENTIAL_EXCLUSIONS } from '../../flags.js';
import { UPDATE_FLAGS } from './flags.js';

export const updateCommand = defineCommand({
  name: 'update',
  summary: 'Keep a profile of the AWS shared credentials file updated with fresh credentials',
  flags: UPDATE_FLAGS,
  exclusions: CREDENTIAL_EXCLUSIONS,
  load: async () => (await import('./run.js')).run,
});
