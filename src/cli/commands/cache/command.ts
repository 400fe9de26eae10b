import { defineCommand } from '../../command.js';
import { LOG_FLAGS } from '../../flags.js';

export const cacheCommand = defineCommand({
  name: 'cache',
  summary: 'Manage the credential cache of credential-process --cache: `cache clear` drops every entry',
  usage: 'clear',
  flags: LOG_FLAGS,
  load: async () => (await import('./run.js')).run,
});
