import { CREDENTIAL_FLAGS, ROUTE_FLAGS } from '../../flags.js';

/** The flags of update's command line. */
export const UPDATE_FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...ROUTE_FLAGS,
  profile: { type: 'string', default: 'default', help: 'Profile in the credentials file to write' },
  once: { type: 'bool', help: 'Write the credentials once and exit' },
} as const;
