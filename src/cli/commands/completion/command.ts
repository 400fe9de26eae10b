import { defineCommand } from '../../command.js';
import { LOG_FLAGS } from '../../flags.js';

export const completionCommand = defineCommand({
  name: 'completion',
  summary: 'Generate the autocompletion script for the specified shell (bash, zsh, fish, powershell)',
  usage: '[bash|zsh|fish|powershell]',
  flags: LOG_FLAGS,
  load: async () => (await import('./run.js')).run,
});
