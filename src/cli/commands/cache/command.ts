import { defineCommand } from '../../command.js';

export const cacheCommand = defineCommand({
  name: 'cache',
  summary: 'Manage the credential cache of credential-process --cache: `cache clear` drops every entry',
  usage: 'clear',
  flags: {},
  load: async () => (await import('./run.js')).run,
});
