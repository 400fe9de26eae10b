import { LOG_FLAGS, type FlagSet } from '../../flags.js';

/** The flags of the emulator's command line. */
export const EMULATOR_FLAGS = {
  'trust-anchor-certificate': { type: 'string', value: 'path', help: 'CA certificate(s) to trust as one trust anchor (PEM bundle or DER file)' },
  crl: { type: 'string', value: 'path', help: 'CRL signed by that CA (PEM or DER): the serial numbers it lists are refused' },
  config: { type: 'string', value: 'path', help: 'JSON file with trust anchors, profiles and roles for AssumeRole (see below)' },
  port: { type: 'int', default: 0, help: 'Port on 127.0.0.1 to listen on; 0 picks a free one' },
  region: { type: 'string', help: 'Region of the ARNs (default: the config file\'s, or us-east-1)' },
  debug: { type: 'bool', help: 'Log every request answered, not only the refused ones' },
  ...LOG_FLAGS,
} as const satisfies FlagSet;
