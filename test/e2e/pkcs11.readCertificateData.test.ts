import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority, type IssuedCertificate } from '../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../src/emulator/pki/generateKey.js';
import { errorLine, runCli } from '../support/cli.js';
import { SoftHsm, USER_PIN, softHsmModule, type TokenInfo } from '../support/softhsm.js';

const TOKEN = 'pkcs11-listing';
const OTHER_TOKEN = 'pkcs11-listing-two';

let hsm: SoftHsm;
let token: TokenInfo;
let otherToken: TokenInfo;
let rsa: IssuedCertificate;
let ec: IssuedCertificate;
let hidden: IssuedCertificate;
let other: IssuedCertificate;

beforeAll(async () => {
  const ca = await CertificateAuthority.create({ subject: 'CN=Listing Root,O=roles-anywhere-helper tests', keyAlgorithm: 'rsa-2048' });
  hsm = new SoftHsm();
  token = hsm.initToken(TOKEN);
  rsa = (await hsm.addIdentity(TOKEN, ca, 'rsa-2048', { id: '01', label: 'list-rsa' })).certificate;
  ec = (await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '02', label: 'list ec;2' })).certificate;
  // Two OUs (Go prints them as one multi-valued RDN) and a serial with a leading zero byte (printed without it).
  hidden = await ca.issue({ subject: 'CN=hidden,OU=Unit A,OU=Unit B,O=Org,C=US', publicKey: generateKey('ec-p256').spki, serialNumber: '00ff01' });
  hsm.writeCertificate(TOKEN, hidden.der, { id: '03', label: 'hidden', private: true });
  otherToken = hsm.initToken(OTHER_TOKEN);
  other = (await hsm.addIdentity(OTHER_TOKEN, ca, 'ec-p384', { id: '01', label: 'other' })).certificate;
});
afterAll(() => hsm.cleanup());

function readCertificateData(uri: string, env: Record<string, string> = {}) {
  return runCli(['read-certificate-data', '--certificate', uri, '--pkcs11-lib', softHsmModule], { env: { ...hsm.env, ...env } });
}

/** One listing entry, as the reference prints it (spec §6.2), with the URI this implementation gives it. */
function entry(index: number, certificate: IssuedCertificate, subject: string, on: TokenInfo, object: string) {
  return (
    `${index}) Hex Fingerprint: ${createHash('sha1').update(certificate.der).digest('hex')}\n` +
    `Subject: ${subject}\n` +
    'Issuer: CN=Listing Root,O=roles-anywhere-helper tests\n' +
    `Serial Number: ${certificate.serialNumberHex.toUpperCase().replace(/^0+(?=.)/, '')}\n` +
    `URI: pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=${on.serial};token=${on.label};${object};type=cert\n\n`
  );
}

describe('read-certificate-data with a pkcs11: URI', () => {
  it("lists the token's public certificates, byte for byte in the reference's format, ordered by id", async () => {
    const result = await readCertificateData(`pkcs11:token=${TOKEN}`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Matching identities\n' +
        entry(1, rsa, 'CN=list-rsa,O=roles-anywhere-helper tests', token, 'id=%01;object=list-rsa') +
        entry(2, ec, 'CN=list ec\\;2,O=roles-anywhere-helper tests', token, 'id=%02;object=list%20ec%3B2'),
    );
  });

  it('lists a certificate that is visible only after login when a PIN is given, and not otherwise', async () => {
    const expected = 'Matching identities\n' + entry(1, hidden, 'CN=hidden,OU=Unit A+OU=Unit B,O=Org,C=US', token, 'id=%03;object=hidden');
    const withPin = await readCertificateData(`pkcs11:token=${TOKEN};object=hidden?pin-value=${USER_PIN}`);
    expect(withPin.stderr).toBe('');
    expect(withPin.stdout).toBe(expected);
    const withEnvironmentPin = await readCertificateData(`pkcs11:token=${TOKEN};object=hidden`, { AWS_ROLESANYWHERE_PKCS11_PIN: USER_PIN });
    expect(withEnvironmentPin.stdout).toBe(expected);
    const withoutPin = await readCertificateData(`pkcs11:token=${TOKEN};object=hidden`);
    expect(withoutPin.stderr).toBe('');
    expect(withoutPin.code).toBe(0);
    expect(withoutPin.stdout).toBe('No matching identities\n');
  });

  it('given a PIN, logs in first: hidden certificates are listed beside the public ones, and a wrong PIN fails', async () => {
    const withPin = await readCertificateData(`pkcs11:token=${TOKEN}?pin-value=${USER_PIN}`);
    expect(withPin.stderr).toBe('');
    expect(withPin.stdout).toBe(
      'Matching identities\n' +
        entry(1, rsa, 'CN=list-rsa,O=roles-anywhere-helper tests', token, 'id=%01;object=list-rsa') +
        entry(2, ec, 'CN=list ec\\;2,O=roles-anywhere-helper tests', token, 'id=%02;object=list%20ec%3B2') +
        entry(3, hidden, 'CN=hidden,OU=Unit A+OU=Unit B,O=Org,C=US', token, 'id=%03;object=hidden'),
    );
    const wrongPin = await readCertificateData(`pkcs11:token=${TOKEN}`, { AWS_ROLESANYWHERE_PKCS11_PIN: '7777' });
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stdout).toBe('');
    expect(errorLine(wrongPin)).toMatch(/^user authentication failed \(pkcs11: 0xA0: CKR_PIN_INCORRECT\): /);
  });

  it("gives each certificate its own token's attributes when the URI matches several tokens", async () => {
    const result = await readCertificateData('pkcs11:');
    expect(result.code).toBe(0);
    const entries = result.stdout.replace(/^Matching identities\n/, '').split(/(?<=\n\n)/);
    expect(entries.map((text) => /^(\d+)\) /.exec(text)?.[1])).toEqual(['1', '2', '3']);
    expect(entries.map((text) => text.replace(/^\d+\) /, '')).sort()).toEqual(
      [
        entry(0, rsa, 'CN=list-rsa,O=roles-anywhere-helper tests', token, 'id=%01;object=list-rsa'),
        entry(0, ec, 'CN=list ec\\;2,O=roles-anywhere-helper tests', token, 'id=%02;object=list%20ec%3B2'),
        entry(0, other, 'CN=other,O=roles-anywhere-helper tests', otherToken, 'id=%01;object=other'),
      ]
        .map((text) => text.replace(/^0\) /, ''))
        .sort(),
    );
  });

  it('sends the PIN to none of the tokens a URI matches when it matches several: whose PIN it is cannot be known (mutation testing: it logged in to the first)', async () => {
    const result = await readCertificateData('pkcs11:', { AWS_ROLESANYWHERE_PKCS11_PIN: '7777' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('CN=hidden');
    expect(result.stdout.match(/^\d+\) /gm)).toEqual(['1) ', '2) ', '3) ']);
  });

  it('gives URIs that select their certificate (and its key) again', async () => {
    const listed = (await readCertificateData(`pkcs11:token=${OTHER_TOKEN}`)).stdout;
    const uri = /^URI: (.*)$/m.exec(listed)![1]!;
    const result = await runCli(
      ['sign-string', '--certificate', `${uri}?pin-value=${USER_PIN}`, '--pkcs11-lib', softHsmModule, '--format', 'text'],
      { env: hsm.env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^30[0-9a-f]+$/);
  });

  it('prints "No matching identities" when the token has no such certificate', async () => {
    const result = await readCertificateData(`pkcs11:token=${TOKEN};object=nothing-here`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No matching identities\n');
  });

  it("names a certificate whose subject's or issuer's attributes do not parse, as other certificates that do not parse (fuzzing QA: an internal error; mutation testing: the issuer's was untested)", async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Damaged Root' });
    const bad = await ca.issue({ subject: 'CN=damaged', publicKey: generateKey('ec-p256').spki });
    // A SoftHSM of its own: the other tests count this one's tokens.
    const own = new SoftHsm();
    try {
      // The issuer's CN attribute (the first) or the subject's (the last), SEQUENCE { OID 2.5.4.3, value }, made an
      // OCTET STRING: its Name's outline stays whole.
      for (const [name, find] of [['issuer', 'indexOf'], ['subject', 'lastIndexOf']] as const) {
        const der = Buffer.from(bad.der);
        const at = der[find](Buffer.from('0603550403', 'hex')) - 2;
        expect(der[at]).toBe(0x30);
        der[at] = 0x04;
        own.initToken(`damaged-${name}`);
        own.writeUnparsedCertificate(`damaged-${name}`, der, { id: '02', label: 'damaged' });
        for (const uri of [`pkcs11:token=damaged-${name}`, `pkcs11:token=damaged-${name};object=damaged`]) {
          const result = await runCli(['read-certificate-data', '--certificate', uri, '--pkcs11-lib', softHsmModule], { env: own.env });
          expect(result).toMatchObject({ code: 1, stdout: '' });
          expect(errorLine(result)).toMatch(/^error parsing certificate pkcs11:[^ ]*object=damaged[^ ]*: malformed Name \(expected AttributeTypeAndValue\)$/);
        }
      }
    } finally {
      own.cleanup();
    }
  });

  it('refuses a URI whose type is not cert, as credential-process does', async () => {
    const result = await readCertificateData(`pkcs11:token=${TOKEN};type=private`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(`--certificate pkcs11:token=${TOKEN};type=private names objects of type=private; it must name type=cert (or leave type out)`);
  });

  it('fails when the URI matches no token', async () => {
    const result = await readCertificateData('pkcs11:token=pkcs11-list');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(
      `no matching slots: pkcs11:token=pkcs11-list matches none of the tokens of ${softHsmModule} ("${TOKEN}", "${OTHER_TOKEN}")`,
    );
  });

  it('fails when the URI names another library than the module, as sign-string does (mutation testing: untested here)', async () => {
    const result = await readCertificateData(`pkcs11:library-manufacturer=Nobody;token=${TOKEN}`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(
      `no matching slots: pkcs11:library-manufacturer=Nobody;token=${TOKEN} names another library than ${softHsmModule} ` +
        '(library-manufacturer=SoftHSM, library-description=Implementation of PKCS11, library-version=2.6)',
    );
  });

  it('fails on a wrong PIN, without printing it', async () => {
    const result = await readCertificateData(`pkcs11:token=${TOKEN};object=hidden?pin-value=wrongPin`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(
      `user authentication failed (pkcs11: 0xA0: CKR_PIN_INCORRECT): pkcs11:token=${TOKEN};object=hidden on token "${TOKEN}" ` +
        `(serial ${token.serial}, slot ${token.slot}), PIN from the URI's pin-value`,
    );
    expect(result.stderr).not.toContain('wrongPin'); // letters: the slot and serial in the message are digits
  });
});
