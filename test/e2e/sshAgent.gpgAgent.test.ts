import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyAlgorithm } from '../../src/emulator/pki/generateKey.js';
import { expectFailure, runCli } from '../support/cli.js';
import { GpgAgent } from '../support/gpgAgent.js';
import { Scenario } from '../support/scenario.js';

/**
 * Keys held by GnuPG's gpg-agent, which speaks the agent protocol on a socket of its own beside its GnuPG
 * sockets (the other tests use OpenSSH's ssh-agent): keys added with ssh-add, certificates from files,
 * credentials issued by the emulator, which verifies every signature.
 */
let scenario: Scenario;
let agent: GpgAgent;

beforeAll(async () => {
  scenario = await Scenario.start();
  agent = GpgAgent.start(scenario.workspace.path('gnupg'));
});
afterAll(async () => {
  agent?.stop();
  await scenario?.stop();
});

const credentialProcess = (keyArgs: string[], env: Record<string, string>) => runCli(['credential-process', ...keyArgs, ...scenario.sessionFlags()], { env });

describe('credential-process with a key in gpg-agent', () => {
  it.each<KeyAlgorithm>(['rsa-2048', 'ec-p256'])('%s: the agent key of the certificate', async (algorithm) => {
    const leaf = await scenario.leaf(`gpg-${algorithm}`, { keyAlgorithm: algorithm });
    agent.add(leaf.keyPath);
    const issued = await scenario.expectCredentialProcess(['--certificate', leaf.certPath, '--private-key', 'ssh-agent'], { env: agent.env });
    expect(issued.sourceIdentity).toBe(`CN=gpg-${algorithm}`);
  });

  it('a key added with ssh-add -c whose confirmation is cancelled', async () => {
    const leaf = await scenario.leaf('gpg-confirm', { keyAlgorithm: 'ec-p256' });
    const fingerprint = agent.add(leaf.keyPath, { confirm: true });
    expectFailure(
      await credentialProcess(['--certificate', leaf.certPath, '--private-key', 'ssh-agent'], agent.env),
      new RegExp(`^unable to sign with ssh-agent key ${fingerprint.replaceAll('+', '\\+')} \\(ECDSA P-256\\) at .*: the agent refused a key it holds: `),
    );
  });

  it("SSH_AUTH_SOCK set to gpg-agent's own socket, not its SSH one: the message says which to use (QA: 'a message of 1330323536 bytes')", async () => {
    const leaf = await scenario.leaf('gpg-wrong-socket', { keyAlgorithm: 'ec-p256' });
    const socket = agent.assuanSocketPath;
    const result = await credentialProcess(['--certificate', leaf.certPath, '--private-key', 'ssh-agent'], { SSH_AUTH_SOCK: socket });
    // Its greeting, `OK Pleased to meet you`, and with some versions its process id.
    const greeting = /\("(OK Pleased to meet you[^"]*)"\)/.exec(result.stderr)?.[1];
    expectFailure(
      result,
      `unable to list the keys of the ssh-agent at ${socket}: it answered in text ("${greeting}"), not the agent protocol: ` +
        "a GnuPG socket; gpg-agent's for SSH is the one gpgconf --list-dirs agent-ssh-socket prints",
    );
  });
});
