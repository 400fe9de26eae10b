import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTcti } from '../../../../src/keys/tpm/tcti.js';

let dir: string;
let socketPath: string;
let server: Server;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rah-tcti-'));
  socketPath = join(dir, 'swtpm.sock');
  server = createServer();
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('resolveTcti', () => {
  it('reaches an emulator\'s UNIX socket in TPM_DEVICE through the swtpm TCTI', () => {
    expect(resolveTcti({ TPM_DEVICE: socketPath })).toEqual({ config: `swtpm:path=${socketPath}`, resourceManaged: false, device: socketPath });
  });

  it('opens a character device in TPM_DEVICE through the device TCTI, and lets it win over TPM2TOOLS_TCTI', () => {
    expect(resolveTcti({ TPM_DEVICE: '/dev/null', TPM2TOOLS_TCTI: 'tabrmd' })).toEqual({ config: 'device:/dev/null', resourceManaged: false, device: '/dev/null' });
  });

  it.each([
    ['a regular file', () => {
      const path = join(dir, 'tpm0');
      writeFileSync(path, 'important data\n');
      return path;
    }],
    ['a FIFO', () => {
      const path = join(dir, 'fifo');
      if (!existsSync(path)) execFileSync('mkfifo', [path]);
      return path;
    }],
    ['a directory', () => dir],
  ])('refuses a TPM_DEVICE that is %s, which the device TCTI would write TPM commands into', (kind, make) => {
    const path = make();
    expect(() => resolveTcti({ TPM_DEVICE: path })).toThrow(
      `unable to open the TPM: TPM_DEVICE ${path} is ${kind}, not a TPM device or an emulator's UNIX socket`,
    );
  });

  it('names a TPM_DEVICE that does not exist', () => {
    expect(() => resolveTcti({ TPM_DEVICE: join(dir, 'none') })).toThrow(`unable to open the TPM: TPM_DEVICE ${join(dir, 'none')}: no such file or directory`);
  });

  it.each([
    ['swtpm:host=127.0.0.1,port=2321', false],
    ['device:/dev/tpm0', false],
    ['device:/dev/tpmrm0', true],
    ['tabrmd', true],
    ['tabrmd:bus_type=session', true],
    ['mssim:host=localhost', false],
  ])('passes TPM2TOOLS_TCTI=%s on (resource-managed: %s)', (config, resourceManaged) => {
    expect(resolveTcti({ TPM2TOOLS_TCTI: config })).toEqual({ config, resourceManaged });
  });

  it('defaults to the kernel resource manager, then the raw device, else says there is no TPM', () => {
    if (existsSync('/dev/tpmrm0')) expect(resolveTcti({})).toEqual({ config: 'device:/dev/tpmrm0', resourceManaged: true });
    else if (existsSync('/dev/tpm0')) expect(resolveTcti({})).toEqual({ config: 'device:/dev/tpm0', resourceManaged: false });
    else expect(() => resolveTcti({})).toThrow('unable to open the TPM: no TPM found (neither /dev/tpmrm0 nor /dev/tpm0 exists); set TPM2TOOLS_TCTI or TPM_DEVICE to reach another one');
  });
});
