import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModule } from '../../../../src/keys/pkcs11/module.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { SoftHsm, softHsmModule } from '../../../support/softhsm.js';

let hsm: SoftHsm;

beforeAll(() => {
  hsm = new SoftHsm();
  hsm.useInThisProcess();
  hsm.initToken('host');
});
afterAll(() => hsm?.cleanup());

// Mutation testing: finalising it on release, or on reinitialize, passed every test.
it('leaves initialised a module that the process hosting the library had initialised: neither release nor reinitialize finalises it', () => {
  const host = new pkcs11js.PKCS11();
  host.load(softHsmModule);
  host.C_Initialize();
  try {
    const module = loadModule({ path: softHsmModule }, silentLogger);
    expect(module.reinitialize()).toBe(false);
    module.release();
    // CKR_CRYPTOKI_NOT_INITIALIZED, had either finalised it.
    expect(host.C_GetSlotList(true).map((slot) => host.C_GetTokenInfo(slot).label.trim())).toContain('host');
  } finally {
    host.C_Finalize();
    host.close();
  }
});

it('counts a user once however often it releases the module: its second release finalises nothing another user holds (mutation testing: untested)', () => {
  const first = loadModule({ path: softHsmModule }, silentLogger);
  const second = loadModule({ path: softHsmModule }, silentLogger);
  first.release();
  first.release();
  try {
    expect(second.api.C_GetSlotList(true).map((slot) => second.api.C_GetTokenInfo(slot).label.trim())).toContain('host');
  } finally {
    second.release();
  }
});
