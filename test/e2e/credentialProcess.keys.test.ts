import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePem } from '../../src/asn1/pem.js';
import { pkcs8Pem, type KeyAlgorithm } from '../../src/emulator/pki/generateKey.js';
import { errorLine, runCli } from '../support/cli.js';
import { encryptPkcs8 } from '../support/encryptPkcs8.js';
import { ARNS, Scenario, openssl, type LeafFiles } from '../support/scenario.js';

let scenario: Scenario;

beforeAll(async () => {
  scenario = await Scenario.start();
});
afterAll(async () => scenario.stop());

const expectCredentials = (keyArgs: string[], extra: string[] = []) => scenario.expectCredentialProcess(keyArgs, { extra });

describe('credential-process with every key type', () => {
  it.each<KeyAlgorithm>(['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384', 'ec-p521'])('%s, PKCS#8 PEM', async (algorithm) => {
    const leaf = await scenario.leaf(`leaf-${algorithm}`, { keyAlgorithm: algorithm });
    await expectCredentials(['--certificate', leaf.certPath, '--private-key', leaf.keyPath]);
  });

  it.each<KeyAlgorithm>(['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87'])('%s in each private-key form', async (algorithm) => {
    const leaf = await scenario.leaf(`leaf-${algorithm}`, { keyAlgorithm: algorithm });
    for (const form of ['both', 'seed', 'expanded'] as const) {
      const keyPath = scenario.workspace.write(`${algorithm}-${form}.pem`, pkcs8Pem(leaf.certificate.key!, form));
      await expectCredentials(['--certificate', leaf.certPath, '--private-key', keyPath]);
    }
    const encrypted = encryptPkcs8(leaf.certificate.key!.pkcs8(), 'password', { cipher: 'aes-128-cbc' });
    const encryptedPath = scenario.workspace.write(`${algorithm}-enc.pem`, encodePem('ENCRYPTED PRIVATE KEY', encrypted));
    await expectCredentials(['--certificate', leaf.certPath, '--private-key', encryptedPath, '--pkcs8-password', 'password']);
  });
});

describe('credential-process with every key encoding', () => {
  let rsa: LeafFiles;
  let ec: LeafFiles;
  beforeAll(async () => {
    rsa = await scenario.leaf('enc-rsa', { keyAlgorithm: 'rsa-2048' });
    ec = await scenario.leaf('enc-ec', { keyAlgorithm: 'ec-p384' });
  });
  const keyObject = (leaf: LeafFiles) => leaf.certificate.key!.keyObject!;

  it('PKCS#1 RSA PEM and DER', async () => {
    const pem = scenario.workspace.write('rsa-pkcs1.pem', keyObject(rsa).export({ type: 'pkcs1', format: 'pem' }));
    const der = scenario.workspace.write('rsa-pkcs1.der', keyObject(rsa).export({ type: 'pkcs1', format: 'der' }));
    await expectCredentials(['--certificate', rsa.certPath, '--private-key', pem]);
    await expectCredentials(['--certificate', rsa.certPath, '--private-key', der]);
  });

  it('SEC1 EC PEM (with the EC PARAMETERS block openssl ecparam writes) and DER', async () => {
    const sec1 = keyObject(ec).export({ type: 'sec1', format: 'pem' }) as string;
    const params = openssl(['ecparam', '-name', 'secp384r1']).toString();
    const pem = scenario.workspace.write('ec-sec1.pem', params + sec1);
    const der = scenario.workspace.write('ec-sec1.der', keyObject(ec).export({ type: 'sec1', format: 'der' }));
    await expectCredentials(['--certificate', ec.certPath, '--private-key', pem]);
    await expectCredentials(['--certificate', ec.certPath, '--private-key', der]);
  });

  it('PKCS#8 DER key and DER certificate', async () => {
    const key = scenario.workspace.write('ec-pkcs8.der', rsa.certificate.key!.pkcs8());
    const cert = scenario.workspace.write('rsa-cert.der', rsa.certificate.der);
    await expectCredentials(['--certificate', cert, '--private-key', key]);
  });

  it('a combined PEM file (key and certificate in one, either order) as --certificate alone', async () => {
    const keyFirst = scenario.workspace.write('combo1.pem', pkcs8Pem(ec.certificate.key!) + ec.certificate.pem);
    const certFirst = scenario.workspace.write('combo2.pem', 'comment line\n' + ec.certificate.pem + pkcs8Pem(ec.certificate.key!));
    await expectCredentials(['--certificate', keyFirst]);
    await expectCredentials(['--certificate', certFirst]);
  });

  it.each([
    ['aes-128-cbc', 'hmacWithSHA1'],
    ['aes-192-cbc', 'hmacWithSHA256'],
    ['aes-256-cbc', 'hmacWithSHA384'],
    ['aes-256-cbc', 'hmacWithSHA512'],
  ])('encrypted PKCS#8 %s with PBKDF2 %s (written by openssl), PEM and DER', async (cipher, prf) => {
    for (const [leaf, name] of [[rsa, 'rsa'], [ec, 'ec']] as const) {
      const args = ['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', cipher, '-v2prf', prf, '-passout', 'pass:pässword'];
      const pem = scenario.workspace.write(`${name}-${cipher}-${prf}.pem`, openssl(args));
      const der = scenario.workspace.write(`${name}-${cipher}-${prf}.der`, openssl([...args, '-outform', 'DER']));
      await expectCredentials(['--certificate', leaf.certPath, '--private-key', pem, '--pkcs8-password', 'pässword']);
      await expectCredentials(['--certificate', leaf.certPath, '--private-key', der, '--pkcs8-password', 'pässword']);
    }
  });

  it('encrypted PKCS#8 with scrypt (written by openssl)', async () => {
    const key = scenario.workspace.write('rsa-scrypt.pem', openssl(['pkcs8', '-topk8', '-in', rsa.keyPath, '-scrypt', '-passout', 'pass:password']));
    await expectCredentials(['--certificate', rsa.certPath, '--private-key', key, '--pkcs8-password', 'password']);
  });

  it('encrypted PKCS#8 whose PBKDF2 parameters carry the optional keyLength field', async () => {
    const encrypted = encryptPkcs8(ec.certificate.key!.pkcs8(), 'password', { prf: 'sha512', withKeyLength: true });
    const key = scenario.workspace.write('ec-keylength.pem', encodePem('ENCRYPTED PRIVATE KEY', encrypted));
    await expectCredentials(['--certificate', ec.certPath, '--private-key', key, '--pkcs8-password', 'password']);
  });
});

describe('credential-process with PKCS#12 files', () => {
  let leaf: LeafFiles;
  let intermediateChain: string;
  beforeAll(async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=P12 Issuing CA' });
    intermediateChain = scenario.workspace.write('p12-chain.pem', intermediate.certificate.pem);
    leaf = await scenario.leaf('p12-leaf', { keyAlgorithm: 'ec-p256' }, intermediate);
  });

  const export12 = (name: string, password: string, extra: string[]) =>
    scenario.workspace.write(
      name,
      openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-certfile', intermediateChain, '-passout', `pass:${password}`, ...extra]),
    );

  it('the legacy 3DES / SHA-1 MAC file with an empty password that the reference reads, chain included', async () => {
    const p12 = export12('legacy.p12', '', ['-macalg', 'SHA1', '-certpbe', 'pbeWithSHA1And3-KeyTripleDES-CBC', '-keypbe', 'pbeWithSHA1And3-KeyTripleDES-CBC']);
    await expectCredentials(['--certificate', p12]);
  });

  it('the AES-256 / PBKDF2 / SHA-256 MAC file OpenSSL 3 writes by default, with an empty password', async () => {
    await expectCredentials(['--certificate', export12('modern-empty.p12', '', [])]);
  });

  it('a password-protected file with --pkcs12-password', async () => {
    await expectCredentials(['--certificate', export12('modern-pw.p12', 's3cret', []), '--pkcs12-password', 's3cret']);
  });

  it('a PEM-armored file (BEGIN PKCS12: what GnuTLS certtool --to-p12 writes without --outder), as the DER one (QA: taken for a PEM file without a certificate)', async () => {
    const p12 = scenario.workspace.write('armored.p12', encodePem('PKCS12', readFileSync(export12('armored.der.p12', 's3cret', []))));
    await expectCredentials(['--certificate', p12, '--pkcs12-password', 's3cret']);
    const withKey = await runCli(['credential-process', '--certificate', p12, '--private-key', leaf.keyPath, ...scenario.sessionFlags()]);
    expect(withKey.code).toBe(1);
    expect(withKey.stdout).toBe('');
    expect(errorLine(withKey)).toBe(`could not parse certificate ${p12}: it is a PKCS#12 file, which is read as --certificate without --private-key`);
  });

  it('a password beyond ASCII, as OpenSSL 3 encrypts with it (UTF-8 for AES/PBKDF2, UTF-16 for its MAC and the legacy ciphers)', async () => {
    const password = 'pässwörd密码';
    await expectCredentials(['--certificate', export12('modern-utf8.p12', password, []), '--pkcs12-password', password]);
    const legacy = ['-legacy', '-macalg', 'SHA1'];
    await expectCredentials(['--certificate', export12('legacy-utf8.p12', password, legacy), '--pkcs12-password', password]);
  });
});

describe('credential-process with PKCS#12 files it cannot read', () => {
  it("says a Java keystore (JKS, keytool's format before Java 9) is not PKCS#12 and how to convert it, with or without a password (QA: 'holds no private key')", async () => {
    // Magic, version 2, no entries, and the keyed SHA-1 digest that ends every JKS file.
    const jks = scenario.workspace.write('store.jks', Buffer.concat([Buffer.from('feedfeed0000000200000000', 'hex'), Buffer.alloc(20, 7)]));
    const advice = 'it is a Java keystore (JKS or JCEKS), not PKCS#12: convert it with `keytool -importkeystore -srckeystore OLD.jks -destkeystore NEW.p12 -deststoretype PKCS12`';
    for (const password of [[], ['--pkcs12-password', 'changeit']]) {
      const result = await runCli(['credential-process', '--certificate', jks, ...password, ...scenario.sessionFlags()]);
      expect([result.code, result.stdout]).toEqual([1, '']);
      expect(errorLine(result)).toBe(`could not parse certificate ${jks}: ${advice}`);
    }
    const withKey = await runCli(['credential-process', '--certificate', jks, '--private-key', scenario.workspace.path('root.pem'), ...scenario.sessionFlags()]);
    expect(errorLine(withKey)).toBe(`could not parse certificate ${jks}: ${advice}`);
  });

  it('says how to export again a legacy file whose key derivations pass its bound, as GnuTLS certtool writes them (600,000 iterations a part) (QA: CA tools)', async () => {
    const leaf = await scenario.leaf('p12-certtool', { keyAlgorithm: 'ec-p256' });
    const p12 = scenario.workspace.write(
      'certtool-3des.p12',
      openssl(['pkcs12', '-export', '-legacy', '-iter', '600000', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:x']),
    );
    const refusal = `it asks for more than 2000000 iterations of PKCS#12's key derivation in all, more than this helper allows`;
    const result = await runCli(['credential-process', '--certificate', p12, '--pkcs12-password', 'x', ...scenario.sessionFlags()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(`failed to read PKCS#12 file ${p12}: ${refusal}; export it again with AES, the default of openssl pkcs12 -export and certtool --to-p12`);
    // An AES file's MAC past the bound: exporting it again with AES is no advice.
    const aes = scenario.workspace.write('aes-mac.p12', openssl(['pkcs12', '-export', '-iter', '2500000', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:x']));
    expect(errorLine(await runCli(['credential-process', '--certificate', aes, '--pkcs12-password', 'x', ...scenario.sessionFlags()]))).toBe(`failed to read PKCS#12 file ${aes}: ${refusal}`);
  });

  it('names a cipher it cannot decrypt (RC2-128, which OpenSSL 3 writes with -legacy) and how to export the file again', async () => {
    const leaf = await scenario.leaf('p12-rc2', { keyAlgorithm: 'ec-p256' });
    const p12 = scenario.workspace.write(
      'rc2-128.p12',
      openssl(['pkcs12', '-export', '-legacy', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:x', '-keypbe', 'PBE-SHA1-RC2-128']),
    );
    const result = await runCli(['credential-process', '--certificate', p12, '--pkcs12-password', 'x', ...scenario.sessionFlags()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(
      `failed to read PKCS#12 file ${p12}: it is encrypted with pbeWithSHAAnd128BitRC2-CBC (1.2.840.113549.1.12.1.5), which this helper cannot decrypt; ` +
        "export it again with OpenSSL 3's default, AES-256 (openssl pkcs12 -export)",
    );
  });
});

describe('credential-process request parameters', () => {
  let leaf: LeafFiles;
  beforeAll(async () => {
    leaf = await scenario.leaf('params', { keyAlgorithm: 'ec-p256' });
  });

  it('sends the chain from --intermediates, which the emulator needs to reach the root', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Issuing CA' });
    const chained = await scenario.leaf('chained', { keyAlgorithm: 'rsa-2048' }, intermediate);
    const chain = scenario.workspace.write('chain.pem', intermediate.certificate.pem);
    await expectCredentials(['--certificate', chained.certPath, '--private-key', chained.keyPath, '--intermediates', chain]);
  });

  it.each([['empty', ''], ['of blank lines', '\n\r\n \n']])(
    'sends no chain for an --intermediates file %s, as the reference (an empty chain header would be refused)',
    async (_, content) => {
      const chain = scenario.workspace.write(`chain-${content.length}.pem`, content);
      await expectCredentials(['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--intermediates', chain]);
    },
  );

  it('--session-duration and --role-session-name reach the service', async () => {
    const issued = await expectCredentials(['--certificate', leaf.certPath, '--private-key', leaf.keyPath], [
      '--session-duration', '900', '--role-session-name', 'build-42@ci',
    ]);
    expect(issued.durationSeconds).toBe(900);
    expect(issued.roleSessionName).toBe('build-42@ci');
  });

  it('accepts Go integer syntax for --session-duration (0x708 = 1800)', async () => {
    const issued = await expectCredentials(['--certificate', leaf.certPath, '--private-key', leaf.keyPath], ['--session-duration', '0x708']);
    expect(issued.durationSeconds).toBe(1800);
  });

  it('uses the trust anchor\'s region unless --region says otherwise, and signs for the right serial', async () => {
    const issued = await expectCredentials(['--certificate', leaf.certPath, '--private-key', leaf.keyPath], ['--region', 'us-east-1']);
    expect(issued.serialNumber).toBe(BigInt(`0x${leaf.certificate.serialNumberHex}`).toString());
    expect(issued.roleArn).toBe(ARNS.roleArn);
  });
});
