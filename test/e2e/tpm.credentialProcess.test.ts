import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKeyInfo } from '../../src/keys/certificate.js';
import { decodePem } from '../../src/asn1/pem.js';
import { iamRaPublicKeyDigest } from '../../src/keys/publicKeyBytes.js';
import { fromRolesAnywhere } from '../../src/index.js';
import { withEnv } from '../support/awsClients.js';
import { runCli } from '../support/cli.js';
import { ARNS, Scenario } from '../support/scenario.js';
import { ECC_STORAGE_TEMPLATE, RSA_STORAGE_TEMPLATE, SIGNING_KEY, Swtpm, encodeTss2KeyFile } from '../support/swtpm.js';

let swtpm: Swtpm;
let scenario: Scenario;

/** A TPM key and the certificate the tests' CA issued for the public key of a CSR the TPM signed. */
interface TpmIdentity {
  readonly key: string;
  readonly certPath: string;
  readonly spki: Buffer;
}

const keys: Record<string, TpmIdentity> = {};

async function certify(name: string, key: string, password?: string): Promise<TpmIdentity> {
  return certifyPublicKey(name, key, swtpm.csrPublicKey(key, `/CN=${name}/O=roles-anywhere-helper tests`, password));
}

/** For keys the tpm2-openssl provider cannot load (those under the RSA storage key), from tpm2_create's report. */
async function certifyPublicKey(name: string, key: string, spki: Buffer): Promise<TpmIdentity> {
  const certificate = await scenario.ca.issue({ subject: `CN=${name},O=roles-anywhere-helper tests`, publicKey: spki });
  return { key, certPath: scenario.workspace.write(`${name}-cert.pem`, certificate.pem), spki };
}

beforeAll(async () => {
  [swtpm, scenario] = await Promise.all([Swtpm.start(), Scenario.start()]);
  const path = (name: string) => scenario.workspace.path(name);
  keys['ec-p256'] = await certify('tpm-ec-p256', swtpm.createKeyFile(path('ec-p256.pem'), { algorithm: 'EC', curve: 'P-256' }));
  keys['ec-p384'] = await certify('tpm-ec-p384', swtpm.createKeyFile(path('ec-p384.pem'), { algorithm: 'EC', curve: 'P-384' }));
  keys.rsa = await certify('tpm-rsa', swtpm.createKeyFile(path('rsa.pem'), { algorithm: 'RSA' }));
  keys.password = await certify('tpm-pw', swtpm.createKeyFile(path('pw.pem'), { algorithm: 'EC', password: '1234' }), '1234');
  swtpm.createPersistentKey('0x81000101', 'ecc256:null:null');
  keys.handle = await certify('tpm-handle', 'handle:0x81000101');
  swtpm.createPersistentKey('0x81000102', 'rsa2048:null:null');
  keys['rsa-handle'] = await certify('tpm-rsa-handle', 'handle:0x81000102');
});

afterAll(async () => {
  await swtpm?.stop();
  await scenario?.stop();
});

const expectCredentials = (keyArgs: string[], env: Record<string, string> = {}, input?: string) =>
  scenario.expectCredentialProcess(keyArgs, { env: { ...swtpm.env, ...env }, input });

describe('credential-process with TPM keys', () => {
  it.each(['ec-p256', 'ec-p384', 'rsa'])('a %s TSS2 key file made by the tpm2-openssl provider', async (name) => {
    await expectCredentials(['--certificate', keys[name]!.certPath, '--private-key', keys[name]!.key]);
  });

  it('a key file and its certificate combined in one file, given as --certificate alone', async () => {
    const { key, certPath } = keys['ec-p256']!;
    const combined = scenario.workspace.write('combined.pem', readFileSync(key, 'utf8') + readFileSync(certPath, 'utf8'));
    await expectCredentials(['--certificate', combined]);
  });

  it('a password-protected key file with --tpm-key-password', async () => {
    const { key, certPath } = keys.password!;
    await expectCredentials(['--certificate', certPath, '--private-key', key, '--tpm-key-password', '1234']);
  });

  it('a password-protected key file with AWS_ROLESANYWHERE_TPM_KEY_PASSWORD', async () => {
    const { key, certPath } = keys.password!;
    await expectCredentials(['--certificate', certPath, '--private-key', key], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: '1234' });
  });

  it.each(['handle:0x81000101', 'handle:81000101'])('a persistent ECC key as %s with --no-tpm-key-password', async (handle) => {
    await expectCredentials(['--certificate', keys.handle!.certPath, '--private-key', handle, '--no-tpm-key-password']);
  });

  it('a persistent RSA key', async () => {
    await expectCredentials(['--certificate', keys['rsa-handle']!.certPath, '--private-key', 'handle:0x81000102', '--no-tpm-key-password']);
  });

  it.each(['ecc384:ecdsa', 'ecc521:ecdsa'])('a persistent key made with tpm2_create -G %s, bound to ECDSA with SHA-256 (QA: the reference asks for SHA-384)', async (algorithm) => {
    const handle = algorithm === 'ecc384:ecdsa' ? '0x81000103' : '0x81000104';
    swtpm.createPersistentKey(handle, algorithm);
    const { certPath } = await certify(`tpm-bound-${algorithm.slice(0, 6)}`, `handle:${handle}`);
    await expectCredentials(['--certificate', certPath, '--private-key', `handle:${handle}`, '--no-tpm-key-password']);
  });

  it('a key wrapped under the RSA-2048 storage key (which the reference cannot load), made by tpm2-tools', async () => {
    const blobs = swtpm.createKeyBlobs(RSA_STORAGE_TEMPLATE, 'ecc256:null:null', SIGNING_KEY);
    const key = scenario.workspace.write('rsa-parent.pem', encodeTss2KeyFile({ emptyAuth: true, publicBlob: blobs.public, privateBlob: blobs.private }));
    const { certPath } = await certifyPublicKey('tpm-rsa-parent', key, blobs.spki);
    await expectCredentials(['--certificate', certPath, '--private-key', key]);
  });

  it('a key file that says rsaParent is loaded under the RSA storage key without trying the ECC one', async () => {
    const blobs = swtpm.createKeyBlobs(RSA_STORAGE_TEMPLATE, 'rsa2048:null:null', SIGNING_KEY);
    const rsaParent = { 5: Buffer.from([0x01, 0x01, 0xff]) };
    const key = scenario.workspace.write('rsa-parent-flag.pem', encodeTss2KeyFile({ emptyAuth: true, tagged: rsaParent, publicBlob: blobs.public, privateBlob: blobs.private }));
    const { certPath } = await certifyPublicKey('tpm-rsa-parent-flag', key, blobs.spki);
    await expectCredentials(['--certificate', certPath, '--private-key', key]);
    const debug = await runCli(['sign-string', '--private-key', key, '--debug'], { env: swtpm.env });
    expect(debug.code).toBe(0);
    expect(debug.stderr).toContain('-G rsa2048:aes128cfb');
    expect(debug.stderr).not.toContain('-G ecc256:aes128cfb');
  });

  it('a key file whose parent is the endorsement hierarchy is loaded under that hierarchy\'s storage key, not the owner\'s (QA mutation testing)', async () => {
    const blobs = swtpm.createKeyBlobs(ECC_STORAGE_TEMPLATE, 'ecc256:null:null', SIGNING_KEY, undefined, 'e');
    const key = scenario.workspace.write('endorsement-parent.pem', encodeTss2KeyFile({ emptyAuth: true, parent: 0x4000_000b, publicBlob: blobs.public, privateBlob: blobs.private }));
    const { certPath } = await certifyPublicKey('tpm-endorsement-parent', key, blobs.spki);
    await expectCredentials(['--certificate', certPath, '--private-key', key]);
  });

  it('sends the chain from --intermediates', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=TPM Issuing CA' });
    const certificate = await intermediate.issue({ subject: 'CN=tpm-chained', publicKey: keys.rsa!.spki });
    const certPath = scenario.workspace.write('chained-cert.pem', certificate.pem);
    const chain = scenario.workspace.write('chain.pem', intermediate.certificate.pem);
    await expectCredentials(['--certificate', certPath, '--private-key', keys.rsa!.key, '--intermediates', chain]);
  });
});

describe('TPM keys from standard input and the environment', () => {
  it('a TSS2 key file and its certificate combined, on standard input as --certificate -', async () => {
    const { key, certPath } = keys['ec-p256']!;
    await expectCredentials(['--certificate', '-'], {}, readFileSync(key, 'utf8') + readFileSync(certPath, 'utf8'));
  });

  it('the key file and certificate in variables, the password piped in', async () => {
    const { key, certPath } = keys.password!;
    await expectCredentials(
      ['--certificate', 'env:CERT', '--private-key', 'env:TPM_KEY', '--tpm-key-password-file', '-'],
      { CERT: readFileSync(certPath, 'utf8'), TPM_KEY: readFileSync(key, 'utf8') },
      '1234\n',
    );
  });

  it('a persistent key with its certificate on standard input', async () => {
    await expectCredentials(['--certificate', '-', '--private-key', 'handle:0x81000101', '--no-tpm-key-password'], {}, readFileSync(keys.handle!.certPath, 'utf8'));
  });
});

describe('sign-string with TPM keys', () => {
  const cases = ['ec-p256', 'ec-p384', 'rsa', 'handle', 'rsa-handle'].flatMap((name) =>
    (['SHA256', 'SHA384', 'SHA512'] as const).map((digest) => [name, digest] as const),
  );

  it.each(cases)('%s with --digest %s verifies against the certificate', async (name, digest) => {
    const { key, spki } = keys[name]!;
    const keyArgs = key.startsWith('handle:') ? ['--private-key', key, '--no-tpm-key-password'] : ['--private-key', key];
    const result = await runCli(['sign-string', ...keyArgs, '--digest', digest, '--format', 'bin'], { env: swtpm.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const message = Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'), iamRaPublicKeyDigest(parsePublicKeyInfo(spki))]);
    const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(digest.toLowerCase(), message, publicKey, result.stdoutBytes)).toBe(true);
  });

  it("with a persistent key loads nothing, so flushes nothing: another program's object is left loaded (QA mutation testing)", async () => {
    const work = mkdtempSync(join(tmpdir(), 'rah-tpm-other-'));
    try {
      swtpm.tool('tpm2_createprimary', ['-Q', '-C', 'o', '-c', `${work}/other.ctx`]);
      const result = await runCli(['sign-string', '--private-key', keys.handle!.key, '--no-tpm-key-password', '--format', 'text'], { env: swtpm.env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(swtpm.handles('handles-transient')).toHaveLength(1);
    } finally {
      swtpm.tool('tpm2_flushcontext', ['-t']);
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('signs with a password from the environment and no certificate', async () => {
    const result = await runCli(['sign-string', '--private-key', keys.password!.key, '--format', 'text'], {
      env: { ...swtpm.env, AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: '1234' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^30[0-9a-f]+$/);
  });
});

describe('read-certificate-data', () => {
  it('reads the certificate of a combined TSS2 key and certificate file', async () => {
    const { key, certPath } = keys['ec-p384']!;
    const combined = scenario.workspace.write('combined-384.pem', readFileSync(key, 'utf8') + readFileSync(certPath, 'utf8'));
    const result = await runCli(['read-certificate-data', '--certificate', combined]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data.keyType).toBe('EC');
    expect(data.certificateData).toBe(decodePem(readFileSync(certPath, 'utf8'))[0]!.der.toString('base64'));
  });
});

describe('the TPM afterwards', () => {
  it('holds no transient object or session: every one the helper loaded was flushed', () => {
    expect(swtpm.handles('handles-transient')).toEqual([]);
    expect(swtpm.handles('handles-loaded-session')).toEqual([]);
  });
});

describe('fromRolesAnywhere with a TPM key', () => {
  it.each([
    ['a key without one, tpmKeyPassword \'\' (as the README offers)', 'ec-p256', ''],
    ['a key without one, no tpmKeyPassword', 'ec-p256', undefined],
    ['a key with one, its password', 'password', '1234'],
  ])('gets credentials for %s', async (_, name, tpmKeyPassword) => {
    const identity = keys[name]!;
    const provider = fromRolesAnywhere({
      certificate: identity.certPath,
      privateKey: identity.key,
      ...(tpmKeyPassword !== undefined ? { tpmKeyPassword } : {}),
      trustAnchorArn: ARNS.trustAnchorArn,
      profileArn: ARNS.profileArn,
      roleArn: ARNS.roleArn,
      endpoint: scenario.emulator.url,
    });
    try {
      // The library reads the TCTI from process.env, as an application's provider would.
      const credentials = await withEnv(swtpm.env, () => provider());
      expect(credentials.accessKeyId).toMatch(/^ASIA/);
    } finally {
      await provider.close();
    }
  });
});
