import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/log/logger.js';
import { Tpm2Tools } from '../../../../src/keys/tpm/tpm2Tools.js';

describe('the tpm2-tools processes', () => {
  const folder = mkdtempSync(join(tmpdir(), 'rah-tpm2tools-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("get the caller's environment without the helper's password and PIN variables", async () => {
    // A stand-in tool (a real process, found in PATH as tpm2-tools are) that records the environment it was given.
    const seen = join(folder, 'environment');
    writeFileSync(join(folder, 'tpm2_sign'), `#!/bin/sh\nenv > ${seen}\n`);
    chmodSync(join(folder, 'tpm2_sign'), 0o755);
    const env = {
      PATH: `${folder}:${process.env.PATH}`,
      KEPT: 'kept',
      AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'tpm-secret',
      AWS_ROLESANYWHERE_PKCS8_PASSWORD: 'pkcs8-secret',
      AWS_ROLESANYWHERE_PKCS12_PASSWORD: 'pkcs12-secret',
      AWS_ROLESANYWHERE_PKCS11_PIN: 'pin-secret',
    };
    await new Tpm2Tools({ config: 'swtpm:port=1', resourceManaged: true }, env, silentLogger).run('tpm2_sign', []);
    const lines = readFileSync(seen, 'utf8').split('\n');
    expect(lines).toContain('KEPT=kept');
    expect(lines).toContain('TPM2TOOLS_TCTI=swtpm:port=1');
    expect(lines.filter((line) => line.includes('secret'))).toEqual([]);
  });
});
