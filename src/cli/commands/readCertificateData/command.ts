import { defineCommand } from '../../command.js';
import { KEY_FLAGS } from '../../flags.js';

export const READ_CERTIFICATE_DATA_FLAGS = {
  certificate: KEY_FLAGS.certificate,
  'cert-selector': KEY_FLAGS['cert-selector'],
  'system-store-name': KEY_FLAGS['system-store-name'],
  'pkcs11-lib': KEY_FLAGS['pkcs11-lib'],
  debug: KEY_FLAGS.debug,
} as const;

export const readCertificateDataCommand = defineCommand({
  name: 'read-certificate-data',
  summary: "Print a certificate's data (or list the matching certificates of a PKCS#11 token)",
  flags: READ_CERTIFICATE_DATA_FLAGS,
  exclusions: [
    ['certificate', 'cert-selector'],
    ['certificate', 'system-store-name'],
  ],
  load: async () => (await import('./run.js')).run,
});
