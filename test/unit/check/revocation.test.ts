import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectCertificate, type InspectedCertificate } from '../../../src/check/inspectedCertificate.js';
import { revocationFindings } from '../../../src/check/revocation.js';
import { HelperError } from '../../../src/errors.js';
import { option } from '../../../src/optionNames.js';
import * as x509 from '../../support/peculiarX509.js';
import { CertificateAuthority, type IssuedCertificate } from '../../../src/emulator/pki/certificateAuthority.js';
import { Workspace } from '../../support/scenario.js';

const NOW = new Date();
const workspace = new Workspace();
let root: CertificateAuthority;
let rootCert: InspectedCertificate;
let issued: IssuedCertificate;
let leaf: InspectedCertificate;

beforeAll(async () => {
  root = await CertificateAuthority.create({ subject: 'CN=CRL Root' });
  rootCert = inspectCertificate(root.certificate.der);
  issued = await root.issue({ subject: 'CN=crl leaf' });
  leaf = inspectCertificate(issued.der);
});
afterAll(() => workspace.cleanup());

const check = (crl: string, cas = [rootCert]) => revocationFindings(workspace.write('crl.pem', crl), [leaf, rootCert], cas, NOW, true);

describe('revocation by the CRL', () => {
  it('is not checked without a CRL', async () => {
    expect(await revocationFindings(undefined, [leaf], [rootCert], NOW, true)).toEqual([
      { check: 'revocation', status: 'skip', message: 'revocation not checked: give the CRL with \uf8f0crl\uf8f1' },
    ]);
  });

  it('a CRL that does not list the certificate: its signature verified, not revoked', async () => {
    const [signature, revocation] = await check(await root.crl(['0badc0de']));
    expect(signature).toMatchObject({ check: 'crl', status: 'pass', message: expect.stringMatching(/^CRL of CN=CRL Root: signature verified, next update /) });
    expect(revocation).toMatchObject({ check: 'revocation', status: 'pass', message: expect.stringMatching(/lists none of the chain's certificates$/) });
  });

  it('a CRL past its next update is used, with a warning saying when it was due (QA17: docs/check.md promised it untested)', async () => {
    const weekLater = new Date(NOW.getTime() + 8 * 86_400_000);
    const [signature, revocation] = await revocationFindings(workspace.write('crl.pem', await root.crl([issued.serialNumberHex])), [leaf, rootCert], [rootCert], weekLater, true);
    expect(signature).toMatchObject({ check: 'crl', status: 'warn', message: expect.stringMatching(/^CRL of CN=CRL Root: signature verified, but its next update was due on \S+Z$/) });
    expect(revocation!.status).toBe('fail');
  });

  it("revokes only its own issuer's certificates: an intermediate's with a serial the root's CRL lists is not revoked, as the emulator holds (QA17)", async () => {
    const intermediate = await root.issueIntermediate({ subject: 'CN=CRL Intermediate' });
    const below = await intermediate.issue({ subject: 'CN=below the intermediate', serialNumber: '7e57' });
    const chain = [inspectCertificate(below.der), inspectCertificate(intermediate.certificate.der), rootCert];
    const [signature, revocation] = await revocationFindings(workspace.write('crl.pem', await root.crl(['7e57'])), chain, [rootCert], NOW, true);
    expect(signature!.status).toBe('pass');
    expect(revocation).toMatchObject({ check: 'revocation', status: 'pass', message: expect.stringMatching(/lists none of the chain's certificates$/) });
  });

  it('a revoked certificate fails, with its serial and the date', async () => {
    const [, revocation] = await check(await root.crl([issued.serialNumberHex]));
    expect(revocation!.status).toBe('fail');
    expect(revocation!.message).toMatch(new RegExp(`^CN=crl leaf \\(serial ${issued.serialNumberHex}\\) was revoked on \\S+Z by the CRL of CN=CRL Root$`));
  });

  it("a CRL whose signature is not its issuer's fails, and revokes nothing: anyone can write one in a CA's name", async () => {
    const impostor = await CertificateAuthority.create({ subject: 'CN=CRL Root' });
    const [signature, revocation, ...more] = await check(await impostor.crl([issued.serialNumberHex]));
    expect(signature).toEqual({ check: 'crl', status: 'fail', message: 'CRL of CN=CRL Root: its signature does not verify with the key of CN=CRL Root, so it is not used' });
    expect(revocation).toMatchObject({ check: 'revocation', status: 'warn', message: expect.stringMatching(/^revocation not checked: no CRL in \S+crl\.pem of an issuer of the chain has a signature that verified$/) });
    expect(more).toEqual([]);
  });

  it('a CRL of the issuer\'s name that cannot be verified (no such CA at hand) revokes nothing either', async () => {
    const [signature, revocation] = await revocationFindings(workspace.write('crl.pem', await root.crl([issued.serialNumberHex])), [leaf], [], NOW, false);
    expect(signature).toMatchObject({ check: 'crl', status: 'warn', message: expect.stringMatching(/its signature was not verified, .*; it is not used$/) });
    expect(revocation).toMatchObject({ check: 'revocation', status: 'warn', message: expect.stringMatching(/^revocation not checked: no CRL in /) });
  });

  it('a CRL no CA of the chain or the given bundle issued fails, as a forged one does (ImportCrl refuses both; QA: it passed)', async () => {
    const other = await CertificateAuthority.create({ subject: 'CN=Unrelated CA' });
    const [signature, revocation] = await check(await other.crl([]));
    expect(signature).toMatchObject({ status: 'fail', message: expect.stringMatching(/its signature was not verified, .*; it is not used \(ImportCrl would refuse it\)$/) });
    expect(revocation).toMatchObject({ status: 'warn', message: expect.stringContaining('is from CN=Unrelated CA, which issued none of the chain') });
  });

  it('a CRL PEM written by OpenSSL (X509 CRL) and a DER CRL are read too', async () => {
    const pem = await root.crl([issued.serialNumberHex]);
    const der = Buffer.from(new x509.X509Crl(pem).rawData);
    const openSslPem = `-----BEGIN X509 CRL-----\n${der.toString('base64')}\n-----END X509 CRL-----\n`;
    expect((await check(openSslPem))[1]!.status).toBe('fail');
    expect((await revocationFindings(workspace.write('crl.der', der), [leaf], [rootCert], NOW, true))[1]!.status).toBe('fail');
  });

  it('a file that holds no CRL is an error naming the option and the file', async () => {
    await expect(check(root.certificate.pem)).rejects.toThrow(HelperError);
    await expect(check(root.certificate.pem)).rejects.toThrow(/^invalid crl .*crl\.pem: no X509 CRL block found$/);
  });

  it.each<[string, string | Buffer, string]>([
    ['empty', '', 'it is empty'],
    ['text', 'garbage\n', 'it is neither PEM (no "-----BEGIN" line) nor DER'],
    ['DER of something else', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]), 'it is not an X.509 CRL (damaged, or another kind of DER)'],
  ])("a file that is %s says so, not in the parser's words", async (_name, content, reason) => {
    const path = workspace.write('other.crl', content);
    await expect(revocationFindings(path, [leaf], [rootCert], NOW, true)).rejects.toThrow(new HelperError(`invalid ${option('crl')} ${path}: ${reason}`));
  });

  it('verifies a CRL with each CA of its issuer\'s name, not the first only: a renewed CA (same name, new key) after the old (mutation QA)', async () => {
    const old = await CertificateAuthority.create({ subject: 'CN=CRL Root' });
    const findings = await revocationFindings(workspace.write('crl.pem', await root.crl([issued.serialNumberHex])), [leaf, rootCert], [inspectCertificate(old.certificate.der), rootCert], NOW, true);
    expect(findings.map((finding) => [finding.check, finding.status])).toEqual([
      ['crl', 'pass'],
      ['revocation', 'fail'],
    ]);
  });

  it('names every revoked certificate of the chain, from the end entity up (mutation QA: the first alone passed)', async () => {
    const intermediate = await root.issueIntermediate({ subject: 'CN=CRL Intermediate' });
    const below = await intermediate.issue({ subject: 'CN=below the intermediate' });
    const middle = inspectCertificate(intermediate.certificate.der);
    const crls = (await intermediate.crl([below.serialNumberHex])) + (await root.crl([intermediate.certificate.serialNumberHex]));
    const findings = await revocationFindings(workspace.write('two.pem', crls), [inspectCertificate(below.der), middle, rootCert], [middle, rootCert], NOW, true);
    expect(findings.map((finding) => `${finding.status} ${finding.check}: ${finding.message.replace(/ \d{4}-\S+Z/, ' <date>')}`)).toEqual([
      expect.stringMatching(/^pass crl: CRL of CN=CRL Intermediate: signature verified/),
      expect.stringMatching(/^pass crl: CRL of CN=CRL Root: signature verified/),
      `fail revocation: CN=below the intermediate (serial ${below.serialNumberHex}) was revoked on <date> by the CRL of CN=CRL Intermediate`,
      `fail revocation: CN=CRL Intermediate (serial ${intermediate.certificate.serialNumberHex}) was revoked on <date> by the CRL of CN=CRL Root`,
    ]);
  });
});
