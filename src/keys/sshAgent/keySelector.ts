import { HelperError } from '../../errors.js';
import { option } from '../../optionNames.js';
import type { Input } from '../input.js';
import { shownPrefixed } from '../../files/looksLikeContent.js';

const PREFIX = 'ssh-agent';

/** Which agent key to use: the one of the certificate, or the one with this OpenSSH fingerprint. */
export type AgentKeySelector = { readonly by: 'certificate' } | { readonly by: 'fingerprint'; readonly fingerprint: string };

/** Whether the private-key option names an agent key: `ssh-agent` or `ssh-agent:...`. */
export function namesAgentKey(privateKey: Input | undefined): privateKey is string {
  return typeof privateKey === 'string' && (privateKey === PREFIX || privateKey.startsWith(`${PREFIX}:`));
}

/** `ssh-agent`, or `ssh-agent:SHA256:<fingerprint>` as `ssh-add -l` and `ssh-keygen -l` print it (padding optional). */
export function parseAgentKeySelector(value: string): AgentKeySelector {
  if (value === PREFIX) return { by: 'certificate' };
  const match = /^ssh-agent:SHA256:([A-Za-z0-9+/]{43})=?$/.exec(value);
  if (!match) {
    throw new HelperError(
      `invalid ${option('privateKey')} ${shownPrefixed(value)}: expected ssh-agent, or ssh-agent:SHA256:<fingerprint> as ssh-add -l prints it`,
    );
  }
  return { by: 'fingerprint', fingerprint: `SHA256:${match[1]}` };
}
