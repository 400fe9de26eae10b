import { KEY_FLAGS, LOG_FLAGS } from '../../flags.js';

/** The flags of readCertificateData's command line. */
export const READ_CERTIFICATE_DATA_FLAGS = {
  certificate: { ...KEY_FLAGS.certificate, help: 'Path to the certificate file (PEM or DER) or a pkcs11: URI; env:NAME or - for a variable or standard input' },
  'cert-selector': KEY_FLAGS['cert-selector'],
  'system-store-name': KEY_FLAGS['system-store-name'],
  'pkcs11-lib': KEY_FLAGS['pkcs11-lib'],
  debug: KEY_FLAGS.debug,
  ...LOG_FLAGS,
} as const;
