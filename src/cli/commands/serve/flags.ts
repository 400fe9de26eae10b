import { CREDENTIAL_FLAGS, ROUTE_FLAGS } from '../../flags.js';

/** The flags of serve's command line. */
export const SERVE_FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...ROUTE_FLAGS,
  port: { type: 'int', default: 9911, help: 'Port on 127.0.0.1 to serve credentials on' },
  'hop-limit': { type: 'int', default: 64, help: 'IP TTL of the responses (1 keeps containers behind a bridge out)' },
} as const;
