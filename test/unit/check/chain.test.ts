import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainCheck } from '../../../src/check/chain.js';
import { isoSeconds } from '../../../src/isoSeconds.js';
import { inspectCertificate, type InspectedCertificate } from '../../../src/check/inspectedCertificate.js';
import * as x509 from '../../support/peculiarX509.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../../src/emulator/pki/generateKey.js';
import { Workspace, openssl } from '../../support/scenario.js';

const NOW = new Date();
const inspect = (ca: CertificateAuthority) => inspectCertificate(ca.certificate.der);
let root: CertificateAuthority;
let intermediate: CertificateAuthority;
let leafOfRoot: InspectedCertificate;
let leafOfIntermediate: InspectedCertificate;

beforeAll(async () => {
  root = await CertificateAuthority.create({ subject: 'CN=Chain Root' });
  intermediate = await root.issueIntermediate({ subject: 'CN=Chain Issuing CA' });
  leafOfRoot = inspectCertificate((await root.issue({ subject: 'CN=leaf of root' })).der);
  leafOfIntermediate = inspectCertificate((await intermediate.issue({ subject: 'CN=leaf of intermediate' })).der);
});

describe('the chain to the trust anchor bundle', () => {
  it('is not checked without a bundle', () => {
    expect(chainCheck(leafOfRoot, [], [], NOW).finding).toMatchObject({ check: 'chain', status: 'skip' });
  });

  it('warns of a CA of the chain that expires within 30 days, urgently within 7, as of the end entity: its certificates end with it', async () => {
    const DAY = 24 * 60 * 60 * 1000;
    const expiring = (days: number) => root.issueIntermediate({ subject: `CN=CA of ${days} days`, notAfter: new Date(NOW.getTime() + days * DAY + 60_000) });
    for (const [days, advice, urgent] of [[20, 'plan its renewal', undefined], [2, 'renew it now', true]] as const) {
      const ca = await expiring(days);
      const leaf = inspectCertificate((await ca.issue({ subject: 'CN=long-lived leaf', notAfter: new Date(NOW.getTime() + 200 * DAY) })).der);
      expect(chainCheck(leaf, [inspect(ca)], [inspect(root)], NOW).finding).toEqual({
        check: 'chain',
        status: 'warn',
        message:
          `chain: CN=long-lived leaf ← CN=CA of ${days} days ← CN=Chain Root (trust anchor); the intermediate CN=CA of ${days} days is valid until ` +
          `${inspect(ca).parsed.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z')}, ${days} days left: ${advice}`,
        ...(urgent ? { urgent } : {}),
      });
    }
  });

  it('reaches the anchor directly, or through an intermediate, and says how', () => {
    expect(chainCheck(leafOfRoot, [], [inspect(root)], NOW).finding).toEqual({
      check: 'chain',
      status: 'pass',
      message: 'chain: CN=leaf of root ← CN=Chain Root (trust anchor)',
    });
    const result = chainCheck(leafOfIntermediate, [inspect(intermediate)], [inspect(root)], NOW);
    expect(result.finding.message).toBe('chain: CN=leaf of intermediate ← CN=Chain Issuing CA ← CN=Chain Root (trust anchor)');
    expect(result.path.map((c) => c.name)).toEqual(['CN=leaf of intermediate', 'CN=Chain Issuing CA', 'CN=Chain Root']);
  });

  it('verifies a chain an ML-DSA CA signed on every Node, as the emulator does; a signature nothing here can verify is a warning, not a pass', async () => {
    const pq = await CertificateAuthority.create({ subject: 'CN=PQ Root', keyAlgorithm: 'ml-dsa-65' });
    const leaf = inspectCertificate((await pq.issue({ subject: 'CN=leaf of PQ root' })).der);
    expect(chainCheck(leaf, [], [inspect(pq)], NOW).finding).toEqual({ check: 'chain', status: 'pass', message: 'chain: CN=leaf of PQ root ← CN=PQ Root (trust anchor)' });
    const impostor = await CertificateAuthority.create({ subject: 'CN=PQ Root', keyAlgorithm: 'ml-dsa-65' });
    expect(chainCheck(leaf, [], [inspect(impostor)], NOW).finding.status).toBe('fail');
    // The anchor's key under an algorithm OID nothing knows: its signature on the leaf cannot be checked.
    const unknownKey = Buffer.from(pq.certificate.der.toString('hex').replaceAll('0609608648016503040312', '06092b0601040182371501'), 'hex');
    expect(unknownKey.equals(pq.certificate.der)).toBe(false);
    expect(chainCheck(leaf, [], [inspectCertificate(unknownKey)], NOW).finding).toEqual({
      check: 'chain',
      status: 'warn',
      message:
        'chain: CN=leaf of PQ root ← CN=PQ Root (trust anchor), the signatures of CN=leaf of PQ root not verified (an algorithm unknown here); ' +
        'CN=PQ Root signed with an algorithm the service is not known to accept (OID 1.3.6.1.4.1.311.21.1)',
    });
  });

  it('an intermediate in the bundle is an anchor of its own', () => {
    expect(chainCheck(leafOfIntermediate, [], [inspect(intermediate)], NOW).finding.status).toBe('pass');
  });

  it('a certificate of another CA (wrong chain) fails, naming it and its issuer', async () => {
    const other = await CertificateAuthority.create({ subject: 'CN=Other Root' });
    const stranger = inspectCertificate((await other.issue({ subject: 'CN=stranger' })).der);
    expect(chainCheck(stranger, [], [inspect(root)], NOW).finding).toEqual({
      check: 'chain',
      status: 'fail',
      message:
        'chain broken at CN=stranger: no certificate of the trust anchor bundle or the intermediates is its issuer, CN=Other Root; ' +
        'if an intermediate CA issued it, give it with \uf8f0intermediates\uf8f1',
    });
  });

  it('a missing intermediate breaks the chain at the end entity', () => {
    expect(chainCheck(leafOfIntermediate, [], [inspect(root)], NOW).finding.message).toMatch(/^chain broken at CN=leaf of intermediate: .* CN=Chain Issuing CA/);
  });

  it('a CA of the same name whose key did not sign the certificate fails', async () => {
    const impostor = await CertificateAuthority.create({ subject: 'CN=Chain Root' });
    expect(chainCheck(leafOfRoot, [], [inspect(impostor)], NOW).finding.message).toBe(
      'chain broken at CN=leaf of root: its issuer CN=Chain Root is there, but its key did not sign this certificate (another CA of the same name?)',
    );
  });

  it('names the intermediate that is not a CA, lacks keyCertSign, or has expired', async () => {
    const cases = [
      [{ basicConstraintsCa: false }, 'not a CA (basicConstraints CA:true is required)'],
      [{ basicConstraintsCa: null }, 'not a CA (basicConstraints CA:true is required)'],
      [{ keyUsage: x509.KeyUsageFlags.cRLSign }, 'keyUsage lacks keyCertSign'],
      [{ keyUsage: x509.KeyUsageFlags.digitalSignature }, 'keyUsage lacks keyCertSign'],
      [{ keyUsage: null }, 'no keyUsage extension (keyCertSign is required)'],
      [{ signatureHash: 'SHA-1' }, 'signed with ecdsa-with-SHA1: the service refuses SHA-1; have it signed with SHA-256 or stronger'],
      [{ notBefore: new Date(Date.now() - 9e9), notAfter: new Date(Date.now() - 1e9) }, 'expired on '],
      [{ notBefore: new Date(NOW.getTime() + 9e9) }, `not valid until ${isoSeconds(new Date(NOW.getTime() + 9e9))}, and this machine's clock reads ${isoSeconds(NOW)}`],
    ] as const;
    for (const [options, reason] of cases) {
      const broken = await root.issueIntermediate({ subject: 'CN=Broken CA', ...options });
      const leaf = inspectCertificate((await broken.issue({ subject: 'CN=below broken' })).der);
      const { finding } = chainCheck(leaf, [inspect(broken)], [inspect(root)], NOW);
      expect(finding.status).toBe('fail');
      expect(finding.message).toContain(`chain broken at the intermediate CN=Broken CA: ${reason}`);
    }
  });

  it('a trust anchor or an intermediate without cRLSign passes: the service requires keyCertSign only', async () => {
    const noCrlSign = await CertificateAuthority.create({ subject: 'CN=No CRL Root', keyUsage: x509.KeyUsageFlags.keyCertSign });
    const middle = await noCrlSign.issueIntermediate({ subject: 'CN=No CRL CA', keyUsage: x509.KeyUsageFlags.keyCertSign });
    const leaf = inspectCertificate((await middle.issue({ subject: 'CN=below no CRL CAs' })).der);
    expect(chainCheck(leaf, [inspect(middle)], [inspect(noCrlSign)], NOW).finding).toMatchObject({
      status: 'pass',
      message: 'chain: CN=below no CRL CAs ← CN=No CRL CA ← CN=No CRL Root (trust anchor)',
    });
  });

  it('a self-signed trust anchor signed over SHA-1 fails: anchors have the end entity\'s signature requirements', () => {
    const workspace = new Workspace();
    try {
      const rootKey = workspace.write('root-key.pem', pkcs8Pem(generateKey('ec-p256')));
      workspace.write('ca.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
      const rootCsr = openssl(['req', '-new', '-key', rootKey, '-subj', '/CN=SHA-1 Root']);
      const rootPem = workspace.write('root.pem', openssl(['x509', '-req', '-signkey', rootKey, '-sha1', '-extfile', workspace.path('ca.ext')], rootCsr));
      const leafCsr = openssl(['req', '-new', '-key', workspace.write('leaf-key.pem', pkcs8Pem(generateKey('ec-p256'))), '-subj', '/CN=below SHA-1 root']);
      const leaf = openssl(['x509', '-req', '-CA', rootPem, '-CAkey', rootKey, '-set_serial', '7', '-sha256', '-outform', 'DER'], leafCsr);
      const anchor = inspectCertificate(openssl(['x509', '-in', rootPem, '-outform', 'DER']));
      // A minute on: OpenSSL's certificates start now, after NOW.
      expect(chainCheck(inspectCertificate(leaf), [], [anchor], new Date(Date.now() + 60_000)).finding.message).toBe(
        'chain broken at the trust anchor CN=SHA-1 Root: signed with ecdsa-with-SHA1: the service refuses SHA-1; have it signed with SHA-256 or stronger',
      );
    } finally {
      workspace.cleanup();
    }
  });

  it('a CA or end entity signed with an algorithm the service is not known to accept (ECDSA with SHA3-256) is a warning naming it, as the emulator refuses it', () => {
    const workspace = new Workspace();
    try {
      const rootKey = workspace.write('root-key.pem', pkcs8Pem(generateKey('ec-p256')));
      workspace.write('ca.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
      const caCsr = (name: string) => openssl(['req', '-new', '-key', rootKey, '-subj', `/CN=${name}`]);
      const leafCsr = openssl(['req', '-new', '-key', workspace.write('leaf-key.pem', pkcs8Pem(generateKey('ec-p256'))), '-subj', '/CN=below SHA3']);
      const leafBy = (caPem: string, digest: string) =>
        inspectCertificate(openssl(['x509', '-req', '-days', '365', '-CA', caPem, '-CAkey', rootKey, '-set_serial', '7', digest, '-outform', 'DER'], leafCsr));
      const anchorOf = (pem: string) => inspectCertificate(openssl(['x509', '-in', pem, '-outform', 'DER']));
      const later = new Date(Date.now() + 60_000); // OpenSSL's certificates start now, after NOW
      const sha3Root = workspace.write('sha3.pem', openssl(['x509', '-req', '-days', '365', '-signkey', rootKey, '-sha3-256', '-extfile', workspace.path('ca.ext')], caCsr('SHA3 Root')));
      expect(chainCheck(leafBy(sha3Root, '-sha256'), [], [anchorOf(sha3Root)], later).finding).toEqual({
        check: 'chain',
        status: 'warn',
        message: 'chain: CN=below SHA3 ← CN=SHA3 Root (trust anchor); CN=SHA3 Root signed with an algorithm the service is not known to accept (OID 2.16.840.1.101.3.4.3.10)',
      });
      // Node 20 does not verify the signature: not verified, rather than "its key did not sign this certificate"; Node 24 does.
      const root = workspace.write('root.pem', openssl(['x509', '-req', '-days', '365', '-signkey', rootKey, '-sha256', '-extfile', workspace.path('ca.ext')], caCsr('SHA-256 Root')));
      const [leaf, anchor] = [leafBy(root, '-sha3-256'), anchorOf(root)];
      const nodeVerifies = new X509Certificate(leaf.der).verify(new X509Certificate(anchor.der).publicKey);
      expect(chainCheck(leaf, [], [anchor], later).finding).toEqual({
        check: 'chain',
        status: nodeVerifies ? 'pass' : 'warn',
        message: `chain: CN=below SHA3 ← CN=SHA-256 Root (trust anchor)${nodeVerifies ? '' : ', the signatures of CN=below SHA3 not verified (an algorithm unknown here)'}`,
      });
    } finally {
      workspace.cleanup();
    }
  });

  it('5 intermediates reach the anchor; 6 are more than X-Amz-X509-Chain may hold, with or without a bundle', async () => {
    const cas = [root];
    for (let i = 1; i <= 6; i++) cas.push(await cas.at(-1)!.issueIntermediate({ subject: `CN=Depth ${i} CA` }));
    const sent = (depth: number) => cas.slice(1, depth + 1).reverse().map(inspect);
    const below5 = inspectCertificate((await cas[5]!.issue({ subject: 'CN=depth 5 leaf' })).der);
    expect(chainCheck(below5, sent(5), [inspect(root)], NOW).finding.status).toBe('pass');
    const below6 = inspectCertificate((await cas[6]!.issue({ subject: 'CN=depth 6 leaf' })).der);
    const tooDeep = { check: 'chain', status: 'fail', message: 'X-Amz-X509-Chain would hold 6 certificates, more than the maximum depth of 5: send fewer intermediates' };
    expect(chainCheck(below6, sent(6), [inspect(root)], NOW).finding).toEqual(tooDeep);
    expect(chainCheck(below6, sent(6), [], NOW).finding).toEqual(tooDeep);
  });

  it('a trust anchor whose path length allows no intermediate fails with one', async () => {
    const strict = await CertificateAuthority.create({ subject: 'CN=Strict Root', pathLength: 0 });
    const middle = await strict.issueIntermediate({ subject: 'CN=Middle CA' });
    const leaf = inspectCertificate((await middle.issue({ subject: 'CN=too deep' })).der);
    expect(chainCheck(leaf, [inspect(middle)], [inspect(strict)], NOW).finding.message).toBe(
      'chain broken at the trust anchor CN=Strict Root: its path length constraint (0) allows fewer intermediates below it',
    );
  });

  it('a path length allows as many intermediates below as it says: 0 the end entity alone, 1 one intermediate (mutation QA: one fewer passed)', async () => {
    const strict = await CertificateAuthority.create({ subject: 'CN=Strict Root', pathLength: 0 });
    const direct = inspectCertificate((await strict.issue({ subject: 'CN=below strict' })).der);
    expect(chainCheck(direct, [], [inspect(strict)], NOW).finding).toEqual({ check: 'chain', status: 'pass', message: 'chain: CN=below strict ← CN=Strict Root (trust anchor)' });
    const one = await CertificateAuthority.create({ subject: 'CN=One Root', pathLength: 1 });
    const middle = await one.issueIntermediate({ subject: 'CN=One Middle CA', pathLength: 0 });
    const leaf = inspectCertificate((await middle.issue({ subject: 'CN=below one' })).der);
    expect(chainCheck(leaf, [inspect(middle)], [inspect(one)], NOW).finding).toEqual({
      check: 'chain',
      status: 'pass',
      message: 'chain: CN=below one ← CN=One Middle CA ← CN=One Root (trust anchor)',
    });
  });

  it('an end entity that expires soon is the validity finding\'s, not the chain\'s; a trust anchor that does is named as the trust anchor (mutation QA)', async () => {
    const DAY = 24 * 60 * 60 * 1000;
    const shortLived = inspectCertificate((await root.issue({ subject: 'CN=short-lived leaf', notAfter: new Date(NOW.getTime() + 3 * DAY) })).der);
    expect(chainCheck(shortLived, [], [inspect(root)], NOW).finding).toEqual({ check: 'chain', status: 'pass', message: 'chain: CN=short-lived leaf ← CN=Chain Root (trust anchor)' });
    const expiring = await CertificateAuthority.create({ subject: 'CN=Expiring Root', notAfter: new Date(NOW.getTime() + 20 * DAY + 60_000) });
    const below = inspectCertificate((await expiring.issue({ subject: 'CN=below expiring', notAfter: new Date(NOW.getTime() + 10 * DAY) })).der);
    expect(chainCheck(below, [], [inspect(expiring)], NOW).finding).toEqual({
      check: 'chain',
      status: 'warn',
      message: `chain: CN=below expiring ← CN=Expiring Root (trust anchor); the trust anchor CN=Expiring Root is valid until ${isoSeconds(inspect(expiring).parsed.notAfter)}, 20 days left: plan its renewal`,
    });
  });

  it('with intermediates given, a missing issuer is not told to be given with --intermediates (mutation QA)', async () => {
    const other = await root.issueIntermediate({ subject: 'CN=Other Issuing CA' });
    expect(chainCheck(leafOfIntermediate, [inspect(other)], [inspect(root)], NOW).finding).toEqual({
      check: 'chain',
      status: 'fail',
      message: 'chain broken at CN=leaf of intermediate: no certificate of the trust anchor bundle or the intermediates is its issuer, CN=Chain Issuing CA',
    });
  });
});
