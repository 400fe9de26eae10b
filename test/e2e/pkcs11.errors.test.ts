import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { expectFailure, projectRoot, runCli } from '../support/cli.js';
import { Workspace } from '../support/scenario.js';
import { SoftHsm, USER_PIN, softHsmModule, type TokenIdentity, type TokenInfo } from '../support/softhsm.js';

const TOKEN = 'pkcs11-errors';
const SECOND_TOKEN = 'pkcs11-errors-second';
const SECRET_TOKEN = 'pkcs11-secret-pin';
/** A PIN that cannot turn up in output by chance, to show that no PIN is ever printed. */
const DISTINCTIVE_PIN = 'Qx7-pin-zZ9';

let hsm: SoftHsm;
let workspace: Workspace;
let token: TokenInfo;
let rsa: TokenIdentity;
let ec: TokenIdentity;
let rsaCert: string;
let ecCert: string;

beforeAll(async () => {
  const ca = await CertificateAuthority.create({ subject: 'CN=Errors Root' });
  hsm = new SoftHsm();
  workspace = new Workspace();
  token = hsm.initToken(TOKEN);
  rsa = await hsm.addIdentity(TOKEN, ca, 'rsa-2048', { id: '01', label: 'rsa' });
  ec = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '02', label: 'ec' });
  hsm.writePrivateKey(TOKEN, rsa.key.pkcs8(), { id: '03', label: 'rsa-always-auth', alwaysAuthenticate: true });
  hsm.writePrivateKey(TOKEN, ec.key.pkcs8(), { id: '04', label: 'ec-always-auth', alwaysAuthenticate: true });
  hsm.generateKeyPair(TOKEN, 'EC:edwards25519', { id: '50', label: 'ed25519' });
  hsm.initToken(SECOND_TOKEN);
  await hsm.addIdentity(SECOND_TOKEN, ca, 'ec-p256', { id: '02', label: 'ec' });
  hsm.initToken(SECRET_TOKEN, DISTINCTIVE_PIN);
  await hsm.addIdentity(SECRET_TOKEN, ca, 'ec-p256', { id: '01', label: 'secret' }, DISTINCTIVE_PIN);
  rsaCert = workspace.write('rsa-cert.pem', rsa.certificate.pem);
  ecCert = workspace.write('ec-cert.pem', ec.certificate.pem);
});
afterAll(() => {
  hsm.cleanup();
  workspace.cleanup();
});

const uri = (path: string, query = `?pin-value=${USER_PIN}`) => `pkcs11:token=${TOKEN}${path ? `;${path}` : ''}${query}`;
/** How messages name the token and a key or certificate object on it. */
const onToken = () => `token "${TOKEN}" (serial ${token.serial}, slot ${token.slot})`;
const tokenAttributes = () => `pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=${token.serial};token=${TOKEN}`;
const keyUri = (id: string, label: string) => `${tokenAttributes()};id=%${id};object=${label};type=private`;

function signString(args: string[], env: Record<string, string> = {}) {
  return runCli(['sign-string', ...args, '--pkcs11-lib', softHsmModule], { env: { ...hsm.env, ...env } });
}

/** sign-string with no controlling terminal: a PIN prompt cannot reach anyone and must fail at once. */
function signStringWithoutTerminal(args: string[], env: Record<string, string> = {}) {
  return runCli(['sign-string', ...args, '--pkcs11-lib', softHsmModule], { env: { ...hsm.env, ...env }, withoutTerminal: true });
}

describe("Node's native addons disabled (NODE_OPTIONS=--no-addons, or --permission without --allow-addons)", () => {
  it('PKCS#11 says so in one line, not an internal error (QA: "internal error: Cannot load native addon because loading addons is disabled.")', async () => {
    const result = await signString(['--certificate', uri('object=ec')], { NODE_OPTIONS: '--no-addons' });
    expectFailure(result, "PKCS#11 needs the native part of pkcs11js, and Node's native addons are disabled (--no-addons, or --permission without --allow-addons)");
  });
});

describe('PINs', () => {
  it('a wrong PIN in the URI', async () => {
    const result = await signString(['--certificate', uri('object=ec', '?pin-value=wrongUriPin')]);
    expectFailure(
      result,
      `user authentication failed (pkcs11: 0xA0: CKR_PIN_INCORRECT): pkcs11:token=${TOKEN};object=ec on ${onToken()}, PIN from the URI's pin-value`,
    );
    expect(result.stderr).not.toContain('wrongUriPin'); // letters: the slot and serial in the message are digits
  });

  it('a wrong PIN in the environment', async () => {
    const result = await signString(['--certificate', uri('object=ec', '')], { AWS_ROLESANYWHERE_PKCS11_PIN: 'wrongEnvPin' });
    expectFailure(
      result,
      `user authentication failed (pkcs11: 0xA0: CKR_PIN_INCORRECT): pkcs11:token=${TOKEN};object=ec on ${onToken()}, PIN from AWS_ROLESANYWHERE_PKCS11_PIN`,
    );
    expect(result.stderr).not.toContain('wrongEnvPin');
  });

  it('no PIN and no terminal: fails at once rather than wait for one', async () => {
    const result = await signStringWithoutTerminal(['--certificate', uri('object=ec', '')]);
    expectFailure(
      result,
      `unable to read PKCS#11 user PIN for pkcs11:token=${TOKEN};object=ec on ${onToken()}: it was not given, and it could not be ` +
        "asked for (no terminal to ask on); give it with the URI's pin-value or pin-source, or the AWS_ROLESANYWHERE_PKCS11_PIN environment variable",
    );
    expect(result.ms).toBeLessThan(10_000);
  });

  it('an always-authenticate key without --reuse-pin and no terminal', async () => {
    const result = await signStringWithoutTerminal(['--certificate', ecCert, '--private-key', uri('object=ec-always-auth')]);
    expectFailure(
      result,
      `unable to read PKCS#11 context-specific PIN for private key object (${keyUri('04', 'ec-always-auth')}): it was not given, and it ` +
        'could not be asked for (no terminal to ask on); the key asks for its PIN at every signature (CKA_ALWAYS_AUTHENTICATE): ' +
        'give --reuse-pin if it is the user PIN, or run on a terminal',
    );
  });

  it('a pin-source file that does not exist', async () => {
    const result = await signString(['--certificate', uri('object=ec', '?pin-source=/nonexistent/user.pin')]);
    expectFailure(result, 'unable to read PKCS#11 PIN from pin-source: no such file or directory (the path given is not shown: it may be the secret itself)');
  });

  it('a relative file: URI pin-source is refused, not read from the root folder', async () => {
    const result = await signString(['--certificate', uri('object=ec', '?pin-source=file:user.pin')]);
    expectFailure(result, 'unable to read PKCS#11 PIN from pin-source: it is not a file: URI with an absolute path');
    // One naming a host says so: its path is absolute (QA).
    const remote = await signString(['--certificate', uri('object=ec', '?pin-source=file://otherhost/etc/user.pin')]);
    expectFailure(remote, "unable to read PKCS#11 PIN from pin-source: it names a host (file://host/...), and only this machine's files are read: write file:///path");
  });

  it('a pin-source that is a FIFO is refused, not waited on (issue 13, item 7)', async () => {
    const fifo = workspace.path('pin-fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await runCli(['sign-string', '--certificate', uri('object=ec', `?pin-source=${fifo}`), '--pkcs11-lib', softHsmModule], {
      env: hsm.env,
      timeoutMs: 10_000,
    });
    expectFailure(result, `unable to read PKCS#11 PIN from pin-source ${fifo}: not a regular file (a FIFO)`);
  });

  it('never reach the output, even with --debug', async () => {
    const secretUri = `pkcs11:token=${SECRET_TOKEN};object=secret`;
    const fromUri = await signString(['--certificate', `${secretUri}?pin-value=${DISTINCTIVE_PIN}`, '--debug']);
    expect(fromUri.code).toBe(0);
    expect(fromUri.stderr).toContain('logged in to token');
    const fromEnv = await signString(['--certificate', secretUri, '--debug'], { AWS_ROLESANYWHERE_PKCS11_PIN: DISTINCTIVE_PIN });
    expect(fromEnv.code).toBe(0);
    const wrong = await signString(['--certificate', `${secretUri}?pin-value=${DISTINCTIVE_PIN}x`, '--debug']);
    expect(wrong.code).toBe(1);
    for (const result of [fromUri, fromEnv, wrong]) {
      expect(result.stderr).not.toContain(DISTINCTIVE_PIN);
      expect(result.stdout).not.toContain(DISTINCTIVE_PIN);
    }
  });
});

describe('URIs that match nothing, or too much', () => {
  it('no token (labels match exactly, not as prefixes)', async () => {
    const result = await signString(['--certificate', 'pkcs11:token=pkcs11-err;object=ec?pin-value=1234']);
    expectFailure(
      result,
      `no matching slots: pkcs11:token=pkcs11-err;object=ec matches none of the tokens of ${softHsmModule} ` +
        `("${TOKEN}", "${SECOND_TOKEN}", "${SECRET_TOKEN}")`,
    );
  });

  // Coverage audit: the key's own search for its token (findPrivateKey's keyToken) had never found none.
  it('no token for the key, beside a certificate file', async () => {
    const result = await signString(['--certificate', ecCert, '--private-key', 'pkcs11:token=pkcs11-err;object=ec?pin-value=1234']);
    expectFailure(
      result,
      `no matching slots: pkcs11:token=pkcs11-err;object=ec matches none of the tokens of ${softHsmModule} ` +
        `("${TOKEN}", "${SECOND_TOKEN}", "${SECRET_TOKEN}")`,
    );
  });

  it('names the URI as given, in its order and with the query it had, without its PIN', async () => {
    const result = await signString(['--certificate', `pkcs11:object=ec;token=pkcs11-err?pin-value=1234&module-path=${softHsmModule}`]);
    expectFailure(
      result,
      `no matching slots: pkcs11:object=ec;token=pkcs11-err?module-path=${softHsmModule} matches none of the tokens of ${softHsmModule} ` +
        `("${TOKEN}", "${SECOND_TOKEN}", "${SECRET_TOKEN}")`,
    );
  });

  it('no certificate, even after logging in', async () => {
    const result = await signString(['--certificate', uri('object=nope')]);
    expectFailure(result, `no matching certificates: pkcs11:token=${TOKEN};object=nope: ${onToken()} has no certificate with CKA_LABEL "nope"`);
  });

  it('no certificate and no PIN to look further with', async () => {
    const result = await signStringWithoutTerminal(['--certificate', uri('id=%7F', '')]);
    expectFailure(
      result,
      new RegExp(
        `^no matching certificates: pkcs11:token=${TOKEN};id=%7F: ${escape(onToken())} shows no certificate with CKA_ID %7F without ` +
          'logging in, and there is no PIN to log in with \\(unable to read PKCS#11 user PIN for .*no terminal to ask on.*\\)$',
      ),
    );
  });

  it('two certificates', async () => {
    const result = await signString(['--certificate', uri('')]);
    expectFailure(
      result,
      `multiple matching certificates: pkcs11:token=${TOKEN} matches 2 certificates ("rsa" id %01 on token "${TOKEN}", ` +
        `"ec" id %02 on token "${TOKEN}"); add object= or id= to choose one`,
    );
  });

  it('the same label and id on two tokens: the token is what chooses', async () => {
    const result = await signString(['--certificate', 'pkcs11:object=ec;id=%02?pin-value=1234']);
    expectFailure(result, /^multiple matching certificates: pkcs11:object=ec;id=%02 matches 2 certificates \(.*\); add token= to choose one$/);
  });

  it('two tokens, and no certificate to be seen without logging in to one of them', async () => {
    const result = await signString(['--certificate', 'pkcs11:object=rsa-always-auth?pin-value=1234']);
    expectFailure(
      result,
      `multiple matching slots: pkcs11:object=rsa-always-auth matches tokens "${TOKEN}", "${SECOND_TOKEN}", "${SECRET_TOKEN}", none of which ` +
        'shows a certificate with CKA_LABEL "rsa-always-auth" without logging in; add token= to say which one to log in to',
    );
  });

  it('a key URI matching two tokens', async () => {
    const result = await signString(['--certificate', ecCert, '--private-key', 'pkcs11:object=ec?pin-value=1234']);
    expectFailure(
      result,
      `Could not identify unique slot for PKCS#11 key: pkcs11:object=ec matches tokens "${TOKEN}", "${SECOND_TOKEN}", "${SECRET_TOKEN}"; ` +
        'add token= to choose one',
    );
  });

  it('several keys and no certificate to choose between them', async () => {
    const result = await signString(['--private-key', uri('')]);
    expectFailure(
      result,
      `multiple matching private keys, but no certificate provided to match with: pkcs11:token=${TOKEN} matches ` +
        `${keyUri('01', 'rsa')}, ${keyUri('02', 'ec')}, ${keyUri('03', 'rsa-always-auth')}, ${keyUri('04', 'ec-always-auth')}, ` +
        `${keyUri('50', 'ed25519')}; ` +
        'add object= or id= to choose one',
    );
  });

  it('a library the module is not', async () => {
    const result = await signString(['--certificate', uri('object=ec', '?pin-value=1234').replace('pkcs11:', 'pkcs11:library-manufacturer=Nobody;')]);
    expectFailure(
      result,
      `no matching slots: pkcs11:library-manufacturer=Nobody;token=${TOKEN};object=ec names another library than ${softHsmModule} ` +
        '(library-manufacturer=SoftHSM, library-description=Implementation of PKCS11, library-version=2.6)',
    );
  });
});

describe('a key that is not the key of the certificate (the reference\'s TestPKCS11SignerCreationFails, with SoftHSM loaded)', () => {
  const mismatch = (keyUriText: string, keyId: string, keyLabel: string, keyType: string, certificateType: string, subject: string) =>
    `unable to find matching private key: ${keyUriText}: ${onToken()} has only ${keyUri(keyId, keyLabel)} (${keyType}) ` +
    `with CKA_LABEL "${keyLabel}", and none is the ${certificateType} key of certificate "${subject}"`;

  it.each([
    ['RSA certificate URI, EC key', () => uri('object=rsa'), '02', 'ec', 'EC', 'RSA', 'rsa'],
    ['EC certificate URI, RSA key', () => uri('object=ec'), '01', 'rsa', 'RSA', 'EC', 'ec'],
    ['EC certificate file, RSA key', () => ecCert, '01', 'rsa', 'RSA', 'EC', 'ec'],
    ['RSA certificate file, EC key', () => rsaCert, '02', 'ec', 'EC', 'RSA', 'rsa'],
    ['RSA certificate URI, always-authenticate EC key', () => uri('object=rsa'), '04', 'ec-always-auth', 'EC', 'RSA', 'rsa'],
    ['EC certificate URI, always-authenticate RSA key', () => uri('object=ec'), '03', 'rsa-always-auth', 'RSA', 'EC', 'ec'],
    ['EC certificate file, always-authenticate RSA key', () => ecCert, '03', 'rsa-always-auth', 'RSA', 'EC', 'ec'],
    ['RSA certificate file, always-authenticate EC key', () => rsaCert, '04', 'ec-always-auth', 'EC', 'RSA', 'rsa'],
  ])('%s', async (_name, certificate, keyId, keyLabel, keyType, certificateType, subject) => {
    const result = await signString(['--certificate', certificate(), '--private-key', uri(`object=${keyLabel}`), '--reuse-pin']);
    expectFailure(
      result,
      mismatch(`pkcs11:token=${TOKEN};object=${keyLabel}`, keyId, keyLabel, keyType, certificateType, `CN=${subject},O=roles-anywhere-helper tests`),
    );
  });

  it('no private key at all with the label asked for', async () => {
    const result = await signString(['--certificate', ecCert, '--private-key', uri('object=missing')]);
    expectFailure(
      result,
      `unable to find matching private key: pkcs11:token=${TOKEN};object=missing: ${onToken()} has no private key with ` +
        'CKA_LABEL "missing" (looking for the EC key of certificate "CN=ec,O=roles-anywhere-helper tests")',
    );
  });

  it('an EC key of the same curve that is another key (found out by a test signature)', async () => {
    const other = workspace.write('other-ec-cert.pem', (await CertificateAuthority.create({ subject: 'CN=Other EC,O=elsewhere' })).certificate.pem);
    const result = await signString(['--certificate', other, '--private-key', uri('object=ec-always-auth'), '--reuse-pin']);
    expectFailure(result, mismatch(`pkcs11:token=${TOKEN};object=ec-always-auth`, '04', 'ec-always-auth', 'EC', 'EC', 'CN=Other EC,O=elsewhere'));
  });
});

describe('inputs that cannot work', () => {
  it('a key of a type other than RSA and EC', async () => {
    const result = await signString(['--private-key', uri('object=ed25519')]);
    expectFailure(result, `unsupported algorithm: ${keyUri('50', 'ed25519')} is a key type 0x40 key; only RSA and EC keys can sign`);
  });

  it('a malformed URI, its PIN hidden', async () => {
    const result = await signString(['--certificate', `pkcs11:token=${TOKEN};object?pin-value=${USER_PIN}`]);
    expectFailure(result, `Malformed pkcs11 URI pkcs11:token=${TOKEN};object?pin-value=***: malformed path attribute "object" (expected name=value)`);
  });

  it('a module that does not exist', async () => {
    const result = await runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', '/nonexistent/libnope.so'], { env: hsm.env });
    expectFailure(result, 'Failed to load provider library /nonexistent/libnope.so: cannot open shared object file: No such file or directory');
  });

  it('a module named without a / that the library search path does not hold: where dlopen looked, and the path to give when it is in the current folder', async () => {
    const run = (cwd: string) => runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', basename(softHsmModule)], { env: hsm.env, cwd });
    const searched = `Failed to load provider library ${basename(softHsmModule)}: cannot open shared object file: No such file or directory; ` +
      "a name without a / is looked for on the library search path only (LD_LIBRARY_PATH, then ldconfig's folders), not in the current folder";
    expectFailure(await run(workspace.dir), `${searched}: give the module's path`);
    // Where it is, beside the command: dlopen still does not look there, as it did not for the reference.
    expectFailure(await run(dirname(softHsmModule)), `${searched}: give ./${basename(softHsmModule)}`);
  });

  it('a module named without a / that is found, but whose own dependency is missing: dlopen\'s reason alone, no word of where the module was looked for (review)', async () => {
    const folder = workspace.path('modules');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'dep.c'), 'int dependency(void) { return 1; }\n');
    writeFileSync(join(folder, 'needs.c'), 'int dependency(void);\nint module(void) { return dependency(); }\n');
    execFileSync('gcc', ['-shared', '-fPIC', '-o', join(folder, 'libmissingdep.so'), join(folder, 'dep.c')]);
    execFileSync('gcc', ['-shared', '-fPIC', '-o', join(folder, 'libneedsdep.so'), join(folder, 'needs.c'), `-L${folder}`, '-lmissingdep']);
    rmSync(join(folder, 'libmissingdep.so'));
    const result = await runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', 'libneedsdep.so'], { env: { ...hsm.env, LD_LIBRARY_PATH: folder } });
    expectFailure(result, 'Failed to load provider library libneedsdep.so: libmissingdep.so: cannot open shared object file: No such file or directory');
  });

  it('a module named without a / found on the library search path, whatever the current folder holds of that name (mutation testing: a folder there was refused)', async () => {
    const cwd = workspace.path('module-named-folder');
    mkdirSync(join(cwd, basename(softHsmModule)), { recursive: true });
    const result = await runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', basename(softHsmModule)], {
      env: { ...hsm.env, LD_LIBRARY_PATH: dirname(softHsmModule) },
      cwd,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a module path that names a FIFO, a device or a folder, refused by name without waiting (QA: dlopen waited on the FIFO for ever)', async () => {
    const fifo = workspace.path('module-fifo.so');
    execFileSync('mkfifo', [fifo]);
    for (const [path, kind] of [[fifo, 'not a regular file (a FIFO)'], ['/dev/zero', 'not a regular file (a character device)'], [workspace.dir, 'is a directory']] as const) {
      const result = await runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', path], { env: hsm.env, timeoutMs: 10_000 });
      expectFailure(result, `Failed to load provider library ${path}: ${kind}`);
    }
  });

  it('a module-name p11-kit does not know: what is registered, with the loader\'s reason', async () => {
    const result = await runCli(['sign-string', '--certificate', `pkcs11:token=${TOKEN};object=ec?module-name=softhsm`], { env: hsm.env });
    expectFailure(
      result,
      /^Failed to load provider library softhsm\.so: cannot open shared object file: No such file or directory; module-name=softhsm is no module registered with p11-kit \(registered: (.+, )?softhsm2(, .+)?\)$/,
    );
  });

  it("SoftHSM that cannot start says which of its files it cannot read, not only CKR_GENERAL_ERROR (QA: its reason goes to syslog)", async () => {
    const failed = `unable to initialize PKCS#11 module ${softHsmModule}: pkcs11: 0x5: CKR_GENERAL_ERROR`;
    const run = (env: Record<string, string>, via?: string[]) =>
      runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', softHsmModule], { env, ...(via ? { via } : {}) });
    const missing = workspace.path('no-softhsm2.conf');
    expectFailure(await run({ SOFTHSM2_CONF: missing }), `${failed} (SoftHSM cannot read its configuration ${missing} (SOFTHSM2_CONF): no such file or directory)`);
    const noTokens = workspace.path('no-tokens');
    const configuration = workspace.write('no-tokens.conf', `directories.tokendir = ${noTokens}\n`);
    expectFailure(
      await run({ SOFTHSM2_CONF: configuration }),
      `${failed} (SoftHSM cannot read its token folder ${noTokens} (directories.tokendir of ${configuration}): no such file or directory)`,
    );
    if (process.getuid?.() !== 0) return;
    // Tokens root made (softhsm2-util run as root), used by another user: the configuration readable, the folder not.
    const shared = mkdtempSync(join(tmpdir(), 'rah-softhsm-shared-'));
    chmodSync(shared, 0o755);
    const tokens = join(shared, 'tokens');
    mkdirSync(tokens, { mode: 0o700 });
    const readable = join(shared, 'softhsm2.conf');
    writeFileSync(readable, `directories.tokendir = ${tokens}\n`, { mode: 0o644 });
    try {
      expectFailure(
        await run({ SOFTHSM2_CONF: readable }, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']),
        `${failed} (SoftHSM cannot read its token folder ${tokens} (directories.tokendir of ${readable}): permission denied)`,
      );
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('a shared library that is not a PKCS#11 module', async () => {
    const library = join(projectRoot, 'node_modules/pkcs11js/build/Release/pkcs11.node');
    const result = await runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', library], { env: hsm.env });
    expectFailure(result, `Failed to load provider library ${library}: undefined symbol: C_GetFunctionList`);
    // Through a link (as libraries are installed: libfoo.so -> libfoo.so.2), the reason names it once, as given (QA17).
    const link = join(mkdtempSync(join(tmpdir(), 'rah-pkcs11-link-')), 'module.so');
    symlinkSync(library, link);
    const linked = await runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', link], { env: hsm.env });
    expectFailure(linked, `Failed to load provider library ${link}: undefined symbol: C_GetFunctionList`);
    // A bare name, found on the search path, which dlerror names by the path found (verify: the message was cut).
    const bare = await runCli(['sign-string', '--certificate', uri('object=ec'), '--pkcs11-lib', 'libz.so.1'], { env: hsm.env });
    expectFailure(bare, 'Failed to load provider library libz.so.1: undefined symbol: C_GetFunctionList');
  });

  it('a URI for another type of object', async () => {
    const result = await signString(['--certificate', uri('object=ec;type=private')]);
    expectFailure(result, `--certificate pkcs11:token=${TOKEN};object=ec;type=private names objects of type=private; it must name type=cert (or leave type out)`);
    // Named as given: its order kept, its PIN left out.
    const reordered = await signString(['--certificate', `pkcs11:type=private;object=ec;token=${TOKEN}?pin-value=1234`]);
    expectFailure(reordered, `--certificate pkcs11:type=private;object=ec;token=${TOKEN} names objects of type=private; it must name type=cert (or leave type out)`);
  });

  it('a certificate on the token with its key in a file', async () => {
    const result = await signString(['--certificate', uri('object=ec'), '--private-key', ecCert]);
    expectFailure(
      result,
      `the certificate pkcs11:token=${TOKEN};object=ec is on a PKCS#11 token, so its key must be too: ` +
        `give --private-key as a pkcs11: URI or leave it out, not ${ecCert}`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
