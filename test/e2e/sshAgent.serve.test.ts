import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import type { KeyAlgorithm } from '../../src/emulator/pki/generateKey.js';
import { credentialsOverRefreshes } from '../support/imdsClient.js';
import { startServe } from '../support/longRunning.js';
import { Scenario } from '../support/scenario.js';
import { SshAgent } from '../support/sshAgent.js';

/**
 * `serve` with keys in OpenSSH's ssh-agent, over several refreshes (four-second credentials): each refresh
 * is a new signature by the agent, verified by the emulator, and served to IMDS clients.
 */
let scenario: Scenario;
let agent: SshAgent;
let shortLived: RunningEmulator;

beforeAll(async () => {
  scenario = await Scenario.start();
  shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
  agent = await SshAgent.start(scenario.workspace.path('agent.sock'));
});
afterAll(async () => {
  await agent?.stop();
  await scenario?.stop();
});

/** serve with the agent's key of the certificate, against the emulator whose credentials are short-lived. */
function serveWithAgentKey(certPath: string) {
  return startServe(
    [
      '--certificate', certPath, '--private-key', 'ssh-agent',
      ...scenario.sessionFlags(shortLived.url),
    ],
    agent.env,
  );
}

describe('serve with a key in the ssh-agent', () => {
  it.each<KeyAlgorithm>(['ec-p256', 'rsa-2048'])('%s: every refresh is signed by the agent and served', async (algorithm) => {
    const leaf = await scenario.leaf(`serve-${algorithm}`, { keyAlgorithm: algorithm });
    agent.add(leaf.keyPath);
    const running = await serveWithAgentKey(leaf.certPath);
    try {
      const seen = await credentialsOverRefreshes(running.url, () => shortLived.issued.length, 3);
      expect(seen.size).toBeGreaterThanOrEqual(2);
      for (const accessKeyId of seen) expect(shortLived.issued.map((issued) => issued.accessKeyId)).toContain(accessKeyId);
      expect(shortLived.issued.at(-1)!.sourceIdentity).toBe(`CN=serve-${algorithm}`);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });

  it('goes on when the key it signs with leaves the agent and another entry of it stays (its OpenSSH certificate)', async () => {
    const leaf = await scenario.leaf('serve-replaced', { keyAlgorithm: 'ec-p256' });
    agent.addWithCertificate(leaf.keyPath);
    const running = await serveWithAgentKey(leaf.certPath);
    try {
      await credentialsOverRefreshes(running.url, () => shortLived.issued.length, 1);
      agent.removePlainKey(leaf.keyPath);
      await credentialsOverRefreshes(running.url, () => shortLived.issued.length, 2);
      expect(shortLived.issued.at(-1)!.sourceIdentity).toBe('CN=serve-replaced');
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });
});
