import { defineCommand } from '../../command.js';

export const completionCommand = defineCommand({
  name: 'completion',
  summary: 'Generate the autocompletion script for the specified shell (bash, zsh, fish, powershell)',
  usage: '[bash|zsh|fish|powershell]',
  flags: {},
  load: async () => (await import('./run.js')).run,
});
