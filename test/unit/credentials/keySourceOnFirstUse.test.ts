import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySourceOnFirstUse } from '../../../src/credentials/keySourceOnFirstUse.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { pkcs8Pem } from '../../../src/emulator/pki/generateKey.js';
import { testContext } from '../../support/context.js';
import { Workspace } from '../../support/scenario.js';

let workspace: Workspace;
let options: { certificate: string; privateKey: string };

beforeAll(async () => {
  workspace = new Workspace();
  const ca = await CertificateAuthority.create({ subject: 'CN=First Use Root' });
  const leaf = await ca.issue({ subject: 'CN=first use' });
  options = { certificate: workspace.write('cert.pem', leaf.pem), privateKey: workspace.write('key.pem', pkcs8Pem(leaf.key!)) };
});
afterAll(() => workspace.cleanup());

describe('keySourceOnFirstUse', () => {
  it('opens once, however many ask at the same time', async () => {
    const keys = keySourceOnFirstUse(options, testContext());
    const [first, second] = await Promise.all([keys.open(), keys.open()]);
    expect(first).toBe(second);
    await keys.close();
  });

  it('opens nothing once closed, even for a refresh that asks only then (QA: a source nobody would close)', async () => {
    const keys = keySourceOnFirstUse(options, testContext());
    const opening = keys.open();
    await keys.close();
    await expect(opening).resolves.toBeDefined();
    await expect(keys.open()).rejects.toThrow(/^the key source was closed$/);
  });

  it('tries again at the next open after one that failed (a key not written yet), rather than keep its failure (mutation sweep)', async () => {
    const privateKey = workspace.path('later-key.pem');
    const keys = keySourceOnFirstUse({ ...options, privateKey }, testContext());
    await expect(keys.open()).rejects.toThrow(/later-key\.pem/);
    copyFileSync(options.privateKey, privateKey);
    await expect(keys.open()).resolves.toBeDefined();
    await keys.close();
  });

  it('closes quietly while an open that fails is under way, the failure going to whoever opened (mutation testing: close() rejecting with it survived)', async () => {
    const keys = keySourceOnFirstUse({ ...options, privateKey: workspace.path('never-key.pem') }, testContext());
    const opening = keys.open();
    await expect(keys.close()).resolves.toBeUndefined();
    await expect(opening).rejects.toThrow(/never-key\.pem/);
  });
});
