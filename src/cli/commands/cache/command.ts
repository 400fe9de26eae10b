import { defineCommand } from '../../command.js';
import { LOG_FLAGS } from '../../flags.js';

export const cacheCommand = defineCommand({
  name: 'cache',
  arguments: 'used',
  summary: 'Manage the credential cache of credential-process --cache: `cache clear` drops every entry',
  usage: 'clear',
  details: `The cache is the credentials/ folder of $ROLES_ANYWHERE_HELPER_CACHE_DIR, else of
$XDG_CACHE_HOME/roles-anywhere-helper, else of ~/.cache/roles-anywhere-helper. Run cache clear when an
emulator starts again (it knows none of the credentials cached from its last run), or to drop the
entries of certificates renewed since.`,
  flags: LOG_FLAGS,
  load: async () => (await import('./run.js')).run,
});
