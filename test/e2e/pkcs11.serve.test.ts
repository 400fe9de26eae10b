import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { credentialsOverRefreshes } from '../support/imdsClient.js';
import { startCommand, startServe } from '../support/longRunning.js';
import { P11KitServer } from '../support/p11KitServer.js';
import { Scenario } from '../support/scenario.js';
import { SoftHsm, p11KitClientModule, pkcs11SpyModule, softHsmModule, type TokenIdentity } from '../support/softhsm.js';

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
let renewed: TokenIdentity;

/** How many times pkcs11-spy logged a call of `name` to `spyLog`. */
const spyCalls = (spyLog: string, name: string) => readFileSync(spyLog, 'utf8').match(new RegExp(`^\\d+: ${name}$`, 'gm'))?.length ?? 0;

beforeAll(async () => {
  hsm = new SoftHsm();
  scenario = await Scenario.start();
  shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
  hsm.initToken(TOKEN, PIN);
  await hsm.addIdentity(TOKEN, scenario.ca, 'ec-p256', { id: '01', label: 'ec' }, PIN);
  await hsm.addIdentity(TOKEN, scenario.ca, 'rsa-2048', { id: '02', label: 'rsa' }, PIN);
  renewed = await hsm.addIdentity(TOKEN, scenario.ca, 'ec-p256', { id: '03', label: 'renewed' }, PIN);
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
        ...scenario.sessionFlags(shortLived.url),
      ],
      { ...hsm.env, PKCS11SPY: softHsmModule, PKCS11SPY_OUTPUT: spyLog, AWS_ROLESANYWHERE_PKCS11_PIN: PIN },
    );
    try {
      const seen = await credentialsOverRefreshes(running.url, () => shortLived.issued.length, 3);
      expect(seen.size).toBeGreaterThanOrEqual(2);
      const calls = (name: string) => spyCalls(spyLog, name);
      expect(calls('C_Sign')).toBeGreaterThanOrEqual(3);
      expect(calls('C_Login')).toBe(1);
      expect(calls('C_OpenSession')).toBe(1);
    } finally {
      expect(await running.stop()).toBe(0);
    }
    expect(running.stderr()).not.toContain(PIN);
  });

  it('update: each refresh written is signed through the one logged-in session too', async () => {
    const spyLog = join(hsm.dir, 'spy-update.log');
    const credentials = join(hsm.dir, 'credentials');
    const running = startCommand(
      [
        'update', '--certificate', `pkcs11:token=${TOKEN};object=ec`, '--pkcs11-lib', pkcs11SpyModule(),
        ...scenario.sessionFlags(shortLived.url),
      ],
      { ...hsm.env, PKCS11SPY: softHsmModule, PKCS11SPY_OUTPUT: spyLog, AWS_ROLESANYWHERE_PKCS11_PIN: PIN, AWS_SHARED_CREDENTIALS_FILE: credentials },
    );
    try {
      // Four-second credentials, refreshed at half their life: three writes are two refreshes after the first.
      await running.waitFor(/(Credentials will be refreshed at [^\n]*\n[^]*){3}/);
      const calls = (name: string) => spyCalls(spyLog, name);
      expect(calls('C_Sign')).toBeGreaterThanOrEqual(3);
      expect(calls('C_Login')).toBe(1);
      expect(calls('C_OpenSession')).toBe(1);
      expect(shortLived.issued.map((session) => session.accessKeyId)).toContain(/aws_access_key_id = (\S+)/.exec(readFileSync(credentials, 'utf8'))![1]);
    } finally {
      expect(await running.stop()).toBe(0);
    }
    expect(running.stderr()).not.toContain(PIN);
  });

  /** The serial numbers of the certificates the emulator issued credentials to, in order, without repeats. */
  const serialsSeen = () => [...new Set(shortLived.issued.map((session) => BigInt(session.serialNumber).toString(16)))];

  it('a certificate file beside the token key is read again when it is renewed on disk (QA soak: the first one was kept until a restart)', async () => {
    const reissue = async () => scenario.ca.issue({ subject: 'CN=renewed,O=roles-anywhere-helper tests', publicKey: renewed.key.spki });
    const [first, second] = [await reissue(), await reissue()];
    const certificate = join(hsm.dir, 'renewed.pem');
    writeFileSync(certificate, first.pem);
    const running = await startServe(
      [
        '--certificate', certificate, '--private-key', `pkcs11:token=${TOKEN};object=renewed`, '--pkcs11-lib', softHsmModule,
        ...scenario.sessionFlags(shortLived.url),
      ],
      { ...hsm.env, AWS_ROLESANYWHERE_PKCS11_PIN: PIN },
    );
    try {
      writeFileSync(certificate, second.pem);
      await expect.poll(serialsSeen, { timeout: 15_000, interval: 200 }).toContain(second.serialNumberHex.replace(/^0+/, '').toLowerCase());
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });

  it("a certificate renewed on the token is taken once the one held has expired, rather than failing until a restart (QA soak)", async () => {
    const expiring = await scenario.ca.issue({ subject: 'CN=renewed,O=roles-anywhere-helper tests', publicKey: renewed.key.spki, notAfter: new Date(Date.now() + 8_000) });
    const later = await scenario.ca.issue({ subject: 'CN=renewed,O=roles-anywhere-helper tests', publicKey: renewed.key.spki });
    hsm.deleteObjects(TOKEN, 'cert', '03', PIN);
    hsm.writeCertificate(TOKEN, expiring.der, { id: '03', label: 'renewed' }, PIN);
    const running = await startServe(
      [
        '--certificate', `pkcs11:token=${TOKEN};object=renewed`, '--pkcs11-lib', softHsmModule,
        ...scenario.sessionFlags(shortLived.url),
      ],
      { ...hsm.env, AWS_ROLESANYWHERE_PKCS11_PIN: PIN },
    );
    try {
      hsm.deleteObjects(TOKEN, 'cert', '03', PIN);
      hsm.writeCertificate(TOKEN, later.der, { id: '03', label: 'renewed' }, PIN);
      await expect.poll(serialsSeen, { timeout: 25_000, interval: 250 }).toContain(later.serialNumberHex.replace(/^0+/, '').toLowerCase());
    } finally {
      expect(await running.stop()).toBe(0);
    }
  }, 40_000);

  it('through p11-kit-client.so, a p11-kit server restarted while serve runs is reached again (QA: CKR_DEVICE_ERROR until serve was restarted)', async () => {
    const socket = join(hsm.dir, 'p11-kit.sock');
    const start = () => P11KitServer.start(socket, softHsmModule, `pkcs11:token=${TOKEN}`, hsm.env);
    let server = await start();
    const running = await startServe(
      [
        '--certificate', `pkcs11:token=${TOKEN};object=ec`, '--pkcs11-lib', p11KitClientModule(),
        ...scenario.sessionFlags(shortLived.url),
      ],
      { ...server.env, AWS_ROLESANYWHERE_PKCS11_PIN: PIN },
    );
    try {
      await credentialsOverRefreshes(running.url, () => shortLived.issued.length, 1);
      await server.stop();
      server = await start();
      // Every refresh after the restart answers, through the same module, loaded once.
      await credentialsOverRefreshes(running.url, () => shortLived.issued.length, 3);
    } finally {
      expect(await running.stop()).toBe(0);
      await server.stop();
    }
    expect(running.stderr()).not.toMatch(/Error generating credentials|CKR_DEVICE_ERROR/);
  }, 40_000);
});
