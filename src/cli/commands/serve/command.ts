import { defineCommand } from '../../command.js';
import { CREDENTIAL_EXCLUSIONS, CREDENTIAL_FLAGS } from '../../flags.js';

export const SERVE_FLAGS = {
  ...CREDENTIAL_FLAGS,
  port: { type: 'int', default: 9911, help: 'Port on 127.0.0.1 to serve credentials on' },
  'hop-limit': { type: 'int', default: 64, help: 'IP TTL of the responses (1 keeps containers behind a bridge out)' },
} as const;

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Serve AWS credentials on a local endpoint compatible with IMDSv2',
  flags: SERVE_FLAGS,
  exclusions: CREDENTIAL_EXCLUSIONS,
  load: async () => (await import('./run.js')).run,
});
