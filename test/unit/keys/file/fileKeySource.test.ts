import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeySource } from '../../../../src/keys/file/fileKeySource.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../../../src/emulator/pki/generateKey.js';
import { testContext } from '../../../support/context.js';
import { Workspace } from '../../../support/scenario.js';

let workspace: Workspace;
let certificate: string;
let encryptedKey: string;

beforeAll(async () => {
  workspace = new Workspace();
  const key = generateKey('ec-p256');
  const ca = await CertificateAuthority.create({ subject: 'CN=File Key Source Root' });
  certificate = workspace.write('cert.pem', (await ca.issue({ subject: 'CN=encrypted', publicKey: key.spki })).pem);
  encryptedKey = workspace.write('key.pem', key.keyObject!.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }) as string);
});
afterAll(() => workspace.cleanup());

describe('FileKeySource', () => {
  it('asks once for the password of an encrypted key that callers want at the same time (serve\'s roles sharing it, at start-up)', async () => {
    const prompts: string[] = [];
    const source = new FileKeySource(
      { certificate, privateKey: encryptedKey, promptPassword: async (asked) => (prompts.push(asked), 'right') },
      testContext(),
    );
    const identities = await Promise.all([source.current(), source.current(), source.current()]);
    expect(prompts).toEqual(['first']);
    expect(new Set(identities).size).toBe(1);
    await source.current();
    expect(prompts).toEqual(['first']);
  });

  it('lets the callers waiting on one reading share its failure, and reads again for the next caller', async () => {
    let answers = ['wrong', 'wrong', 'wrong'];
    const source = new FileKeySource({ certificate, privateKey: encryptedKey, promptPassword: async () => answers.shift()! }, testContext());
    const outcomes = await Promise.allSettled([source.current(), source.current()]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    answers = ['right'];
    await expect(source.current()).resolves.toBeDefined();
  });
});
