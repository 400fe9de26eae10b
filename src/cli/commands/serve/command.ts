import { defineCommand } from '../../command.js';
import { CREDENTIAL_EXCLUSIONS } from '../../flags.js';
import { SERVE_FLAGS } from './flags.js';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Serve AWS credentials on a local endpoint compatible with IMDSv2',
  flags: SERVE_FLAGS,
  exclusions: CREDENTIAL_EXCLUSIONS,
  load: async () => (await import('./run.js')).run,
});
