import { CREDENTIAL_FLAGS, ROUTE_FLAGS } from '../../flags.js';

/** The flags of serve's command line. */
export const SERVE_FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...ROUTE_FLAGS,
  port: { type: 'int', default: 9911, help: 'Port to serve credentials on (0: any free port)' },
  'hop-limit': { type: 'int', default: 64, help: 'IP TTL of the responses (1: they cross no router; a container on a bridge of this host still gets them)' },
  bind: {
    type: 'string',
    default: '127.0.0.1',
    help: 'Address to listen on: 127.0.0.1, ::1, localhost (both); with --ecs also an address that is not a loopback one (0.0.0.0: all)',
  },
  ecs: { type: 'bool', help: 'Serve the container-credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) instead of IMDSv2' },
  'auth-token-file': {
    type: 'string',
    value: 'path',
    help: "With --ecs: file holding the token clients must send (created with a random one if missing; default: a new one per start)",
  },
  'roles-file': { type: 'string', value: 'path', help: 'JSON file of several roles to serve, each with its own ARNs and optionally its own certificate and key' },
} as const;
