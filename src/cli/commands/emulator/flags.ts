import { LOG_FLAGS, type FlagSet } from '../../flags.js';

/** The flags of the emulator's command line. */
export const EMULATOR_FLAGS = {
  'trust-anchor-certificate': { type: 'string', value: 'path', help: 'CA certificate(s) to trust as one trust anchor (PEM bundle or DER file)' },
  crl: { type: 'string', value: 'path', help: 'CRL signed by that CA (PEM or DER): the serial numbers it lists are refused' },
  config: { type: 'string', value: 'path', help: 'JSON file with trust anchors, profiles and roles for AssumeRole (see below)' },
  port: { type: 'int', default: 0, help: 'Port to listen on; 0 picks a free one' },
  host: { type: 'string', default: '127.0.0.1', help: 'Address to listen on (0.0.0.0: other containers too)' },
  'credential-lifetime': { type: 'int', default: 0, help: 'Issue credentials that expire after 1 to 43200 seconds, whatever was asked (0: as asked), to test refreshes' },
  region: { type: 'string', help: 'Region of the ARNs (default: the config file\'s, or us-east-1)' },
  debug: { type: 'bool', help: 'Log every request answered, not only the refused ones' },
  ...LOG_FLAGS,
} as const satisfies FlagSet;
