import { KEY_FLAGS } from '../../flags.js';

/** The flags of signString's command line. */
export const SIGN_STRING_FLAGS = {
  ...KEY_FLAGS,
  format: { type: 'enum', default: 'json', values: ['json', 'text', 'bin'], help: 'Output format. One of json, text, and bin' },
  digest: { type: 'enum', default: 'SHA256', values: ['SHA256', 'SHA384', 'SHA512'], help: 'One of SHA256, SHA384, and SHA512' },
} as const;
