import { defineCommand } from '../../command.js';
import { CREDENTIAL_EXCLUSIONS } from '../../flags.js';
import { SERVE_FLAGS } from './flags.js';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Serve AWS credentials on a local endpoint compatible with IMDSv2',
  flags: SERVE_FLAGS,
  exclusions: CREDENTIAL_EXCLUSIONS,
  details: `With --ecs it serves the container-credentials endpoint instead: GET /role/<name> (the role ARN's
last part) with the token of the file it prints as the whole Authorization header.

--roles-file serves several roles; it is JSON:
  {"roles": [{"name": "reader", "role-arn": "arn:..."},
             {"role-arn": "arn:...", "profile-arn": "arn:...", "certificate": "...", "private-key": "..."}]}
A role's settings are named as the flags; the command line gives those it leaves out (its key as a whole).`,
  load: async () => (await import('./run.js')).run,
});
