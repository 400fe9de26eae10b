import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { generateKey, type KeyAlgorithm } from '../../src/emulator/pki/generateKey.js';
import { errorLine, runCli } from '../support/cli.js';
import { printedCredentials, Scenario } from '../support/scenario.js';
import { SoftHsm, USER_PIN, softHsmModule, type TokenIdentity } from '../support/softhsm.js';

const TOKEN = 'pkcs11-credentials';
const CHAIN_TOKEN = 'pkcs11-chain';
const BARE_TOKEN = 'pkcs11-no-chain';

let scenario: Scenario;
let hsm: SoftHsm;
const identities: Partial<Record<KeyAlgorithm, TokenIdentity>> = {};
let intermediate: CertificateAuthority;
let chained: TokenIdentity;

beforeAll(async () => {
  scenario = await Scenario.start();
  hsm = new SoftHsm();
  hsm.initToken(TOKEN);
  let id = 1;
  for (const algorithm of ['rsa-2048', 'ec-p256', 'ec-p384'] as const) {
    identities[algorithm] = await hsm.addIdentity(TOKEN, scenario.ca, algorithm, { id: `0${id++}`, label: algorithm });
  }
  hsm.writePrivateKey(TOKEN, identities['ec-p256']!.key.pkcs8(), { id: '10', label: 'ec-always-auth', alwaysAuthenticate: true });

  // A token that holds, besides the leaf and its key: its issuing CA, that CA's sibling, an unrelated root, and
  // another leaf of the same CA. Only the issuing CA belongs in the chain; the emulator needs it.
  intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Token Issuing CA,O=roles-anywhere-helper tests' });
  const sibling = await scenario.ca.issueIntermediate({ subject: 'CN=Sibling CA,O=roles-anywhere-helper tests' });
  const unrelatedRoot = await CertificateAuthority.create({ subject: 'CN=Unrelated Root,O=elsewhere' });
  hsm.initToken(CHAIN_TOKEN);
  hsm.writeCertificate(CHAIN_TOKEN, scenario.ca.certificate.der, { id: 'a0', label: 'root' });
  hsm.writeCertificate(CHAIN_TOKEN, sibling.certificate.der, { id: 'a1', label: 'sibling-ca' });
  hsm.writeCertificate(CHAIN_TOKEN, intermediate.certificate.der, { id: 'a2', label: 'issuing-ca' });
  hsm.writeCertificate(CHAIN_TOKEN, unrelatedRoot.certificate.der, { id: 'a3', label: 'unrelated-root' });
  await hsm.addIdentity(CHAIN_TOKEN, intermediate, 'ec-p256', { id: 'b0', label: 'other-leaf' });
  chained = await hsm.addIdentity(CHAIN_TOKEN, intermediate, 'rsa-2048', { id: 'b1', label: 'leaf' });

  hsm.initToken(BARE_TOKEN);
  hsm.importKeyPair(BARE_TOKEN, chained.key.pkcs8(), { id: 'b1', label: 'leaf' });
  hsm.writeCertificate(BARE_TOKEN, chained.certificate.der, { id: 'b1', label: 'leaf' });
});
afterAll(async () => {
  await scenario.stop();
  hsm.cleanup();
});

const uri = (token: string, path: string) => `pkcs11:token=${token};${path}?pin-value=${USER_PIN}`;

function credentialProcess(keyArgs: string[]) {
  return runCli(['credential-process', ...keyArgs, '--pkcs11-lib', softHsmModule, ...scenario.sessionFlags()], { env: hsm.env });
}

/** Runs credential-process and checks that it printed exactly what the emulator issued for this certificate. */
async function expectCredentials(keyArgs: string[], identity: TokenIdentity) {
  const before = scenario.emulator.issued.length;
  const result = await credentialProcess(keyArgs);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(scenario.emulator.issued.length).toBe(before + 1);
  const issued = scenario.emulator.issued.at(-1)!;
  expect(issued.serialNumber).toBe(BigInt(`0x${identity.certificate.serialNumberHex}`).toString());
  expect(result.stdout).toBe(printedCredentials(issued));
}

describe('credential-process with a key on a token', () => {
  it.each(['rsa-2048', 'ec-p256', 'ec-p384'] as const)('%s: certificate and key by one URI', async (algorithm) => {
    await expectCredentials(['--certificate', uri(TOKEN, `object=${algorithm}`)], identities[algorithm]!);
  });

  it('certificate and key by id', async () => {
    await expectCredentials(['--certificate', uri(TOKEN, 'id=%02'), '--private-key', uri(TOKEN, 'id=%02')], identities['ec-p256']!);
  });

  it('hybrid: the certificate from a file, the key from the token', async () => {
    const identity = identities['rsa-2048']!;
    const certPath = scenario.workspace.write('hybrid-cert.pem', identity.certificate.pem);
    await expectCredentials(['--certificate', certPath, '--private-key', uri(TOKEN, 'object=rsa-2048')], identity);
  });

  it('an always-authenticate key with --reuse-pin', async () => {
    await expectCredentials(
      ['--certificate', uri(TOKEN, 'object=ec-p256'), '--private-key', uri(TOKEN, 'object=ec-always-auth'), '--reuse-pin'],
      identities['ec-p256']!,
    );
  });
});

describe('the certificate chain', () => {
  it('is built from the issuing CA certificate on the token, which the service needs', async () => {
    await expectCredentials(['--certificate', uri(CHAIN_TOKEN, 'object=leaf')], chained);
  });

  it('is built from the token in hybrid mode too', async () => {
    const certPath = scenario.workspace.write('chained-cert.pem', chained.certificate.pem);
    await expectCredentials(['--certificate', certPath, '--private-key', uri(CHAIN_TOKEN, 'object=leaf')], chained);
  });

  it('is missing when the token has no issuer, and the service refuses the certificate', async () => {
    const result = await credentialProcess(['--certificate', uri(BARE_TOKEN, 'object=leaf')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toMatch(/AccessDeniedException: .*the certificate was not issued by the trust anchor or a sent intermediate/);
  });

  it('comes from --intermediates when given', async () => {
    const bundle = scenario.workspace.write('token-chain.pem', intermediate.certificate.pem);
    await expectCredentials(['--certificate', uri(BARE_TOKEN, 'object=leaf'), '--intermediates', bundle], chained);
  });

  it('follows two intermediates on the token, nearest issuer first', async () => {
    const upper = await scenario.ca.issueIntermediate({ subject: 'CN=Upper CA,O=roles-anywhere-helper tests', pathLength: 1 });
    const lower = await upper.issueIntermediate({ subject: 'CN=Lower CA,O=roles-anywhere-helper tests' });
    const token = 'pkcs11-two-levels';
    hsm.initToken(token);
    hsm.writeCertificate(token, upper.certificate.der, { id: 'c0', label: 'upper' });
    hsm.writeCertificate(token, lower.certificate.der, { id: 'c1', label: 'lower' });
    const leaf = await hsm.addIdentity(token, lower, 'ec-p384', { id: 'c2', label: 'deep-leaf' });
    await expectCredentials(['--certificate', uri(token, 'object=deep-leaf')], leaf);
  });
});

describe('a key on the token without a certificate', () => {
  it('signs, but credential-process needs a certificate', async () => {
    const key = generateKey('ec-p256');
    hsm.importKeyPair(TOKEN, key.pkcs8(), { id: '20', label: 'lonely-key' });
    const result = await credentialProcess(['--private-key', uri(TOKEN, 'object=lonely-key')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(
      `unable to find certificate: pkcs11:token=${TOKEN};object=lonely-key is a key alone; give its certificate with --certificate`,
    );
  });
});
