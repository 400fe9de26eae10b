import { defineCommand } from '../../command.js';
import { CREDENTIAL_EXCLUSIONS } from '../../flags.js';
import { CREDENTIAL_PROCESS_FLAGS } from './flags.js';
import { run } from './run.js';

/** In the main bundle: it runs on every AWS CLI call. */
export const credentialProcessCommand = defineCommand({
  name: 'credential-process',
  summary: 'Retrieve AWS credentials in the format the AWS CLI and SDKs expect from credential_process',
  flags: CREDENTIAL_PROCESS_FLAGS,
  exclusions: CREDENTIAL_EXCLUSIONS,
  load: async () => run,
});
