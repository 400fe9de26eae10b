import { createPublicKey, verify } from 'node:crypto';
import { testContext } from '../../../support/context.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Digest, KeySource, SigningIdentity } from '../../../../src/keys/keySource.js';
import { loadModule, type Pkcs11Module } from '../../../../src/keys/pkcs11/module.js';
import { openPkcs11KeySource } from '../../../../src/keys/pkcs11/pkcs11KeySource.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../../../src/emulator/pki/generateKey.js';
import { SoftHsm, USER_PIN, pkcs11SpyModule, softHsmModule, type TokenIdentity } from '../../../support/softhsm.js';

/**
 * The key source in this process, through OpenSC's pkcs11-spy in front of SoftHSM: the spy's log of PKCS#11
 * calls shows how often the source logs in, opens sessions and searches, without any hook in the source.
 */
const TOKEN = 'key-source';
const CHAIN_TOKEN = 'key-source-chain';

let hsm: SoftHsm;
let spy: string;
let spyLog: string;
let ca: CertificateAuthority;
let ec: TokenIdentity;
let rsa: TokenIdentity;

beforeAll(async () => {
  hsm = new SoftHsm();
  hsm.useInThisProcess();
  spy = pkcs11SpyModule();
  spyLog = join(hsm.dir, 'pkcs11-spy.log');
  process.env.PKCS11SPY = softHsmModule;
  process.env.PKCS11SPY_OUTPUT = spyLog;
  ca = await CertificateAuthority.create({ subject: 'CN=Key Source Test Root' });
  hsm.initToken(TOKEN);
  ec = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '01', label: 'ec' });
  rsa = await hsm.addIdentity(TOKEN, ca, 'rsa-2048', { id: '02', label: 'rsa' });
});
afterAll(() => hsm.cleanup());

const uri = (path: string, token = TOKEN) => `pkcs11:token=${token};${path}?pin-value=${USER_PIN}`;
const open = (options: { certificate?: string; privateKey?: string; intermediates?: string }) =>
  openPkcs11KeySource({ ...options, pkcs11Lib: spy, interactive: false }, testContext());

/** How many times the spy saw a function called so far. */
function calls(name: string): number {
  return readFileSync(spyLog, 'utf8').match(new RegExp(`^\\d+: ${name}$`, 'gm'))?.length ?? 0;
}

/** The calls the spy saw after `mark` (a count of all calls so far). */
function callsSince(mark: number): string[] {
  return [...readFileSync(spyLog, 'utf8').matchAll(/^\d+: (C_\w+)$/gm)].map((match) => match[1]!).slice(mark);
}

async function expectSignatureVerifies(identity: SigningIdentity, spki: Buffer, digest: Digest) {
  const data = Buffer.from(`message for ${digest}`);
  const signature = await identity.sign(data, digest);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  expect(verify(digest.toLowerCase(), data, { key, dsaEncoding: 'der' }, signature)).toBe(true);
}

/** C_CloseAllSessions / C_Logout from elsewhere in the process, as another user of the module (or a token pulled out) would. */
function withOtherUser(action: (module: Pkcs11Module, slot: Buffer) => void, token = TOKEN) {
  const other = loadModule({ path: spy }, silentLogger);
  try {
    const slot = other.api.C_GetSlotList(true).find((s) => other.api.C_GetTokenInfo(s).label.trimEnd() === token)!;
    action(other, slot);
  } finally {
    other.release();
  }
}

describe('a long-running PKCS#11 key source', () => {
  let source: KeySource;
  beforeAll(async () => {
    source = await open({ certificate: uri('object=ec') });
  });
  afterAll(async () => source.close());

  it('logs in once, opens one session and searches no more, however many times it signs', async () => {
    expect(calls('C_Login')).toBe(1);
    expect(calls('C_OpenSession')).toBe(1);
    const searches = calls('C_FindObjectsInit');
    const signatures = calls('C_Sign');
    for (let refresh = 0; refresh < 10; refresh++) {
      const identity = await source.current();
      expect(identity.certificate!.der).toEqual(ec.certificate.der);
      await expectSignatureVerifies(identity, ec.key.spki, (['SHA256', 'SHA384', 'SHA512'] as const)[refresh % 3]!);
    }
    expect(calls('C_Login')).toBe(1);
    expect(calls('C_OpenSession')).toBe(1);
    expect(calls('C_FindObjectsInit')).toBe(searches);
    expect(calls('C_Sign')).toBe(signatures + 10);
  });

  it('opens a new session and logs in again when its session is closed underneath (sign first)', async () => {
    const identity = await source.current();
    const logins = calls('C_Login');
    withOtherUser(({ api }, slot) => api.C_CloseAllSessions(slot));
    await expectSignatureVerifies(identity, ec.key.spki, 'SHA256');
    expect(calls('C_Login')).toBe(logins + 1);
    await expectSignatureVerifies(identity, ec.key.spki, 'SHA384');
    expect(calls('C_Login')).toBe(logins + 1);
  });

  it('does the same when current() comes first, as at a refresh', async () => {
    const logins = calls('C_Login');
    withOtherUser(({ api }, slot) => api.C_CloseAllSessions(slot));
    const identity = await source.current();
    expect(identity.certificate!.der).toEqual(ec.certificate.der);
    await expectSignatureVerifies(identity, ec.key.spki, 'SHA512');
    expect(calls('C_Login')).toBe(logins + 1);
  });

  it('logs in again when the token was logged out underneath', async () => {
    const identity = await source.current();
    const logins = calls('C_Login');
    withOtherUser(({ api }, slot) => {
      const session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      api.C_Logout(session);
      api.C_CloseSession(session);
    });
    await expectSignatureVerifies(identity, ec.key.spki, 'SHA256');
    expect(calls('C_Login')).toBe(logins + 1);
  });

  it('refuses to sign for a certificate whose key was replaced on the token, and reads the new pair at the next current()', async () => {
    const first = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '40', label: 'rotating' });
    const rotating = await open({ certificate: uri('object=rotating') });
    try {
      const old = await rotating.current();
      await expectSignatureVerifies(old, first.key.spki, 'SHA256');
      for (const type of ['privkey', 'pubkey', 'cert'] as const) hsm.deleteObjects(TOKEN, type, '40');
      const second = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '40', label: 'rotating' });
      await expect(old.sign(Buffer.from('data'), 'SHA256')).rejects.toThrow(
        /^the private key pkcs11:.*;id=%40;object=rotating;type=private was replaced on the token after its certificate was read; read the certificate again \(the next refresh does\)$/,
      );
      const renewed = await rotating.current();
      expect(renewed.certificate!.der).toEqual(second.certificate.der);
      await expectSignatureVerifies(renewed, second.key.spki, 'SHA384');
    } finally {
      await rotating.close();
    }
  });

  it('logs out, closes its session and finalizes the module on close()', async () => {
    const mark = callsSince(0).length;
    const other = await open({ certificate: uri('object=rsa') });
    await expectSignatureVerifies(await other.current(), rsa.key.spki, 'SHA256');
    await other.close();
    const after = callsSince(mark);
    // The module stays initialised while the first source still uses it.
    expect(after.slice(-2)).toEqual(['C_Logout', 'C_CloseSession']);
    await source.close();
    expect(callsSince(mark).slice(-3)).toEqual(['C_Logout', 'C_CloseSession', 'C_Finalize']);
  });
});

describe('a certificate that has expired', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is looked for again on the token, renewed there, at most once a minute: each search is a login (review: one a second per role)', async () => {
    const identity = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '50', label: 'expiring' });
    const issue = (notAfter: Date) => ca.issue({ subject: 'CN=expiring', publicKey: identity.key.spki, notBefore: new Date(notAfter.getTime() - 3600_000), notAfter });
    const replace = (der: Buffer) => {
      hsm.deleteObjects(TOKEN, 'cert', '50');
      hsm.writeCertificate(TOKEN, der, { id: '50', label: 'expiring' });
    };
    const expired = await issue(new Date(Date.now() - 1000));
    replace(expired.der);
    const source = await open({ certificate: uri('object=expiring') });
    try {
      const logins = calls('C_Login');
      expect((await source.current()).certificate!.der).toEqual(expired.der);
      expect(calls('C_Login')).toBe(logins + 1);
      const renewed = await issue(new Date(Date.now() + 3600_000));
      replace(renewed.der);
      expect((await source.current()).certificate!.der).toEqual(expired.der);
      expect(calls('C_Login')).toBe(logins + 1);
      const later = Date.now() + 61_000;
      vi.spyOn(Date, 'now').mockReturnValue(later);
      expect((await source.current()).certificate!.der).toEqual(renewed.der);
      expect(calls('C_Login')).toBe(logins + 2);
      await expectSignatureVerifies(await source.current(), identity.key.spki, 'SHA256');
      expect(calls('C_Login')).toBe(logins + 2);
    } finally {
      await source.close();
    }
    // A certificate file is read again when it changes, and never sends the source to the token again.
    const file = join(hsm.dir, 'expired.pem');
    writeFileSync(file, expired.pem);
    const beside = await open({ certificate: file, privateKey: uri('object=expiring') });
    try {
      const logins = calls('C_Login');
      for (let refresh = 0; refresh < 3; refresh++) expect((await beside.current()).certificate!.der).toEqual(expired.der);
      expect(calls('C_Login')).toBe(logins);
    } finally {
      await beside.close();
    }
  });
});

describe('a certificate that has expired, renewed on the token under another label', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is looked for with the URI as given, not as narrowed to the expired one, from the minute on; the renewed one, valid, is not looked for again', async () => {
    const identity = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '51', label: 'before' });
    const issue = (notAfter: number) => ca.issue({ subject: 'CN=relabelled', publicKey: identity.key.spki, notBefore: new Date(notAfter - 3600_000), notAfter: new Date(notAfter) });
    const replace = (der: Buffer, label: string) => {
      hsm.deleteObjects(TOKEN, 'cert', '51');
      hsm.writeCertificate(TOKEN, der, { id: '51', label });
    };
    const start = Date.now();
    const expired = await issue(start - 1000);
    replace(expired.der, 'before');
    const now = vi.spyOn(Date, 'now').mockReturnValue(start);
    const source = await open({ certificate: uri('id=%51') });
    try {
      expect((await source.current()).certificate!.der).toEqual(expired.der);
      const renewed = await issue(start + 3600_000);
      replace(renewed.der, 'after');
      now.mockReturnValue(start + 60_000);
      expect((await source.current()).certificate!.der).toEqual(renewed.der);
      await expectSignatureVerifies(await source.current(), identity.key.spki, 'SHA256');
      const logins = calls('C_Login');
      now.mockReturnValue(start + 30 * 60_000);
      expect((await source.current()).certificate!.der).toEqual(renewed.der);
      expect(calls('C_Login')).toBe(logins);
    } finally {
      await source.close();
    }
  });
});

describe('a certificate that has expired, renewed on the token while the wall clock was a day ahead', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is looked for again once the clock is put right, not a day later (QA time)', async () => {
    const identity = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '52', label: 'stepped' });
    const issue = (notAfter: number) => ca.issue({ subject: 'CN=stepped', publicKey: identity.key.spki, notBefore: new Date(notAfter - 7200_000), notAfter: new Date(notAfter) });
    const replace = (der: Buffer) => {
      hsm.deleteObjects(TOKEN, 'cert', '52');
      hsm.writeCertificate(TOKEN, der, { id: '52', label: 'stepped' });
    };
    const start = Date.now();
    const expired = await issue(start - 1000);
    replace(expired.der);
    const now = vi.spyOn(Date, 'now').mockReturnValue(start + 86_400_000);
    const source = await open({ certificate: uri('id=%52') });
    try {
      expect((await source.current()).certificate!.der).toEqual(expired.der);
      const renewed = await issue(start + 3600_000);
      replace(renewed.der);
      now.mockReturnValue(start + 60_000); // NTP puts the clock right: the first certificate is still expired
      expect((await source.current()).certificate!.der).toEqual(renewed.der);
    } finally {
      await source.close();
    }
  });
});

describe('the chain a token certificate gets', () => {
  let intermediate: CertificateAuthority;
  let leaf: TokenIdentity;
  beforeAll(async () => {
    intermediate = await ca.issueIntermediate({ subject: 'CN=Issuing CA' });
    const sibling = await ca.issueIntermediate({ subject: 'CN=Sibling CA' });
    const unrelated = await CertificateAuthority.create({ subject: 'CN=Unrelated Root' });
    const impostor = await unrelated.issueIntermediate({ subject: 'CN=Issuing CA' });
    hsm.initToken(CHAIN_TOKEN);
    hsm.writeCertificate(CHAIN_TOKEN, ca.certificate.der, { id: 'a0', label: 'root' });
    hsm.writeCertificate(CHAIN_TOKEN, sibling.certificate.der, { id: 'a1', label: 'sibling' });
    hsm.writeCertificate(CHAIN_TOKEN, unrelated.certificate.der, { id: 'a2', label: 'unrelated-root' });
    hsm.writeCertificate(CHAIN_TOKEN, impostor.certificate.der, { id: 'a3', label: 'same-name-other-key' });
    hsm.writeCertificate(CHAIN_TOKEN, intermediate.certificate.der, { id: 'a4', label: 'issuing' });
    await hsm.addIdentity(CHAIN_TOKEN, intermediate, 'ec-p256', { id: 'b0', label: 'other-leaf' });
    leaf = await hsm.addIdentity(CHAIN_TOKEN, intermediate, 'ec-p256', { id: 'b1', label: 'leaf' });
    // A certificate object whose value is no certificate.
    hsm.writeUnparsedCertificate(CHAIN_TOKEN, Buffer.from('not a certificate'), { id: 'ee', label: 'junk' });
  });

  it('holds the issuer alone: not the root, other issuers, one with the same name but another key, or junk', async () => {
    const source = await open({ certificate: uri('object=leaf', CHAIN_TOKEN) });
    try {
      const identity = await source.current();
      expect(identity.certificate!.der).toEqual(leaf.certificate.der);
      expect(identity.chain.map((c) => c.der)).toEqual([intermediate.certificate.der]);
    } finally {
      await source.close();
    }
  });

  it('is not built for a certificate object that holds no certificate: that is an error', async () => {
    const { serial } = hsm.tokenInfo(CHAIN_TOKEN);
    await expect(open({ certificate: uri('object=junk', CHAIN_TOKEN) })).rejects.toThrow(
      `error parsing certificate pkcs11:serial=${serial};token=${CHAIN_TOKEN};id=%EE;object=junk;type=cert: truncated DER`,
    );
  });

  it('comes from an intermediates file when one is given, read again when it changes (an issuer renewed on disk)', async () => {
    const bundle = join(hsm.dir, 'intermediates.pem');
    writeFileSync(bundle, intermediate.certificate.pem);
    const source = await open({ certificate: uri('object=leaf', CHAIN_TOKEN), intermediates: bundle });
    try {
      expect((await source.current()).chain.map((c) => c.der)).toEqual([intermediate.certificate.der]);
      const renewed = await ca.issueIntermediate({ subject: 'CN=Issuing CA, renewed' });
      writeFileSync(bundle, renewed.certificate.pem);
      expect((await source.current()).chain.map((c) => c.der)).toEqual([renewed.certificate.der]);
    } finally {
      await source.close();
    }
  });

  it('reads the certificate file before the module is loaded: its failure is the one said', async () => {
    const missing = join(hsm.dir, 'missing.pem');
    await expect(
      openPkcs11KeySource({ certificate: missing, privateKey: uri('object=ec'), pkcs11Lib: join(hsm.dir, 'missing-module.so'), interactive: false }, testContext()),
    ).rejects.toThrow(`unable to read certificate ${missing}: no such file or directory`);
  });

  it('holds nothing for a certificate whose issuer is not on the token', async () => {
    const source = await open({ certificate: uri('object=ec') });
    try {
      expect((await source.current()).chain).toEqual([]);
    } finally {
      await source.close();
    }
  });
});

describe('the public key of a key found without a certificate', () => {
  it("is the RSA key's own modulus and exponent", async () => {
    const key = generateKey('rsa-2048');
    hsm.writePrivateKey(TOKEN, key.pkcs8(), { id: '30', label: 'rsa-alone' });
    const source = await open({ privateKey: uri('object=rsa-alone') });
    try {
      const identity = await source.current();
      expect(identity.certificate).toBeUndefined();
      expect(identity.publicKey.spki).toEqual(key.spki);
      await expectSignatureVerifies(identity, key.spki, 'SHA384');
    } finally {
      await source.close();
    }
  });

  it('is the public-key object with its CKA_ID when the EC key does not reveal its point', async () => {
    const key = generateKey('ec-p384');
    hsm.importKeyPair(TOKEN, key.pkcs8(), { id: '31', label: 'ec-pair' });
    const source = await open({ privateKey: uri('object=ec-pair') });
    try {
      const identity = await source.current();
      expect(identity.publicKey.spki).toEqual(key.spki);
      await expectSignatureVerifies(identity, key.spki, 'SHA256');
    } finally {
      await source.close();
    }
  });

  it('cannot be found for an EC key with neither a public-key object nor a certificate', async () => {
    hsm.writePrivateKey(TOKEN, generateKey('ec-p256').pkcs8(), { id: '32', label: 'ec-alone' });
    const { serial } = hsm.tokenInfo(TOKEN);
    await expect(open({ privateKey: uri('object=ec-alone') })).rejects.toThrow(
      `unable to find the public key of pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=${serial};` +
        `token=${TOKEN};id=%32;object=ec-alone;type=private: the key object does not reveal it and no public-key object ` +
        'or certificate with its CKA_ID on the token matches it; give the certificate with certificate',
    );
  });
});

describe('a PIN the token refused', () => {
  const PIN_TOKEN = 'key-source-pin';

  it('is not sent again at the next logins (each wrong try counts toward the token locking it), and a corrected pin-source file is tried (QA)', async () => {
    hsm.initToken(PIN_TOKEN);
    const identity = await hsm.addIdentity(PIN_TOKEN, ca, 'ec-p256', { id: '01', label: 'pin' });
    const pinFile = join(hsm.dir, 'user.pin');
    writeFileSync(pinFile, USER_PIN, { mode: 0o600 });
    const source = await openPkcs11KeySource(
      { certificate: `pkcs11:token=${PIN_TOKEN};object=pin?pin-source=${pinFile}`, pkcs11Lib: spy, interactive: false },
      testContext(),
    );
    const refresh = async () => {
      const current = await source.current();
      await expectSignatureVerifies(current, identity.key.spki, 'SHA256');
    };
    try {
      await refresh();
      // The PIN was changed elsewhere while the token was away: its session is gone, and the PIN given is wrong.
      withOtherUser(({ api }, slot) => {
        const session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        try {
          api.C_Login(session, pkcs11js.CKU_USER, USER_PIN);
        } catch {
          // Logged in already: the login state is the process's, which the source shares.
        }
        api.C_SetPIN(session, USER_PIN, '87654321');
        api.C_CloseAllSessions(slot);
      }, PIN_TOKEN);
      const logins = calls('C_Login');
      await expect(refresh()).rejects.toThrow(new RegExp(`^user authentication failed \\(pkcs11: 0xA0: CKR_PIN_INCORRECT\\): .*, PIN from pin-source ${pinFile}$`));
      for (let again = 0; again < 3; again++) {
        await expect(refresh()).rejects.toThrow(
          `, PIN from pin-source ${pinFile}, refused before: not sent again (each wrong try counts toward locking the PIN)`,
        );
      }
      expect(calls('C_Login')).toBe(logins + 1);
      writeFileSync(pinFile, '87654321');
      await refresh();
      expect(calls('C_Login')).toBe(logins + 2);
    } finally {
      await source.close();
    }
  });
  it("is not sent again as an always-authenticate key's context-specific PIN either (--reuse-pin), and a corrected pin-source file is tried (QA mutation testing)", async () => {
    const token = 'key-source-context-pin';
    hsm.initToken(token);
    const identity = await hsm.addIdentity(token, ca, 'ec-p256', { id: '01', label: 'cert' });
    hsm.writePrivateKey(token, identity.key.pkcs8(), { id: '02', label: 'always', alwaysAuthenticate: true });
    const pinFile = join(hsm.dir, 'context.pin');
    writeFileSync(pinFile, USER_PIN, { mode: 0o600 });
    const source = await openPkcs11KeySource(
      {
        certificate: `pkcs11:token=${token};object=cert?pin-source=${pinFile}`,
        privateKey: `pkcs11:token=${token};object=always?pin-source=${pinFile}`,
        pkcs11Lib: spy,
        reusePin: true,
        interactive: false,
      },
      testContext(),
    );
    const sign = async () => expectSignatureVerifies(await source.current(), identity.key.spki, 'SHA256');
    try {
      await sign();
      // The PIN changed elsewhere; the user's login, which the process holds, stays.
      withOtherUser(({ api }, slot) => {
        const session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        api.C_SetPIN(session, USER_PIN, '87654321');
        api.C_CloseSession(session);
      }, token);
      const logins = calls('C_Login');
      await expect(sign()).rejects.toThrow(/^user re-authentication failed \(pkcs11: 0xA0: CKR_PIN_INCORRECT\): /);
      // The failed signature drops the session: the user's login, found again, is the next not to send it.
      for (let again = 0; again < 3; again++) {
        await expect(sign()).rejects.toThrow(`, PIN from pin-source ${pinFile}, refused before: not sent again (each wrong try counts toward locking the PIN)`);
      }
      expect(calls('C_Login')).toBe(logins + 1);
      const mark = callsSince(0).length;
      writeFileSync(pinFile, '87654321');
      // The user's login, and the key's at each of its two signatures (the check that it matches the
      // certificate, then the one asked for), all with the corrected PIN: the refused one is remembered for neither.
      await sign();
      expect(callsSince(mark).filter((call) => call === 'C_Login')).toHaveLength(3);
    } finally {
      await source.close();
    }
  });
});
