import type { KeyNaming } from '../keySource.js';
import { namesAgentKey, parseAgentKeySelector } from './keySelector.js';

/** `ssh-agent` or `ssh-agent:SHA256:<fingerprint>`, for a key held by the agent. */
export const sshAgentNaming = {
  namesKey: namesAgentKey,
  checkKeyName: parseAgentKeySelector,
} satisfies KeyNaming;
