import { defineCommand } from '../../command.js';
import { CREDENTIAL_EXCLUSIONS, CREDENTIAL_FLAGS } from '../../flags.js';

export const UPDATE_FLAGS = {
  ...CREDENTIAL_FLAGS,
  profile: { type: 'string', default: 'default', help: 'Profile in the credentials file to write' },
  once: { type: 'bool', help: 'Write the credentials once and exit' },
} as const;

export const updateCommand = defineCommand({
  name: 'update',
  summary: 'Keep a profile of the AWS shared credentials file updated with fresh credentials',
  flags: UPDATE_FLAGS,
  exclusions: CREDENTIAL_EXCLUSIONS,
  load: async () => (await import('./run.js')).run,
});
