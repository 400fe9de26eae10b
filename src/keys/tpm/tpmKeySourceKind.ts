import type { KeySourceKind } from '../keySource.js';
import { isTpmHandle } from './tpmHandleSyntax.js';

const TSS2_BLOCK = '-----BEGIN TSS2 PRIVATE KEY-----';

/** `--private-key handle:0x81...`, or a TSS2 key file (as the key, or combined with the certificate). */
export const tpmKeySourceKind: KeySourceKind = {
  chosen: 'attempting to use TPMv2Signer',
  what: 'a TPM key',
  passwords: ['tpmKeyPassword', 'noTpmKeyPassword'],
  claims: ({ privateKey }, keyFile) => isTpmHandle(privateKey) || keyFile().includes(TSS2_BLOCK),
  open: async (options, context) => (await import('./tpmKeySource.js')).openTpmKeySource(options, context),
};
