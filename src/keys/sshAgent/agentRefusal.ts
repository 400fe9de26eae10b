import type { AgentKey } from './agentKey.js';

/**
 * The entry to sign with after the agent refused `refused`, from its keys listed just after: another entry
 * of the same key (same fingerprint) when the refused one has left, as when the plain key is removed while
 * its OpenSSH certificate stays, or a short-lived certificate expires and is renewed. An entry still held
 * was refused for what it is (ssh-add -c), and another entry of the key would be too.
 */
export function replacementEntry(refused: AgentKey, keys: readonly AgentKey[]): AgentKey | undefined {
  if (keys.some((held) => held.blob.equals(refused.blob))) return undefined;
  return keys.find((held) => held.fingerprint === refused.fingerprint && !held.problem);
}

/**
 * Why the agent refused to sign with `refused`, told apart by what it lists just after. OpenSSH refuses
 * every key while locked (ssh-add -x), and then lists none. It lists, yet will not sign with, a key added
 * with ssh-add -c whose confirmation was denied or could not be shown, and one added with ssh-add -h
 * (OpenSSH 8.9+), which signs only on a connection bound to an SSH session, as the helper's never is;
 * other agents refuse a key whose Touch ID, 1Password, pinentry or touch prompt was cancelled or timed out.
 */
export function refusalReason(refused: AgentKey, keys: readonly AgentKey[]): string {
  if (keys.length === 0) return 'the agent refused, and now lists no keys: it is locked (ssh-add -X unlocks it) or was emptied';
  if (!keys.some((held) => held.blob.equals(refused.blob))) return 'the agent refused: the key is no longer in the agent';
  return (
    'the agent refused a key it holds: a confirmation, touch or unlock it asked for was denied, cancelled or timed out ' +
    '(Secretive, 1Password, gpg-agent, a YubiKey; OpenSSH for a key added with ssh-add -c), or the key is for ' +
    'given hosts only (ssh-add -h), which this helper cannot use' +
    // An agent must refuse flags it does not know (draft-ietf-sshm-ssh-agent): one without SHA-2 refuses them.
    (refused.type === 'ssh-rsa' ? ', or it cannot make RSA signatures over SHA-2 (rsa-sha2-256/512, RFC 8332), as old agents cannot' : '')
  );
}
