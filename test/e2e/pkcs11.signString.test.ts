import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, type KeyAlgorithm } from '../../src/emulator/pki/generateKey.js';
import { runCli, type CliResult } from '../support/cli.js';
import { Scenario } from '../support/scenario.js';
import { SoftHsm, USER_PIN, softHsmModule, type TokenIdentity } from '../support/softhsm.js';

const TOKEN = 'pkcs11-sign-string';
const DIGESTS = ['SHA256', 'SHA384', 'SHA512'] as const;
type Digest = (typeof DIGESTS)[number];

interface TokenObject {
  readonly name: string;
  readonly algorithm: KeyAlgorithm;
  readonly id: string;
  readonly alwaysAuthId: string;
  identity?: TokenIdentity;
  certPath?: string;
}

/** The reference's two objects (rsa-2048, ec-prime256v1) and a P-384 key, each also as a CKA_ALWAYS_AUTHENTICATE copy. */
const OBJECTS: TokenObject[] = [
  { name: 'rsa-2048', algorithm: 'rsa-2048', id: '01', alwaysAuthId: '03' },
  { name: 'ec-prime256v1', algorithm: 'ec-p256', id: '02', alwaysAuthId: '04' },
  { name: 'ec-secp384r1', algorithm: 'ec-p384', id: '05', alwaysAuthId: '06' },
];

let scenario: Scenario;
let hsm: SoftHsm;

beforeAll(async () => {
  scenario = await Scenario.start();
  hsm = new SoftHsm();
  hsm.initToken(TOKEN);
  for (const object of OBJECTS) {
    object.identity = await hsm.addIdentity(TOKEN, scenario.ca, object.algorithm, { id: object.id, label: object.name });
    hsm.writePrivateKey(TOKEN, object.identity.key.pkcs8(), { id: object.alwaysAuthId, label: `${object.name}-always-auth`, alwaysAuthenticate: true });
    object.certPath = scenario.workspace.write(`${object.name}-cert.pem`, object.identity.certificate.pem);
  }
});
afterAll(async () => {
  await scenario.stop();
  hsm.cleanup();
});

const uri = (path: string, query = `?pin-value=${USER_PIN}`) => `pkcs11:token=${TOKEN}${path ? `;${path}` : ''}${query}`;

function signString(keyArgs: string[], digest: Digest, options: { env?: Record<string, string>; module?: boolean } = {}) {
  const moduleArgs = options.module === false ? [] : ['--pkcs11-lib', softHsmModule];
  return runCli(['sign-string', ...keyArgs, ...moduleArgs, '--digest', digest, '--format', 'text'], { env: { ...hsm.env, ...options.env } });
}

/** The message sign-string signs: the fixed prefix, "1", SHA256("IAM RA" ‖ public key bytes). */
function signStringMessage(spki: Buffer): Buffer {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  let bytes: Buffer;
  if (key.asymmetricKeyType === 'ec') {
    const { x, y } = key.export({ format: 'jwk' });
    bytes = Buffer.concat([Buffer.from([4]), Buffer.from(x!, 'base64url'), Buffer.from(y!, 'base64url')]);
  } else {
    bytes = key.export({ type: 'pkcs1', format: 'der' });
  }
  const digest = createHash('sha256').update('IAM RA').update(bytes).digest();
  return Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'), digest]);
}

function expectValidSignature(result: CliResult, object: TokenObject, digest: Digest) {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^[0-9a-f]+$/);
  const spki = object.identity!.key.spki;
  const publicKey = { key: spki, format: 'der' as const, type: 'spki' as const, dsaEncoding: 'der' as const };
  expect(verify(digest.toLowerCase(), signStringMessage(spki), publicKey, Buffer.from(result.stdout, 'hex'))).toBe(true);
}

/** The reference's TestPKCS11Signer cases (spec §8.2), each signing with every digest. */
const REFERENCE_CASES: [string, (object: TokenObject) => string[]][] = [
  ['1: certificate URI alone', (o) => ['--certificate', uri(`object=${o.name}`)]],
  ['2: private key URI alone (no certificate)', (o) => ['--private-key', uri(`object=${o.name}`)]],
  ['3: certificate and key by the same URI', (o) => ['--certificate', uri(`object=${o.name}`), '--private-key', uri(`object=${o.name}`)]],
  ['4: certificate file, key URI', (o) => ['--certificate', o.certPath!, '--private-key', uri(`object=${o.name}`)]],
  [
    '5: certificate URI, always-authenticate key URI, --reuse-pin',
    (o) => ['--certificate', uri(`object=${o.name}`), '--private-key', uri(`object=${o.name}-always-auth`), '--reuse-pin'],
  ],
  [
    '6: certificate file, always-authenticate key URI, --reuse-pin',
    (o) => ['--certificate', o.certPath!, '--private-key', uri(`object=${o.name}-always-auth`), '--reuse-pin'],
  ],
  [
    '7: certificate file, a key URI matching every key on the token, --reuse-pin',
    (o) => ['--certificate', o.certPath!, '--private-key', uri(''), '--reuse-pin'],
  ],
];

describe.each(OBJECTS)('sign-string with the token\'s $name key', (object) => {
  it.each(REFERENCE_CASES)('%s', async (_name, keyArgs) => {
    for (const digest of DIGESTS) expectValidSignature(await signString(keyArgs(object), digest), object, digest);
  });

  it('certificate and key found by id', async () => {
    const id = `id=%${object.id}`;
    expectValidSignature(await signString(['--certificate', uri(id)], 'SHA256'), object, 'SHA256');
    expectValidSignature(await signString(['--certificate', uri(id), '--private-key', uri(id)], 'SHA384'), object, 'SHA384');
  });
});

describe('URIs with every attribute', () => {
  it('select the token by library, slot and token attributes, and the objects by id, label and type', async () => {
    const { serial, slot } = hsm.tokenInfo(TOKEN);
    const ec = OBJECTS[1]!;
    const token =
      'pkcs11:library-manufacturer=SoftHSM;library-description=Implementation%20of%20PKCS11;library-version=2.6;' +
      `slot-description=SoftHSM%20slot%20ID%200x${BigInt(slot).toString(16)};slot-manufacturer=SoftHSM%20project;slot-id=${slot};` +
      `model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=${serial};token=${TOKEN}`;
    const certificate = `${token};id=%${ec.id};object=${ec.name};type=cert?pin-value=${USER_PIN}`;
    const key = `${token};id=%${ec.id};object=${ec.name};type=private?pin-value=${USER_PIN}`;
    expectValidSignature(await signString(['--certificate', certificate, '--private-key', key], 'SHA384'), ec, 'SHA384');
  });
});

describe('pairing the key with a certificate found by URI', () => {
  it("falls back to the certificate's CKA_ID when no key has its label", async () => {
    const key = generateKey('ec-p256');
    const certificate = await scenario.ca.issue({ subject: 'CN=paired-by-id', publicKey: key.spki });
    hsm.importKeyPair(TOKEN, key.pkcs8(), { id: '70', label: 'key-label' });
    hsm.writeCertificate(TOKEN, certificate.der, { id: '70', label: 'certificate-label' });
    const object: TokenObject = { name: 'paired', algorithm: 'ec-p256', id: '70', alwaysAuthId: '', identity: { key, certificate } };
    expectValidSignature(await signString(['--certificate', uri('object=certificate-label')], 'SHA256'), object, 'SHA256');
  });
});

describe('where the PIN comes from', () => {
  const [rsa, ec] = OBJECTS as [TokenObject, TokenObject];

  it('pin-source: a file holding the PIN (and a newline), by path or file: URI', async () => {
    const pinFile = scenario.workspace.write('user.pin', `${USER_PIN}\n`);
    const byPath = uri(`object=${rsa.name}`, `?pin-source=${pinFile}`);
    expectValidSignature(await signString(['--certificate', byPath], 'SHA256'), rsa, 'SHA256');
    const byFileUri = uri(`object=${ec.name}`, `?pin-source=file://${pinFile}`);
    expectValidSignature(await signString(['--certificate', byFileUri], 'SHA256'), ec, 'SHA256');
  });

  it('the AWS_ROLESANYWHERE_PKCS11_PIN environment variable, when the URI has none', async () => {
    const env = { AWS_ROLESANYWHERE_PKCS11_PIN: USER_PIN };
    expectValidSignature(await signString(['--certificate', uri(`object=${ec.name}`, '')], 'SHA256', { env }), ec, 'SHA256');
    const alwaysAuth = ['--certificate', rsa.certPath!, '--private-key', uri(`object=${rsa.name}-always-auth`, ''), '--reuse-pin'];
    expectValidSignature(await signString(alwaysAuth, 'SHA512', { env }), rsa, 'SHA512');
  });

  it("the URI's pin-value wins over the environment variable", async () => {
    const env = { AWS_ROLESANYWHERE_PKCS11_PIN: 'not-the-pin' };
    expectValidSignature(await signString(['--certificate', uri(`object=${ec.name}`)], 'SHA256', { env }), ec, 'SHA256');
  });
});

describe('which module is loaded', () => {
  const ec = OBJECTS[1]!;

  it("the URI's module-path, without --pkcs11-lib", async () => {
    const certificate = uri(`object=${ec.name}`, `?pin-value=${USER_PIN}&module-path=${softHsmModule}`);
    expectValidSignature(await signString(['--certificate', certificate], 'SHA256', { module: false }), ec, 'SHA256');
  });

  it("the URI's module-name, a module registered with p11-kit", async () => {
    const certificate = uri(`object=${ec.name}`, `?pin-value=${USER_PIN}&module-name=softhsm2`);
    expectValidSignature(await signString(['--certificate', certificate], 'SHA256', { module: false }), ec, 'SHA256');
  });

  it("p11-kit's proxy by default, which finds the token through SoftHSM's p11-kit registration", async () => {
    expectValidSignature(await signString(['--certificate', uri(`object=${ec.name}`)], 'SHA256', { module: false }), ec, 'SHA256');
  });
});
