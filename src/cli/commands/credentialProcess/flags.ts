import { CREDENTIAL_FLAGS, ROUTE_FLAGS } from '../../flags.js';

/** The flags of credential-process's command line. */
export const CREDENTIAL_PROCESS_FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...ROUTE_FLAGS,
  cache: { type: 'bool', help: 'Share credentials between runs in a per-user cache, refreshed when 15 minutes are left' },
} as const;
