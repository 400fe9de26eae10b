import type { KeySourceKind } from '../keySource.js';
import { namesAgentKey } from './keySelector.js';

/** `--private-key ssh-agent` or `ssh-agent:SHA256:<fingerprint>`: a key held by the agent at SSH_AUTH_SOCK. */
export const sshAgentKeySourceKind: KeySourceKind = {
  chosen: 'attempting to use the ssh-agent signer',
  what: 'a key held by ssh-agent',
  passwords: [],
  claims: ({ privateKey }) => namesAgentKey(privateKey),
  open: async (options, context) => (await import('./sshAgentKeySource.js')).openSshAgentKeySource(options, context),
};
