import { defineCommand } from '../../command.js';
import { READ_CERTIFICATE_DATA_FLAGS } from './flags.js';

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
