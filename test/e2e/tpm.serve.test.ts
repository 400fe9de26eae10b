import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { credentialsOverRefreshes } from '../support/imdsClient.js';
import { startServe } from '../support/longRunning.js';
import { ARNS, Scenario } from '../support/scenario.js';
import { Swtpm, certifyTpmKey } from '../support/swtpm.js';

/** `serve` with TPM keys over several refreshes: every refresh signs in the TPM and leaves nothing there. */
let swtpm: Swtpm;
let scenario: Scenario;
let emulator: RunningEmulator;

beforeAll(async () => {
  [swtpm, scenario] = await Promise.all([Swtpm.start(), Scenario.start()]);
  // Four-second credentials: serve refreshes them every two seconds.
  emulator = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
});
afterAll(async () => {
  await swtpm?.stop();
  await scenario?.stop();
});

const certificateFor = (name: string, key: string, password?: string) => certifyTpmKey(swtpm, scenario, name, key, password);

async function serveAndWatch(keyFlags: string[], env: Record<string, string>) {
  const running = await startServe(
    [...keyFlags, '--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--role-arn', ARNS.roleArn, '--endpoint', emulator.url],
    { ...swtpm.env, ...env },
  );
  try {
    const seen = await credentialsOverRefreshes(running.url, () => emulator.issued.length, 2, 500);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(swtpm.handles('handles-transient')).toEqual([]);
    expect(swtpm.handles('handles-loaded-session')).toEqual([]);
  } finally {
    expect(await running.stop()).toBe(0);
  }
  expect(running.stderr()).not.toContain('tpm-password');
}

describe('serve with a TPM key', () => {
  it('a TSS2 key file with a password: two refreshes, nothing left in the TPM', async () => {
    const key = swtpm.createKeyFile(scenario.workspace.path('serve-ec.pem'), { algorithm: 'EC', password: 'tpm-password' });
    const certificate = await certificateFor('serve-tpm-ec', key, 'tpm-password');
    await serveAndWatch(['--certificate', certificate, '--private-key', key], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'tpm-password' });
  });

  it('a persistent handle: two refreshes, nothing left in the TPM', async () => {
    swtpm.createPersistentKey('0x81000111', 'rsa2048:null:null');
    const certificate = await certificateFor('serve-tpm-handle', 'handle:0x81000111');
    await serveAndWatch(['--certificate', certificate, '--private-key', 'handle:0x81000111', '--no-tpm-key-password'], {});
  });
});
