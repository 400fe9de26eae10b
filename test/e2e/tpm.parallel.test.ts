import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { Scenario } from '../support/scenario.js';
import { Swtpm, certifyTpmKey } from '../support/swtpm.js';

/**
 * The AWS CLI and SDKs may run credential_process several times at once. A bare TPM (swtpm here, no
 * resource manager) holds only three transient objects, and one run's tpm2_flushcontext -t flushes another
 * run's: without a lock per TPM across processes, runs failed with 0x902, 0x903 or 0x910.
 */
let swtpm: Swtpm;
let scenario: Scenario;
let keyFile: string;
let certPath: string;
let passwordKeyFile: string;

beforeAll(async () => {
  [swtpm, scenario] = await Promise.all([Swtpm.start(), Scenario.start()]);
  keyFile = swtpm.createKeyFile(scenario.workspace.path('ec.pem'), { algorithm: 'EC' });
  certPath = await certifyTpmKey(swtpm, scenario, 'tpm-parallel', keyFile);
  passwordKeyFile = swtpm.createKeyFile(scenario.workspace.path('pw.pem'), { algorithm: 'RSA', password: 'pw' });
  swtpm.createPersistentKey('0x81000120', 'ecc256:null:null');
});

afterAll(async () => {
  await swtpm?.stop();
  await scenario?.stop();
});

describe('helper runs at once against one TPM without a resource manager', () => {
  it('all succeed: sign-string with key files, a password-protected RSA key, a persistent handle, and credential-process', async () => {
    const runs = [
      ...Array.from({ length: 3 }, () => ['sign-string', '--certificate', certPath, '--private-key', keyFile]),
      ...Array.from({ length: 2 }, () => ['sign-string', '--private-key', passwordKeyFile, '--tpm-key-password', 'pw']),
      ...Array.from({ length: 2 }, () => ['sign-string', '--private-key', 'handle:0x81000120', '--no-tpm-key-password']),
      ...Array.from({ length: 3 }, () => ['credential-process', '--certificate', certPath, '--private-key', keyFile, ...scenario.sessionFlags()]),
    ];
    const results = await Promise.all(runs.map((args) => runCli(args, { env: swtpm.env })));
    expect(results.map((result) => [result.code, result.stderr])).toEqual(runs.map(() => [0, '']));
    for (const result of results) expect(result.stdout).not.toBe('');
  });

  it('leave no transient object or session in the TPM', () => {
    expect(swtpm.handles('handles-transient')).toEqual([]);
    expect(swtpm.handles('handles-loaded-session')).toEqual([]);
  });
});
