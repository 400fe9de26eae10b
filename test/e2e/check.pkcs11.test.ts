import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/emulator/pki/generateKey.js';
import { errorLine, runCli } from '../support/cli.js';
import { Scenario } from '../support/scenario.js';
import { SoftHsm, softHsmModule } from '../support/softhsm.js';

const TOKEN = 'check-token';
// Not USER_PIN (1234): the messages name the token by its random hex serial and the decimal slot number made of
// it, which hold 1234 in about one run in 760; a PIN of letters that neither can hold makes the no-PIN checks exact.
const PIN = 'pin-Qx7z';
const WRONG_PIN = 'pin-Wz9q';
const POSSESSION = "✓ the private key matches the certificate (a test signature verified with the certificate's key)";

let scenario: Scenario;
let hsm: SoftHsm;
let rsaCertPath: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  hsm = new SoftHsm();
  hsm.initToken(TOKEN, PIN);
  await hsm.addIdentity(TOKEN, scenario.ca, 'ec-p256', { id: '01', label: 'ec-key' }, PIN);
  const rsa = await hsm.addIdentity(TOKEN, scenario.ca, 'rsa-2048', { id: '02', label: 'rsa-key' }, PIN);
  rsaCertPath = scenario.workspace.write('rsa-cert.pem', rsa.certificate.pem);
});
afterAll(async () => {
  await scenario.stop();
  hsm.cleanup();
});

const uri = (object: string) => `pkcs11:token=${TOKEN};object=${object}?pin-value=${PIN}`;
const check = (keyArgs: string[], extra: string[] = []) =>
  runCli(['check', ...keyArgs, '--pkcs11-lib', softHsmModule, '--trust-anchor-certificate', scenario.workspace.path('root.pem'), ...extra], { env: hsm.env });

describe('check with keys on a PKCS#11 token', () => {
  it('certificate and key on the token: the token makes the test signature, the chain reaches the anchor', async () => {
    const result = await check(['--certificate', uri('ec-key')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${POSSESSION}\n`);
    expect(result.stdout).toContain('✓ chain: CN=ec-key, O=roles-anywhere-helper tests ← CN=Test Root CA, O=roles-anywhere-helper tests (trust anchor)\n');
  });

  it('a certificate file and an RSA key on the token, then CreateSession through the same session', async () => {
    const before = scenario.emulator.issued.length;
    const result = await check(['--certificate', rsaCertPath, '--private-key', uri('rsa-key')], scenario.sessionFlags());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${POSSESSION}\n`);
    expect(result.stdout).toContain('✓ RSA key of 2048 bits\n');
    expect(result.stdout).toMatch(/✓ CreateSession at \S+: the service issued credentials/);
    expect(scenario.emulator.issued.length).toBe(before + 1);
  });

  it("a certificate file whose key is not on the token: the key fails, the certificate's other checks still run", async () => {
    const stranger = await scenario.ca.issue({ subject: 'CN=not on the token', publicKey: generateKey('ec-p256').spki, notAfter: new Date(Date.now() + 400 * 86_400_000) });
    const certPath = scenario.workspace.write('stranger-cert.pem', stranger.pem);
    const result = await check(['--certificate', certPath, '--private-key', uri('ec-key')]);
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe(`${certPath}: 1 check failed`);
    const failed = result.stdout.split('\n').filter((line) => line.startsWith('✗'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^✗ .*pkcs11:token=check-token;object=ec-key/);
    expect(failed[0]).not.toContain(PIN);
    expect(result.stdout).toContain('✓ chain: CN=not on the token ← CN=Test Root CA, O=roles-anywhere-helper tests (trust anchor)\n');
  });

  it('certificate and key on the token, with a wrong PIN: the key fails as a finding, the certificate read without logging in is checked', async () => {
    const result = await check(['--certificate', `pkcs11:token=${TOKEN};object=ec-key?pin-value=${WRONG_PIN}`]);
    expect(result.code).toBe(1);
    const failed = result.stdout.split('\n').filter((line) => line.startsWith('✗'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^✗ user authentication failed \(pkcs11: 0xA0: CKR_PIN_INCORRECT\)/);
    expect(result.stdout).toContain('✓ chain: CN=ec-key, O=roles-anywhere-helper tests ← CN=Test Root CA, O=roles-anywhere-helper tests (trust anchor)\n');
    expect(result.stdout + result.stderr).not.toContain(WRONG_PIN);
  });

  it("with a wrong PIN, the chain still goes through the token's intermediate, as its key source sends it (QA: chain failed, asking for --intermediates)", async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Token Issuing CA' });
    await hsm.addIdentity(TOKEN, intermediate, 'ec-p256', { id: '05', label: 'issued-key' }, PIN);
    hsm.writeCertificate(TOKEN, intermediate.certificate.der, { id: '06', label: 'token-issuing-ca' }, PIN);
    const chain = '✓ chain: CN=issued-key, O=roles-anywhere-helper tests ← CN=Token Issuing CA ← CN=Test Root CA, O=roles-anywhere-helper tests (trust anchor)\n';
    expect((await check(['--certificate', uri('issued-key')])).stdout).toContain(chain);
    const result = await check(['--certificate', `pkcs11:token=${TOKEN};object=issued-key?pin-value=${WRONG_PIN}`]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗'))).toEqual([expect.stringMatching(/^✗ user authentication failed \(pkcs11: 0xA0: CKR_PIN_INCORRECT\)/)]);
    expect(result.stdout).toContain(chain);
  });

  it('a failing check names the certificate URI without its PIN, on stderr and in the JSON report', async () => {
    const shown = `pkcs11:token=${TOKEN};object=ec-key`;
    const text = await check(['--certificate', uri('ec-key'), '--role-arn', 'not-an-arn']);
    expect(text.code).toBe(1);
    expect(errorLine(text)).toBe(`${shown}: 1 check failed`);
    const json = await check(['--certificate', uri('ec-key'), '--role-arn', 'not-an-arn', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ certificate: shown, passed: false });
    for (const result of [text, json]) expect(result.stdout + result.stderr).not.toContain(`pin-value=${PIN}`);
  });

  it('a key on the token given alone, as --private-key: nothing to check, said naming the key as credential-process does, and nothing sent (coverage audit: never driven)', async () => {
    const before = scenario.emulator.issued.length;
    for (const extra of [[], scenario.sessionFlags()]) {
      const result = await check(['--private-key', uri('ec-key')], extra);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(1);
      expect(errorLine(result)).toBe(`nothing to check: pkcs11:token=${TOKEN};object=ec-key is a key alone; give its certificate with --certificate`);
    }
    expect(scenario.emulator.issued.length).toBe(before);
  });
});
