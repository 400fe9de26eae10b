import { createPublicKey, verify } from 'node:crypto';
import type { Env } from '../../src/context.js';
import { testContext } from '../support/context.js';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySource, SigningIdentity } from '../../src/keys/keySource.js';
import { openTpmKeySource } from '../../src/keys/tpm/tpmKeySource.js';
import { Scenario } from '../support/scenario.js';
import { RSA_STORAGE_TEMPLATE, SIGNING_KEY, Swtpm, certifyTpmKey, encodeTss2KeyFile } from '../support/swtpm.js';
import { silentLogger } from '../../src/log/logger.js';

/**
 * What `serve` and `update` do over hours: one KeySource, `current()` and `sign()` at every refresh. The
 * TPM (no resource manager, three object slots) must hold nothing between refreshes.
 */
let swtpm: Swtpm;
let scenario: Scenario;
let env: Env;

beforeAll(async () => {
  [swtpm, scenario] = await Promise.all([Swtpm.start(), Scenario.start()]);
  env = { ...process.env, ...swtpm.env, AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'long-run' };
});

afterAll(async () => {
  await swtpm?.stop();
  await scenario?.stop();
});

const certificateFor = (name: string, key: string, password?: string) => certifyTpmKey(swtpm, scenario, name, key, password);

function expectVerifies(identity: SigningIdentity, data: Buffer, signature: Buffer) {
  const publicKey = createPublicKey({ key: identity.publicKey.spki, format: 'der', type: 'spki' });
  expect(verify('sha256', data, publicKey, signature)).toBe(true);
}

function expectNothingLoaded() {
  expect(swtpm.handles('handles-transient')).toEqual([]);
  expect(swtpm.handles('handles-loaded-session')).toEqual([]);
}

async function refreshRepeatedly(source: KeySource, times: number) {
  for (let refresh = 0; refresh < times; refresh++) {
    const identity = await source.current();
    const data = Buffer.from(`string to sign, refresh ${refresh}`);
    expectVerifies(identity, data, await identity.sign(data, 'SHA256'));
    expectNothingLoaded();
  }
}

/** The source now has another key than `before`, and signs with it; it is then closed, leaving nothing loaded. */
async function expectSignsWithAnotherKey(source: KeySource, before: SigningIdentity, text: string) {
  const after = await source.current();
  expect(after.publicKey.spki.equals(before.publicKey.spki)).toBe(false);
  const data = Buffer.from(text);
  expectVerifies(after, data, await after.sign(data, 'SHA256'));
  await source.close();
  expectNothingLoaded();
}

describe('one TPM key source over many refreshes', () => {
  it('a key file under the owner hierarchy', async () => {
    const key = swtpm.createKeyFile(scenario.workspace.path('file.pem'), { algorithm: 'EC' });
    const source = await openTpmKeySource({ certificate: await certificateFor('long-file', key), privateKey: key }, testContext(env));
    await refreshRepeatedly(source, 12);
    await source.close();
  });

  it('a password-protected key file, with its password from the environment', async () => {
    const key = swtpm.createKeyFile(scenario.workspace.path('pw.pem'), { algorithm: 'RSA', password: 'long-run' });
    const source = await openTpmKeySource({ certificate: await certificateFor('long-pw', key, 'long-run'), privateKey: key }, testContext(env));
    await refreshRepeatedly(source, 6);
    await source.close();
  });

  it('a persistent key', async () => {
    swtpm.createPersistentKey('0x81000110', 'ecc384:null:null');
    const certificate = await certificateFor('long-handle', 'handle:0x81000110');
    const source = await openTpmKeySource({ certificate, privateKey: 'handle:0x81000110', noTpmKeyPassword: true }, testContext(env));
    await refreshRepeatedly(source, 12);
    await source.close();
  });

  it('signatures asked for at the same time are made one after another, and all verify', async () => {
    const key = swtpm.createKeyFile(scenario.workspace.path('concurrent.pem'), { algorithm: 'EC', curve: 'P-384' });
    const source = await openTpmKeySource({ privateKey: key }, testContext(env));
    const identity = await source.current();
    const data = [...Array(6).keys()].map((n) => Buffer.from(`request ${n}`));
    const signatures = await Promise.all(data.map((d) => identity.sign(d, 'SHA256')));
    signatures.forEach((signature, n) => expectVerifies(identity, data[n]!, signature));
    await source.close();
    expectNothingLoaded();
  });

  it('a renewed key and certificate written over the old files are picked up at the next refresh', async () => {
    const keyPath = scenario.workspace.path('renewed.pem');
    const first = swtpm.createKeyFile(scenario.workspace.path('first.pem'), { algorithm: 'EC' });
    const second = swtpm.createKeyFile(scenario.workspace.path('second.pem'), { algorithm: 'EC' });
    const [firstCert, secondCert] = [await certificateFor('renew-1', first), await certificateFor('renew-2', second)];
    const certPath = scenario.workspace.path('renewed-cert.pem');
    copyFileSync(first, keyPath);
    copyFileSync(firstCert, certPath);
    const source = await openTpmKeySource({ certificate: certPath, privateKey: keyPath }, testContext(env));
    const before = await source.current();
    expect(await source.current()).toBe(before);

    copyFileSync(second, keyPath);
    copyFileSync(secondCert, certPath);
    await expectSignsWithAnotherKey(source, before, 'after renewal');
  });
  it('a certificate renewed for the same key, written over the old file alone, is the one sent from the next refresh (QA mutation testing: serve sent the expired one until restarted)', async () => {
    const key = swtpm.createKeyFile(scenario.workspace.path('kept-key.pem'), { algorithm: 'EC' });
    const spki = swtpm.csrPublicKey(key, '/CN=kept-key');
    const certPath = scenario.workspace.path('kept-key-cert.pem');
    const issued = [await scenario.ca.issue({ subject: 'CN=kept-key', publicKey: spki }), await scenario.ca.issue({ subject: 'CN=kept-key', publicKey: spki })];
    writeFileSync(certPath, issued[0]!.pem);
    const source = await openTpmKeySource({ certificate: certPath, privateKey: key }, testContext(env));
    expect((await source.current()).certificate!.der.equals(issued[0]!.der)).toBe(true);
    writeFileSync(certPath, issued[1]!.pem);
    const after = await source.current();
    expect(after.certificate!.der.equals(issued[1]!.der)).toBe(true);
    const data = Buffer.from('renewed certificate');
    expectVerifies(after, data, await after.sign(data, 'SHA256'));
    await source.close();
  });

  it('intermediates written over the old file are the chain sent from the next refresh (QA mutation testing)', async () => {
    const key = swtpm.createKeyFile(scenario.workspace.path('chained.pem'), { algorithm: 'EC' });
    const [first, second] = [await scenario.ca.issueIntermediate({ subject: 'CN=TPM Issuing CA 1' }), await scenario.ca.issueIntermediate({ subject: 'CN=TPM Issuing CA 2' })];
    const chainPath = scenario.workspace.write('chain.pem', first.certificate.pem);
    const source = await openTpmKeySource({ privateKey: key, intermediates: chainPath }, testContext(env));
    expect((await source.current()).chain.map((c) => c.der)).toEqual([first.certificate.der]);
    writeFileSync(chainPath, second.certificate.pem);
    expect((await source.current()).chain.map((c) => c.der)).toEqual([second.certificate.der]);
    await source.close();
  });

  it('a key file replaced alone, its certificate left as it was, is read again: the next refresh says they no longer match rather than sign with the key no longer on disk (QA mutation testing)', async () => {
    const keyPath = scenario.workspace.path('replaced.pem');
    const first = swtpm.createKeyFile(scenario.workspace.path('replaced-1.pem'), { algorithm: 'EC' });
    const second = swtpm.createKeyFile(scenario.workspace.path('replaced-2.pem'), { algorithm: 'EC' });
    copyFileSync(first, keyPath);
    const certPath = await certificateFor('replaced', keyPath);
    const source = await openTpmKeySource({ certificate: certPath, privateKey: keyPath }, testContext(env));
    await source.current();
    copyFileSync(second, keyPath);
    await expect(source.current()).rejects.toThrow(`private key does not match the certificate: TPM key ${keyPath} is not the key of ${certPath}`);
    await source.close();
    expectNothingLoaded();
  });

  it('a persistent key replaced at its handle, with its renewed certificate, signs from the next refresh (QA mutation testing: the old public area was kept, refused as not the certificate\'s until a restart)', async () => {
    const handle = '0x81000111';
    const certPath = scenario.workspace.path('rotated-handle-cert.pem');
    swtpm.createPersistentKey(handle, 'ecc256:null:null');
    copyFileSync(await certificateFor('rotated-handle-1', `handle:${handle}`), certPath);
    const source = await openTpmKeySource({ certificate: certPath, privateKey: `handle:${handle}`, noTpmKeyPassword: true }, testContext(env));
    const before = await source.current();
    swtpm.tool('tpm2_evictcontrol', ['-Q', '-C', 'o', '-c', handle]);
    swtpm.createPersistentKey(handle, 'ecc256:null:null');
    writeFileSync(certPath, readFileSync(await certificateFor('rotated-handle-2', `handle:${handle}`)));
    await expectSignsWithAnotherKey(source, before, 'after the key was replaced');
  });

  it('close() returns once the signature under way has ended: its tool ended, its work folder removed (QA mutation testing)', async () => {
    const tools = scenario.workspace.path('slow-tools');
    const temporary = scenario.workspace.path('tmp-close');
    mkdirSync(tools);
    mkdirSync(temporary, { mode: 0o700 });
    const started = join(tools, 'started');
    writeFileSync(join(tools, 'tpm2_createprimary'), `#!/bin/sh\necho $$ >${started}.tmp && mv ${started}.tmp ${started}\nexec sleep 600\n`, { mode: 0o755 });
    const key = swtpm.createKeyFile(scenario.workspace.path('closing.pem'), { algorithm: 'EC' });
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
    let tool = 0;
    try {
      const source = await openTpmKeySource({ privateKey: key }, testContext({ ...env, PATH: `${tools}:${process.env.PATH}` }));
      const signing = (await source.current()).sign(Buffer.from('closing'), 'SHA256');
      signing.catch(() => undefined);
      await expect.poll(() => existsSync(started), { timeout: 20_000, interval: 50 }).toBe(true);
      tool = Number(readFileSync(started, 'utf8'));
      expect(readdirSync(temporary).filter((name) => name.startsWith('rah-tpm-'))).toHaveLength(1);
      await source.close();
      expect(readdirSync(temporary).filter((name) => name.startsWith('rah-tpm-'))).toEqual([]);
      await expect(signing).rejects.toThrow('tpm2_createprimary');
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      try {
        if (tool) process.kill(tool, 'SIGKILL');
      } catch {
        // Gone, as it should be.
      }
    }
  });

  it('a key under the RSA-2048 storage key is loaded under it at once from the second signature on: the storage key that worked is remembered (QA mutation testing: two storage keys made for each signature)', async () => {
    const blobs = swtpm.createKeyBlobs(RSA_STORAGE_TEMPLATE, 'ecc256:null:null', SIGNING_KEY);
    const key = scenario.workspace.write('rsa-stored.pem', encodeTss2KeyFile({ emptyAuth: true, publicBlob: blobs.public, privateBlob: blobs.private }));
    const lines: string[] = [];
    const source = await openTpmKeySource({ privateKey: key }, { ...testContext(env), logger: { ...silentLogger, debug: (line: unknown) => lines.push(String(line)) } });
    const identity = await source.current();
    for (const n of [1, 2, 3]) {
      const data = Buffer.from(`signature ${n}`);
      expectVerifies(identity, data, await identity.sign(data, 'SHA256'));
    }
    // The ECC storage key, then the RSA one; then the RSA one alone.
    expect(lines.filter((line) => line.startsWith('TPM: tpm2_createprimary ')).map((line) => /-G (\S+)/.exec(line)?.[1])).toEqual([
      'ecc256:aes128cfb', 'rsa2048:aes128cfb', 'rsa2048:aes128cfb', 'rsa2048:aes128cfb',
    ]);
    await source.close();
    expectNothingLoaded();
  });

  it("close() while a signature waits for the TPM lock another source holds ends the wait at once, the signature refused (QA mutation testing: close waited out the holder)", async () => {
    const tools = scenario.workspace.path('slow-tools-holder');
    mkdirSync(tools);
    const started = join(tools, 'started');
    writeFileSync(join(tools, 'tpm2_createprimary'), `#!/bin/sh\necho $$ >${started}.tmp && mv ${started}.tmp ${started}\nexec sleep 600\n`, { mode: 0o755 });
    const key = swtpm.createKeyFile(scenario.workspace.path('lock-waiter.pem'), { algorithm: 'EC' });
    const holder = await openTpmKeySource({ privateKey: key }, testContext({ ...env, PATH: `${tools}:${process.env.PATH}` }));
    const waiter = await openTpmKeySource({ privateKey: key }, testContext(env));
    let tool = 0;
    try {
      const holding = (await holder.current()).sign(Buffer.from('holding'), 'SHA256');
      holding.catch(() => undefined);
      await expect.poll(() => existsSync(started), { timeout: 20_000, interval: 50 }).toBe(true);
      tool = Number(readFileSync(started, 'utf8'));
      const waiting = (await waiter.current()).sign(Buffer.from('waiting'), 'SHA256');
      waiting.catch(() => undefined);
      await waiter.close();
      await expect(waiting).rejects.toThrow('unable to use the TPM: stopping, while waiting for another run of the helper to finish with it');
    } finally {
      await holder.close();
      try {
        if (tool) process.kill(tool, 'SIGKILL');
      } catch {
        // Gone, as it should be.
      }
    }
    expectNothingLoaded();
  });

  it("a persistent key's public area is read once for each change of the files, not at every refresh or signature (review: tpm2_readpublic counted through PATH)", async () => {
    const handle = '0x81000112';
    const certPath = scenario.workspace.path('counted-handle-cert.pem');
    swtpm.createPersistentKey(handle, 'ecc256:null:null');
    copyFileSync(await certificateFor('counted-handle', `handle:${handle}`), certPath);
    // tpm2_readpublic found first in PATH: the real one, each run noted.
    const bin = scenario.workspace.path('counting-bin');
    const runs = join(bin, 'runs');
    const real = execFileSync('sh', ['-c', 'command -v tpm2_readpublic'], { encoding: 'utf8' }).trim();
    mkdirSync(bin);
    writeFileSync(join(bin, 'tpm2_readpublic'), `#!/bin/sh\necho run >> '${runs}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    const readpublicRuns = () => (existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').length - 1 : 0);
    const source = await openTpmKeySource({ certificate: certPath, privateKey: `handle:${handle}`, noTpmKeyPassword: true }, testContext({ ...env, PATH: `${bin}:${env.PATH}` }));
    await refreshRepeatedly(source, 4);
    expect(readpublicRuns()).toBe(1);
    // The certificate renewed (a new file put in its place): read again, once.
    copyFileSync(await certificateFor('counted-handle-2', `handle:${handle}`), `${certPath}.new`);
    renameSync(`${certPath}.new`, certPath);
    await refreshRepeatedly(source, 3);
    expect(readpublicRuns()).toBe(2);
    await source.close();
  });

  it('signs again once a dictionary-attack lockout is over: only a refused password is not sent again (QA mutation testing)', async () => {
    const key = swtpm.createKeyFile(scenario.workspace.path('lockout-pw.pem'), { algorithm: 'EC', password: 'long-run' });
    const source = await openTpmKeySource({ certificate: await certificateFor('lockout-pw', key, 'long-run'), privateKey: key }, testContext(env));
    const other = swtpm.createKeyFile(scenario.workspace.path('lockout-other.pem'), { algorithm: 'EC', password: 'other' });
    try {
      swtpm.countWrongPasswords(1);
      // Another program's wrong password locks the TPM out.
      const locker = await openTpmKeySource({ certificate: await certificateFor('lockout-other', other, 'other'), privateKey: other, tpmKeyPassword: 'wrong' }, testContext(env));
      await expect((await locker.current()).sign(Buffer.from('x'), 'SHA256')).rejects.toThrow('incorrect TPM key password');
      await locker.close();
      const identity = await source.current();
      const data = Buffer.from('after the lockout');
      await expect(identity.sign(data, 'SHA256')).rejects.toThrow('the TPM refuses passwords for now (dictionary-attack lockout');
      swtpm.tool('tpm2_dictionarylockout', ['--clear-lockout']);
      expectVerifies(identity, data, await identity.sign(data, 'SHA256'));
    } finally {
      await source.close();
      swtpm.forgiveWrongPasswords();
    }
  });

  it("sends a given password the TPM refused no more for that key (each wrong try counts toward the TPM's lockout), and tries a renewed key afresh (QA: serve's retries locked the TPM out)", async () => {
    const keyPath = scenario.workspace.path('rotated.pem');
    const certPath = scenario.workspace.path('rotated-cert.pem');
    const old = swtpm.createKeyFile(scenario.workspace.path('old-pw.pem'), { algorithm: 'EC', password: 'old-password' });
    const renewed = swtpm.createKeyFile(scenario.workspace.path('new-pw.pem'), { algorithm: 'EC', password: 'new-password' });
    const [oldCert, renewedCert] = [await certificateFor('rotated-1', old, 'old-password'), await certificateFor('rotated-2', renewed, 'new-password')];
    copyFileSync(old, keyPath);
    copyFileSync(oldCert, certPath);
    // The key was renewed with a new password before the password given was changed.
    const source = await openTpmKeySource({ certificate: certPath, privateKey: keyPath, tpmKeyPassword: 'new-password' }, testContext(env));
    // Wrong passwords counted for the test's length (the suite's TPM forgets one a second).
    swtpm.countWrongPasswords();
    const before = swtpm.lockoutCounter();
    try {
      const identity = await source.current();
      const data = Buffer.from('refused');
      await expect(identity.sign(data, 'SHA256')).rejects.toThrow(new RegExp(`^unable to sign with TPM key ${keyPath}: incorrect TPM key password \\(given with [^)]+\\)$`));
      for (let refresh = 0; refresh < 3; refresh++) {
        await expect(identity.sign(data, 'SHA256')).rejects.toThrow(
          /: incorrect TPM key password \(given with [^)]+\), refused before: not sent again \(each wrong try counts toward the TPM's lockout\)$/,
        );
      }
      expect(swtpm.lockoutCounter()).toBe(before + 1);
      copyFileSync(renewed, keyPath);
      copyFileSync(renewedCert, certPath);
      const after = await source.current();
      expectVerifies(after, data, await after.sign(data, 'SHA256'));
      expect(swtpm.lockoutCounter()).toBe(before + 1);
    } finally {
      await source.close();
      swtpm.forgiveWrongPasswords();
    }
  });
});
