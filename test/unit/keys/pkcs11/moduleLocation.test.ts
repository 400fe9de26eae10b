import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { DEFAULT_MODULE, moduleLocation } from '../../../../src/keys/pkcs11/moduleLocation.js';

const directory = mkdtempSync(join(tmpdir(), 'rah-modules-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('moduleLocation', () => {
  it("is p11-kit's proxy when nothing names a module", () => {
    expect(DEFAULT_MODULE).toBe('p11-kit-proxy.so');
    expect(moduleLocation(undefined, [{ token: 'a' }], {})).toEqual({ path: 'p11-kit-proxy.so' });
  });

  it('is --pkcs11-lib whatever the URIs say', () => {
    expect(moduleLocation('/opt/vendor/pkcs11.so', [{ modulePath: '/usr/lib/other.so' }], {})).toEqual({ path: '/opt/vendor/pkcs11.so' });
  });

  it("is the URI's module-path, or module-name inside a module-path directory", () => {
    expect(moduleLocation(undefined, [{ modulePath: '/usr/lib/other.so' }], {})).toEqual({ path: '/usr/lib/other.so' });
    expect(moduleLocation(undefined, [{ modulePath: directory, moduleName: 'libvendor' }], {})).toEqual({ path: join(directory, 'libvendor.so') });
  });

  it('refuses a module-path directory without a module-name', () => {
    expect(() => moduleLocation(undefined, [{ token: 't', modulePath: directory }], {})).toThrow(
      new HelperError(`module-path ${directory} of pkcs11:token=t?module-path=${directory} is a directory: add module-name`),
    );
  });

  it('looks a module-name up in p11-kit\'s registrations (softhsm2.module), else loads <name>.so, saying what is registered should it fail', () => {
    const softhsm = moduleLocation(undefined, [{ moduleName: 'softhsm2' }], {});
    expect(isAbsolute(softhsm.path)).toBe(true);
    expect(softhsm).toEqual({ path: expect.stringMatching(/\/libsofthsm2\.so$/) });
    expect(moduleLocation(undefined, [{ moduleName: 'libnot-registered' }], {})).toEqual({
      path: 'libnot-registered.so',
      hint: expect.stringMatching(/^module-name=libnot-registered is no module registered with p11-kit \(registered: (.+, )?softhsm2(, .+)?\)$/),
    });
    // The user's own registrations count, in $XDG_CONFIG_HOME/pkcs11/modules.
    const config = join(directory, 'config');
    mkdirSync(join(config, 'pkcs11/modules'), { recursive: true });
    writeFileSync(join(config, 'pkcs11/modules/mine.module'), 'module: /opt/mine.so\n');
    expect(moduleLocation(undefined, [{ moduleName: 'mine' }], { XDG_CONFIG_HOME: config })).toEqual({ path: '/opt/mine.so' });
    expect(moduleLocation(undefined, [{ moduleName: 'nosuch' }], { XDG_CONFIG_HOME: config }).hint).toMatch(/\(registered: (.+, )?mine, (.+, )?softhsm2(, .+)?\)$/);
  });

  it('accepts the same module from both URIs, and refuses two different ones', () => {
    expect(moduleLocation(undefined, [{ modulePath: '/a.so' }, { modulePath: '/a.so', token: 'x' }], {})).toEqual({ path: '/a.so' });
    expect(() => moduleLocation(undefined, [{ modulePath: '/a.so' }, { modulePath: '/b.so' }], {})).toThrow(
      'the certificate and key URIs name different PKCS#11 modules (pkcs11:?module-path=/a.so and pkcs11:?module-path=/b.so); ' +
        'give one module with pkcs11Lib',
    );
  });
});
