import { defineCommand } from '../../command.js';
import { LOG_FLAGS } from '../../flags.js';

export const completionCommand = defineCommand({
  name: 'completion',
  arguments: 'used',
  summary: 'Generate the autocompletion script for the specified shell (bash, zsh, fish, powershell)',
  usage: '[bash|zsh|fish|powershell]',
  flags: {
    // cobra's, on every shell's script: taken, as scripts that package completions pass it (these have no descriptions).
    'no-descriptions': { type: 'bool', help: 'disable completion descriptions' },
    ...LOG_FLAGS,
  },
  load: async () => (await import('./run.js')).run,
});
