import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJavaKeystore, looksLikePkcs12, pkcs12Der } from '../../../../src/keys/file/pkcs12File.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { pkcs8Pem } from '../../../../src/emulator/pki/generateKey.js';
import { openssl } from '../../../support/scenario.js';

/** What is taken for a PKCS#12 file (and what for a Java keystore), before node-forge reads it. */
let folder: string;
let p12: Buffer;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rah-p12-file-'));
  const ca = await CertificateAuthority.create({ subject: 'CN=P12 File Root' });
  const leaf = await ca.issue({ subject: 'CN=p12 file' });
  writeFileSync(join(folder, 'cert.pem'), leaf.pem);
  writeFileSync(join(folder, 'key.pem'), pkcs8Pem(leaf.key!));
  p12 = openssl(['pkcs12', '-export', '-inkey', join(folder, 'key.pem'), '-in', join(folder, 'cert.pem'), '-passout', 'pass:pw']);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('PKCS#12 files, by their first bytes', () => {
  it('takes a PFX of version 3 only (mutation sweep: any version passed)', () => {
    expect(looksLikePkcs12(p12)).toBe(true);
    const version = p12.indexOf(Buffer.of(2, 1, 3));
    expect(version).toBeGreaterThan(0);
    for (const other of [0, 2, 4]) {
      const changed = Buffer.from(p12);
      changed[version + 2] = other;
      expect(looksLikePkcs12(changed)).toBe(false);
      expect(pkcs12Der(changed)).toBeUndefined();
    }
  });

  it('reads the DER of a PEM PKCS12 block (as certtool writes it), and of no other block', () => {
    const pem = (type: string) => Buffer.from(`-----BEGIN ${type}-----\n${p12.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${type}-----\n`);
    expect(pkcs12Der(pem('PKCS12'))).toEqual(p12);
    expect(pkcs12Der(pem('CERTIFICATE'))).toBeUndefined();
  });

  it("knows both of keytool's formats before PKCS#12, JKS and JCEKS, by their magic numbers (mutation sweep: JCEKS was not)", () => {
    const store = (magic: string) => Buffer.concat([Buffer.from(magic, 'hex'), Buffer.alloc(20, 7)]);
    expect(isJavaKeystore(store('feedfeed'))).toBe(true);
    expect(isJavaKeystore(store('cececece'))).toBe(true);
    expect(isJavaKeystore(store('feedfeee'))).toBe(false);
    expect(isJavaKeystore(Buffer.from('feedfe', 'hex'))).toBe(false);
    expect(isJavaKeystore(p12)).toBe(false);
  });
});
