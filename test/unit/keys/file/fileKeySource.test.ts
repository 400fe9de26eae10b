import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeySource } from '../../../../src/keys/file/fileKeySource.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../../../src/emulator/pki/generateKey.js';
import { testContext } from '../../../support/context.js';
import { Workspace } from '../../../support/scenario.js';

let workspace: Workspace;
let certificate: string;
let encryptedKey: string;

beforeAll(async () => {
  workspace = new Workspace();
  const key = generateKey('ec-p256');
  const ca = await CertificateAuthority.create({ subject: 'CN=File Key Source Root' });
  certificate = workspace.write('cert.pem', (await ca.issue({ subject: 'CN=encrypted', publicKey: key.spki })).pem);
  encryptedKey = workspace.write('key.pem', key.keyObject!.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }) as string);
});
afterAll(() => workspace.cleanup());

describe('FileKeySource', () => {
  it('asks once for the password of an encrypted key that callers want at the same time (serve\'s roles sharing it, at start-up)', async () => {
    const prompts: string[] = [];
    const source = new FileKeySource(
      { certificate, privateKey: encryptedKey, promptPassword: async (asked) => (prompts.push(asked), 'right') },
      testContext(),
    );
    const identities = await Promise.all([source.current(), source.current(), source.current()]);
    expect(prompts).toEqual(['first']);
    expect(new Set(identities).size).toBe(1);
    await source.current();
    expect(prompts).toEqual(['first']);
  });

  it('lets the callers waiting on one reading share its failure, and reads again for the next caller', async () => {
    let answers = ['wrong', 'wrong', 'wrong'];
    const source = new FileKeySource({ certificate, privateKey: encryptedKey, promptPassword: async () => answers.shift()! }, testContext());
    const outcomes = await Promise.allSettled([source.current(), source.current()]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    answers = ['right'];
    await expect(source.current()).resolves.toBeDefined();
  });

  it('says a certificate and key look swapped for a key of any type in the certificate file, and only where that holds no certificate (mutation sweep)', async () => {
    const sec1 = generateKey('ec-p256').keyObject!.export({ type: 'sec1', format: 'pem' }) as string;
    const swapped = new FileKeySource({ certificate: workspace.write('swapped-sec1.pem', sec1), privateKey: certificate }, testContext());
    await expect(swapped.current()).rejects.toThrow(/^the certificate and the private key look swapped: /);
    // A damaged certificate beside a key: the certificate's own error.
    const damaged = workspace.write('damaged-with-key.pem', '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n' + sec1);
    await expect(new FileKeySource({ certificate: damaged, privateKey: certificate }, testContext()).current()).rejects.toThrow(/^(?!the certificate and the private key look swapped)/);
  });

  it('does not call two key files, given as the certificate and the private key, swapped: the key file holds no certificate (coverage audit)', async () => {
    const pem = generateKey('ec-p256').keyObject!.export({ type: 'pkcs8', format: 'pem' }) as string;
    const [keyAsCertificate, key] = [workspace.write('key-as-certificate.pem', pem), workspace.write('key-too.pem', pem)];
    await expect(new FileKeySource({ certificate: keyAsCertificate, privateKey: key }, testContext()).current()).rejects.toThrow(
      /^could not parse PEM data in \S+\/key-as-certificate\.pem: no CERTIFICATE block found$/,
    );
  });

  describe('a PEM file of several keys (fuzzing QA)', () => {
    const right = generateKey('ec-p256').keyObject!;
    const other = generateKey('ec-p256').keyObject!;
    const pem = (key: typeof right, type: 'pkcs8' | 'sec1') => key.export({ type, format: 'pem' }) as string;
    const identityOf = async (text: string, pkcs8Password?: string) => {
      const ca = await CertificateAuthority.create({ subject: 'CN=Several Keys Root' });
      const cert = workspace.write('several-cert.pem', (await ca.issue({ subject: 'CN=several', publicKey: createPublicKey(right).export({ type: 'spki', format: 'der' }) })).pem);
      const privateKey = workspace.write('several-key.pem', text);
      return new FileKeySource({ certificate: cert, privateKey, pkcs8Password }, testContext()).current();
    };

    it.each([
      // The reference reads an ENCRYPTED PRIVATE KEY if there is one, else PRIVATE KEY, EC PRIVATE KEY, RSA PRIVATE KEY.
      ['another SEC1 key before the PKCS#8 key the reference reads', () => pem(other, 'sec1') + pem(right, 'pkcs8')],
      ['another key before the encrypted key the reference reads', () => pem(other, 'pkcs8') + (right.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string), 'pw'],
      // Which the reference tries after a PRIVATE KEY that does not parse.
      ['a damaged PRIVATE KEY before the SEC1 key', () => pem(right, 'sec1').replaceAll('EC PRIVATE KEY', 'PRIVATE KEY') + pem(right, 'sec1')],
      // Where the reference signs with the other key, which the service refuses.
      ["the certificate's SEC1 key before another PKCS#8 key", () => pem(right, 'sec1') + pem(other, 'pkcs8')],
    ])('reads the certificate\'s key: %s', async (_what, text, password?: string) => {
      const identity = await identityOf(text(), password);
      const signature = await identity.sign(Buffer.from('m'), 'SHA256');
      expect(verify('sha256', Buffer.from('m'), { key: right, dsaEncoding: 'der' }, signature)).toBe(true);
    });

    it("reads no other key after an encrypted key, as the reference reads only that one: one it cannot read fails (mutation sweep)", async () => {
      const text = (right.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string) + pem(right, 'pkcs8');
      await expect(identityOf(text)).rejects.toThrow(/: the key is encrypted and no password was given /);
    });

    it('says that a file none of whose keys is the certificate\'s does not match it', async () => {
      await expect(identityOf(pem(other, 'sec1') + pem(generateKey('ec-p256').keyObject!, 'pkcs8'))).rejects.toThrow(/^private key does not match the certificate: /);
    });
  });
});
