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

  /** A stand-in tool of this name running `script` (sh), and the tools of a TPM that finds it first in PATH. */
  const standIn = (name: string, script: string) => {
    writeFileSync(join(folder, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(folder, name), 0o755);
    return new Tpm2Tools({ config: 'swtpm:port=1', resourceManaged: true }, { PATH: `${folder}:${process.env.PATH}` }, silentLogger);
  };

  it("quote a line of a tool's stderr, cut short, and never what they were given on stdin, however much the tool writes (fuzzing QA: 300 MB kept and quoted; a password echoed back)", async () => {
    const tools = standIn('tpm2_echo', `pw=$(cat); echo "ERROR: wrong password: $pw $(printf '%0500d' 0)" >&2; head -c 50000000 /dev/zero | tr '\\0' x >&2; exit 1`);
    const failure = tools.run('tpm2_echo', [], { stdin: Buffer.from('hex:5345435245542d3432') });
    await expect(failure).rejects.toThrow(/^tpm2_echo failed: wrong password: <password> 0{273}…$/);
  });

  it('retry a load once after flushing when the TPM has no object slot free (0x902), and no more; other failures not at all', async () => {
    const runs = join(folder, 'runs');
    const tools = (code: string) => {
      writeFileSync(runs, '');
      writeFileSync(join(folder, 'tpm2_flushcontext'), `#!/bin/sh\necho flush >> ${runs}\n`);
      chmodSync(join(folder, 'tpm2_flushcontext'), 0o755);
      writeFileSync(join(folder, 'tpm2_load'), `#!/bin/sh\necho load >> ${runs}\necho 'ERROR: Esys_Load(${code}) - tpm:warn(2.0): out of memory for object contexts' >&2\nexit 1\n`);
      chmodSync(join(folder, 'tpm2_load'), 0o755);
      // Without a resource manager: the helper flushes after each tool that loads objects.
      return new Tpm2Tools({ config: 'swtpm:port=1', resourceManaged: false }, { PATH: `${folder}:${process.env.PATH}` }, silentLogger);
    };
    const ran = () => readFileSync(runs, 'utf8').trim().split('\n');
    await expect(tools('0x902').run('tpm2_load', [], { loadsObjects: true })).rejects.toThrow('tpm2_load failed: tpm:warn(2.0): out of memory for object contexts (0x902)');
    expect(ran()).toEqual(['load', 'flush', 'load', 'flush']);
    await expect(tools('0x901').run('tpm2_load', [], { loadsObjects: true })).rejects.toThrow(/^tpm2_load failed: /);
    expect(ran()).toEqual(['load', 'flush']);
  });

  it('end when the tool exits, though a process it left behind holds its stderr (fuzzing QA: 150 s, and the TPM lock held all along)', async () => {
    const tools = standIn('tpm2_leaves', '(sleep 30 &); echo "ERROR: failed quickly" >&2; exit 1');
    const started = Date.now();
    await expect(tools.run('tpm2_leaves', [])).rejects.toThrow('tpm2_leaves failed: failed quickly');
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 40_000);
});
