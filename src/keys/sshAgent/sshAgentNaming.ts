import type { KeyNaming } from '../keySource.js';
import { namesAgentKey, parseAgentKeySelector } from './keySelector.js';

/** `ssh-agent` or `ssh-agent:SHA256:<fingerprint>`, for a key held by the agent. */
export const sshAgentNaming = {
  namesKey: namesAgentKey,
  checkKeyName: parseAgentKeySelector,
  // `ssh-agent` takes the certificate's key; a fingerprint may name another, which the agent would use.
  keyIdentity: (name) => (name === 'ssh-agent' ? undefined : name),
} satisfies KeyNaming;
