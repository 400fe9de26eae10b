import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/log/logger.js';
import { withPasswordRetries } from '../../../../src/keys/tpm/passwordRetries.js';
import type { Tcti } from '../../../../src/keys/tpm/tcti.js';
import { Tpm2ToolError } from '../../../../src/keys/tpm/tpmError.js';
import { withTpmLock } from '../../../../src/keys/tpm/tpmLock.js';

let runtime: string;
let env: Record<string, string>;
const tcti: Tcti = { config: 'swtpm:host=127.0.0.1,port=2321', resourceManaged: false };

beforeEach(() => {
  runtime = mkdtempSync(join(tmpdir(), 'rah-tpm-retries-'));
  env = { XDG_RUNTIME_DIR: runtime };
});

afterEach(() => rmSync(runtime, { recursive: true, force: true }));

const wrongPassword = () => new Tpm2ToolError('tpm2_sign', { responseCode: 0x98e, text: 'authorization failure (0x98e)' });
const noLockoutNote = async () => undefined;

describe('withPasswordRetries', () => {
  it('asks again after a refusal with the TPM unlocked, so that another run signs meanwhile, then attempts anew', async () => {
    const steps: string[] = [];
    const password = {
      value: async () => 'wrong',
      afterRefusal: async () => {
        // Another run of the helper, while this one waits for its user to type the password again.
        steps.push(await withTpmLock(tcti, env, silentLogger, async () => 'another run signs', 200));
        return 'right';
      },
    };
    const signature = await withPasswordRetries(password, true, (auth) =>
      withTpmLock(tcti, env, silentLogger, async () => {
        steps.push(`signs with ${auth}`);
        if (auth === 'wrong') throw wrongPassword();
        return 'signature';
      }),
      noLockoutNote,
    );
    expect(signature).toBe('signature');
    expect(steps).toEqual(['signs with wrong', 'another run signs', 'signs with right']);
  });

  it('passes on what afterRefusal throws (the password was not typed, or typed three times)', async () => {
    const password = { value: async () => 'from-flag', afterRefusal: () => Promise.reject(new Error('incorrect TPM key password (given with --tpm-key-password)')) };
    await expect(withPasswordRetries(password, true, () => Promise.reject(wrongPassword()), noLockoutNote)).rejects.toThrow('given with --tpm-key-password');
  });

  it("passes on what is left of the TPM's lockout allowance after a refusal that counts toward it (a DA-protected key's), and reads none otherwise", async () => {
    const note = { lockedOut: false, text: 'the TPM locks out after 2 more wrong passwords' };
    const notes: unknown[] = [];
    let reads = 0;
    const password = { value: async () => 'wrong', afterRefusal: async (given?: unknown) => (notes.push(given), 'right') };
    const lockout = async () => (reads++, note);
    const refusals = [wrongPassword(), new Tpm2ToolError('tpm2_sign', { responseCode: 0x9a2, text: 'authorization failure without DA implications (0x9a2)' })];
    for (const refusal of refusals) {
      await withPasswordRetries(password, true, async (auth) => {
        if (auth === 'wrong') throw refusal;
        return 'signature';
      }, lockout);
    }
    expect(notes).toEqual([note, undefined]);
    expect(reads).toBe(1);
  });

  it('keeps the refusal when the lockout allowance cannot be read (the TPM held by another run past the wait; review)', async () => {
    const notes: unknown[] = [];
    const password = { value: async () => 'wrong', afterRefusal: async (note?: unknown) => (notes.push(note), Promise.reject(new Error('incorrect TPM key password (given with --tpm-key-password)'))) };
    const held = async () => Promise.reject(new Error('unable to use the TPM: another run of the helper has held it for over 60 s'));
    await expect(withPasswordRetries(password, true, () => Promise.reject(wrongPassword()), held)).rejects.toThrow('incorrect TPM key password');
    expect(notes).toEqual([undefined]);
  });

  it('does not retry other failures, and asks for no password for a key that needs none', async () => {
    const required: boolean[] = [];
    let attempts = 0;
    const password = {
      value: async (needed: boolean) => (required.push(needed), ''),
      afterRefusal: () => Promise.reject(new Error('not asked')),
    };
    const failure = new Tpm2ToolError('tpm2_load', { responseCode: 0x902, text: 'out of memory for object contexts (0x902)' });
    await expect(withPasswordRetries(password, false, () => (attempts++, Promise.reject(failure)), noLockoutNote)).rejects.toBe(failure);
    expect(attempts).toBe(1);
    expect(required).toEqual([false]);
  });
});
