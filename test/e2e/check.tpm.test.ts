import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, runCli } from '../support/cli.js';
import { Scenario } from '../support/scenario.js';
import { Swtpm, certifyTpmKey } from '../support/swtpm.js';

const POSSESSION = "✓ the private key matches the certificate (a test signature verified with the certificate's key)";

let swtpm: Swtpm;
let scenario: Scenario;
let keyFile: string;
let keyFileCert: string;
let handleCert: string;

beforeAll(async () => {
  [swtpm, scenario] = await Promise.all([Swtpm.start(), Scenario.start()]);
  keyFile = swtpm.createKeyFile(scenario.workspace.path('tpm-ec.pem'), { algorithm: 'EC', curve: 'P-256' });
  keyFileCert = await certifyTpmKey(swtpm, scenario, 'tpm-ec', keyFile);
  swtpm.createPersistentKey('0x81000110', 'rsa2048:null:null');
  handleCert = await certifyTpmKey(swtpm, scenario, 'tpm-handle', 'handle:0x81000110');
});
afterAll(async () => {
  await swtpm?.stop();
  await scenario?.stop();
});

const check = (keyArgs: string[]) =>
  runCli(['check', ...keyArgs, '--trust-anchor-certificate', scenario.workspace.path('root.pem')], { env: swtpm.env });

describe('check with TPM keys', () => {
  it('a TSS2 key file: the TPM makes the test signature', async () => {
    const result = await check(['--certificate', keyFileCert, '--private-key', keyFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${POSSESSION}\n`);
    expect(result.stdout).toContain('✓ EC key on P-256\n');
  });

  it('a persistent RSA key by handle', async () => {
    const result = await check(['--certificate', handleCert, '--private-key', 'handle:0x81000110', '--no-tpm-key-password']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${POSSESSION}\n`);
    expect(result.stdout).toContain('✓ RSA key of 2048 bits\n');
  });

  it("a TPM key that is not the certificate's", async () => {
    const result = await check(['--certificate', handleCert, '--private-key', keyFile]);
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe(`${handleCert}: 1 check failed`);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗'))).toEqual([
      `✗ private key does not match the certificate: TPM key ${keyFile} is not the key of ${handleCert}`,
    ]);
  });
});
