import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '../support/peculiarX509.js';
import { CertificateAuthority, type CertificateOptions } from '../../src/emulator/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { errorLine, expectFailure, runCli, type CliResult } from '../support/cli.js';
import { ARN_FLAGS, ARNS, Scenario, openssl, type LeafFiles } from '../support/scenario.js';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);
/** What a certificate needs to pass every check: a year left (the test PKI's default is 30 days). */
const LONG_LIVED: Partial<CertificateOptions> = { notAfter: inDays(365) };
const FINDING_LINE = /^(✓|!!|!|✗|-) \S/;
let scenario: Scenario;
let rootPath: string;
let crlPath: string;
let revoked: LeafFiles;

beforeAll(async () => {
  scenario = await Scenario.start();
  rootPath = scenario.workspace.path('root.pem');
  revoked = await scenario.leaf('revoked', LONG_LIVED);
  crlPath = scenario.workspace.write('crl.pem', await scenario.ca.crl([revoked.certificate.serialNumberHex]));
});
afterAll(async () => {
  await scenario.stop();
});

/** Runs check on a leaf's files, against the scenario's root and CRL, and checks the shape of what it printed. */
async function check(leaf: LeafFiles, extra: readonly string[] = [], keyPath = leaf.keyPath): Promise<CliResult> {
  const result = await runCli(['check', '--certificate', leaf.certPath, '--private-key', keyPath, '--trust-anchor-certificate', rootPath, '--crl', crlPath, ...extra]);
  if (!extra.includes('--json')) for (const line of lines(result)) expect(line).toMatch(FINDING_LINE);
  return result;
}

const lines = (result: CliResult) => result.stdout.split('\n').filter(Boolean);
const failures = (result: CliResult) => lines(result).filter((line) => line.startsWith('✗ '));

/** Exit code 1, one line on stderr counting the failures, and these (and only these) ✗ lines on stdout. */
function expectFailures(result: CliResult, leaf: LeafFiles, expected: (string | RegExp)[]) {
  expect(result.code).toBe(1);
  expect(errorLine(result)).toBe(`${leaf.certPath}: ${expected.length} ${expected.length === 1 ? 'check' : 'checks'} failed`);
  const found = failures(result);
  expect(found).toHaveLength(expected.length);
  expected.forEach((pattern, i) => (typeof pattern === 'string' ? expect(found[i]).toBe(pattern) : expect(found[i]).toMatch(pattern)));
}

describe('check: a certificate as the service wants it', () => {
  it('passes every check, prints one ✓ line each and exits 0', async () => {
    const leaf = await scenario.leaf('good', { ...LONG_LIVED, subjectAltNames: { dns: ['good.example'], uri: ['spiffe://example.org/good'] } });
    const result = await check(leaf, ARN_FLAGS);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result)).toEqual([
      '✓ X.509 version 3',
      '✓ subject CN=good, O=roles-anywhere-helper tests',
      '✓ end entity, not a CA (basicConstraints CA:false)',
      '✓ keyUsage includes digitalSignature',
      '✓ signed with ecdsa-with-SHA256',
      '✓ EC key on P-256',
      expect.stringMatching(/^✓ valid until \S+Z, 36[45] days left$/),
      "✓ the private key matches the certificate (a test signature verified with the certificate's key)",
      '✓ chain: CN=good, O=roles-anywhere-helper tests ← CN=Test Root CA, O=roles-anywhere-helper tests (trust anchor)',
      expect.stringMatching(/^✓ CRL of CN=Test Root CA, O=roles-anywhere-helper tests: signature verified, next update /),
      `✓ not revoked: ${crlPath} lists none of the chain's certificates`,
      `✓ trust anchor ARN ${ARNS.trustAnchorArn}`,
      `✓ profile ARN ${ARNS.profileArn}`,
      `✓ role ARN ${ARNS.roleArn}`,
      '✓ the trust anchor and the profile are both in us-east-1',
      '✓ CreateSession would go to https://rolesanywhere.us-east-1.amazonaws.com/ (signing Region us-east-1, 3600 s)',
      '✓ session tag x509Subject/CN = "good"',
      '✓ session tag x509Subject/O = "roles-anywhere-helper tests"',
      '✓ session tag x509Issuer/CN = "Test Root CA"',
      '✓ session tag x509Issuer/O = "roles-anywhere-helper tests"',
      '✓ session tag x509SAN/DNS = "good.example"',
      '✓ session tag x509SAN/URI = "spiffe://example.org/good"',
      '✓ 6 session tags (STS accepts at most 50)',
      '✓ source identity "CN=good" (the subject CN)',
      "- the service's settings not checked (trust anchor and profile enabled, the role in the profile, a session name accepted, the profile's duration limit): give --endpoint to send one CreateSession",
    ]);
  });

  it('never calls the service without --endpoint', async () => {
    const leaf = await scenario.leaf('quiet', LONG_LIVED);
    const before = [scenario.emulator.issued.length, scenario.emulator.rejections.length];
    const env = { AWS_ENDPOINT_URL_ROLESANYWHERE: scenario.emulator.url };
    const result = await runCli(['check', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...ARN_FLAGS], { env });
    expect(result.code).toBe(0);
    expect([scenario.emulator.issued.length, scenario.emulator.rejections.length]).toEqual(before);
  });

  it('without a trust anchor bundle or a CRL, says what it did not check', async () => {
    const leaf = await scenario.leaf('unchecked', LONG_LIVED);
    const result = await runCli(['check', '--certificate', leaf.certPath, '--private-key', leaf.keyPath]);
    expect(result.code).toBe(0);
    expect(lines(result).filter((line) => line.startsWith('- '))).toEqual([
      "- chain to the trust anchor not checked: give the anchor's CA certificates with --trust-anchor-certificate",
      '- revocation not checked: give the CRL with --crl',
      '- ARNs not checked: give --trust-anchor-arn, --profile-arn, --role-arn to check them',
    ]);
  });

  it('follows the chain through --intermediates, and a PKCS#12 file through its own', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Check Issuing CA' });
    const leaf = await scenario.leaf('chained', LONG_LIVED, intermediate);
    const chainPath = scenario.workspace.write('intermediate.pem', intermediate.certificate.pem);
    const result = await check(leaf, ['--intermediates', chainPath]);
    expect(result.code).toBe(0);
    expect(lines(result)).toContain('✓ chain: CN=chained, O=roles-anywhere-helper tests ← CN=Check Issuing CA ← CN=Test Root CA, O=roles-anywhere-helper tests (trust anchor)');

    const p12 = scenario.workspace.write('chained.p12', openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-certfile', chainPath, '-passout', 'pass:']));
    const fromP12 = await runCli(['check', '--certificate', p12, '--trust-anchor-certificate', rootPath]);
    expect(fromP12.stderr).toBe('');
    expect(lines(fromP12)).toContain(lines(result).find((line) => line.startsWith('✓ chain')));
  });

  it("a chain of more intermediates than X-Amz-X509-Chain holds still has them checked against the root's CRL (QA: the CRL was said to be of none of the chain's)", async () => {
    const cas = [scenario.ca];
    for (let i = 1; i <= 6; i++) cas.push(await cas.at(-1)!.issueIntermediate({ subject: `CN=Deep ${i} CA` }));
    const leaf = await scenario.leaf('too-deep', LONG_LIVED, cas[6]);
    const chainPath = scenario.workspace.write('too-deep-chain.pem', cas.slice(1).reverse().map((ca) => ca.certificate.pem).join(''));
    const result = await check(leaf, ['--intermediates', chainPath]);
    expectFailures(result, leaf, ['✗ X-Amz-X509-Chain would hold 6 certificates, more than the maximum depth of 5: send fewer intermediates']);
    expect(lines(result)).toContain(`✓ not revoked: ${crlPath} lists none of the chain's certificates`);
  });

  it('says an issuer that follows the end entity in its certificate file (a fullchain.pem) is there but not sent (QA: told to give it as if missing)', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Fullchain Issuing CA' });
    const leaf = await scenario.leaf('fullchain', LONG_LIVED, intermediate);
    const fullchain = scenario.workspace.write('fullchain.pem', leaf.certificate.pem + intermediate.certificate.pem);
    const result = await runCli(['check', '--certificate', fullchain, '--private-key', leaf.keyPath, '--trust-anchor-certificate', rootPath]);
    expect(result.code).toBe(1);
    expect(failures(result)).toEqual([
      '✗ chain broken at CN=fullchain, O=roles-anywhere-helper tests: its issuer CN=Fullchain Issuing CA follows it in the certificate file, which is not sent: ' +
        "only the file's first certificate is used; give the others with --intermediates",
    ]);
  });

  it('finds the CA among copies of it in the trust anchor bundle, whatever their order: check and the emulator alike (QA: the first copy decided)', async () => {
    // A CA re-issued with its own key: the copy first in the bundle is unfit (here: no keyCertSign; in the
    // field, expired), the second is fine. A path builder tries both, as OpenSSL does.
    const work = scenario.workspace;
    const caKey = work.write('renewed-root-key.pem', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    const copy = (usage: string) =>
      openssl(['req', '-x509', '-key', caKey, '-subj', '/CN=Renewed Root', '-days', '365', '-addext', 'basicConstraints=critical,CA:true', '-addext', `keyUsage=critical,${usage}`]).toString();
    const good = work.write('renewed-root.pem', copy('keyCertSign,cRLSign'));
    const bundle = work.write('renewed-bundle.pem', copy('cRLSign') + readFileSync(good, 'utf8'));
    const leafKey = work.write('renewed-leaf-key.pem', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    const extensions = work.write('renewed-leaf.ext', 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\n');
    const csr = openssl(['req', '-new', '-key', leafKey, '-subj', '/CN=renewed leaf']);
    const leafCert = work.write('renewed-leaf.pem', openssl(['x509', '-req', '-CA', good, '-CAkey', caKey, '-days', '200', '-extfile', extensions], csr));
    const emulator = await scenario.otherEmulator({ trustAnchors: [{ arn: ARNS.trustAnchorArn, certificates: readFileSync(bundle, 'utf8') }] });
    const result = await runCli(['check', '--certificate', leafCert, '--private-key', leafKey, '--trust-anchor-certificate', bundle, '--endpoint', emulator.url, ...ARN_FLAGS]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result)).toContain('✓ chain: CN=renewed leaf ← CN=Renewed Root (trust anchor)');
    expect(lines(result).at(-1)).toMatch(/^✓ CreateSession at \S+: the service issued credentials/);
  });

  it('fails a certificate marking critical an extension path validation does not know, as the emulator refuses it (QA: both took it)', async () => {
    const work = scenario.workspace;
    const caKey = work.write('critical-root-key.pem', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    const root = work.write(
      'critical-root.pem',
      openssl(['req', '-x509', '-key', caKey, '-subj', '/CN=Critical Root', '-days', '365', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign']),
    );
    const leafKey = work.write('critical-leaf-key.pem', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    const csr = openssl(['req', '-new', '-key', leafKey, '-subj', '/CN=critical leaf']);
    const issue = (name: string, extra: string) => {
      const extensions = work.write(`${name}.ext`, `basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\n${extra}`);
      return work.write(`${name}.pem`, openssl(['x509', '-req', '-CA', root, '-CAkey', caKey, '-days', '200', '-extfile', extensions], csr));
    };
    const unknown = issue('critical-unknown', '1.2.3.4.5.6=critical,ASN1:UTF8String:hello\n');
    // The same extension not critical, and a critical one RFC 5280 defines, are no matter.
    const fine = issue('critical-fine', '1.2.3.4.5.6=ASN1:UTF8String:hello\nextendedKeyUsage=critical,clientAuth\n');
    const emulator = await scenario.otherEmulator({ trustAnchors: [{ arn: ARNS.trustAnchorArn, certificates: readFileSync(root, 'utf8') }] });
    const run = (certificate: string) =>
      runCli(['check', '--certificate', certificate, '--private-key', leafKey, '--trust-anchor-certificate', root, '--endpoint', emulator.url, ...ARN_FLAGS]);
    const refused = await run(unknown);
    expect(refused.code).toBe(1);
    expect(failures(refused)).toEqual([
      '✗ it marks critical an extension path validation does not know (1.2.3.4.5.6), which a verifier must refuse',
      expect.stringMatching(/^✗ CreateSession at \S+: .*Untrusted Signing Certificate: the end-entity certificate: it marks critical an extension path validation does not know \(1\.2\.3\.4\.5\.6\)/),
    ]);
    const taken = await run(fine);
    expect(taken.code).toBe(0);
    expect(lines(taken).at(-1)).toMatch(/^✓ CreateSession at \S+: the service issued credentials/);
    // A CA with one breaks the chain there.
    const markedRoot = work.write(
      'critical-marked-root.pem',
      openssl(['req', '-x509', '-key', caKey, '-subj', '/CN=Critical Root', '-days', '365', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign', '-addext', '1.2.3.4.5.7=critical,ASN1:NULL']),
    );
    const broken = await runCli(['check', '--certificate', fine, '--private-key', leafKey, '--trust-anchor-certificate', markedRoot]);
    expect(broken.code).toBe(1);
    expect(failures(broken)).toEqual([
      '✗ chain broken at the trust anchor CN=Critical Root: it marks critical an extension path validation does not know (1.2.3.4.5.7), which a verifier must refuse',
    ]);
  });

  it('takes an empty --intermediates file as no chain, as credential-process does, but refuses an empty trust anchor file', async () => {
    const leaf = await scenario.leaf('empty-chain', LONG_LIVED);
    const empty = scenario.workspace.write('empty-chain.pem', '');
    const result = await check(leaf, ['--intermediates', empty]);
    expect(result.code).toBe(0);
    expect(lines(result).some((line) => line.startsWith('✓ chain: CN=empty-chain'))).toBe(true);
    const noAnchor = await runCli(['check', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--trust-anchor-certificate', empty]);
    expectFailure(noAnchor, `invalid --trust-anchor-certificate ${empty}: it is empty`);
  });
});

describe('check and the emulator: a damaged part', () => {
  /** The file's DER with `from`'s bytes, the first after the extension `oid`'s (hex), made `to`'s, written under `name`. */
  const damaged = (pemPath: string, oid: string, from: string, to: string, name: string) => {
    const der = Buffer.from(readFileSync(pemPath, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from(from, 'hex'), der.indexOf(Buffer.from(oid, 'hex')));
    expect(at).toBeGreaterThan(0);
    Buffer.from(to, 'hex').copy(der, at);
    return scenario.workspace.write(name, der);
  };

  it("names a certificate, trust anchor or chain file whose extension does not parse, which the helper's reader takes (fuzzing QA: 'internal error: End of input reached')", async () => {
    const leaf = await scenario.leaf('damaged-extension', LONG_LIVED);
    // keyUsage's BIT STRING, and basicConstraints' SEQUENCE, said to run past their extension's end.
    const leafDer = damaged(leaf.certPath, '0603551d0f', '0302', '0305', 'damaged-leaf.der');
    const rootDer = damaged(rootPath, '0603551d13', '3003', '3009', 'damaged-root.der');
    const reason = /its DER is damaged \([^)]+/;
    const cases: [string[], string][] = [
      [['--certificate', leafDer, '--private-key', leaf.keyPath], `could not parse certificate ${leafDer}: `],
      [['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--trust-anchor-certificate', rootDer], `invalid --trust-anchor-certificate ${rootDer}: `],
      [['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--intermediates', rootDer], `invalid --intermediates ${rootDer}: `],
    ];
    for (const [flags, start] of cases) {
      const result = await runCli(['check', ...flags]);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result).startsWith(start)).toBe(true);
      expect(errorLine(result).slice(start.length)).toMatch(reason);
    }
    // As PEM too: the emulator refuses the DER file before it reads a certificate (review: alone, this part could not fail).
    const rootPem = scenario.workspace.write('damaged-root.pem', `-----BEGIN CERTIFICATE-----\n${readFileSync(rootDer).toString('base64')}\n-----END CERTIFICATE-----\n`);
    for (const file of [rootDer, rootPem]) {
      const emulator = await runCli(['emulator', '--trust-anchor-certificate', file]);
      expectFailure(emulator, `invalid --trust-anchor-certificate ${file}: not PEM-encoded X.509 certificates`);
    }
  });

  it("the emulator takes a CRL whose signature does not parse for one its trust anchor did not sign, as check does (fuzzing QA: 'internal error: Type [UNIVERSAL 0] is reserved')", async () => {
    // The ECDSA signature's SEQUENCE tag (after the BIT STRING's unused-bits byte) made 0.
    const crlDer = Buffer.from(readFileSync(crlPath, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const signature = crlDer.lastIndexOf(Buffer.from('0030', 'hex'));
    expect(signature).toBeGreaterThan(crlDer.length - 80);
    crlDer[signature + 1] = 0;
    const broken = scenario.workspace.write('damaged-signature.crl', crlDer);
    const emulator = await runCli(['emulator', '--trust-anchor-certificate', rootPath, '--crl', broken]);
    expectFailure(emulator, /^invalid --crl .*damaged-signature\.crl: the CRL of CN=[^:]+ is not signed by a certificate of the trust anchor$/);
    const result = await runCli(['check', '--certificate', revoked.certPath, '--private-key', revoked.keyPath, '--trust-anchor-certificate', rootPath, '--crl', broken]);
    expect(result.code).toBe(1);
    expect(failures(result).some((line) => line.includes('signature'))).toBe(true);
  });
});

describe('check: each rule broken', () => {
  it('a CA certificate as end entity', async () => {
    const leaf = await scenario.leaf('ca-leaf', { ...LONG_LIVED, basicConstraintsCa: true });
    expectFailures(await check(leaf), leaf, ['✗ the certificate is a CA (basicConstraints CA:true): the service refuses CA certificates as end entities']);
  });

  it('no digitalSignature key usage', async () => {
    const leaf = await scenario.leaf('no-digital-signature', { ...LONG_LIVED, keyUsage: x509.KeyUsageFlags.keyEncipherment });
    expectFailures(await check(leaf), leaf, ['✗ keyUsage (keyEncipherment) lacks digitalSignature, which the service requires of the end entity']);
  });

  it('signed with SHA-1', async () => {
    const leaf = await scenario.leaf('sha1', { ...LONG_LIVED, signatureHash: 'SHA-1' });
    expectFailures(await check(leaf), leaf, ['✗ signed with ecdsa-with-SHA1: the service refuses SHA-1; have it signed with SHA-256 or stronger']);
  });

  it('an RSA-1024 key', async () => {
    const leaf = await scenario.leaf('rsa-1024', { ...LONG_LIVED, keyAlgorithm: 'rsa-1024' });
    expectFailures(await check(leaf), leaf, ['✗ RSA key of 1024 bits: the service accepts RSA keys of 2048 bits or more']);
  });

  it('an Ed25519 key: one failure, the public key\'s; the private key, which the helper cannot sign with, is not checked', async () => {
    const keyPath = scenario.workspace.write('ed25519-key.pem', openssl(['genpkey', '-algorithm', 'ed25519']));
    const certPath = scenario.workspace.path('ed25519.pem');
    openssl(['req', '-x509', '-new', '-key', keyPath, '-subj', '/CN=ed25519', '-days', '30', '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature', '-out', certPath]);
    const result = await runCli(['check', '--certificate', certPath, '--private-key', keyPath]);
    expect([result.code, errorLine(result)]).toEqual([1, `${certPath}: 1 check failed`]);
    expect(failures(result)).toEqual(['✗ ed25519 key: the service accepts RSA of 2048 bits or more, EC P-256, P-384 or P-521, or ML-DSA']);
    expect(lines(result)).toContain("- private key not checked: the helper cannot sign with the certificate's kind of key");
  });

  it('expired', async () => {
    const leaf = await scenario.leaf('expired', { notBefore: inDays(-60), notAfter: inDays(-2) });
    expectFailures(await check(leaf), leaf, [/^✗ expired on \S+Z, and this machine's clock reads \S+Z$/]);
  });

  it('a certificate whose validity ends before it begins is said expired, not "valid until" a start it never reaches: check and credential-process (QA pki)', async () => {
    const second = Math.floor(Date.now() / 1000) * 1000;
    const [start, end] = [new Date(second + 30 * DAY), new Date(second - 30 * DAY)];
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
    const inverted = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '0a',
      name: 'CN=inverted',
      notBefore: start,
      notAfter: end,
      keys,
      signingAlgorithm: algorithm,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    });
    const certPath = scenario.workspace.write('inverted.pem', inverted.toString('pem'));
    const keyPath = scenario.workspace.write('inverted-key.pem', x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'));
    const ended = end.toISOString().replace('.000Z', 'Z');
    const result = await runCli(['check', '--certificate', certPath, '--private-key', keyPath]);
    expect(result.code).toBe(1);
    expect(failures(result).join('\n')).toMatch(new RegExp(`✗ expired on ${ended}, and this machine's clock reads `));
    const sent = await runCli(['credential-process', '--certificate', certPath, '--private-key', keyPath, ...scenario.sessionFlags()]);
    expect([sent.code, sent.stdout]).toEqual([1, '']);
    expect(errorLine(sent)).toMatch(new RegExp(`^certificate ${certPath} expired at ${ended}, and this machine's clock reads \\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z$`));
  });

  it('a trust anchor whose validity ends before it begins is said expired, as such a leaf is, not "not valid until" its start, by check and the emulator (review)', async () => {
    const second = Math.floor(Date.now() / 1000) * 1000;
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const [rootKeys, leafKeys] = (await Promise.all([0, 1].map(() => crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])))) as CryptoKeyPair[];
    const end = new Date(second - 30 * DAY);
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '0b',
      name: 'CN=Inverted Root',
      notBefore: new Date(second + 30 * DAY),
      notAfter: end,
      keys: rootKeys!,
      signingAlgorithm: algorithm,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
    });
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: '0c',
      subject: 'CN=under-inverted',
      issuer: root.subject,
      notBefore: new Date(second - DAY),
      notAfter: new Date(second + 30 * DAY),
      publicKey: leafKeys!.publicKey,
      signingKey: rootKeys!.privateKey,
      signingAlgorithm: algorithm,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    });
    const keyFlags = [
      '--certificate', scenario.workspace.write('under-inverted.pem', leaf.toString('pem')),
      '--private-key', scenario.workspace.write('under-inverted-key.pem', x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', leafKeys!.privateKey), 'PRIVATE KEY')),
    ];
    const result = await runCli(['check', ...keyFlags, '--trust-anchor-certificate', scenario.workspace.write('inverted-root.pem', root.toString('pem'))]);
    expect(result.code).toBe(1);
    expect(failures(result)).toEqual([expect.stringMatching(new RegExp(`^✗ chain broken at the trust anchor CN=Inverted Root: expired on ${end.toISOString().replace('.000Z', 'Z')}, and this machine's clock reads \\S+Z$`))]);
    const emulator = await scenario.otherEmulator({ trustAnchors: [{ arn: ARNS.trustAnchorArn, certificates: root.toString('pem') }] });
    const sent = await runCli(['credential-process', ...keyFlags, ...scenario.sessionFlags(emulator.url)]);
    expect([sent.code, sent.stdout]).toEqual([1, '']);
    expect(emulator.rejections.at(-1)?.message).toBe('Untrusted Signing Certificate: the trust anchor certificate has expired');
  });

  it('expiring in 3 days: an urgent warning, but no failure', async () => {
    const leaf = await scenario.leaf('expiring', { notAfter: inDays(3) });
    const result = await check(leaf);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines(result)).toContainEqual(expect.stringMatching(/^!! valid until \S+Z, 2 days left: renew it now$/));
  });

  it('expiring in 20 days: a warning', async () => {
    const leaf = await scenario.leaf('renew-soon', { notAfter: inDays(20) });
    const result = await check(leaf);
    expect(result.code).toBe(0);
    expect(lines(result)).toContainEqual(expect.stringMatching(/^! valid until \S+Z, 19 days left: plan its renewal$/));
  });

  it('issued by another CA (wrong chain)', async () => {
    const other = await CertificateAuthority.create({ subject: 'CN=Other Root' });
    const leaf = await scenario.leaf('stranger', LONG_LIVED, other);
    expectFailures(await check(leaf), leaf, [
      '✗ chain broken at CN=stranger, O=roles-anywhere-helper tests: no certificate of the trust anchor bundle or the intermediates is its issuer, ' +
        'CN=Other Root; if an intermediate CA issued it, give it with --intermediates',
    ]);
  });

  it('revoked by the CRL', async () => {
    expectFailures(await check(revoked), revoked, [
      new RegExp(`^✗ CN=revoked, O=roles-anywhere-helper tests \\(serial ${revoked.certificate.serialNumberHex}\\) was revoked on \\S+Z by the CRL of CN=Test Root CA, O=roles-anywhere-helper tests$`),
    ]);
  });

  it("revoked by its intermediate's CRL, verified with the intermediate given (mutation QA: the bundle's CAs alone were untested)", async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Revoking Issuing CA' });
    const leaf = await scenario.leaf('revoked-below', LONG_LIVED, intermediate);
    const chainPath = scenario.workspace.write('revoking-intermediate.pem', intermediate.certificate.pem);
    const intermediateCrl = scenario.workspace.write('intermediate-crl.pem', await intermediate.crl([leaf.certificate.serialNumberHex]));
    const result = await runCli(['check', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--trust-anchor-certificate', rootPath, '--crl', intermediateCrl, '--intermediates', chainPath]);
    expectFailures(result, leaf, [
      new RegExp(`^✗ CN=revoked-below, O=roles-anywhere-helper tests \\(serial ${leaf.certificate.serialNumberHex}\\) was revoked on \\S+Z by the CRL of CN=Revoking Issuing CA$`),
    ]);
    expect(lines(result)).toContainEqual(expect.stringMatching(/^✓ CRL of CN=Revoking Issuing CA: signature verified, next update /));
  });

  it('a private key that is not the certificate\'s', async () => {
    const leaf = await scenario.leaf('mismatched', LONG_LIVED);
    const otherKey = scenario.workspace.write('other-key.pem', pkcs8Pem(generateKey('ec-p256')));
    expectFailures(await check(leaf, [], otherKey), leaf, [`✗ private key does not match the certificate: ${otherKey} is not the key of ${leaf.certPath}`]);
  });

  it('a secret given by its file flag is named by that flag, as the other commands name it', async () => {
    const leaf = await scenario.leaf('password-file', LONG_LIVED);
    const passwordFile = scenario.workspace.write('p12.pw', 'unused\n');
    const expected = '✗ --pkcs12-password-file is for a PKCS#12 file given as --certificate without --private-key';
    expectFailures(await check(leaf, ['--pkcs12-password-file', passwordFile]), leaf, [expected]);
    const json = await check(leaf, ['--pkcs12-password-file', passwordFile, '--json']);
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document.findings).toContainEqual(expect.objectContaining({ status: 'fail', message: expected.slice(2) }));
  });

  it('a CN with parentheses: its session tag and its source identity', async () => {
    const leaf = await scenario.leaf('parentheses', { ...LONG_LIVED, subject: 'CN=John M. Smith (EMP12345),O=roles-anywhere-helper tests' });
    expectFailures(await check(leaf), leaf, [
      '✗ session tag x509Subject/CN = "John M. Smith (EMP12345)": STS refuses "(", ")" in tag values',
      '✗ source identity "CN=John M. Smith (EMP12345)" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not "(", ")"',
    ]);
  });

  it('60 attributes: more session tags than STS takes', async () => {
    const attributes = Array.from({ length: 60 }, (_, i) => `1.3.6.1.4.1.99999.${i}=v`).join(',');
    const leaf = await scenario.leaf('many-attributes', { ...LONG_LIVED, subject: `CN=many-attributes,${attributes}` });
    const result = await check(leaf);
    expectFailures(result, leaf, ["✗ 63 session tags: STS accepts at most 50 (a profile's attribute mapping can map fewer attributes)"]);
    expect(lines(result).filter((line) => line.startsWith('✓ session tag x509Subject/1.3.6.1.4.1.99999.'))).toHaveLength(60);
  });

  it('49 OU values: one session tag, their values joined with "/", as the service combines them', async () => {
    const units = Array.from({ length: 49 }, (_, i) => `OU=u${i}`).join(',');
    const leaf = await scenario.leaf('many-units', { ...LONG_LIVED, subject: `CN=many-units,${units}` });
    const result = await check(leaf, scenario.sessionFlags());
    expect(result.code).toBe(0);
    expect(lines(result)).toContain(`✓ session tag x509Subject/OU = "${Array.from({ length: 49 }, (_, i) => `u${i}`).join('/')}"`);
    expect(lines(result).at(-1)).toMatch(/^✓ CreateSession at \S+: the service issued credentials/);
  });

  it('writes out the control characters of a subject, whose escape sequences would reach the terminal (QA pki: raw ESC in the subject and chain lines)', async () => {
    const leaf = await scenario.leaf('escape', { ...LONG_LIVED, subject: 'CN=evil\x1b[2J\x1b[32mOK\x07\r,O=roles-anywhere-helper tests' });
    const result = await check(leaf);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(lines(result)).toContain('✓ subject CN=evil\\x1b[2J\\x1b[32mOK\\x07\\0D, O=roles-anywhere-helper tests');
    expect(lines(result).filter((line) => line.startsWith('✓ chain: CN=evil\\x1b[2J'))).toHaveLength(1);
  });

  it('a CN with a space: a warning about the source identity, no failure', async () => {
    const leaf = await scenario.leaf('space', { ...LONG_LIVED, subject: 'CN=John Smith,O=roles-anywhere-helper tests' });
    const result = await check(leaf);
    expect(result.code).toBe(0);
    expect(lines(result)).toContain('✓ session tag x509Subject/CN = "John Smith"');
    expect(lines(result)).toContain(
      '! source identity "CN=John Smith" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not spaces; ' +
        'whether the service refuses or rewrites such a CN is not documented',
    );
  });

  it('ARNs of different Regions', async () => {
    const leaf = await scenario.leaf('regions', LONG_LIVED);
    const profile = ARNS.profileArn.replace('us-east-1', 'eu-west-1');
    const result = await check(leaf, ['--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', profile, '--role-arn', ARNS.roleArn]);
    expectFailures(result, leaf, ['✗ the trust anchor is in us-east-1 and the profile in eu-west-1: they must be in the same Region']);
  });

  it("a request that fails is not followed by the service's settings not checked, which is said once the request passed (mutation QA: said after a failure too)", async () => {
    const leaf = await scenario.leaf('short-duration', LONG_LIVED);
    const result = await check(leaf, [...ARN_FLAGS, '--session-duration', '1']);
    expectFailures(result, leaf, [/^✗ .*duration/]);
    expect(lines(result).filter((line) => line.includes("the service's settings not checked"))).toEqual([]);
  });

  it('ARNs of different accounts, which the emulator refuses too (QA: passed, then CreateSession refused)', async () => {
    const leaf = await scenario.leaf('accounts', LONG_LIVED);
    const otherRole = ARNS.roleArn.replace('123456789012', '444455556666');
    const role = await check(leaf, ['--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--role-arn', otherRole]);
    expectFailures(role, leaf, ['✗ the role is of account 444455556666 and the profile of 123456789012: a profile passes only its own account\'s roles']);
    const otherProfile = ARNS.profileArn.replace('123456789012', '999999999999');
    const profile = await check(leaf, ['--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', otherProfile, '--role-arn', ARNS.roleArn.replace('123456789012', '999999999999')]);
    expectFailures(profile, leaf, ['✗ the trust anchor is of account 123456789012 and the profile of 999999999999: they must be of one account']);
  });

  it('a certificate that cannot be read at all is one error line, and nothing on stdout', async () => {
    const missing = scenario.workspace.path('missing.pem');
    const result = await runCli(['check', '--certificate', missing, '--private-key', revoked.keyPath]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(`unable to read certificate ${missing}: no such file or directory`);
  });
});

describe('check: a trust anchor or CRL that cannot be used', () => {
  const garbage = () => scenario.workspace.write('garbage.pem', 'garbage\n');
  const missing = () => scenario.workspace.path('missing.pem');
  const pathOnly = (value: string) => `it takes a file path, not standard input or a variable (for a file of that name, write ./${value})`;

  it.each<[string, string, () => string, (path: string) => string]>([
    ['text', 'trust-anchor-certificate', garbage, () => 'it is neither PEM (no "-----BEGIN" line) nor DER'],
    ['a private key', 'trust-anchor-certificate', () => revoked.keyPath, () => 'it holds a PRIVATE KEY block'],
    ['a PKCS#12 file', 'trust-anchor-certificate', () => scenario.workspace.write('anchor.p12', openssl(['pkcs12', '-export', '-inkey', revoked.keyPath, '-in', revoked.certPath, '-passout', 'pass:'])),
      () => 'it is a PKCS#12 file, not CA certificates as PEM or DER'],
    ['missing', 'trust-anchor-certificate', missing, () => 'no such file or directory'],
    ['standard input', 'trust-anchor-certificate', () => '-', pathOnly],
    ['a variable', 'trust-anchor-certificate', () => 'env:ANCHOR', pathOnly],
    ['text', 'crl', garbage, () => 'it is neither PEM (no "-----BEGIN" line) nor DER'],
    ['a certificate', 'crl', () => rootPath, () => 'no X509 CRL block found'],
    ['missing', 'crl', missing, () => 'no such file or directory'],
    ['standard input', 'crl', () => '-', pathOnly],
    ['a variable', 'crl', () => 'env:CRL', pathOnly],
  ])('%s as --%s is one line naming the flag, and nothing on stdout', async (_what, flag, value, reason) => {
    const given = value();
    // What the variables and standard input hold would do as files: these flags take neither.
    const [anchor, crl] = [readFileSync(rootPath, 'utf8'), readFileSync(crlPath, 'utf8')];
    const result = await runCli(['check', '--certificate', revoked.certPath, '--private-key', revoked.keyPath, `--${flag}`, given], {
      env: { ANCHOR: anchor, CRL: crl },
      input: flag === 'crl' ? crl : anchor,
    });
    expectFailure(result, `invalid --${flag} ${given}: ${reason(given)}`);
  });

  it.each(['trust-anchor-certificate', 'crl'])('an empty --%s, an unset variable\'s, is refused, not taken for none (review: check passed, "not checked")', async (flag) => {
    const result = await runCli(['check', '--certificate', revoked.certPath, '--private-key', revoked.keyPath, `--${flag}`, '']);
    expectFailure(result, `invalid --${flag} "": it names no file (leave it out if there is none)`);
  });
});

describe('check --json', () => {
  it('prints the same findings as one JSON document, and only that', async () => {
    const leaf = await scenario.leaf('json', { ...LONG_LIVED, subject: 'CN=John (EMP1),O=roles-anywhere-helper tests', signatureHash: 'SHA-1' });
    const text = await check(leaf);
    const json = await check(leaf, ['--json']);
    expect(json.code).toBe(1);
    expect(errorLine(json)).toBe(errorLine(text));
    const document = JSON.parse(json.stdout);
    // Laid out as docs/check.md shows it, a newline at its end (mutation testing: one long line passed).
    expect(json.stdout).toBe(`${JSON.stringify(document, null, 2)}\n`);
    expect(document).toMatchObject({
      certificate: leaf.certPath,
      subject: 'CN=John (EMP1), O=roles-anywhere-helper tests',
      passed: false,
      counts: { pass: expect.any(Number), warn: 0, fail: 3, skip: 1 },
    });
    const symbols = { pass: '✓', warn: '!', fail: '✗', skip: '-' } as const;
    const asText = (document.findings as { status: keyof typeof symbols; message: string }[]).map((f) => `${symbols[f.status]} ${f.message}`);
    expect(asText).toEqual(lines(text));
    expect(document.findings).toContainEqual({
      check: 'sessionTag',
      status: 'fail',
      message: 'session tag x509Subject/CN = "John (EMP1)": STS refuses "(", ")" in tag values',
      tag: { key: 'x509Subject/CN', value: 'John (EMP1)' },
    });
  });

  it('marks the urgent warning', async () => {
    const leaf = await scenario.leaf('json-expiring', { notAfter: inDays(3) });
    const document = JSON.parse((await check(leaf, ['--json'])).stdout);
    expect(document.passed).toBe(true);
    expect(document.findings).toContainEqual({ check: 'validity', status: 'warn', urgent: true, message: expect.stringMatching(/renew it now$/) });
  });
});

describe('check --endpoint: one CreateSession, and the service\'s answer', () => {
  it('reports credentials issued, without printing them', async () => {
    const leaf = await scenario.leaf('endpoint-good', LONG_LIVED);
    const before = scenario.emulator.issued.length;
    const result = await check(leaf, scenario.sessionFlags());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(scenario.emulator.issued.length).toBe(before + 1);
    const issued = scenario.emulator.issued.at(-1)!;
    expect(lines(result).at(-1)).toBe(`✓ CreateSession at ${scenario.emulator.url}/: the service issued credentials, expiring ${issued.expiration}`);
    for (const secret of [issued.accessKeyId, issued.secretAccessKey, issued.sessionToken]) expect(result.stdout).not.toContain(secret);
  });

  it('predicts the session tags the service sets, attribute names and all (STREET, SERIALNUMBER, POSTALCODE, UID)', async () => {
    const leaf = await scenario.leaf('endpoint-tags', {
      ...LONG_LIVED,
      subject: 'CN=tagged,2.5.4.9=1 Main St,2.5.4.5=A-1234,2.5.4.17=12345,0.9.2342.19200300.100.1.1=jdoe,1.3.6.1.4.1.99999.1=other',
      subjectAltNames: { dns: ['tagged.example'], directoryName: ['0.9.2342.19200300.100.1.1=dir-uid,2.5.4.5=B-5678'] },
    });
    const before = scenario.emulator.issued.length;
    const result = await check(leaf, [...scenario.sessionFlags(), '--json']);
    expect(result.code).toBe(0);
    expect(scenario.emulator.issued.length).toBe(before + 1);
    const predicted = (JSON.parse(result.stdout).findings as { check: string; tag?: unknown }[]).filter((f) => f.check === 'sessionTag').map((f) => f.tag);
    expect(predicted).toEqual([
      { key: 'x509Subject/CN', value: 'tagged' },
      { key: 'x509Subject/STREET', value: '1 Main St' },
      { key: 'x509Subject/SERIALNUMBER', value: 'A-1234' },
      { key: 'x509Subject/POSTALCODE', value: '12345' },
      { key: 'x509Subject/UID', value: 'jdoe' },
      { key: 'x509Subject/1.3.6.1.4.1.99999.1', value: 'other' },
      { key: 'x509Issuer/CN', value: 'Test Root CA' },
      { key: 'x509Issuer/O', value: 'roles-anywhere-helper tests' },
      { key: 'x509SAN/DNS', value: 'tagged.example' },
      { key: 'x509SAN/Name/UID', value: 'dir-uid' },
      { key: 'x509SAN/Name/SERIALNUMBER', value: 'B-5678' },
    ]);
    expect(scenario.emulator.issued.at(-1)!.sessionTags).toEqual(predicted);
  });

  it("reports the service's refusal", async () => {
    const other = await CertificateAuthority.create({ subject: 'CN=Untrusted Root' });
    const leaf = await scenario.leaf('endpoint-refused', LONG_LIVED, other);
    const result = await check(leaf, scenario.sessionFlags());
    expect(result.code).toBe(1);
    expect(lines(result).at(-1)).toMatch(
      new RegExp(
        `^✗ CreateSession at ${scenario.emulator.url}/: operation error RolesAnywhere: CreateSession, http response error StatusCode: 403, ` +
          'RequestID: \\S*, AccessDeniedException: Untrusted Signing Certificate: ',
      ),
    );
    expect(errorLine(result)).toBe(`${leaf.certPath}: 2 checks failed`);
  });

  // check's rules and the emulator's are written apart (one reports every finding, the other refuses at the
  // first, as the service does): this table keeps them agreeing, rule by rule.
  it.each<[string, Partial<CertificateOptions>, string[], string]>([
    [
      'a CN with parentheses',
      { subject: 'CN=John (EMP1),O=roles-anywhere-helper tests' },
      [
        '✗ session tag x509Subject/CN = "John (EMP1)": STS refuses "(", ")" in tag values',
        '✗ source identity "CN=John (EMP1)" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not "(", ")"',
      ],
      'Some attributes failed to be mapped into session tags: ',
    ],
    [
      'a CN of characters tags take and a source identity does not (QA: the emulator took it)',
      { subject: 'CN=svc:web/01,O=roles-anywhere-helper tests' },
      ['✗ source identity "CN=svc:web/01" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not ":", "/"'],
      'Unable to set the source identity "CN=svc:web/01": STS allows ',
    ],
    ['no keyUsage extension', { keyUsage: null }, ['✗ no keyUsage extension: the service requires one with digitalSignature of the end entity'], 'Untrusted Signing Certificate: '],
    [
      'no digitalSignature key usage',
      { keyUsage: x509.KeyUsageFlags.keyEncipherment },
      ['✗ keyUsage (keyEncipherment) lacks digitalSignature, which the service requires of the end entity'],
      'Untrusted Signing Certificate: ',
    ],
    [
      'a CA certificate as end entity',
      { basicConstraintsCa: true },
      ['✗ the certificate is a CA (basicConstraints CA:true): the service refuses CA certificates as end entities'],
      'Untrusted Signing Certificate: ',
    ],
    [
      'signed with SHA-1',
      { signatureHash: 'SHA-1' },
      ['✗ signed with ecdsa-with-SHA1: the service refuses SHA-1; have it signed with SHA-256 or stronger'],
      'Untrusted Signing Certificate: ',
    ],
  ])('%s: check fails it, and the service refuses it', async (name, options, local, refusal) => {
    const leaf = await scenario.leaf(`agree-${name.replace(/\W+/g, '-')}`, { ...LONG_LIVED, ...options });
    const result = await check(leaf, scenario.sessionFlags());
    expectFailures(result, leaf, [...local, new RegExp(`^✗ CreateSession at \\S+: .*AccessDeniedException: ${refusal}`)]);
  });

  it.each<[string, Partial<CertificateOptions> & { pathLength?: number }, string]>([
    ['without keyCertSign', { keyUsage: x509.KeyUsageFlags.cRLSign }, 'keyUsage lacks keyCertSign'],
    ['that is not a CA', { basicConstraintsCa: false }, 'not a CA (basicConstraints CA:true is required)'],
    ['signed with SHA-1', { signatureHash: 'SHA-1' }, 'signed with ecdsa-with-SHA1: the service refuses SHA-1; have it signed with SHA-256 or stronger'],
    ['whose path length leaves no room for another intermediate below it', { pathLength: 0 }, 'its path length constraint (0) allows fewer intermediates below it'],
  ])('an intermediate %s: check fails the chain, and the service refuses it', async (name, options, problem) => {
    const subject = `CN=Intermediate ${name.split(' ').slice(0, 3).join(' ')}`;
    const intermediate = await scenario.ca.issueIntermediate({ subject, ...options });
    // With a path length, the leaf's issuer is a second intermediate below the first.
    const issuer = options.pathLength === undefined ? intermediate : await intermediate.issueIntermediate({ subject: 'CN=Issuing CA' });
    const files = `agree-under-${name.replace(/\W+/g, '-').slice(0, 30)}`;
    const leaf = await scenario.leaf(files, LONG_LIVED, issuer);
    const chain = [issuer, intermediate].filter((ca, i, all) => all.indexOf(ca) === i).map((ca) => ca.certificate.pem).join('');
    const chainPath = scenario.workspace.write(`${files}-chain.pem`, chain);
    const result = await check(leaf, ['--intermediates', chainPath, ...scenario.sessionFlags()]);
    expectFailures(result, leaf, [`✗ chain broken at the intermediate ${subject}: ${problem}`, /^✗ CreateSession at \S+: .*AccessDeniedException: Untrusted Signing Certificate: /]);
  });

  it.each<[string, Partial<CertificateOptions>, string]>([
    ['no basicConstraints extension', { basicConstraintsCa: null }, '✓ end entity, not a CA (no basicConstraints extension)'],
    ['a one-character CN', { subject: 'CN=a' }, '✓ source identity "CN=a" (the subject CN)'],
    ['no CN', { subject: 'O=roles-anywhere-helper tests', serialNumber: '0123' }, '✓ source identity "ID=0123" (the serial number, as the subject has no CN)'],
  ])('%s: check passes it, and the service issues credentials', async (name, options, local) => {
    const leaf = await scenario.leaf(`agree-${name.replace(/\W+/g, '-')}`, { ...LONG_LIVED, ...options });
    const result = await check(leaf, scenario.sessionFlags());
    expect(result.code).toBe(0);
    expect(lines(result)).toContain(local);
    expect(lines(result).at(-1)).toMatch(/^✓ CreateSession at \S+: the service issued credentials/);
  });

  it('a request that cannot be made is reported as not sent', async () => {
    const leaf = await scenario.leaf('endpoint-no-arns', LONG_LIVED);
    const result = await check(leaf, ['--endpoint', scenario.emulator.url]);
    expect(lines(result).at(-1)).toBe('✗ CreateSession not sent: no trust anchor, profile or role ARN given: use --trust-anchor-arn, --profile-arn and --role-arn');
  });
});

describe('check in a process whose intrinsics are frozen (NODE_OPTIONS=--frozen-intrinsics)', () => {
  it('runs, as its X.509 code adds nothing to the global Reflect (QA: "Cannot add property defineMetadata, object is not extensible", then a refusal)', async () => {
    const leaf = await scenario.leaf('frozen', LONG_LIVED);
    const result = await runCli(['check', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--trust-anchor-certificate', rootPath], {
      env: { NODE_OPTIONS: '--frozen-intrinsics', NODE_NO_WARNINGS: '1' },
    });
    expect(result.code).toBe(0);
    expect(lines(result).filter((line) => line.startsWith('✓ chain: CN=frozen, '))).toHaveLength(1);
  });
});
