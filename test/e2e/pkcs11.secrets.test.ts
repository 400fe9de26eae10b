import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { failureMessage, runCli, type CliResult } from '../support/cli.js';
import { Scenario } from '../support/scenario.js';
import { SoftHsm, softHsmModule, type TokenIdentity } from '../support/softhsm.js';

const TOKEN = 'pkcs11-secrets';
// Distinctive, so that finding it in a log line is never a coincidence.
const PIN = '739164205';

let scenario: Scenario;
let hsm: SoftHsm;
let identity: TokenIdentity;
let hybrid: TokenIdentity;
let intermediate: CertificateAuthority;

beforeAll(async () => {
  scenario = await Scenario.start();
  hsm = new SoftHsm();
  hsm.initToken(TOKEN, PIN);
  identity = await hsm.addIdentity(TOKEN, scenario.ca, 'ec-p256', { id: '01', label: 'pin-key' }, PIN);
  intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=PIN Issuing CA,O=roles-anywhere-helper tests' });
  hybrid = await hsm.addIdentity(TOKEN, intermediate, 'rsa-2048', { id: '02', label: 'hybrid-key' }, PIN);
});
afterAll(async () => {
  await scenario.stop();
  hsm.cleanup();
});

const uri = (query = '') => `pkcs11:token=${TOKEN};object=pin-key${query}`;

function credentialProcess(keyArgs: string[], options: { env?: Record<string, string>; input?: string; extra?: string[] } = {}) {
  return runCli(['credential-process', ...keyArgs, '--pkcs11-lib', softHsmModule, ...scenario.sessionFlags(), ...(options.extra ?? [])], {
    env: { ...hsm.env, ...options.env },
    input: options.input,
    withoutTerminal: true,
  });
}

function expectCredentialsFor(result: CliResult, holder: TokenIdentity) {
  expect(result.code).toBe(0);
  const issued = scenario.emulator.issued.at(-1)!;
  expect(JSON.parse(result.stdout).AccessKeyId).toBe(issued.accessKeyId);
  expect(issued.serialNumber).toBe(BigInt(`0x${holder.certificate.serialNumberHex}`).toString());
}

const pinFile = (name: string, mode: number) => scenario.workspace.write(name, `${PIN}\n`, mode);

describe('the PKCS#11 PIN from each source reaches the token, and no log', () => {
  it.each<[string, () => { keyArgs: string[]; env?: Record<string, string> }]>([
    ["the URI's pin-value", () => ({ keyArgs: ['--certificate', uri(`?pin-value=${PIN}`)] })],
    ["the URI's pin-source", () => ({ keyArgs: ['--certificate', uri(`?pin-source=${pinFile('user.pin', 0o600)}`)] })],
    ['AWS_ROLESANYWHERE_PKCS11_PIN', () => ({ keyArgs: ['--certificate', uri()], env: { AWS_ROLESANYWHERE_PKCS11_PIN: PIN } })],
  ])('%s, at debug level in text and in JSON', async (_name, source) => {
    const { keyArgs, env } = source();
    for (const logging of [['--debug'], ['--log-level', 'debug', '--log-format', 'json']]) {
      const result = await credentialProcess(keyArgs, { env, extra: logging });
      expectCredentialsFor(result, identity);
      expect(result.stderr).toContain('logged in to');
      expect(result.stderr).not.toContain(PIN);
    }
  });

  it('pin-source wins over the environment variable', async () => {
    const env = { AWS_ROLESANYWHERE_PKCS11_PIN: 'not-the-pin' };
    expectCredentialsFor(await credentialProcess(['--certificate', uri(`?pin-source=${pinFile('wins.pin', 0o400)}`)], { env }), identity);
  });

  it('a pin-source its group or others may read is refused, as the password files are', async () => {
    const shared = pinFile('shared.pin', 0o644);
    const result = await credentialProcess(['--certificate', uri(`?pin-source=${shared}`)]);
    expect(failureMessage(result)).toBe(
      `unable to read PKCS#11 PIN from pin-source ${shared}: it is readable by its group and others (mode 0644); make it readable by its owner only (chmod 600)`,
    );
  });
});

describe('hybrid: the certificate and chain from a variable or standard input, the key on the token', () => {
  it('--certificate env:NAME and --intermediates -', async () => {
    const result = await credentialProcess(
      ['--certificate', 'env:WORKLOAD_CERT', '--private-key', `pkcs11:token=${TOKEN};object=hybrid-key`, '--intermediates', '-'],
      { env: { WORKLOAD_CERT: hybrid.certificate.pem, AWS_ROLESANYWHERE_PKCS11_PIN: PIN }, input: intermediate.certificate.pem },
    );
    expect(result.stderr).toBe('');
    expectCredentialsFor(result, hybrid);
  });

  it('--certificate - (DER) with the key by URI', async () => {
    const result = await runCli(
      ['credential-process', '--certificate', '-', '--private-key', uri(`?pin-value=${PIN}`), '--pkcs11-lib', softHsmModule, ...scenario.sessionFlags()],
      { env: hsm.env, input: identity.certificate.der },
    );
    expect(result.stderr).toBe('');
    expectCredentialsFor(result, identity);
  });
});

/** A URI taken as a file path is a relative one: the message names the working folder (the test's). */
const RELATIVE_MISSING = `no such file or directory (a relative path, looked for in the working folder ${process.cwd()})`;

describe('a pkcs11: URI in another case, or where a file belongs', () => {
  it('PKCS11: is the same scheme (RFC 3986: schemes are case-insensitive)', async () => {
    expectCredentialsFor(await credentialProcess(['--certificate', `PKCS11:token=${TOKEN};object=pin-key?pin-value=${PIN}`]), identity);
  });

  it('with its scheme mistyped it is a file path, named without the PIN', async () => {
    const mistyped = `pcks11:token=${TOKEN};object=pin-key?pin-value=${PIN}`;
    const result = await runCli(['credential-process', '--certificate', mistyped, ...scenario.sessionFlags()], { env: hsm.env, withoutTerminal: true });
    expect(failureMessage(result)).toBe(`unable to read certificate pcks11:token=${TOKEN};object=pin-key?pin-value=***: ${RELATIVE_MISSING}`);
    expect(result.stderr).not.toContain(PIN);
  });

  it.each<[string, () => string[], string]>([
    ['--intermediates', () => ['--intermediates', uri(`?pin-value=${PIN}`), '--pkcs11-lib', softHsmModule], `unable to read certificate bundle ${uri('?pin-value=***')}: ${RELATIVE_MISSING}`],
    ['--pkcs11-lib', () => ['--pkcs11-lib', uri(`?pin-value=${PIN}`)], `Failed to load provider library ${uri('?pin-value=***')}: cannot open shared object file: No such file or directory`],
  ])('given to %s, it is refused without showing the PIN', async (_flag, flags, message) => {
    const result = await runCli(['credential-process', '--certificate', uri(`?pin-value=${PIN}`), ...flags(), ...scenario.sessionFlags()], { env: hsm.env, withoutTerminal: true });
    expect(failureMessage(result)).toBe(message);
    expect(result.stderr).not.toContain(PIN);
  });
});
