import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { logIn, logInForSignature } from '../../../../src/keys/pkcs11/login.js';
import type { Pkcs11Api } from '../../../../src/keys/pkcs11/module.js';
import { Pins } from '../../../../src/keys/pkcs11/pin.js';
import type { Token } from '../../../../src/keys/pkcs11/slots.js';
import { parsePkcs11Uri } from '../../../../src/keys/pkcs11/uri.js';
import { silentLogger } from '../../../../src/log/logger.js';

// The terminal: what is typed at each prompt, in turn, and the prompts shown.
const terminal = vi.hoisted(() => ({ typed: [] as string[], prompts: [] as string[] }));
vi.mock('../../../../src/terminal/prompt.js', async (original) => ({
  ...(await original<typeof import('../../../../src/terminal/prompt.js')>()),
  promptSecret: async (prompt: string) => {
    terminal.prompts.push(prompt);
    return terminal.typed.shift()!;
  },
}));
beforeEach(() => {
  terminal.typed = [];
  terminal.prompts = [];
});

// A module whose C_Login fails as asked: no real token fails a login with CKR_DEVICE_ERROR on demand.
const token: Token = {
  slot: Buffer.alloc(8),
  slotId: 0n,
  slotDescription: 's',
  slotManufacturer: 'm',
  label: 'flaky',
  manufacturer: 'm',
  model: 'x',
  serial: '1',
  loginRequired: true,
};

/** A module whose C_Login answers each login with the next of `outcomes` (CKR_OK: logged in); `logins` the user types and PINs sent. */
function moduleAnswering(...outcomes: number[]) {
  const logins: [userType: number, pin: string][] = [];
  const api = {
    C_Login: (_session: Buffer, userType: number, pin: string) => {
      logins.push([userType, pin]);
      const code = outcomes.shift()!;
      if (code === pkcs11js.CKR_OK) return;
      const name = Object.keys(pkcs11js).find((key) => key.startsWith('CKR_') && pkcs11js[key as keyof typeof pkcs11js] === code)!;
      throw new pkcs11js.Pkcs11Error(name, code, 'C_Login');
    },
  } as unknown as Pkcs11Api;
  return { api, logins };
}

const pinsFor = (uri: string, { interactive = false, reusePin = false } = {}) =>
  new Pins({ uris: [parsePkcs11Uri(uri)], interactive, reusePin, env: {} });

const USER_PROMPT = 'Please enter your user PIN:';
const USER_RETRY = 'Incorrect user PIN. Please re-enter your user PIN:';
const CONTEXT_PIN = 'context-specific PIN for private key object (the key)';
const NOT_SENT_AGAIN = 'refused before: not sent again (each wrong try counts toward locking the PIN)';

describe('logIn', () => {
  it('takes only an incorrect PIN for refused: a login that failed otherwise (the device) tries the PIN again next time (QA mutation testing)', async () => {
    const { api, logins } = moduleAnswering(pkcs11js.CKR_DEVICE_ERROR, pkcs11js.CKR_PIN_INCORRECT);
    const pins = pinsFor('pkcs11:token=flaky?pin-value=1234');
    const login = () => logIn(api, Buffer.alloc(0), token, pins, 'the key');
    await expect(login()).rejects.toThrow('user authentication failed (pkcs11: 0x30: CKR_DEVICE_ERROR)');
    await expect(login()).rejects.toThrow('user authentication failed (pkcs11: 0xA0: CKR_PIN_INCORRECT)');
    await expect(login()).rejects.toThrow("PIN from the URI's pin-value, refused before: not sent again");
    expect(logins.map(([, pin]) => pin)).toEqual(['1234', '1234']);
  });

  // Mutation testing: the attempts' count, the end of the asking on another failure, and the typed PIN
  // remembered were untested below the e2e tests, which did not catch them.
  it('asks three times for a user PIN the token refuses, then gives up', async () => {
    const { api, logins } = moduleAnswering(pkcs11js.CKR_PIN_INCORRECT, pkcs11js.CKR_PIN_INCORRECT, pkcs11js.CKR_PIN_INCORRECT, pkcs11js.CKR_OK);
    terminal.typed = ['1111', '2222', '3333', '1234'];
    const login = logIn(api, Buffer.alloc(0), token, pinsFor('pkcs11:token=flaky', { interactive: true }), 'the key');
    await expect(login).rejects.toThrow(/^user authentication failed \(pkcs11: 0xA0: CKR_PIN_INCORRECT\): the key on token "flaky"/);
    expect(terminal.prompts).toEqual([USER_PROMPT, USER_RETRY, USER_RETRY]);
    expect(logins).toEqual([pkcs11js.CKU_USER, pkcs11js.CKU_USER, pkcs11js.CKU_USER].map((userType, index) => [userType, ['1111', '2222', '3333'][index]]));
  });

  it('asks no more when the token fails a typed PIN otherwise (the device): another PIN would not help', async () => {
    const { api, logins } = moduleAnswering(pkcs11js.CKR_DEVICE_ERROR, pkcs11js.CKR_OK);
    terminal.typed = ['1234', '1234'];
    const login = logIn(api, Buffer.alloc(0), token, pinsFor('pkcs11:token=flaky', { interactive: true }), 'the key');
    await expect(login).rejects.toThrow(/^user authentication failed \(pkcs11: 0x30: CKR_DEVICE_ERROR\): the key/);
    expect(terminal.prompts).toEqual([USER_PROMPT]);
    expect(logins).toHaveLength(1);
  });

  it('remembers a typed PIN that worked: logging in again (the token back) does not ask again', async () => {
    const { api, logins } = moduleAnswering(pkcs11js.CKR_OK, pkcs11js.CKR_OK);
    terminal.typed = ['1234'];
    const pins = pinsFor('pkcs11:token=flaky', { interactive: true });
    await logIn(api, Buffer.alloc(0), token, pins, 'the key');
    await logIn(api, Buffer.alloc(0), token, pins, 'the key');
    expect(terminal.prompts).toEqual([USER_PROMPT]);
    expect(logins.map(([, pin]) => pin)).toEqual(['1234', '1234']);
  });

  it('logs in again with the PIN that worked, not with what its pin-source file holds since (mutation testing: it was read again)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-login-'));
    try {
      const file = join(folder, 'token.pin');
      writeFileSync(file, '1234\n', { mode: 0o600 });
      const { api, logins } = moduleAnswering(pkcs11js.CKR_OK, pkcs11js.CKR_OK);
      const pins = pinsFor(`pkcs11:token=flaky?pin-source=${file}`);
      await logIn(api, Buffer.alloc(0), token, pins, 'the key');
      rmSync(file);
      await logIn(api, Buffer.alloc(0), token, pins, 'the key');
      expect(logins.map(([, pin]) => pin)).toEqual(['1234', '1234']);
    } finally {
      rmSync(folder, { recursive: true });
    }
  });
});

describe('logInForSignature: the context-specific login of an always-authenticate key', () => {
  const signIn = (api: Pkcs11Api, pins: Pins) => logInForSignature(api, Buffer.alloc(0), 'the key', pins, silentLogger);

  it('sends a user PIN reused (--reuse-pin) that the key refused no more, and says so (mutation testing: it was sent again)', async () => {
    const { api, logins } = moduleAnswering(pkcs11js.CKR_PIN_INCORRECT, pkcs11js.CKR_OK);
    const pins = pinsFor('pkcs11:token=flaky?pin-value=1234', { reusePin: true });
    const source = "PIN from the URI's pin-value (";
    await expect(signIn(api, pins)).rejects.toThrow(`user re-authentication failed (pkcs11: 0xA0: CKR_PIN_INCORRECT): the key, ${source}`);
    const refused = signIn(api, pins);
    await expect(refused).rejects.toThrow(`user re-authentication failed: the key, ${source}`);
    await expect(refused).rejects.toThrow(NOT_SENT_AGAIN);
    expect(logins).toEqual([[pkcs11js.CKU_CONTEXT_SPECIFIC, '1234']]);
  });

  it('tries again next time a reused PIN that failed otherwise (the device), not taken for refused (mutation testing: untested)', async () => {
    const { api, logins } = moduleAnswering(pkcs11js.CKR_DEVICE_ERROR, pkcs11js.CKR_OK);
    const pins = pinsFor('pkcs11:token=flaky?pin-value=1234', { reusePin: true });
    await expect(signIn(api, pins)).rejects.toThrow('user re-authentication failed (pkcs11: 0x30: CKR_DEVICE_ERROR): the key');
    await signIn(api, pins);
    expect(logins).toEqual([[pkcs11js.CKU_CONTEXT_SPECIFIC, '1234'], [pkcs11js.CKU_CONTEXT_SPECIFIC, '1234']]);
  });

  it('takes a context-specific login answered "already logged in" for failed: that answer holds for the user login only (mutation testing: untested)', async () => {
    const { api } = moduleAnswering(pkcs11js.CKR_USER_ALREADY_LOGGED_IN);
    const pins = pinsFor('pkcs11:token=flaky?pin-value=1234', { reusePin: true });
    await expect(signIn(api, pins)).rejects.toThrow('user re-authentication failed (pkcs11: 0x100: CKR_USER_ALREADY_LOGGED_IN): the key');
  });

  it('asks on the terminal, as for a retry, for the PIN of a key that refused the one reused, without sending that one again (mutation testing: untested)', async () => {
    const incorrect = pkcs11js.CKR_PIN_INCORRECT;
    const { api, logins } = moduleAnswering(incorrect, incorrect, incorrect, incorrect, pkcs11js.CKR_OK, pkcs11js.CKR_OK);
    terminal.typed = ['1111', '2222', '3333', '5678'];
    const pins = pinsFor('pkcs11:token=flaky?pin-value=1234', { interactive: true, reusePin: true });
    await expect(signIn(api, pins)).rejects.toThrow(/^user re-authentication failed \(pkcs11: 0xA0: CKR_PIN_INCORRECT\): the key$/);
    const retry = `Incorrect ${CONTEXT_PIN}. Please re-enter your ${CONTEXT_PIN}:`;
    expect(terminal.prompts).toEqual([retry, retry, retry]);
    await signIn(api, pins);
    expect(terminal.prompts).toEqual([retry, retry, retry, retry]);
    // Remembered: the next signature's login asks nothing.
    await signIn(api, pins);
    expect(terminal.prompts).toHaveLength(4);
    expect(logins.map(([, pin]) => pin)).toEqual(['1234', '1111', '2222', '3333', '5678', '5678']);
  });

  it('asks no more when the key fails a typed PIN otherwise (the device) (mutation testing: untested)', async () => {
    const { api, logins } = moduleAnswering(pkcs11js.CKR_DEVICE_ERROR, pkcs11js.CKR_OK);
    terminal.typed = ['1234', '1234'];
    await expect(signIn(api, pinsFor('pkcs11:token=flaky', { interactive: true }))).rejects.toThrow(
      'user re-authentication failed (pkcs11: 0x30: CKR_DEVICE_ERROR): the key',
    );
    expect(terminal.prompts).toEqual([`Please enter your ${CONTEXT_PIN}:`]);
    expect(logins).toHaveLength(1);
  });
});
