import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOneStandardInput, filePathFlag, flagInput, secretFileFlag, type FlagSources } from '../../../src/cli/flagSources.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const DER = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x00, 0xff]);

const sources = (env: Record<string, string> = {}, stdin?: string | Buffer): FlagSources => ({
  env,
  standardInput: () => {
    if (stdin === undefined) throw new Error('standard input read');
    return Buffer.from(stdin);
  },
});

describe('flagInput', () => {
  it('a path or a URI is kept as given, and an empty value is no input', () => {
    expect(flagInput('/etc/pki/cert.pem', 'certificate', sources())).toBe('/etc/pki/cert.pem');
    expect(flagInput('pkcs11:token=t', 'certificate', sources())).toBe('pkcs11:token=t');
    expect(flagInput('', 'certificate', sources())).toBeUndefined();
    expect(flagInput(undefined, 'certificate', sources())).toBeUndefined();
  });

  it('env:NAME is the PEM in the variable, named env:NAME', () => {
    expect(flagInput('env:CERT', 'certificate', sources({ CERT: PEM }))).toEqual({ content: Buffer.from(PEM), name: 'env:CERT' });
  });

  it('env:NAME holding base64 is DER, with or without line breaks', () => {
    const base64 = DER.toString('base64');
    expect(flagInput('env:KEY', 'private key', sources({ KEY: base64 }))).toEqual({ content: DER, name: 'env:KEY' });
    const wrapped = `${base64.slice(0, 4)}\n${base64.slice(4)}\n`;
    expect(flagInput('env:KEY', 'private key', sources({ KEY: wrapped }))).toEqual({ content: DER, name: 'env:KEY' });
  });

  it.each([
    ['env:MISSING', {}, 'unable to read certificate from env:MISSING: the environment variable MISSING is not set'],
    ['env:EMPTY', { EMPTY: ' \n' }, 'unable to read certificate from env:EMPTY: the environment variable EMPTY is empty'],
    ['env:JUNK', { JUNK: 'not base64!' }, 'unable to read certificate from env:JUNK: JUNK holds neither PEM (-----BEGIN ...) nor base64 DER'],
    ['env:1BAD', {}, 'unable to read certificate from env:1BAD: not an environment variable name'],
    ['env:', {}, 'unable to read certificate from env:: not an environment variable name'],
  ])('refuses %s, saying why', (value, env, message) => {
    expect(() => flagInput(value, 'certificate', sources(env))).toThrow(message);
  });

  it('- is standard input, named so, read only when asked for', () => {
    expect(flagInput('-', 'certificate', sources({}, PEM))).toEqual({ content: Buffer.from(PEM), name: 'standard input' });
    expect(flagInput('-', 'certificate', sources({}, DER))).toEqual({ content: DER, name: 'standard input' });
    expect(() => flagInput('-', 'private key', sources({}, ''))).toThrow('unable to read private key from standard input: it is empty');
    expect(() => flagInput('-', 'private key', sources())).toThrow('unable to read private key from standard input: standard input read');
  });
});

describe('checkOneStandardInput', () => {
  it('allows standard input for one flag', () => {
    expect(() => checkOneStandardInput({ certificate: '-', 'private-key': 'key.pem', intermediates: undefined })).not.toThrow();
  });

  it('refuses it for two or more, and points a combined PEM to --certificate - alone', () => {
    expect(() => checkOneStandardInput({ certificate: '-', 'private-key': '-' })).toThrow(
      'standard input can be read by one flag only, and --certificate and --private-key both say -; for a key and certificate in one PEM, give --certificate - alone',
    );
    expect(() => checkOneStandardInput({ certificate: 'c.pem', intermediates: '-', 'pkcs8-password-file': '-', 'tpm-key-password-file': '-' })).toThrow(
      'standard input can be read by one flag only, and --intermediates, --pkcs8-password-file and --tpm-key-password-file all say -',
    );
  });
});

describe('secretFileFlag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rah-flag-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string, mode: number) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    chmodSync(path, mode);
    return path;
  };

  it('reads the file, or standard input for -, without a trailing newline', () => {
    expect(secretFileFlag(file('pw', 'from-file\n', 0o600), 'pkcs8-password-file', 'PKCS#8 password', sources())).toBe('from-file');
    expect(secretFileFlag('-', 'pkcs8-password-file', 'PKCS#8 password', sources({}, 'from-stdin\n'))).toBe('from-stdin');
    expect(secretFileFlag(undefined, 'pkcs8-password-file', 'PKCS#8 password', sources())).toBeUndefined();
  });

  it('names the flag and the file in what it refuses', () => {
    const shared = file('shared', 'pw', 0o640);
    expect(() => secretFileFlag(shared, 'tpm-key-password-file', 'TPM key password', sources())).toThrow(
      `unable to read TPM key password from --tpm-key-password-file ${shared}: it is readable by its group (mode 0640); make it readable by its owner only (chmod 600)`,
    );
    expect(() => secretFileFlag('-', 'pkcs12-password-file', 'PKCS#12 password', sources({}, '\n'))).toThrow(
      'unable to read PKCS#12 password from standard input (--pkcs12-password-file -): it is empty',
    );
  });
});

describe('filePathFlag', () => {
  it('a path is kept as given, and an empty value, an unset variable\'s, is refused', () => {
    expect(filePathFlag('crl', 'root.crl')).toBe('root.crl');
    expect(filePathFlag('crl', './-')).toBe('./-');
    expect(() => filePathFlag('crl', '')).toThrow('invalid --crl "": it names no file (leave it out if there is none)');
    expect(filePathFlag('crl', undefined)).toBeUndefined();
  });

  it.each(['-', 'env:CRL'])('%s is refused: the flag takes a file path', (value) => {
    expect(() => filePathFlag('crl', value)).toThrow(
      `invalid --crl ${value}: it takes a file path, not standard input or a variable (for a file of that name, write ./${value})`,
    );
  });
});
