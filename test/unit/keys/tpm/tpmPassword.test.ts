import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GivenPasswordRefusedError } from '../../../../src/keys/tpm/tpmError.js';
import { TpmKeyPassword, type TpmPasswordOptions } from '../../../../src/keys/tpm/tpmPassword.js';

const password = (options: Partial<TpmPasswordOptions>) =>
  new TpmKeyPassword({ password: undefined, noPassword: false, env: {}, interactive: false, ...options });
const env = { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'from-env' };

describe('TpmKeyPassword', () => {
  it('takes tpmKeyPassword first, then noTpmKeyPassword, then the environment', async () => {
    expect(await password({ password: 'flag', noPassword: true, env }).value(true)).toBe('flag');
    expect(await password({ noPassword: true, env }).value(true)).toBe('');
    expect(await password({ env }).value(true)).toBe('from-env');
  });

  it('gives no password for a key file whose emptyAuth is TRUE, whatever else is set', async () => {
    expect(await password({ env }).value(false)).toBe('');
  });

  it('ignores an empty environment variable', async () => {
    await expect(password({ env: { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: '' } }).value(true)).rejects.toThrow('unable to read your TPM key password');
  });

  it('without a password or a terminal, says how to give one', async () => {
    await expect(password({}).value(true)).rejects.toThrow(
      'unable to read your TPM key password (no terminal may be used); give it with tpmKeyPassword or ' +
        "AWS_ROLESANYWHERE_TPM_KEY_PASSWORD, or use tpmKeyPassword: '' if the key has none",
    );
  });

  it.each([
    [{ password: 'flag-secret' }, true, 'incorrect TPM key password (given with tpmKeyPassword)'],
    [{ env: { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'env-secret' } }, true, 'incorrect TPM key password (from AWS_ROLESANYWHERE_TPM_KEY_PASSWORD)'],
    [{ noPassword: true }, true, "incorrect TPM key password: the key has a password, but tpmKeyPassword: '' says it has none"],
    [{}, false, 'incorrect TPM key password: the key has a password, but its key file says it has none (emptyAuth)'],
  ] as const)('after a refusal of a password not typed (%j), says where it came from', async (options, required, message) => {
    const source = password(options);
    await source.value(required);
    const refusal = source.afterRefusal();
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.not.toThrow(/secret/);
    // Not sent again by this process (each wrong try counts toward the TPM's lockout; QA mutation testing).
    await expect(refusal).rejects.toBeInstanceOf(GivenPasswordRefusedError);
  });

  it("adds what is left of the TPM's lockout allowance to the refusal of a password given", async () => {
    const given = password({ password: 'flag-secret' });
    await given.value(true);
    await expect(given.afterRefusal({ lockedOut: false, text: 'the TPM locks out after 2 more wrong passwords' })).rejects.toThrow(
      'incorrect TPM key password (given with tpmKeyPassword); the TPM locks out after 2 more wrong passwords',
    );
  });

  it('reads its password file again after a refusal, and gives what it holds once that changed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-tpm-pw-'));
    try {
      const file = join(folder, 'pw');
      writeFileSync(file, 'old\n', { mode: 0o600 });
      const source = password({ password: 'old', passwordFile: file });
      expect(source.givenAnew()).toBe(false);
      await source.value(true);
      await expect(source.afterRefusal()).rejects.toBeInstanceOf(GivenPasswordRefusedError);
      expect(source.givenAnew()).toBe(false);
      writeFileSync(file, 'new\n');
      expect(source.givenAnew()).toBe(true);
      expect(await source.value(true)).toBe('new');
      expect(source.givenAnew()).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
