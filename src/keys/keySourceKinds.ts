import { fileKeySourceKind } from './file/fileKeySourceKind.js';
import { pkcs12KeySourceKind } from './file/pkcs12KeySourceKind.js';
import type { KeySourceKind } from './keySource.js';
import { pkcs11KeySourceKind } from './pkcs11/pkcs11KeySourceKind.js';
import { sshAgentKeySourceKind } from './sshAgent/sshAgentKeySourceKind.js';
import { tpmKeySourceKind } from './tpm/tpmKeySourceKind.js';

/**
 * Every key source, in the order they are asked whether the options are theirs, as the reference picks its
 * signer (spec §3.1): a pkcs11: URI → the token; `ssh-agent[:...]` → the agent (not in the reference, and
 * before the TPM, whose test reads the key as a file); `handle:` or a TSS2 key file → the TPM; a certificate file
 * that is PKCS#12 → PKCS#12; anything else → key and certificate files. A new key source is a folder under
 * keys/ with its kind, and one line here.
 */
export const KEY_SOURCE_KINDS: readonly KeySourceKind[] = [
  pkcs11KeySourceKind,
  sshAgentKeySourceKind,
  tpmKeySourceKind,
  pkcs12KeySourceKind,
  fileKeySourceKind,
];
