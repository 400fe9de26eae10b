import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { logIn } from '../../../../src/keys/pkcs11/login.js';
import type { Pkcs11Api } from '../../../../src/keys/pkcs11/module.js';
import { Pins } from '../../../../src/keys/pkcs11/pin.js';
import type { Token } from '../../../../src/keys/pkcs11/slots.js';
import { parsePkcs11Uri } from '../../../../src/keys/pkcs11/uri.js';

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

describe('logIn', () => {
  it('takes only an incorrect PIN for refused: a login that failed otherwise (the device) tries the PIN again next time (QA mutation testing)', async () => {
    const outcomes = [pkcs11js.CKR_DEVICE_ERROR, pkcs11js.CKR_PIN_INCORRECT];
    const logins: string[] = [];
    const api = {
      C_Login: (_session: Buffer, _type: number, pin: string) => {
        logins.push(pin);
        const code = outcomes.shift()!;
        throw new pkcs11js.Pkcs11Error(code === pkcs11js.CKR_DEVICE_ERROR ? 'CKR_DEVICE_ERROR' : 'CKR_PIN_INCORRECT', code, 'C_Login');
      },
    } as unknown as Pkcs11Api;
    const pins = new Pins({ uris: [parsePkcs11Uri('pkcs11:token=flaky?pin-value=1234')], interactive: false, reusePin: false, env: {} });
    const login = () => logIn(api, Buffer.alloc(0), token, pins, 'the key');
    await expect(login()).rejects.toThrow('user authentication failed (pkcs11: 0x30: CKR_DEVICE_ERROR)');
    await expect(login()).rejects.toThrow('user authentication failed (pkcs11: 0xA0: CKR_PIN_INCORRECT)');
    await expect(login()).rejects.toThrow("PIN from the URI's pin-value, refused before: not sent again");
    expect(logins).toEqual(['1234', '1234']);
  });
});
