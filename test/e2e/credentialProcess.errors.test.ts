import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { errorLine, runCli, type CliResult } from '../support/cli.js';
import { answering, firstHit, hanging, refusing, relaying, speaking } from '../support/fakeEndpoints.js';
import { startCommand } from '../support/longRunning.js';
import { joinedPkcs12 } from '../support/joinedPkcs12.js';
import { ARNS, Scenario, openssl, type LeafFiles } from '../support/scenario.js';

let scenario: Scenario;
let leaf: LeafFiles;
let keyArgs: string[];

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('good', { keyAlgorithm: 'ec-p256' });
  keyArgs = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];
});
afterAll(async () => scenario.stop());

/** A failed command: exit code 1, nothing on stdout, one log line on stderr; returns that line's message. */
function failure(result: CliResult): string {
  expect(result.stdout).toBe('');
  expect(result.code).toBe(1);
  return errorLine(result);
}

const run = (args: string[], env?: Record<string, string>) => runCli(['credential-process', ...args], { env });

describe('credential-process refuses bad key and certificate files before sending anything', () => {
  it('a missing certificate file', async () => {
    const missing = scenario.workspace.path('nope.pem');
    const message = failure(await run(['--certificate', missing, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to read certificate ${missing}: no such file or directory`);
  });

  it('a missing private key file', async () => {
    const missing = scenario.workspace.path('nope-key.pem');
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', missing, ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to read private key ${missing}: no such file or directory`);
  });

  it('a missing relative path names the working folder it was looked for in, which is not the shell\'s for the AWS CLI or systemd (QA)', async () => {
    const cwd = scenario.workspace.path('elsewhere');
    mkdirSync(cwd);
    const result = await runCli(['credential-process', '--certificate', 'certs/leaf.pem', '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { cwd });
    expect(failure(result)).toBe(`unable to read certificate certs/leaf.pem: no such file or directory (a relative path, looked for in the working folder ${cwd})`);
  });

  it('both files missing: the certificate is named, as the reference names it first', async () => {
    const [certificate, key] = [scenario.workspace.path('nope-both.pem'), scenario.workspace.path('nope-both-key.pem')];
    const message = failure(await run(['--certificate', certificate, '--private-key', key, ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to read certificate ${certificate}: no such file or directory`);
  });

  it('an unreadable private key (a directory)', async () => {
    const dir = scenario.workspace.path('a-directory');
    mkdirSync(dir);
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', dir, ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to read private key ${dir}: is a directory`);
  });

  it('a wrong PKCS#8 password', async () => {
    const encrypted = scenario.workspace.write('enc.pem', openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-256-cbc', '-passout', 'pass:right']));
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', encrypted, '--pkcs8-password', 'wrong', ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to parse private key ${encrypted}: wrong password for encrypted PKCS#8 key (given with --pkcs8-password)`);
  });

  it('an encrypted key without a password and no terminal to ask on', async () => {
    const encrypted = scenario.workspace.write('enc2.pem', openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-scrypt', '-passout', 'pass:right']));
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', encrypted, ...scenario.sessionFlags()]));
    expect(message).toMatch(new RegExp(`^unable to parse private key ${encrypted}: the key is encrypted and no password was given \\(use --pkcs8-password-file, --pkcs8-password or AWS_ROLESANYWHERE_PKCS8_PASSWORD\\); unable to ask for it: `));
  });

  it('a password for a key that is not encrypted', async () => {
    const message = failure(await run([...keyArgs, '--pkcs8-password', 'x', ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to parse private key ${leaf.keyPath}: a PKCS#8 password was given but the key is not encrypted`);
  });

  it.each([
    [['--tpm-key-password', 'x'], '--tpm-key-password is for a TPM key'],
    [['--no-tpm-key-password'], '--no-tpm-key-password is for a TPM key'],
  ])('a password for another kind of key: %j', async (flags, refusal) => {
    const message = failure(await run([...keyArgs, ...flags, ...scenario.sessionFlags()]));
    expect(message).toBe(`${refusal}, not a key file: ${leaf.keyPath}`);
  });

  it('a password file for another kind of key is named as given', async () => {
    const file = scenario.workspace.write('tpm.password', 'x\n', 0o600);
    const message = failure(await run([...keyArgs, '--tpm-key-password-file', file, ...scenario.sessionFlags()]));
    expect(message).toBe(`--tpm-key-password-file is for a TPM key, not a key file: ${leaf.keyPath}`);
  });

  it('a key that does not match the certificate', async () => {
    const other = await scenario.leaf('other', { keyAlgorithm: 'ec-p256' });
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', other.keyPath, ...scenario.sessionFlags()]));
    expect(message).toBe(`private key does not match the certificate: ${other.keyPath} is not the key of ${leaf.certPath}`);
    const rsa = await scenario.leaf('other-rsa', { keyAlgorithm: 'rsa-2048' });
    const message2 = failure(await run(['--certificate', leaf.certPath, '--private-key', rsa.keyPath, ...scenario.sessionFlags()]));
    expect(message2).toBe(`private key does not match the certificate: ${rsa.keyPath} is not the key of ${leaf.certPath}`);
  });

  it('an expired certificate, saying when it expired', async () => {
    const expired = await scenario.leaf('expired', { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') });
    const message = failure(await run(['--certificate', expired.certPath, '--private-key', expired.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(new RegExp(`^certificate ${expired.certPath} expired at 2025-01-01T00:00:00Z, and this machine's clock reads \\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z$`));
    expect(scenario.emulator.rejections.length).toBe(0);
  });

  it('a certificate that is not valid yet', async () => {
    const future = await scenario.leaf('future', { notBefore: new Date('2099-01-01T00:00:00Z'), notAfter: new Date('2099-06-01T00:00:00Z') });
    const message = failure(await run(['--certificate', future.certPath, '--private-key', future.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(new RegExp(`^certificate ${future.certPath} is not valid until 2099-01-01T00:00:00Z, and this machine's clock reads \\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z$`));
  });

  it('refuses a certificate that starts more than 5 minutes ahead, unsent (QA17: a 50-minute leeway passed)', async () => {
    const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 6 * 60_000);
    const later = await scenario.leaf('starts-in-6-minutes', { notBefore: start, notAfter: new Date(start.getTime() + 86_400_000) });
    const rejections = scenario.emulator.rejections.length;
    const message = failure(await run(['--certificate', later.certPath, '--private-key', later.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(new RegExp(`^certificate ${later.certPath} is not valid until ${start.toISOString().replace('.000Z', 'Z')}, and this machine's clock reads \\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z$`));
    expect(scenario.emulator.rejections.length).toBe(rejections);
  });

  it("says how far this machine's clock is from the service's when the service finds the request's date too far from its own (QA17)", async () => {
    const ahead = await scenario.otherEmulator({ now: () => new Date(Date.now() + 20 * 60_000) });
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(ahead.url)]));
    expect(message).toMatch(
      /AccessDeniedException: Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\) \(this machine's clock is 20 min behind the service's, whose answer is dated \w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT: check its time synchronisation\)$/,
    );
  });

  it('sends a certificate that starts less than 5 minutes ahead of this clock (a CA whose clock runs ahead): the service judges it by its own (QA)', async () => {
    const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    const fresh = await scenario.leaf('just-issued', { notBefore: start, notAfter: new Date(start.getTime() + 86_400_000) });
    const ahead = await scenario.otherEmulator({ now: () => new Date(Date.now() + 120_000) });
    const result = await run(['--certificate', fresh.certPath, '--private-key', fresh.keyPath, ...scenario.sessionFlags(ahead.url)]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).AccessKeyId).toBe(ahead.issued[0]!.accessKeyId);
  });

  it('says, when the service refuses a certificate sent in the minutes before its start, that it may not take it yet (QA: no hint)', async () => {
    const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000);
    const early = await scenario.leaf('starts-in-2-minutes', { notBefore: start, notAfter: new Date(start.getTime() + 86_400_000) });
    const hint = new RegExp(
      ` \\(the certificate starts at ${start.toISOString().replace('.000Z', 'Z')}, in 1[012]\\d s by this clock: the service may not take it yet; try again then\\)$`,
    );
    const args = ['--certificate', early.certPath, '--private-key', early.keyPath, ...scenario.sessionFlags()];
    expect(failure(await run(args))).toMatch(new RegExp(`AccessDeniedException: Untrusted Signing Certificate: the end-entity certificate is not yet valid${hint.source}`));
    // The service's bare refusal, which would otherwise get the guess that intermediates are missing (review).
    const bare = await answering((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' }).end(JSON.stringify({ message: 'Untrusted Signing Certificate' }));
    });
    const disabled = await answering((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' }).end(JSON.stringify({ message: 'Profile is disabled' }));
    });
    const invalid = await answering((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ValidationException' }).end(JSON.stringify({ message: 'Invalid certificate chain' }));
    });
    try {
      expect(failure(await run([...args, '--endpoint', bare.url]))).toMatch(new RegExp(`AccessDeniedException: Untrusted Signing Certificate${hint.source}`));
      // A refusal that waiting would not mend gets no such advice: another 403, or another status naming the certificate (QA mutation testing).
      expect(failure(await run([...args, '--endpoint', disabled.url]))).toMatch(/AccessDeniedException: Profile is disabled$/);
      expect(failure(await run([...args, '--endpoint', invalid.url]))).toMatch(/ValidationException: Invalid certificate chain$/);
    } finally {
      await bare.close();
      await disabled.close();
      await invalid.close();
    }
  });

  it("says, when a service whose clock is behind refuses a certificate that has started by this clock, how far ahead of the service's clock it starts (QA time)", async () => {
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 30_000);
    const issued = await scenario.leaf('issued-by-a-fast-ca', { notBefore: start, notAfter: new Date(start.getTime() + 86_400_000) });
    const behind = await scenario.otherEmulator({ now: () => new Date(Date.now() - 180_000) });
    const message = failure(await run(['--certificate', issued.certPath, '--private-key', issued.keyPath, ...scenario.sessionFlags(behind.url)]));
    expect(message).toMatch(
      new RegExp(
        `AccessDeniedException: Untrusted Signing Certificate: the end-entity certificate is not yet valid \\(the certificate starts at ${start.toISOString().replace('.000Z', 'Z')}, ` +
          `1[45]\\d s ahead of the service's clock, whose answer is dated \\w{3}, \\d\\d \\w{3} \\d{4} [\\d:]{8} GMT: the service takes it from then \\(the clock of the CA that issued it may be ahead\\); try again then\\)$`,
      ),
    );
  });

  it("says, when a service whose clock is ahead refuses a certificate that has not ended by this clock, that it ended by the service's clock (QA time)", async () => {
    const end = new Date(Math.floor(Date.now() / 1000) * 1000 + 30_000);
    const ending = await scenario.leaf('ends-in-30-s', { notBefore: new Date(end.getTime() - 86_400_000), notAfter: end });
    const ahead = await scenario.otherEmulator({ now: () => new Date(Date.now() + 180_000) });
    const message = failure(await run(['--certificate', ending.certPath, '--private-key', ending.keyPath, ...scenario.sessionFlags(ahead.url)]));
    expect(message).toMatch(
      new RegExp(
        `AccessDeniedException: Untrusted Signing Certificate: the end-entity certificate has expired \\(the certificate ended at ${end.toISOString().replace('.000Z', 'Z')}, ` +
          `1[45]\\d s before the service's clock, whose answer is dated \\w{3}, \\d\\d \\w{3} \\d{4} [\\d:]{8} GMT: this machine's clock is behind the service's; renew the certificate\\)$`,
      ),
    );
  });

  it('a file that is not a key', async () => {
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', leaf.certPath, ...scenario.sessionFlags()]));
    expect(message).toBe(
      `unable to parse private key ${leaf.certPath}: no private key found (expected a PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block)`,
    );
    const junk = scenario.workspace.write('junk.bin', Buffer.from('not a key at all'));
    const message2 = failure(await run(['--certificate', leaf.certPath, '--private-key', junk, ...scenario.sessionFlags()]));
    expect(message2).toBe(`unable to parse private key ${junk}: not a private key (expected PEM, or DER PKCS#8, SEC1 or PKCS#1)`);
  });

  it('a certificate and key given the wrong way round', async () => {
    const message = failure(await run(['--certificate', leaf.keyPath, '--private-key', leaf.certPath, ...scenario.sessionFlags()]));
    expect(message).toBe(
      `the certificate and the private key look swapped: ${leaf.keyPath} holds a private key and ${leaf.certPath} a certificate; ` +
        'give the certificate with --certificate and the key with --private-key',
    );
  });

  it('a DER key given as the certificate, and the certificate as the key: said to look swapped, as PEM ones are', async () => {
    const der = scenario.workspace.write('swapped-key.der', openssl(['pkey', '-in', leaf.keyPath, '-outform', 'DER']), 0o600);
    const message = failure(await run(['--certificate', der, '--private-key', leaf.certPath, ...scenario.sessionFlags()]));
    expect(message).toBe(
      `the certificate and the private key look swapped: ${der} holds a private key and ${leaf.certPath} a certificate; ` +
        'give the certificate with --certificate and the key with --private-key',
    );
    const alone = failure(await run(['--certificate', der, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(alone).toBe(`could not parse certificate ${der}: it is a private key, not a certificate`);
  });

  it('a PKCS#12 file cut short is said to be one, damaged', async () => {
    const p12 = openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:']);
    const cut = scenario.workspace.write('cut.p12', p12.subarray(0, 600));
    for (const extra of [[], ['--pkcs12-password', 'x']]) {
      expect(failure(await run(['--certificate', cut, ...extra, ...scenario.sessionFlags()]))).toBe(
        `failed to read PKCS#12 file ${cut}: it is damaged or cut short (its DER does not parse)`,
      );
    }
  });

  it('a PKCS#12 file holding two private keys (two identities) is refused, not signed with either (coverage audit: never driven)', async () => {
    const other = await scenario.leaf('other', { keyAlgorithm: 'ec-p256' });
    const exported = (files: LeafFiles) => openssl(['pkcs12', '-export', '-nomac', '-inkey', files.keyPath, '-in', files.certPath, '-passout', 'pass:pw']);
    const [one, two] = [exported(leaf), exported(other)];
    // The file joinedPkcs12 writes of one identity works: the refusal below is of the second key.
    const single = scenario.workspace.write('single.p12', joinedPkcs12(one));
    const issued = scenario.emulator.issued.length;
    expect((await run(['--certificate', single, '--pkcs12-password', 'pw', ...scenario.sessionFlags()])).code).toBe(0);
    expect(scenario.emulator.issued.length).toBe(issued + 1);
    const both = scenario.workspace.write('both.p12', joinedPkcs12(one, two));
    expect(failure(await run(['--certificate', both, '--pkcs12-password', 'pw', ...scenario.sessionFlags()]))).toBe(
      `failed to read PKCS#12 file ${both}: it holds 2 private keys; one is expected`,
    );
    expect(scenario.emulator.issued.length).toBe(issued + 1);
  });

  it('a file that is not a certificate', async () => {
    const message = failure(await run(['--certificate', leaf.keyPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(message).toBe(`could not parse PEM data in ${leaf.keyPath}: no CERTIFICATE block found`);
    const junk = scenario.workspace.write('junk.der', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]));
    const message2 = failure(await run(['--certificate', junk, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(message2).toMatch(new RegExp(`^could not parse certificate ${junk}: `));
    const text = scenario.workspace.write('notes.txt', 'my certificate is elsewhere\n');
    const message3 = failure(await run(['--certificate', text, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(message3).toBe(`could not parse certificate ${text}: it is neither PEM (no "-----BEGIN" line) nor DER`);
  });

  it('a certificate for an EC key on a curve Roles Anywhere does not take (secp256k1), naming the curve', async () => {
    const key = scenario.workspace.write('k1-key.pem', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1']), 0o600);
    const cert = scenario.workspace.write('k1-cert.pem', openssl(['req', '-x509', '-key', key, '-subj', '/CN=k1', '-days', '1']));
    const message = failure(await run(['--certificate', cert, '--private-key', key, ...scenario.sessionFlags()]));
    expect(message).toBe(
      `unsupported key type in certificate ${cert} (an EC key on curve 1.3.132.0.10); Roles Anywhere accepts RSA of 2048 bits or more, EC P-256, P-384 or P-521, or ML-DSA`,
    );
  });

  it('a PKCS#12 file given with --private-key, or as --intermediates (named with its flag), or text as --intermediates', async () => {
    const p12 = scenario.workspace.write('given.p12', openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:']));
    const message = failure(await run(['--certificate', p12, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(message).toBe(`could not parse certificate ${p12}: it is a PKCS#12 file, which is read as --certificate without --private-key`);
    const chain = failure(await run([...keyArgs, '--intermediates', p12, ...scenario.sessionFlags()]));
    expect(chain).toBe(`could not parse certificate ${p12} (--intermediates): it is a PKCS#12 file, which is read as --certificate without --private-key`);
    // The same, PEM-armored as GnuTLS certtool writes it (review: 'it holds a PKCS12 block').
    const armored = scenario.workspace.write('given-p12.pem', `-----BEGIN PKCS12-----\n${readFileSync(p12).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PKCS12-----\n`);
    expect(failure(await run(['--certificate', armored, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]))).toBe(
      `could not parse certificate ${armored}: it is a PKCS#12 file, which is read as --certificate without --private-key`,
    );
    expect(failure(await run([...keyArgs, '--intermediates', armored, ...scenario.sessionFlags()]))).toBe(
      `could not parse certificate ${armored} (--intermediates): it is a PKCS#12 file, which is read as --certificate without --private-key`,
    );
    const text = scenario.workspace.write('chain.ext', 'hello\n');
    // As the key itself, DER or PEM-armored (QA pki: 'not a private key', of a file that holds one).
    for (const file of [p12, armored]) {
      expect(failure(await run(['--certificate', leaf.certPath, '--private-key', file, ...scenario.sessionFlags()]))).toBe(
        `unable to parse private key ${file}: it is a PKCS#12 file, which is read as --certificate without --private-key`,
      );
    }
    // DER certificates one after another, as `cat a.der b.der` makes them (QA pki: 'trailing data after DER').
    const der = (path: string) => Buffer.from(readFileSync(path, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const twoDer = scenario.workspace.write('two.der', Buffer.concat([der(leaf.certPath), der(scenario.workspace.path('root.pem'))]));
    expect(failure(await run([...keyArgs, '--intermediates', twoDer, ...scenario.sessionFlags()]))).toBe(
      `could not parse certificate ${twoDer} (--intermediates): it holds several DER certificates one after another; a bundle must be PEM (\`openssl x509 -inform DER\` converts each)`,
    );
    const trailing = scenario.workspace.write('trailing.der', Buffer.concat([der(leaf.certPath), Buffer.from('XYZ')]));
    expect(failure(await run([...keyArgs, '--intermediates', trailing, ...scenario.sessionFlags()]))).toBe(
      `could not parse certificate ${trailing} (--intermediates): trailing data after DER`,
    );
    const junk = failure(await run([...keyArgs, '--intermediates', text, ...scenario.sessionFlags()]));
    expect(junk).toBe(`could not parse certificate ${text} (--intermediates): it is neither PEM (no "-----BEGIN" line) nor DER`);
  });

  it('a certificate file with no key, given alone', async () => {
    const message = failure(await run(['--certificate', leaf.certPath, ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to parse private key: ${leaf.certPath} holds no private key; give the key with --private-key`);
  });

  it('a file given alone that is no certificate either is named for that, a PKCS#12 password or not (QA pki: "holds no private key", "not a key file")', async () => {
    const empty = scenario.workspace.write('alone-empty.p12', '');
    const text = scenario.workspace.write('alone.txt', 'hello\n');
    const rejections = scenario.emulator.rejections.length;
    for (const password of [[], ['--pkcs12-password', 'x']]) {
      expect(failure(await run(['--certificate', empty, ...password, ...scenario.sessionFlags()]))).toBe(`could not parse certificate ${empty}: it is empty`);
      expect(failure(await run(['--certificate', text, ...password, ...scenario.sessionFlags()]))).toBe(
        `could not parse certificate ${text}: it is neither PEM (no "-----BEGIN" line) nor DER`,
      );
    }
    // A certificate without its key, given with a PKCS#12 password: the key is what it lacks, it is no key file.
    expect(failure(await run(['--certificate', leaf.certPath, '--pkcs12-password', 'x', ...scenario.sessionFlags()]))).toBe(
      `unable to parse private key: ${leaf.certPath} holds no private key; give the key with --private-key`,
    );
    expect(readFileSync(text, 'utf8')).toBe('hello\n');
    expect(readFileSync(empty).length).toBe(0);
    expect(scenario.emulator.rejections.length).toBe(rejections);
  });

  it('a key without a certificate', async () => {
    const message = failure(await run(['--private-key', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(message).toBe(`undefined certificate value: --private-key ${leaf.keyPath} needs --certificate`);
    const fromStdin = await runCli(['credential-process', '--private-key', '-', ...scenario.sessionFlags()], { input: readFileSync(leaf.keyPath) });
    expect(failure(fromStdin)).toBe('undefined certificate value: --private-key needs --certificate');
  });

  it('neither certificate nor key (the OS certificate store, which Linux does not have)', async () => {
    const message = failure(await run(scenario.sessionFlags()));
    expect(message).toBe('unable to use cert store signer on linux: give the certificate and key with --certificate and --private-key (files, pkcs11: URIs or TPM keys)');
    // read-certificate-data takes no key (QA: it was told to give --private-key, which it refuses).
    const read = await runCli(['read-certificate-data']);
    expect(read.stdout).toBe('');
    expect(failure(read)).toBe('unable to use cert store signer on linux: give the certificate with --certificate (a file or a pkcs11: URI)');
  });

  it('a PKCS#12 file with the wrong password', async () => {
    const p12 = scenario.workspace.write('pw.p12', openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:right']));
    const message = failure(await run(['--certificate', p12, '--pkcs12-password', 'wrong', ...scenario.sessionFlags()]));
    expect(message).toBe(`failed to read PKCS#12 file ${p12}: wrong password (given with --pkcs12-password)`);
    const message2 = failure(await run(['--certificate', p12, ...scenario.sessionFlags()]));
    expect(message2).toBe(`failed to read PKCS#12 file ${p12}: it is protected by a password (give it with --pkcs12-password-file, --pkcs12-password or AWS_ROLESANYWHERE_PKCS12_PASSWORD)`);
  });

  it('a PKCS#12 password for a file that takes none (no MAC, nothing encrypted: any password would open it)', async () => {
    const p12 = scenario.workspace.write(
      'unprotected.p12',
      openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:', '-keypbe', 'NONE', '-certpbe', 'NONE', '-nomac']),
    );
    const message = failure(await run(['--certificate', p12, '--pkcs12-password', 'anything', ...scenario.sessionFlags()]));
    expect(message).toBe(`failed to read PKCS#12 file ${p12}: a PKCS#12 password was given but the file is not protected by one`);
  });

  it('--intermediates with a PKCS#12 file', async () => {
    const p12 = scenario.workspace.write('plain.p12', openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:']));
    const message = failure(await run(['--certificate', p12, '--intermediates', leaf.certPath, ...scenario.sessionFlags()]));
    expect(message).toBe("can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file");
  });

  it('an --intermediates file holding something else than certificates', async () => {
    const message = failure(await run([...keyArgs, '--intermediates', leaf.keyPath, ...scenario.sessionFlags()]));
    expect(message).toBe(`invalid certificate chain ${leaf.keyPath} (--intermediates): it holds a PRIVATE KEY block`);
  });

  it('a PKCS#7 bundle (.p7b: a Windows CA\'s chain, openssl crl2pkcs7) as --intermediates or --certificate, PEM or DER, says how to convert it (QA: "incomplete Certificate")', async () => {
    const p7b = (outform: string) => openssl(['crl2pkcs7', '-nocrl', '-certfile', leaf.certPath, '-outform', outform]);
    const [pem, der] = [scenario.workspace.write('chain.p7b', p7b('PEM')), scenario.workspace.write('chain.p7b.der', p7b('DER'))];
    const advice = "it is a PKCS#7 bundle (.p7b), not certificates: write them out as PEM with `openssl pkcs7 -print_certs` (-inform DER if binary)";
    expect(failure(await run([...keyArgs, '--intermediates', pem, ...scenario.sessionFlags()]))).toBe(`invalid certificate chain ${pem} (--intermediates): ${advice}`);
    expect(failure(await run([...keyArgs, '--intermediates', der, ...scenario.sessionFlags()]))).toBe(`could not parse certificate ${der} (--intermediates): ${advice}`);
    for (const certificate of [pem, der]) {
      expect(failure(await run(['--certificate', certificate, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]))).toBe(`could not parse certificate ${certificate}: ${advice}`);
    }
  });

  it('an RSA key under 1024 bits (OpenSSL failed SHA-512 over it as an internal error)', async () => {
    const key = scenario.workspace.write('rsa512.pem', openssl(['genpkey', '-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:512']));
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', key, ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to parse private key ${key}: 512-bit RSA keys are insecure (1024 bits at least)`);
  });

  it('an RSA key under 2048 bits, which Roles Anywhere refuses: said before sending (the reference sends it, and gets an opaque 403)', async () => {
    const rsa1024 = await scenario.leaf('rsa-1024', { keyAlgorithm: 'rsa-1024' });
    const front = await relaying(scenario.emulator.url);
    try {
      const message = failure(await run(['--certificate', rsa1024.certPath, '--private-key', rsa1024.keyPath, ...scenario.sessionFlags(front.url)]));
      expect(message).toBe(`certificate ${rsa1024.certPath} has an RSA key of 1024 bits: Roles Anywhere accepts RSA keys of 2048 bits or more`);
      expect(front.hits()).toBe(0);
    } finally {
      await front.close();
    }
  });

  it('an unsupported key type (Ed25519)', async () => {
    const ed = openssl(['genpkey', '-algorithm', 'ed25519']);
    const key = scenario.workspace.write('ed.pem', ed);
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', key, ...scenario.sessionFlags()]));
    expect(message).toBe(`unable to parse private key ${key}: unsupported key type ed25519 (RSA, EC and ML-DSA keys are supported)`);
  });
});

describe('credential-process reports what the service refused', () => {
  it('a revoked certificate', async () => {
    const revoked = await scenario.leaf('revoked');
    scenario.emulator.revoke(revoked.certificate.serialNumberHex);
    const message = failure(await run(['--certificate', revoked.certPath, '--private-key', revoked.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(
      /^operation error RolesAnywhere: CreateSession, http response error StatusCode: 403, RequestID: [0-9a-f-]{36}, AccessDeniedException: Untrusted Signing Certificate: certificate serial [0-9a-f]+ has been revoked$/,
    );
  });

  it('a certificate from a CA the trust anchor does not trust', async () => {
    const otherCa = await CertificateAuthority.create({ subject: 'CN=Some Other CA' });
    const stranger = await scenario.leaf('stranger', {}, otherCa);
    const message = failure(await run(['--certificate', stranger.certPath, '--private-key', stranger.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(/StatusCode: 403, .*AccessDeniedException: Untrusted Signing Certificate: the certificate was not issued by the trust anchor or a sent intermediate \(no intermediate certificates were sent: if an intermediate CA issued the certificate, give the chain with --intermediates\)$/);
  });

  it("a chain too long for the endpoint's headers (a CA bundle given as --intermediates), said as such (QA: \"431 … UnknownError: the answer is empty\")", async () => {
    const bundle = scenario.workspace.write('ca-bundle.pem', readFileSync(scenario.workspace.path('root.pem'), 'utf8').repeat(60));
    const message = failure(await run([...keyArgs, '--intermediates', bundle, ...scenario.sessionFlags()]));
    expect(message).toBe(
      'operation error RolesAnywhere: CreateSession, http response error StatusCode: 431, RequestID: , api error UnknownError: the answer is empty ' +
        "(the request's headers were too large: its X-Amz-X509-Chain holds 60 certificates, where Roles Anywhere takes at most 5: " +
        'give --intermediates only the CAs between the certificate and the trust anchor)',
    );
  });

  it("a certificate too large for the endpoint's headers (400 DNS names) says how large, and the emulator logs its refusal (QA: a bare 431, nothing logged)", async () => {
    const dns = Array.from({ length: 400 }, (_, i) => `host-${i}.a-rather-long-subdomain.example.com`);
    const large = await scenario.leaf('many-names', { subjectAltNames: { dns } });
    const base64 = Math.ceil(large.certificate.der.byteLength / 3) * 4;
    const refused = scenario.emulator.rejections.length;
    const message = failure(await run(['--certificate', large.certPath, '--private-key', large.keyPath, ...scenario.sessionFlags()]));
    expect(message).toBe(
      'operation error RolesAnywhere: CreateSession, http response error StatusCode: 431, RequestID: , api error UnknownError: the answer is empty ' +
        `(the request's headers were too large for the endpoint: the certificate takes ${base64} bytes of them, in base64)`,
    );
    expect(scenario.emulator.rejections.slice(refused)).toEqual([
      { operation: 'a request', status: 431, code: 'RequestHeaderFieldsTooLarge', message: "the request's headers are larger than Node's limit of 16 KiB" },
    ]);
  });

  it('a self-signed certificate the trust anchor does not hold: no hint about intermediates, which it has none of (QA: the exemption went untested)', async () => {
    const keyPath = scenario.workspace.write('self-signed-key.pem', pkcs8Pem(generateKey('ec-p256')));
    const certPath = scenario.workspace.path('self-signed-cert.pem');
    openssl(['req', '-x509', '-new', '-key', keyPath, '-out', certPath, '-subj', '/CN=Self Signed', '-days', '2', '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'basicConstraints=critical,CA:FALSE']);
    const message = failure(await run(['--certificate', certPath, '--private-key', keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(/AccessDeniedException: Untrusted Signing Certificate: the certificate was not issued by the trust anchor or a sent intermediate$/);
  });

  it('a chain that is not sent (the intermediate is missing)', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Unsent Intermediate' });
    const chained = await scenario.leaf('unsent-chain', {}, intermediate);
    const message = failure(await run(['--certificate', chained.certPath, '--private-key', chained.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(/AccessDeniedException: Untrusted Signing Certificate: the certificate was not issued by the trust anchor or a sent intermediate \(no intermediate certificates were sent: if an intermediate CA issued the certificate, give the chain with --intermediates\)$/);
    // The service's own refusal is bare, without the emulator's reason (mutation sweep: a hint only for the emulator's words passed every test).
    const bare = await answering((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' }).end(JSON.stringify({ message: 'Untrusted Signing Certificate' }));
    });
    try {
      const args = ['--certificate', chained.certPath, '--private-key', chained.keyPath, ...scenario.sessionFlags(), '--endpoint', bare.url];
      expect(failure(await run(args))).toMatch(/AccessDeniedException: Untrusted Signing Certificate \(no intermediate certificates were sent: if an intermediate CA issued the certificate, give the chain with --intermediates\)$/);
    } finally {
      await bare.close();
    }
  });

  it("a chain held in the certificate's own file, which is not sent as the reference sends none of it: the hint says so (QA: cert-manager's tls.crt, SPIRE's svid.0.pem)", async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Intermediate In The File' });
    const chained = await scenario.leaf('chain-in-file', {}, intermediate);
    const full = scenario.workspace.write('tls.crt', readFileSync(chained.certPath, 'utf8') + intermediate.certificate.pem);
    const message = failure(await run(['--certificate', full, '--private-key', chained.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(
      /Untrusted Signing Certificate: the certificate was not issued by the trust anchor or a sent intermediate \(no intermediate certificates were sent: the certificate file holds 1 more certificate after the first, which --certificate does not send: give the file as --intermediates too\)$/,
    );
    expect((await run(['--certificate', full, '--private-key', chained.keyPath, '--intermediates', full, ...scenario.sessionFlags()])).code).toBe(0);
  });

  it('the same with the chain sent: no hint about the chain', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Sent Intermediate Of Another CA' });
    const otherRoot = await CertificateAuthority.create({ subject: 'CN=Untrusted Root' });
    const otherIntermediate = await otherRoot.issueIntermediate({ subject: 'CN=Untrusted Intermediate' });
    const chained = await scenario.leaf('sent-chain-untrusted', {}, otherIntermediate);
    const chain = scenario.workspace.write('untrusted-chain.pem', otherIntermediate.certificate.pem + intermediate.certificate.pem);
    const message = failure(await run(['--certificate', chained.certPath, '--private-key', chained.keyPath, '--intermediates', chain, ...scenario.sessionFlags()]));
    expect(message).toMatch(/AccessDeniedException: Untrusted Signing Certificate: the chain does not lead to the trust anchor$/);
  });

  it('a SHA-1 signed certificate', async () => {
    const weak = await scenario.leaf('sha1', { signatureHash: 'SHA-1' });
    const message = failure(await run(['--certificate', weak.certPath, '--private-key', weak.keyPath, ...scenario.sessionFlags()]));
    expect(message).toMatch(/AccessDeniedException: Untrusted Signing Certificate: the end-entity certificate is signed with SHA-1$/);
  });

  it('a role the profile does not allow', async () => {
    const message = failure(await run([...keyArgs, ...scenario.sessionFlags(), '--role-arn', 'arn:aws:iam::123456789012:role/other']));
    expect(message).toMatch(/StatusCode: 403, .*AccessDeniedException: Unable to assume role arn:aws:iam::123456789012:role\/other: it is not in the profile$/);
  });

  it('an unknown profile', async () => {
    const profile = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/00000000-0000-0000-0000-000000000000';
    const message = failure(await run([...keyArgs, ...scenario.sessionFlags(), '--profile-arn', profile]));
    expect(message).toMatch(new RegExp(`StatusCode: 404, .*ResourceNotFoundException: Profile ${profile} not found$`));
  });
});

describe('credential-process checks its flags', () => {
  const cases: [string, string[], string][] = [
    ['a malformed trust anchor ARN', ['--trust-anchor-arn', 'foo'], 'failed to parse trust anchor arn "foo": arn: invalid prefix'],
    ['a truncated profile ARN', ['--profile-arn', 'arn:aws:rolesanywhere:us-east-1'], 'failed to parse profile arn "arn:aws:rolesanywhere:us-east-1": arn: not enough sections'],
    [
      'a role ARN that is not a role',
      ['--role-arn', 'arn:aws:iam::123456789012:user/bob'],
      'failed to parse role arn "arn:aws:iam::123456789012:user/bob": not a role ARN (expected arn:<partition>:iam::<account>:role/<id>)',
    ],
    [
      'a profile ARN given as the trust anchor',
      ['--trust-anchor-arn', ARNS.profileArn],
      `failed to parse trust anchor arn "${ARNS.profileArn}": not a trust anchor ARN (expected arn:<partition>:rolesanywhere:<region>:<account>:trust-anchor/<id>)`,
    ],
    [
      'trust anchor and profile in different regions',
      ['--profile-arn', ARNS.profileArn.replace('us-east-1', 'eu-west-1')],
      'trust anchor and profile regions don\'t match: the trust anchor is in "us-east-1", the profile in "eu-west-1"',
    ],
    ['a session duration below 900', ['--session-duration', '899'], 'invalid --session-duration 899: it must be a whole number of seconds between 900 and 43200'],
    ['a session duration above 43200', ['--session-duration', '43201'], 'invalid --session-duration 43201: it must be a whole number of seconds between 900 and 43200'],
    ['a role session name with a space', ['--role-session-name', 'my session'], 'invalid --role-session-name "my session": it must be 2 to 64 characters from ASCII letters, digits and +=,.@_-'],
    ['an endpoint that is not a URL', ['--endpoint', 'localhost:9'], 'invalid --endpoint "localhost:9": the scheme must be https or http'],
  ];
  it.each(cases)('%s', async (_name, override, expected) => {
    const flags = [...keyArgs, ...scenario.sessionFlags(), ...override];
    expect(failure(await run(flags))).toBe(expected);
    expect(scenario.emulator.rejections.every((r) => r.code !== 'ValidationException')).toBe(true);
  });

  it('a missing role ARN', async () => {
    const flags = ['--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--endpoint', scenario.emulator.url, ...keyArgs];
    expect(failure(await run(flags))).toBe('no role ARN given: use --role-arn');
  });

  it('several missing ARNs, named together', async () => {
    expect(failure(await run(['--endpoint', scenario.emulator.url, ...keyArgs]))).toBe(
      'no trust anchor, profile or role ARN given: use --trust-anchor-arn, --profile-arn and --role-arn',
    );
  });

  it.each([
    [['--session-duration', 'abc'], 'invalid argument "abc" for "--session-duration" flag: strconv.ParseInt: parsing "abc": invalid syntax (see aws_signing_helper credential-process --help)'],
    [['--session-duration', '09'], 'invalid argument "09" for "--session-duration" flag: strconv.ParseInt: parsing "09": invalid syntax (see aws_signing_helper credential-process --help)'],
    [['--bogus'], 'unknown flag: --bogus (see aws_signing_helper credential-process --help)'],
    [['--port', '1'], 'unknown flag: --port (see aws_signing_helper credential-process --help)'],
    [['--role-arn'], 'flag needs an argument: --role-arn (see aws_signing_helper credential-process --help)'],
    [['--debug=maybe'], 'invalid argument "maybe" for "--debug" flag: strconv.ParseBool: parsing "maybe": invalid syntax (see aws_signing_helper credential-process --help)'],
    [
      ['--certificate', 'x', '--cert-selector', 'Key=x509Subject,Value=CN=x'],
      'if any flags in the group [certificate cert-selector] are set none of the others can be; [cert-selector certificate] were all set (see aws_signing_helper credential-process --help)',
    ],
    [
      ['--pkcs8-password', 'a', '--tpm-key-password', 'b'],
      'if any flags in the group [pkcs8-password tpm-key-password] are set none of the others can be; [pkcs8-password tpm-key-password] were all set (see aws_signing_helper credential-process --help)',
    ],
    [
      ['--no-tpm-key-password=false', '--tpm-key-password', 'b'],
      'if any flags in the group [no-tpm-key-password tpm-key-password] are set none of the others can be; [no-tpm-key-password tpm-key-password] were all set (see aws_signing_helper credential-process --help)',
    ],
  ])('rejects %j', async (args, expected) => {
    expect(failure(await run(args))).toBe(expected);
  });

  it('an unknown command, with the nearest one suggested as cobra does', async () => {
    const result = await runCli(['credential-procss']);
    expect(failure(result)).toBe('unknown command "credential-procss" for "aws_signing_helper"; did you mean "credential-process"? (see aws_signing_helper --help)');
  });

  it('an unknown command that a command name begins, with none suggested, as cobra does', async () => {
    const result = await runCli(['credential-processes-all']);
    expect(failure(result)).toBe('unknown command "credential-processes-all" for "aws_signing_helper" (see aws_signing_helper --help)');
  });

  it('an unknown command that begins command names, all suggested as cobra does', async () => {
    const result = await runCli(['c']);
    expect(failure(result)).toBe('unknown command "c" for "aws_signing_helper"; did you mean "credential-process" or "cache" or "check" or "completion"? (see aws_signing_helper --help)');
  });

  it("stray arguments: the reference's commands ignore them, as it does, with a warning; the new ones that take none refuse them (QA)", async () => {
    // `--role-session-name my session` ran as session name "my", without a word (QA).
    const result = await run([...keyArgs, ...scenario.sessionFlags(), 'extra', '--', '--session-duration', '900']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).AccessKeyId).toBeDefined();
    expect(result.stderr).toMatch(/^\S+ \S+ warning: ignoring what is not a flag: "extra --session-duration 900" \(a value holding spaces must be quoted\)\n$/);
    // `emulator ca.pem`, meant as --trust-anchor-certificate ca.pem, started an emulator with nothing in it.
    expect(failure(await runCli(['emulator', 'ca.pem'], { timeoutMs: 10_000 }))).toBe('emulator takes no arguments, only flags (got "ca.pem") (see aws_signing_helper emulator --help)');
    expect(failure(await runCli(['check', leaf.certPath, 'extra']))).toBe(`check takes no arguments, only flags (got "${leaf.certPath} extra") (see aws_signing_helper check --help)`);
  });

  it('flags a line break hid from the parser are named: a credential_process over lines ending in \\, as botocore splits it (aws_signing_helper issue #151, QA)', async () => {
    // ~/.aws/config: `credential_process = aws_signing_helper credential-process \` and indented lines of flags.
    const result = await run(['\n--certificate', leaf.certPath, '\n--private-key', leaf.keyPath, ...scenario.sessionFlags()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '(--certificate and --private-key were not read as flags, as a line break or a blank comes first in their arguments: ' +
        'write the command on one line, without \\ at line ends (a credential_process of ~/.aws/config too))\n',
    );
  });

  it('stray arguments that may be the rest of a secret are not quoted: a password with a space, unquoted in a credential_process line (QA)', async () => {
    const result = await run([...keyArgs, ...scenario.sessionFlags(), '--pkcs8-password', 'Canary', 'SpacedTail', '\u2014pkcs8-password=CanaryDash']);
    expect(result.stderr).not.toMatch(/Canary|SpacedTail/);
    expect(result.stderr).toContain('warning: ignoring what is not a flag: "*** ***" (a value holding spaces must be quoted)\n');
    expect(failure(await runCli(['check', '--certificate', leaf.certPath, '--pkcs8-password', 'Canary', 'SpacedTail']))).toBe(
      'check takes no arguments, only flags (got "***") (see aws_signing_helper check --help)',
    );
    expect(failure(await runCli(['check', '--certificate', leaf.certPath, '\u2014pkcs8-password=CanaryDash']))).toBe(
      'check takes no arguments, only flags (got "\u2014pkcs8-password=***") (see aws_signing_helper check --help)',
    );
  });

  it("a flag that takes the next flag as its value, when that flag's value is a secret: shown nowhere, the run refused or failing on the value taken (review)", async () => {
    // `--profile-arn $PROFILE_ARN --pkcs8-password=…` with PROFILE_ARN unset: the ARN error quoted the password.
    const withoutProfile = scenario.sessionFlags().filter((arg, i, all) => arg !== '--profile-arn' && all[i - 1] !== '--profile-arn');
    const refused = await run([...keyArgs, ...withoutProfile, '--profile-arn', '--pkcs8-password=CanaryEquals']);
    expect(failure(refused)).toBe(
      '--profile-arn took "--pkcs8-password=***" as its value, as pflag does, with a secret in it: the value meant for --profile-arn is missing (an empty variable left unquoted?) (see aws_signing_helper credential-process --help)',
    );
    expect(refused.stderr).not.toContain('Canary');
    // A pkcs11: URI's PIN, its flag taken with it, or left a word of its own.
    const uri = 'pkcs11:token=t;object=k?pin-value=CanaryPin';
    const withUri = await run(['--certificate', `--private-key=${uri}`, ...scenario.sessionFlags()]);
    expect(failure(withUri)).toMatch(/^--certificate took "--private-key=pkcs11:token=t;object=k\?pin-value=\*\*\*" as its value, as pflag does, with a secret in it/);
    const worded = await run(['--certificate', '--private-key', uri, 'Tail', ...scenario.sessionFlags()]);
    // With warnings before it: its last line is the error.
    const lastLine = (result: CliResult) => {
      expect(result).toMatchObject({ code: 1, stdout: '' });
      return result.stderr.trimEnd().split('\n').at(-1)!.replace(/^\S+ \S+ /, '');
    };
    expect(lastLine(worded)).toMatch(/^unable to read certificate --private-key: no such file or directory/);
    expect(worded.stderr).toContain('warning: ignoring what is not a flag: "pkcs11:token=t;object=k?pin-value=*** ***" (a value holding spaces must be quoted)\n');
    // A password flag's name taken: its value is a word passed over, not quoted.
    const named = await run([...keyArgs, ...withoutProfile, '--profile-arn', '--pkcs8-password', 'CanarySpaced']);
    expect(lastLine(named)).toBe('failed to parse profile arn "--pkcs8-password": arn: invalid prefix');
    expect(named.stderr).toContain('warning: ignoring what is not a flag: "***" (a value holding spaces must be quoted)\n');
    for (const result of [withUri, worded, named]) expect(result.stderr).not.toContain('Canary');
  });

  it('an integer with a leading 0: read as octal, as the reference reads it, with a warning (QA)', async () => {
    const result = await run([...keyArgs, ...scenario.sessionFlags(), '--session-duration', '01750']);
    expect(result.code).toBe(0);
    const left = new Date(JSON.parse(result.stdout).Expiration).getTime() - Date.now();
    expect(Math.round(left / 60_000)).toBe(17); // 1000 s
    expect(result.stderr).toMatch(/^\S+ \S+ warning: --session-duration 01750 is read as octal, as Go reads a leading 0: 1000\n$/);
  });

  it('an unknown command near none', async () => {
    const result = await runCli(['fetch']);
    expect(failure(result)).toBe('unknown command "fetch" for "aws_signing_helper" (see aws_signing_helper --help)');
  });
});

describe('flags before the command name, as cobra finds the command among them', () => {
  it('a flag and its value first, then the command and the other flags', async () => {
    const [certificateFlag, certificate, ...otherKeyArgs] = keyArgs;
    const before = scenario.emulator.issued.length;
    const result = await runCli([certificateFlag!, certificate!, 'credential-process', ...otherKeyArgs, ...scenario.sessionFlags()]);
    expect(result.stderr).toBe('');
    expect(scenario.emulator.issued.length).toBe(before + 1);
    expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  });

  it('an empty argument or a lone - before the command is passed over, and -- first is the root help, as cobra has them (QA)', async () => {
    const version = (await runCli(['version'])).stdout;
    for (const first of ['', '-']) expect(await runCli([first, 'version'])).toMatchObject({ code: 0, stdout: version, stderr: '' });
    const root = await runCli(['--', 'credential-process']);
    expect(root).toMatchObject({ code: 0, stderr: '' });
    expect(root.stdout).toBe((await runCli(['--help'])).stdout);
  });

  it('a flag with no command after it is still an unknown flag, as it is to cobra', async () => {
    expect(failure(await runCli(['--debug']))).toBe('unknown flag: --debug (see aws_signing_helper --help)');
    expect(failure(await runCli(['--bogus', 'x']))).toBe('unknown flag: --bogus (see aws_signing_helper --help)');
    // The root's flags as pflag reads them (QA: drop-in): shorthand letters one by one, help the only one.
    expect(failure(await runCli(['-x']))).toBe("unknown shorthand flag: 'x' in -x (see aws_signing_helper --help)");
    // Every flag is read before help is shown, as pflag does (QA: `-h -x` printed help).
    expect(failure(await runCli(['-h', '-x']))).toBe("unknown shorthand flag: 'x' in -x (see aws_signing_helper --help)");
    expect(failure(await runCli(['---debug']))).toBe('bad flag syntax: ---debug (see aws_signing_helper --help)');
    const help = await runCli(['-hh']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toBe((await runCli(['--help'])).stdout);
  });
});

describe('credential-process when the endpoint misbehaves', () => {
  it('refuses connections: retried, then reported', async () => {
    const url = await refusing();
    const started = Date.now();
    const message = failure(await run([...keyArgs, ...scenario.sessionFlags(url)]));
    expect(message).toMatch(
      new RegExp(`^operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 3, request send failed, Post "${url}/sessions\\?profileArn=[^"]+": connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('answers 500: retried three times, then the status and the service message', async () => {
    const endpoint = await answering((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-500' });
      res.end('{"message":"boom"}');
    });
    try {
      const message = failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]));
      expect(message).toBe(
        'operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 3, http response error StatusCode: 500, RequestID: req-500, api error UnknownError: boom',
      );
      expect(endpoint.hits()).toBe(3);
    } finally {
      await endpoint.close();
    }
  });

  it('throttles (429 ThrottlingException): retried, with AWS_MAX_ATTEMPTS honoured', async () => {
    const endpoint = await answering((_req, res) => {
      res.writeHead(429, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ThrottlingException:http://internal' });
      res.end('{"message":"Rate exceeded"}');
    });
    try {
      const message = failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)], { AWS_MAX_ATTEMPTS: '2' }));
      expect(message).toBe(
        'operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 2, http response error StatusCode: 429, RequestID: , api error ThrottlingException: Rate exceeded',
      );
      expect(endpoint.hits()).toBe(2);
    } finally {
      await endpoint.close();
    }
  });

  it("refuses with control characters in its message: written out, so that they cannot overwrite the error line", async () => {
    const endpoint = await answering((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' });
      res.end(JSON.stringify({ message: 'Untrusted signing certificate\r\x1b[32mOK: credentials issued\x1b[0m\x07' }));
    });
    try {
      const result = await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]);
      expect(failure(result)).toBe(
        'operation error RolesAnywhere: CreateSession, http response error StatusCode: 403, RequestID: , AccessDeniedException: Untrusted signing certificate\\x0d\\x1b[32mOK: credentials issued\\x1b[0m\\x07',
      );
      expect(result.stderr).not.toMatch(/[\0-\x09\x0b-\x1f\x7f-\x9f]/);
    } finally {
      await endpoint.close();
    }
  });

  it('answers garbage with a 201: not retried, reported as such', async () => {
    const endpoint = await answering((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end('<html>hello</html>');
    });
    try {
      const message = failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]));
      expect(message).toBe(
        "operation error RolesAnywhere: CreateSession, http response error StatusCode: 201, RequestID: , the response body is not JSON: the answer is not Roles Anywhere's " +
          '(Content-Type application/json): <html>hello</html>',
      );
      expect(endpoint.hits()).toBe(1);
    } finally {
      await endpoint.close();
    }
  });

  it("answers with a firewall's page or a redirect: what it says of itself, not UnknownError: UnknownError (QA)", async () => {
    const endpoint = await answering((req, res) => {
      if (req.url!.startsWith('/moved')) {
        res.writeHead(302, { Location: 'https://guest:s3cret@portal.example/login', 'Content-Type': 'text/html' });
        res.end();
        return;
      }
      res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><head><title>Access Denied</title></head>\n<body>Blocked by corporate firewall</body></html>');
    });
    try {
      const blocked = failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]));
      expect(blocked).toBe(
        "operation error RolesAnywhere: CreateSession, http response error StatusCode: 403, RequestID: , api error UnknownError: the answer is not Roles Anywhere's " +
          '(Content-Type text/html; charset=utf-8): <html><head><title>Access Denied</title></head> <body>Blocked by corporate firewall</body></html>',
      );
      const moved = failure(await run([...keyArgs, ...scenario.sessionFlags(`${endpoint.url}/moved`)]));
      expect(moved).toBe(
        "operation error RolesAnywhere: CreateSession, http response error StatusCode: 302, RequestID: , api error UnknownError: the answer is not Roles Anywhere's " +
          '(a redirect to https://***@portal.example/login, Content-Type text/html)',
      );
      // --debug logs the answer's Content-Type and Location, the latter without user info (review).
      const debug = await run([...keyArgs, ...scenario.sessionFlags(`${endpoint.url}/moved`), '--debug']);
      expect(debug.stderr).toMatch(/\n\S+ \S+ {3}content-type: text\/html\n\S+ \S+ {3}location: https:\/\/\*\*\*@portal\.example\/login\n/);
      expect(debug.stderr).not.toContain('s3cret');
    } finally {
      await endpoint.close();
    }
  });

  it('answers 400 with an empty body, or with JSON holding no message: says which, not UnknownError: UnknownError', async () => {
    const endpoint = await answering((req, res) => {
      res.writeHead(400, req.url!.startsWith('/json') ? { 'Content-Type': 'application/json' } : {});
      res.end(req.url!.startsWith('/json') ? '{"error":true}' : '');
    });
    try {
      expect(failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]))).toBe('operation error RolesAnywhere: CreateSession, http response error StatusCode: 400, RequestID: , api error UnknownError: the answer is empty');
      expect(failure(await run([...keyArgs, ...scenario.sessionFlags(`${endpoint.url}/json`)]))).toBe(
        'operation error RolesAnywhere: CreateSession, http response error StatusCode: 400, RequestID: , api error UnknownError: the answer gives no message',
      );
    } finally {
      await endpoint.close();
    }
  });

  it('answers 201 with credentials missing a field: an error, not a crash', async () => {
    const endpoint = await answering((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ credentialSet: [{ credentials: { accessKeyId: 'AKIA', secretAccessKey: 's', expiration: '2030-01-01T00:00:00Z' } }] }));
    });
    try {
      const message = failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]));
      expect(message).toBe("operation error RolesAnywhere: CreateSession, http response error StatusCode: 201, RequestID: , the response's credentials have no sessionToken");
    } finally {
      await endpoint.close();
    }
  });

  it('answers credentials that have already expired (a clock far off): refused as update and serve refuse them, with --cache too, and nothing cached (QA)', async () => {
    const endpoint = await answering((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ credentialSet: [{ credentials: { accessKeyId: 'ASIAOLD', secretAccessKey: 's', sessionToken: 't', expiration: '2020-01-01T00:00:00Z' } }] }));
    });
    const cacheDir = scenario.workspace.path('expired-cache');
    try {
      for (const extra of [[], ['--cache']]) {
        const result = await run([...keyArgs, ...scenario.sessionFlags(endpoint.url), ...extra], { ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir });
        expect(failure(result)).toMatch(/^the credentials obtained expired at 2020-01-01T00:00:00Z, before they could be used: this machine's clock reads \d{4}-\d\d-\d\dT[\d:]{8}Z$/);
      }
      const files = existsSync(cacheDir) ? readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()) : [];
      for (const file of files) expect(readFileSync(join(file.parentPath, file.name), 'utf8')).not.toContain('ASIAOLD');
    } finally {
      await endpoint.close();
    }
  });

  it('answers something that is not HTTP: not retried, reported as such', async () => {
    const endpoint = await speaking('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    try {
      const message = failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]));
      expect(message).toMatch(/^operation error RolesAnywhere: CreateSession, request send failed, Post "http:\/\/127\.0\.0\.1:\d+\/sessions\?[^"]+": not an HTTP\/1\.1 response: "SSH-2\.0-OpenSSH_9\.6"$/);
      expect(endpoint.hits()).toBe(1);
    } finally {
      await endpoint.close();
    }
  });

  it('closes the connection in the middle of the response: retried, then reported', async () => {
    const endpoint = await speaking('HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{"credentialSet":[');
    try {
      const message = failure(await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)]));
      expect(message).toMatch(/^operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 3, request send failed, Post "http:\/\/127\.0\.0\.1:\d+\/sessions\?[^"]+": the connection closed before the whole response arrived$/);
      expect(endpoint.hits()).toBe(3);
    } finally {
      await endpoint.close();
    }
  });

  it('hangs: times out with a message that says so', async () => {
    const endpoint = await hanging();
    try {
      const started = Date.now();
      const result = await run([...keyArgs, ...scenario.sessionFlags(endpoint.url)], { AWS_MAX_ATTEMPTS: '2' });
      expect(result.stdout).toBe('');
      expect(result.code).toBe(1);
      // Said once, a few seconds in, without --debug: what it is waiting for.
      const lines = result.stderr.split('\n').filter(Boolean).map((line) => line.slice(20));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(`waiting for ${endpoint.url} to answer CreateSession (attempt 1 of 2)`);
      expect(lines[1]).toMatch(
        /^operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 2, request send failed, Post "http:\/\/127\.0\.0\.1:\d+\/sessions\?[^"]+": timed out after 10 s waiting for the response$/,
      );
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await endpoint.close();
    }
  });
});

describe('credential-process and SIGUSR1', () => {
  it("does not open Node's inspector, unauthenticated, to every local user while it waits for the endpoint (QA: port 9229 opened)", async () => {
    const endpoint = await hanging();
    const running = startCommand(['credential-process', ...keyArgs, ...scenario.sessionFlags(endpoint.url)], { AWS_MAX_ATTEMPTS: '1' });
    try {
      expect(await firstHit(endpoint)).toBe(1);
      running.child.kill('SIGUSR1');
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(running.stderr()).not.toMatch(/Debugger listening|inspector/i);
      expect(running.child.exitCode).toBeNull();
    } finally {
      await running.stop('SIGKILL');
      await endpoint.close();
    }
  });
});

describe('credential-process output discipline', () => {
  it('--debug logs the request, signing steps and response to stderr, and never the secret key or session token', async () => {
    const encrypted = scenario.workspace.write('debug-enc.pem', openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-128-cbc', '-passout', 'pass:TopSecretPassword']));
    const result = await run(['--certificate', leaf.certPath, '--private-key', encrypted, '--pkcs8-password', 'TopSecretPassword', '--debug', ...scenario.sessionFlags()]);
    expect(result.code).toBe(0);
    const issued = scenario.emulator.issued.at(-1)!;
    expect(JSON.parse(result.stdout).SecretAccessKey).toBe(issued.secretAccessKey);
    expect(result.stderr).toContain('canonical request:');
    expect(result.stderr).toContain('string to sign:');
    expect(result.stderr).toContain('CreateSession response: HTTP 201');
    expect(result.stderr).toContain(issued.accessKeyId);
    for (const secret of [issued.secretAccessKey, issued.sessionToken, 'TopSecretPassword', pkcs8Pem(leaf.certificate.key!).split('\n')[1]!]) {
      expect(result.stderr).not.toContain(secret);
    }
  });

  it('--no-verify-ssl warns on stderr and keeps stdout to the JSON', async () => {
    const result = await run([...keyArgs, ...scenario.sessionFlags(), '--no-verify-ssl']);
    expect(result.code).toBe(0);
    expect(errorLine(result)).toBe('warning: TLS certificate verification of the endpoint is disabled (--no-verify-ssl)');
    expect(JSON.parse(result.stdout).Version).toBe(1);
  });
});

describe('credential-process as another user (QA)', () => {
  it.runIf(process.getuid?.() === 0)('a relative path into a folder this user may not enter names that folder, as an absolute one does (review)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'rah-relative-'));
    try {
      chmodSync(parent, 0o755);
      const closed = join(parent, 'closed');
      mkdirSync(closed, { mode: 0o700 }); // root's, as the test runs
      copyFileSync(leaf.certPath, join(closed, 'cert.pem'));
      const result = await runCli(['credential-process', '--certificate', 'closed/cert.pem', '--private-key', 'closed/key.pem', ...scenario.sessionFlags()], {
        cwd: parent,
        env: { HOME: parent, ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' },
        via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      });
      expect(failure(result)).toBe(`unable to read certificate closed/cert.pem: permission denied (this user may not enter ${closed}: mode 0700, owner 0)`);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it.runIf(process.getuid?.() === 0)('a link to a file in a folder this user may not enter, or through one, names that folder (it was a bare "permission denied")', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'rah-linked-'));
    try {
      chmodSync(parent, 0o755);
      const closed = join(parent, 'closed');
      mkdirSync(closed, { mode: 0o700 }); // root's, as the test runs
      mkdirSync(join(closed, 'certs'));
      copyFileSync(leaf.certPath, join(closed, 'certs', 'cert.pem'));
      symlinkSync(join(closed, 'certs', 'cert.pem'), join(parent, 'cert-link.pem'));
      symlinkSync('closed/certs', join(parent, 'certs-link'));
      for (const certificate of [join(parent, 'cert-link.pem'), 'certs-link/cert.pem', 'certs-link/../certs/cert.pem']) {
        const result = await runCli(['credential-process', '--certificate', certificate, '--private-key', 'key.pem', ...scenario.sessionFlags()], {
          cwd: parent,
          env: { HOME: parent, ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' },
          via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
        });
        expect(failure(result)).toBe(`unable to read certificate ${certificate}: permission denied (this user may not enter ${closed}: mode 0700, owner 0)`);
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
