import { copyFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { credentialsOverRefreshes, imdsCredentials } from '../support/imdsClient.js';
import { startServe } from '../support/longRunning.js';
import { ARN_FLAGS, Scenario } from '../support/scenario.js';
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
    [...keyFlags, ...ARN_FLAGS, '--endpoint', emulator.url],
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

  it("reads its password file again once the TPM refused what it held, sending the refused one no more: a corrected file needs no restart (hardware QA)", async () => {
    const keyPath = scenario.workspace.path('renewing.pem');
    const certPath = scenario.workspace.path('renewing-cert.pem');
    const passwordFile = scenario.workspace.path('renewing.pw');
    const old = swtpm.createKeyFile(scenario.workspace.path('renewing-old.pem'), { algorithm: 'EC', password: 'old-password' });
    const renewed = swtpm.createKeyFile(scenario.workspace.path('renewing-new.pem'), { algorithm: 'EC', password: 'new-password' });
    const oldCert = await certificateFor('renewing-1', old, 'old-password');
    const renewedCert = await certificateFor('renewing-2', renewed, 'new-password');
    copyFileSync(old, keyPath);
    copyFileSync(oldCert, certPath);
    writeFileSync(passwordFile, 'old-password\n', { mode: 0o600 });
    const running = await startServe(
      ['--certificate', certPath, '--private-key', keyPath, '--tpm-key-password-file', passwordFile,
        ...ARN_FLAGS, '--endpoint', emulator.url],
      swtpm.env,
    );
    // Wrong passwords counted for the test's length (the suite's TPM forgets one a second).
    swtpm.countWrongPasswords();
    const before = swtpm.lockoutCounter();
    try {
      // The key is renewed with a new password before the file is.
      copyFileSync(renewed, keyPath);
      copyFileSync(renewedCert, certPath);
      await running.waitFor(/incorrect TPM key password \(given with --tpm-key-password-file\)/);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(running.stderr()).toMatch(/refused before: not sent again/);
      expect(swtpm.lockoutCounter()).toBe(before + 1);
      const issued = emulator.issued.length;
      writeFileSync(passwordFile, 'new-password\n');
      // serve retries a key that failed after 15 s.
      const deadline = Date.now() + 20_000;
      while (emulator.issued.length === issued && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(emulator.issued.length, running.stderr()).toBeGreaterThan(issued);
      // And at the refreshes after (review: the corrected password was refused again after one signature).
      const corrected = emulator.issued.length;
      while (emulator.issued.length < corrected + 2 && Date.now() < deadline + 10_000) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(emulator.issued.length, running.stderr()).toBeGreaterThanOrEqual(corrected + 2);
      expect((await imdsCredentials(running.url)).status).toBe(200);
      expect(swtpm.lockoutCounter()).toBe(before + 1);
    } finally {
      expect(await running.stop()).toBe(0);
      swtpm.forgiveWrongPasswords();
    }
    expect(running.stderr()).not.toMatch(/old-password|new-password/);
    // Each tool's 4-second notice is for a TPM that does not answer, not for every run (QA mutation testing).
    expect(running.stderr()).not.toContain('waiting for the TPM');
  }, 120_000);

  it('a persistent handle: two refreshes, nothing left in the TPM', async () => {
    swtpm.createPersistentKey('0x81000111', 'rsa2048:null:null');
    const certificate = await certificateFor('serve-tpm-handle', 'handle:0x81000111');
    await serveAndWatch(['--certificate', certificate, '--private-key', 'handle:0x81000111', '--no-tpm-key-password'], {});
  });
});
