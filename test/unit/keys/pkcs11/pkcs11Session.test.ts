import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModule, type Pkcs11Module } from '../../../../src/keys/pkcs11/module.js';
import { TokenSession } from '../../../../src/keys/pkcs11/pkcs11Session.js';
import { presentTokens } from '../../../../src/keys/pkcs11/slots.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { SoftHsm, softHsmModule } from '../../../support/softhsm.js';

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
