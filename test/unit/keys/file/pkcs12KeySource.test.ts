import * as crypto from 'node:crypto';
import forge from 'node-forge';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Pkcs12KeySource } from '../../../../src/keys/file/pkcs12KeySource.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../../../src/emulator/pki/generateKey.js';
import { openssl } from '../../../support/scenario.js';
import { silentLogger, type Logger } from '../../../../src/log/logger.js';

vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, pbkdf2Sync: vi.fn(actual.pbkdf2Sync) };
});

let folder: string;
let files: { cert: string; key: string };
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rah-p12-'));
  const ca = await CertificateAuthority.create({ subject: 'CN=P12 Root' });
  const leaf = await ca.issue({ subject: 'CN=p12' });
  files = { cert: join(folder, 'cert.pem'), key: join(folder, 'key.pem') };
  writeFileSync(files.cert, leaf.pem);
  writeFileSync(files.key, pkcs8Pem(leaf.key!));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const p12 = (...extra: string[]) => ({
  content: openssl(['pkcs12', '-export', '-inkey', files.key, '-in', files.cert, '-passout', 'pass:pw', ...extra]),
  name: 'test.p12',
});
const noPassword = { password: undefined, fromEnv: () => undefined };
/** Whether the source's key signs, verified with its certificate's public key. */
async function signs(source: Pkcs12KeySource): Promise<boolean> {
  const identity = await source.current();
  const signature = await identity.sign(Buffer.from('message'), 'SHA256');
  return crypto.verify('sha256', Buffer.from('message'), crypto.createPublicKey(readFileSync(files.key)), signature);
}

describe('Pkcs12KeySource', () => {
  it("derives PBES2 keys with Node's PBKDF2, not node-forge's JavaScript one (600,000 iterations took 11 s, serve meanwhile deaf)", async () => {
    const source = new Pkcs12KeySource(p12('-iter', '100000'), { password: 'pw', fromEnv: () => undefined }, silentLogger);
    expect(await signs(source)).toBe(true);
    expect(vi.mocked(crypto.pbkdf2Sync).mock.calls.some((call) => call[2] === 100000 && call[4] === 'sha256')).toBe(true);
  });

  it('refuses the derivation that would take a file past its iterations in all, one part or many (fuzzing QA: a MAC of 2^31 held it for what would have been 50 minutes; review: many parts each under the limit)', async () => {
    // 65,536 iterations (02 03 01 00 00) made 8,388,607 (02 03 7f ff ff) in place.
    const raised = (file: { content: Buffer; name: string }, which: 'last' | 'all') => {
      const [from, to] = [Buffer.from('020301000000', 'hex').subarray(0, 5), Buffer.from('02037fffff', 'hex')];
      const content = Buffer.from(file.content);
      const at: number[] = [];
      for (let i = content.indexOf(from); i !== -1; i = content.indexOf(from, i + 1)) at.push(i);
      expect(at.length).toBeGreaterThan(0);
      for (const i of which === 'last' ? at.slice(-1) : at) to.copy(content, i);
      return { ...file, content };
    };
    const password = { password: 'pw', fromEnv: () => undefined };
    const refusal = "failed to read PKCS#12 file test.p12: it asks for more than 2000000 iterations of PKCS#12's key derivation in all, more than this helper allows";
    await expect(new Pkcs12KeySource(raised(p12('-iter', '65536'), 'last'), password, silentLogger).current()).rejects.toThrow(refusal);
    await expect(new Pkcs12KeySource(raised(p12('-legacy', '-nomac', '-iter', '65536'), 'all'), password, silentLogger).current()).rejects.toThrow(refusal);
    // Parts each under the limit, over it in all (review: as long as one over it): the MAC and two derivations
    // for each of the two encrypted parts, 450,000 iterations each.
    await expect(new Pkcs12KeySource(p12('-legacy', '-iter', '450000'), password, silentLogger).current()).rejects.toThrow(refusal);
  }, 30_000);

  it.each([[[]], [['-certpbe', 'AES-256-CBC']]])('says a file without a MAC (openssl pkcs12 -nomac %j) needs its password, or that the one given is wrong, rather than quote node-forge', async (extra) => {
    const file = p12('-nomac', ...extra);
    await expect(new Pkcs12KeySource(file, noPassword, silentLogger).current()).rejects.toThrow(
      /^failed to read PKCS#12 file test\.p12: it is protected by a password \(give it with /,
    );
    await expect(new Pkcs12KeySource(file, { password: 'wrong', fromEnv: () => undefined }, silentLogger).current()).rejects.toThrow(
      'failed to read PKCS#12 file test.p12: wrong password',
    );
    expect(await signs(new Pkcs12KeySource(file, { password: 'pw', fromEnv: () => undefined }, silentLogger))).toBe(true);
  });

  it("refuses a file whose authSafe holds no content in words, not with node-forge's TypeError (Cannot read properties of undefined) (fuzzing QA)", async () => {
    const file = { content: Buffer.from('MFUCAQMwDQYJKoZIhvcNAQcBoAAwQTAxMA0GCWCGSAFlAwQCAQUABCAbUxhhoRLqOY4KlTfxSpt7oRsQ/8wZOJA4VFy9N+0LCgQIj1F0NQrL1skCAggA', 'base64'), name: 'test.p12' };
    const refusal = new Pkcs12KeySource(file, { password: 'pw', fromEnv: () => undefined }, silentLogger).current();
    await expect(refusal).rejects.toThrow(/^failed to read PKCS#12 file test.p12: not a PKCS#12 file this helper can read \(its structure is not PKCS#12's\)$/);
  });

  it('refuses a file without a private key, without a certificate, or whose key is no certificate\'s in it, in words (coverage audit: none was driven)', async () => {
    const otherKey = join(folder, 'other-key.pem');
    writeFileSync(otherKey, pkcs8Pem(generateKey('ec-p256')));
    const refusal = (...args: string[]) =>
      new Pkcs12KeySource({ content: openssl(['pkcs12', '-export', '-passout', 'pass:pw', ...args]), name: 'test.p12' }, { password: 'pw', fromEnv: () => undefined }, silentLogger).current();
    await expect(refusal('-nokeys', '-in', files.cert)).rejects.toThrow(/^failed to read PKCS#12 file test.p12: it holds no private key$/);
    await expect(refusal('-nocerts', '-inkey', files.key)).rejects.toThrow(/^failed to read PKCS#12 file test.p12: it holds no certificate$/);
    await expect(refusal('-nocerts', '-inkey', otherKey, '-certfile', files.cert)).rejects.toThrow(/^failed to read PKCS#12 file test.p12: private key does not match any certificate in it$/);
  });

  it('sends the certificates other than its own as the chain: none for a file of one (mutation sweep: its own was sent again)', async () => {
    const identity = await new Pkcs12KeySource(p12(), { password: 'pw', fromEnv: () => undefined }, silentLogger).current();
    expect(identity.certificate?.subject.toString('latin1')).toContain('p12');
    expect(identity.chain).toEqual([]);
  });

  it('takes the password of a file with a MAC and nothing encrypted (-keypbe NONE -certpbe NONE): it is protected by one (mutation sweep)', async () => {
    const file = p12('-keypbe', 'NONE', '-certpbe', 'NONE');
    expect(await signs(new Pkcs12KeySource(file, { password: 'pw', fromEnv: () => undefined }, silentLogger))).toBe(true);
  });

  it('takes a wrong password that decrypts a file without a MAC into bytes that do not parse (a few times in a thousand) for a wrong password too', async () => {
    // One iteration (-iter before -nomac, which it would undo after), so that node-forge can try thousands of passwords here. (Node 24 CI: "not a PKCS#12 file
    // this helper can read (Only 8, 16, 24, or 32 bits supported: 80)" for a wrong password, once.)
    const file = p12('-iter', '1', '-nomac', '-certpbe', 'AES-256-CBC', '-keypbe', 'AES-256-CBC');
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(file.content.toString('binary')));
    let garbling: string | undefined;
    for (let n = 0; n < 20_000 && garbling === undefined; n++) {
      try {
        forge.pkcs12.pkcs12FromAsn1(asn1, false, `wrong-${n}`);
      } catch (error) {
        if (!/Failed to decrypt|Invalid password|Unable to decrypt/.test(String(error))) garbling = `wrong-${n}`;
      }
    }
    expect(garbling).toBeDefined();
    await expect(new Pkcs12KeySource(file, { password: garbling, fromEnv: () => undefined }, silentLogger).current()).rejects.toThrow(
      'failed to read PKCS#12 file test.p12: wrong password (given with pkcs12Password)',
    );
  });

  it('reads the file again when it changes on disk, and says so at debug level, as the other key sources do', async () => {
    const path = join(folder, 'renewed.p12');
    writeFileSync(path, p12().content);
    const debug: unknown[] = [];
    const logger: Logger = { ...silentLogger, debug: (...line) => debug.push(line.join(' ')) };
    const source = new Pkcs12KeySource(path, { password: 'pw', fromEnv: () => undefined }, logger);
    const first = await source.current();
    expect(await source.current()).toBe(first);
    writeFileSync(path, p12('-certpbe', 'AES-256-CBC').content);
    utimesSync(path, new Date(), new Date(Date.now() + 60_000));
    expect(await source.current()).not.toBe(first);
    expect(debug).toEqual(['PKCS#12 file changed on disk; reading it again']);
  });
});
