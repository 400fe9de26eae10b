import { KEY_FLAGS } from '../../flags.js';

/** The flags of signString's command line. */
export const SIGN_STRING_FLAGS = {
  ...KEY_FLAGS,
  format: { type: 'enum', default: 'json', values: ['json', 'text', 'bin'], help: 'Output format' },
  digest: { type: 'enum', default: 'SHA256', values: ['SHA256', 'SHA384', 'SHA512'], help: 'Digest to sign' },
} as const;
