import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { fromRolesAnywhere as FromRolesAnywhere } from '../../src/index.js';
import { withEnv } from '../support/awsClients.js';
import { projectRoot } from '../support/cli.js';
import { ARNS, Scenario, type LeafFiles } from '../support/scenario.js';
import { SoftHsm, USER_PIN, softHsmModule } from '../support/softhsm.js';
import { Swtpm, certifyTpmKey } from '../support/swtpm.js';

/**
 * fromRolesAnywhere() as users use it: the credentials of a real SDK client, whose GetCallerIdentity the
 * emulator's STS answers only after verifying its signature with the secret it issued.
 */
const { fromRolesAnywhere } = createRequire(import.meta.url)(join(projectRoot, 'dist/index.cjs')) as { fromRolesAnywhere: typeof FromRolesAnywhere };
const DEPLOY_ROLE = 'arn:aws:iam::210987654321:role/deploy';

let scenario: Scenario;
let leaf: LeafFiles;

beforeAll(async () => {
  scenario = await Scenario.start({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] });
  leaf = await scenario.leaf('sdk-library');
});
afterAll(async () => scenario.stop());

const session = () => ({ trustAnchorArn: ARNS.trustAnchorArn, profileArn: ARNS.profileArn, roleArn: ARNS.roleArn, endpoint: scenario.emulator.url });
const sts = (credentials: ReturnType<typeof fromRolesAnywhere> | ReturnType<typeof fromTemporaryCredentials>) =>
  new STSClient({ region: 'us-east-1', endpoint: scenario.emulator.url, credentials, maxAttempts: 1 });

/** GetCallerIdentity through the provider, checked against the session the emulator issued last. */
async function expectCallerIsWorkload(provider: ReturnType<typeof fromRolesAnywhere>) {
  const identity = await sts(provider).send(new GetCallerIdentityCommand({}));
  const issued = scenario.emulator.issued.at(-1)!;
  expect(identity.Arn).toBe(`arn:aws:sts::123456789012:assumed-role/test-role/${issued.roleSessionName}`);
  expect(identity.Account).toBe('123456789012');
}

describe('an SDK client with credentials: fromRolesAnywhere(...)', () => {
  it('a file key', async () => {
    await expectCallerIsWorkload(fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...session() }));
  });

  it('the certificate and key as content', async () => {
    const provider = fromRolesAnywhere({ certificate: readFileSync(leaf.certPath, 'utf8'), privateKey: readFileSync(leaf.keyPath), ...session() });
    await expectCallerIsWorkload(provider);
  });

  it('50 concurrent calls of SDK clients sharing a fresh provider make one CreateSession', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...session() });
    const before = scenario.emulator.issued.length;
    const clients = Array.from({ length: 5 }, () => sts(provider));
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => clients[i % 5]!.send(new GetCallerIdentityCommand({}))));
    expect(new Set(answers.map((answer) => answer.Arn)).size).toBe(1);
    expect(scenario.emulator.issued.length).toBe(before + 1);
  });

  it("gets past refused credentials, held and cached, with the SDK's forceRefresh: an emulator started again refuses the last one's (QA)", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-force-refresh-'));
    try {
      await withEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }, async () => {
        const first = await scenario.otherEmulator({});
        const { port } = new URL(first.url);
        const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...session(), endpoint: first.url, cache: true };
        const provider = fromRolesAnywhere(options);
        await new STSClient({ region: 'us-east-1', endpoint: first.url, credentials: provider, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
        await first.close();
        const again = await scenario.otherEmulator({ port: Number(port) });
        const client = new STSClient({ region: 'us-east-1', endpoint: again.url, credentials: provider, maxAttempts: 1 });
        await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
        // A new provider finds the same entry, which the new emulator refuses too.
        const another = new STSClient({ region: 'us-east-1', endpoint: again.url, credentials: fromRolesAnywhere(options), maxAttempts: 1 });
        await expect(another.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
        expect(again.issued).toHaveLength(0);

        const forced = await client.config.credentials({ forceRefresh: true });
        expect(again.issued.map((issued) => issued.accessKeyId)).toEqual([forced.accessKeyId]);
        expect((await client.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
        // Written over: the next provider, or credential-process --cache, has the new credentials from the cache.
        const later = new STSClient({ region: 'us-east-1', endpoint: again.url, credentials: fromRolesAnywhere(options), maxAttempts: 1 });
        expect((await later.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
        expect(again.issued).toHaveLength(1);
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a PKCS#11 key on SoftHSM', async () => {
    const hsm = new SoftHsm();
    hsm.useInThisProcess();
    try {
      hsm.initToken('library-token');
      await hsm.addIdentity('library-token', scenario.ca, 'ec-p256', { id: '01', label: 'library-key' });
      const provider = fromRolesAnywhere({
        certificate: `pkcs11:token=library-token;object=library-key?pin-value=${USER_PIN}`,
        pkcs11Lib: softHsmModule,
        ...session(),
      });
      await expectCallerIsWorkload(provider);
      await provider.close();
    } finally {
      hsm.cleanup();
    }
  });

  it('a PKCS#11 key without a PIN fails saying how to give one, without asking', async () => {
    const hsm = new SoftHsm();
    hsm.useInThisProcess();
    try {
      hsm.initToken('no-pin-token');
      await hsm.addIdentity('no-pin-token', scenario.ca, 'ec-p256', { id: '01', label: 'key' });
      const provider = fromRolesAnywhere({ certificate: 'pkcs11:token=no-pin-token;object=key', pkcs11Lib: softHsmModule, ...session() });
      await expect(provider()).rejects.toThrow(
        /it was not given, and prompting is off; give it with the URI's pin-value or pin-source, or the AWS_ROLESANYWHERE_PKCS11_PIN environment variable$/,
      );
    } finally {
      hsm.cleanup();
    }
  });

  it("a TPM key on swtpm, and tpmKeyPassword: '' for one without a password and for one with", async () => {
    const swtpm = await Swtpm.start();
    try {
      await withEnv({ TPM2TOOLS_TCTI: swtpm.tcti }, async () => {
        const key = swtpm.createKeyFile(scenario.workspace.path('library-tpm-key.pem'), { algorithm: 'EC' });
        const certificate = await certifyTpmKey(swtpm, scenario, 'library-tpm', key);
        const provider = fromRolesAnywhere({ certificate, privateKey: key, ...session() });
        await expectCallerIsWorkload(provider);
        await provider.close();
        // tpmKeyPassword: '' says the key has none, as --no-tpm-key-password does: taken for a key without one, and
        // for a key with one, refused as that, not as a wrong password nor passed over for the variable's.
        const saysNone = fromRolesAnywhere({ certificate, privateKey: key, tpmKeyPassword: '', ...session() });
        await expectCallerIsWorkload(saysNone);
        await saysNone.close();
        const locked = swtpm.createKeyFile(scenario.workspace.path('library-tpm-locked-key.pem'), { algorithm: 'EC', password: 'tpm-secret' });
        const lockedCertificate = await certifyTpmKey(swtpm, scenario, 'library-tpm-locked', locked, 'tpm-secret');
        await withEnv({ AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'tpm-secret' }, async () => {
          const refused = fromRolesAnywhere({ certificate: lockedCertificate, privateKey: locked, tpmKeyPassword: '', ...session() });
          await expect(refused()).rejects.toThrow(/incorrect TPM key password: the key has a password, but tpmKeyPassword: '' says it has none/);
          await refused.close();
        });
      });
    } finally {
      await swtpm.stop();
    }
  });

  it('fromTemporaryCredentials() chains into a role of another account (the centralized trust-anchor pattern)', async () => {
    const chained = fromTemporaryCredentials({
      masterCredentials: fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...session() }),
      params: { RoleArn: DEPLOY_ROLE, RoleSessionName: 'deploy-from-workload' },
      clientConfig: { region: 'us-east-1', endpoint: scenario.emulator.url },
    });
    const identity = await sts(chained).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '210987654321', Arn: 'arn:aws:sts::210987654321:assumed-role/deploy/deploy-from-workload' });
  });
});
