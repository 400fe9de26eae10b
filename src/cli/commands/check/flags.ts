import { CREDENTIAL_FLAGS } from '../../flags.js';

/** The flags of check's command line: credential-process's, and what the trust anchor holds. */
export const CHECK_FLAGS = {
  ...CREDENTIAL_FLAGS,
  endpoint: { ...CREDENTIAL_FLAGS.endpoint, help: 'Also send one CreateSession to this endpoint, and report the answer' },
  'trust-anchor-certificate': { type: 'string', value: 'path', help: "The trust anchor's CA certificates (PEM bundle or DER), to check the chain against" },
  crl: { type: 'string', value: 'path', help: 'A CRL (PEM or DER), as imported into Roles Anywhere, to check revocation against' },
  json: { type: 'bool', help: 'Print the findings as one JSON document' },
} as const;
