import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { credentialsOverRefreshes } from '../support/imdsClient.js';
import { startServe } from '../support/longRunning.js';
import { ARNS, Scenario } from '../support/scenario.js';
import { SoftHsm, pkcs11SpyModule, softHsmModule } from '../support/softhsm.js';

/**
 * `serve` with keys on a SoftHSM token, over several refreshes (four-second credentials), through OpenSC's
 * pkcs11-spy so that the test sees every PKCS#11 call the helper makes: one login and one session for the
 * life of the process, as long-running commands should, not one per signature as the reference does.
 */
const TOKEN = 'serve-token';
/** Distinctive, so that finding it in the log cannot be a coincidence (1234 could be a port). */
const PIN = 'pin-c4f1e2';
let hsm: SoftHsm;
let scenario: Scenario;
let shortLived: RunningEmulator;

beforeAll(async () => {
  hsm = new SoftHsm();
  scenario = await Scenario.start();
  shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
  hsm.initToken(TOKEN, PIN);
  await hsm.addIdentity(TOKEN, scenario.ca, 'ec-p256', { id: '01', label: 'ec' }, PIN);
  await hsm.addIdentity(TOKEN, scenario.ca, 'rsa-2048', { id: '02', label: 'rsa' }, PIN);
});
afterAll(async () => {
  await scenario?.stop();
  hsm?.cleanup();
});

describe('serve with a PKCS#11 key', () => {
  it.each([['ec'], ['rsa']])('%s key: refreshes sign with one logged-in session, and SDK-style requests get fresh credentials', async (label) => {
    const spyLog = join(hsm.dir, `spy-${label}.log`);
    const running = await startServe(
      [
        '--certificate', `pkcs11:token=${TOKEN};object=${label}`, '--pkcs11-lib', pkcs11SpyModule(),
        '--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--role-arn', ARNS.roleArn,
        '--endpoint', shortLived.url,
      ],
      { ...hsm.env, PKCS11SPY: softHsmModule, PKCS11SPY_OUTPUT: spyLog, AWS_ROLESANYWHERE_PKCS11_PIN: PIN },
    );
    try {
      const seen = await credentialsOverRefreshes(running.url, () => shortLived.issued.length, 3);
      expect(seen.size).toBeGreaterThanOrEqual(2);
      const calls = (name: string) => readFileSync(spyLog, 'utf8').match(new RegExp(`^\\d+: ${name}$`, 'gm'))?.length ?? 0;
      expect(calls('C_Sign')).toBeGreaterThanOrEqual(3);
      expect(calls('C_Login')).toBe(1);
      expect(calls('C_OpenSession')).toBe(1);
    } finally {
      expect(await running.stop()).toBe(0);
    }
    expect(running.stderr()).not.toContain(PIN);
  });
});
