import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModule, type Pkcs11Module } from '../../../../src/keys/pkcs11/module.js';
import { TokenSession } from '../../../../src/keys/pkcs11/pkcs11Session.js';
import type { Pins } from '../../../../src/keys/pkcs11/pin.js';
import { presentTokens } from '../../../../src/keys/pkcs11/slots.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { SoftHsm, softHsmModule, USER_PIN } from '../../../support/softhsm.js';

let hsm: SoftHsm;
let module: Pkcs11Module;

beforeAll(() => {
  hsm = new SoftHsm();
  hsm.useInThisProcess();
  hsm.initToken('sessions');
  module = loadModule({ path: softHsmModule }, silentLogger);
});
afterAll(() => {
  module?.release();
  hsm?.cleanup();
});

it("a session opened before the module was initialised anew is gone, and closing it leaves alone the new session that reuses its handle", () => {
  const token = () => presentTokens(module.api, module.path, silentLogger).find((found) => found.label === 'sessions')!;
  const before = TokenSession.open(module, token(), silentLogger);
  expect(before.isAlive()).toBe(true);
  expect(module.reinitialize()).toBe(true);
  const after = TokenSession.open(module, token(), silentLogger);
  expect(after.handle).toEqual(before.handle); // SoftHSM numbers sessions from 1 again
  expect(before.isAlive()).toBe(false);
  before.close();
  expect(after.isAlive()).toBe(true);
  after.close();
  expect(after.isAlive()).toBe(false);
});

/** PINs that count how often the user PIN is asked for (mutation sweep of pkcs11Session.ts). */
function countingPins() {
  const pins = {
    asked: 0,
    userPin: () => {
      pins.asked++;
      return { value: USER_PIN, source: 'the test' };
    },
    refusedBefore: () => false,
    rememberUserPin: () => {},
    refuse: () => {},
  };
  return pins;
}

it('opens a read-only session, logs in once however often asked, and not at all to a token that needs no login (mutation sweep: a read-write session, a login each time or to every token passed)', async () => {
  const token = presentTokens(module.api, module.path, silentLogger).find((found) => found.label === 'sessions')!;
  const session = TokenSession.open(module, token, silentLogger);
  try {
    expect(module.api.C_GetSessionInfo(session.handle).flags & pkcs11js.CKF_RW_SESSION).toBe(0);
    const pins = countingPins();
    await session.logIn(pins as unknown as Pins, 'pkcs11:token=sessions');
    await session.logIn(pins as unknown as Pins, 'pkcs11:token=sessions');
    expect(pins.asked).toBe(1);
  } finally {
    session.close();
  }
  const noLogin = TokenSession.open(module, { ...token, loginRequired: false }, silentLogger);
  try {
    const pins = countingPins();
    await noLogin.logIn(pins as unknown as Pins, 'pkcs11:token=sessions');
    expect(pins.asked).toBe(0);
  } finally {
    noLogin.close();
  }
});
