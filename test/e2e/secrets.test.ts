import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureMessage as failure, runCli, type CliResult } from '../support/cli.js';
import { Scenario, openssl, type LeafFiles } from '../support/scenario.js';
import { runCliOnTerminal } from '../support/terminal.js';

// Distinctive, so that finding one in a log line is never a coincidence.
const PKCS8_PASSWORD = 'pkcs8-Secret-7391';
const PKCS12_PASSWORD = 'pkcs12-Secret-5820';

let scenario: Scenario;
let leaf: LeafFiles;
let encryptedKey: string;
let p12: string;
let openP12: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('secrets', { keyAlgorithm: 'ec-p256' });
  encryptedKey = scenario.workspace.write('enc.pem', openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-256-cbc', '-passout', `pass:${PKCS8_PASSWORD}`]));
  p12 = scenario.workspace.write('pw.p12', openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', `pass:${PKCS12_PASSWORD}`]));
  openP12 = scenario.workspace.write('open.p12', openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:']));
});
afterAll(async () => scenario.stop());

const secretFile = (name: string, content: string, mode?: number) => scenario.workspace.write(name, content, mode);

/** How a secret is given: flag arguments, environment variables and standard input. */
interface SecretSource {
  readonly args: string[];
  readonly env?: Record<string, string>;
  readonly input?: string;
}

const run = (keyArgs: string[], source: SecretSource = { args: [] }, extra: string[] = []) =>
  runCli(['credential-process', ...keyArgs, ...source.args, ...scenario.sessionFlags(), ...extra], { env: source.env, input: source.input });

/** Credentials the emulator issued were printed, and nothing else there. */
function expectCredentials(result: CliResult) {
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
}

/** The secret opens the key, and appears in no log line, at debug level, in text and in JSON. */
async function expectSecretReachesKey(keyArgs: string[], source: SecretSource, secret: string) {
  for (const logging of [['--debug'], ['--log-level', 'debug', '--log-format', 'json']]) {
    const result = await run(keyArgs, source, logging);
    expectCredentials(result);
    expect(result.stderr).toContain('CreateSession request: POST');
    expect(result.stderr).not.toContain(secret);
    if (logging.includes('json')) {
      for (const line of result.stderr.trimEnd().split('\n')) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), message: expect.any(String) });
    }
  }
}

describe('the PKCS#8 password reaches an encrypted key from each source, and no log', () => {
  const keyArgs = () => ['--certificate', leaf.certPath, '--private-key', encryptedKey];
  it.each<[string, () => SecretSource]>([
    ['--pkcs8-password', () => ({ args: ['--pkcs8-password', PKCS8_PASSWORD] })],
    ['--pkcs8-password-file', () => ({ args: ['--pkcs8-password-file', secretFile('pkcs8.pw', `${PKCS8_PASSWORD}\n`)] })],
    ['--pkcs8-password-file - (standard input)', () => ({ args: ['--pkcs8-password-file', '-'], input: `${PKCS8_PASSWORD}\n` })],
    ['AWS_ROLESANYWHERE_PKCS8_PASSWORD', () => ({ args: [], env: { AWS_ROLESANYWHERE_PKCS8_PASSWORD: PKCS8_PASSWORD } })],
    ['AWS_ROLESANYWHERE_PKCS8_PASSWORD with a trailing newline', () => ({ args: [], env: { AWS_ROLESANYWHERE_PKCS8_PASSWORD: `${PKCS8_PASSWORD}\n` } })],
  ])('%s', async (_name, source) => {
    await expectSecretReachesKey(keyArgs(), source(), PKCS8_PASSWORD);
  });
});

describe('the PKCS#12 password reaches the file from each source, and no log', () => {
  it.each<[string, () => SecretSource]>([
    ['--pkcs12-password', () => ({ args: ['--pkcs12-password', PKCS12_PASSWORD] })],
    ['--pkcs12-password-file', () => ({ args: ['--pkcs12-password-file', secretFile('p12.pw', PKCS12_PASSWORD)] })],
    ['--pkcs12-password-file - (standard input)', () => ({ args: ['--pkcs12-password-file', '-'], input: `${PKCS12_PASSWORD}\r\n` })],
    ['AWS_ROLESANYWHERE_PKCS12_PASSWORD', () => ({ args: [], env: { AWS_ROLESANYWHERE_PKCS12_PASSWORD: PKCS12_PASSWORD } })],
  ])('%s', async (_name, source) => {
    await expectSecretReachesKey(['--certificate', p12], source(), PKCS12_PASSWORD);
  });
});

describe('one order of precedence: the flag or its file, then the environment variable, then the terminal', () => {
  const pkcs8Env = { AWS_ROLESANYWHERE_PKCS8_PASSWORD: 'not-the-password' };
  const keyArgs = () => ['--certificate', leaf.certPath, '--private-key', encryptedKey];

  it('the flag wins over the environment variable', async () => {
    expectCredentials(await run(keyArgs(), { args: ['--pkcs8-password', PKCS8_PASSWORD], env: pkcs8Env }));
    expectCredentials(await run(['--certificate', p12], { args: ['--pkcs12-password', PKCS12_PASSWORD], env: { AWS_ROLESANYWHERE_PKCS12_PASSWORD: 'nope' } }));
  });

  it('an empty flag is not given, for the PKCS#12 password as for the others: the variable is used', async () => {
    expectCredentials(await run(['--certificate', p12], { args: ['--pkcs12-password='], env: { AWS_ROLESANYWHERE_PKCS12_PASSWORD: PKCS12_PASSWORD } }));
    expectCredentials(await run(keyArgs(), { args: ['--pkcs8-password='], env: { AWS_ROLESANYWHERE_PKCS8_PASSWORD: PKCS8_PASSWORD } }));
    // Nor is it a PKCS#12 password given with a key file.
    expectCredentials(await run(['--certificate', leaf.certPath, '--private-key', leaf.keyPath], { args: ['--pkcs12-password='] }));
  });

  it('the file wins over the environment variable', async () => {
    const file = secretFile('wins.pw', PKCS8_PASSWORD);
    expectCredentials(await run(keyArgs(), { args: ['--pkcs8-password-file', file], env: pkcs8Env }));
  });

  it('the environment variable comes before the terminal: no prompt is shown', async () => {
    const { code, output } = await runCliOnTerminal(['credential-process', ...keyArgs(), ...scenario.sessionFlags()], [], {
      AWS_ROLESANYWHERE_PKCS8_PASSWORD: PKCS8_PASSWORD,
    });
    expect(code).toBe(0);
    expect(output).not.toContain('Please enter');
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
  });

  it('a flag and its file are refused together', async () => {
    const file = secretFile('both.pw', PKCS8_PASSWORD);
    expect(failure(await run(keyArgs(), { args: ['--pkcs8-password', PKCS8_PASSWORD, '--pkcs8-password-file', file] }))).toBe(
      'if any flags in the group [pkcs8-password pkcs8-password-file] are set none of the others can be; ' +
        '[pkcs8-password pkcs8-password-file] were all set (see aws_signing_helper credential-process --help)',
    );
  });

  it('a variable set for every run does not get in the way of a key without a password', async () => {
    const env = { AWS_ROLESANYWHERE_PKCS8_PASSWORD: 'unused', AWS_ROLESANYWHERE_PKCS12_PASSWORD: 'unused' };
    const plain = await run(['--certificate', leaf.certPath, '--private-key', leaf.keyPath], { args: [], env });
    expect(plain.stderr).toBe('');
    expectCredentials(plain);
    expectCredentials(await run(['--certificate', openP12], { args: [], env }));
  });

  it('a wrong password from a variable says where it came from, and is not asked for again', async () => {
    expect(failure(await run(keyArgs(), { args: [], env: pkcs8Env }))).toBe(
      `unable to parse private key ${encryptedKey}: wrong password for encrypted PKCS#8 key (from AWS_ROLESANYWHERE_PKCS8_PASSWORD)`,
    );
    expect(failure(await run(['--certificate', p12], { args: [], env: { AWS_ROLESANYWHERE_PKCS12_PASSWORD: 'nope' } }))).toBe(
      `failed to read PKCS#12 file ${p12}: wrong password (from AWS_ROLESANYWHERE_PKCS12_PASSWORD)`,
    );
  });

  it('a wrong password from a file or a flag names the flag it was given with, never the password', async () => {
    const wrong = secretFile('wrong.pw', 'not-the-password');
    const fromFile = await run(keyArgs(), { args: ['--pkcs8-password-file', wrong] });
    expect(failure(fromFile)).toBe(`unable to parse private key ${encryptedKey}: wrong password for encrypted PKCS#8 key (given with --pkcs8-password-file)`);
    expect(fromFile.stderr).not.toContain('not-the-password');
    expect(failure(await run(keyArgs(), { args: ['--pkcs8-password', 'not-the-password'] }))).toBe(
      `unable to parse private key ${encryptedKey}: wrong password for encrypted PKCS#8 key (given with --pkcs8-password)`,
    );
    expect(failure(await run(['--certificate', p12], { args: ['--pkcs12-password-file', wrong] }))).toBe(
      `failed to read PKCS#12 file ${p12}: wrong password (given with --pkcs12-password-file)`,
    );
  });

  it('a password file for a key that needs none is refused as the flag is, naming the file flag', async () => {
    const file = secretFile('unneeded.pw', 'x');
    expect(failure(await run(['--certificate', leaf.certPath, '--private-key', leaf.keyPath], { args: ['--pkcs8-password-file', file] }))).toBe(
      `unable to parse private key ${leaf.keyPath}: a PKCS#8 password was given but the key is not encrypted`,
    );
    expect(failure(await run(['--certificate', leaf.certPath, '--private-key', leaf.keyPath], { args: ['--pkcs12-password-file', file] }))).toBe(
      '--pkcs12-password-file is for a PKCS#12 file given as --certificate without --private-key',
    );
  });
});

describe('a password that is not UTF-8 (a Latin-1 é) is refused, not passed on as another, from each source', () => {
  const NOT_UTF8 = 'it is not UTF-8 text (the helper passes secrets on as UTF-8, and would pass on another secret); set it in UTF-8';
  const keyArgs = () => ['--certificate', leaf.certPath, '--private-key', encryptedKey];

  it('a file', async () => {
    const file = scenario.workspace.write('latin1.pw', Buffer.from('caf\xe9pw', 'latin1'), 0o600);
    const result = await run(keyArgs(), { args: ['--pkcs8-password-file', file] });
    expect(failure(result)).toBe(`unable to read PKCS#8 password from --pkcs8-password-file ${file}: ${NOT_UTF8}`);
  });

  it('the flag and the variable, as a shell passes the bytes', async () => {
    // Node's own spawn passes strings as UTF-8: the shell puts the byte itself in the argument and the variable.
    const latin1 = (script: string) => ['sh', '-c', `${script} exec "$0" "$@"`];
    const flag = await runCli(['credential-process', ...keyArgs(), ...scenario.sessionFlags()], { via: latin1('set -- "$@" --pkcs8-password "$(printf \'caf\\351\')";') });
    expect(failure(flag)).toBe(`unable to use --pkcs8-password: ${NOT_UTF8}`);
    const variable = await runCli(['credential-process', ...keyArgs(), ...scenario.sessionFlags()], { via: latin1('AWS_ROLESANYWHERE_PKCS8_PASSWORD="$(printf \'caf\\351\')"; export AWS_ROLESANYWHERE_PKCS8_PASSWORD;') });
    expect(failure(variable)).toBe(`unable to use AWS_ROLESANYWHERE_PKCS8_PASSWORD: ${NOT_UTF8}`);
  });

  it('but such a variable does not get in the way of a key that needs no password, or of the password given', async () => {
    const latin1Variables = [
      'sh', '-c',
      'for v in AWS_ROLESANYWHERE_PKCS8_PASSWORD AWS_ROLESANYWHERE_PKCS12_PASSWORD; do export "$v=$(printf \'caf\\351\')"; done; exec "$0" "$@"',
    ];
    for (const keyArgs of [
      ['--certificate', leaf.certPath, '--private-key', leaf.keyPath],
      ['--certificate', leaf.certPath, '--private-key', encryptedKey, '--pkcs8-password', PKCS8_PASSWORD],
      ['--certificate', openP12],
      ['--certificate', p12, '--pkcs12-password', PKCS12_PASSWORD],
    ]) {
      expectCredentials(await runCli(['credential-process', ...keyArgs, ...scenario.sessionFlags()], { via: latin1Variables }));
    }
  });
});

describe('password files that are not safe or not there are refused', () => {
  it.each([
    [0o640, 'its group', '0640'],
    [0o644, 'its group and others', '0644'],
    [0o604, 'others', '0604'],
  ])('a file of mode %s: readable by %s', async (mode, readers, shown) => {
    const file = secretFile(`shared-${shown}.pw`, PKCS8_PASSWORD, mode);
    const result = await run(['--certificate', leaf.certPath, '--private-key', encryptedKey], { args: ['--pkcs8-password-file', file] });
    expect(failure(result)).toBe(
      `unable to read PKCS#8 password from --pkcs8-password-file ${file}: it is readable by ${readers} (mode ${shown}); make it readable by its owner only (chmod 600)`,
    );
    expect(result.stderr).not.toContain(PKCS8_PASSWORD);
  });

  it('a missing file, not named (it may be the secret given in its place), and an empty standard input', async () => {
    const mistaken = await run(['--certificate', leaf.certPath, '--private-key', encryptedKey], { args: ['--pkcs8-password-file', PKCS8_PASSWORD] });
    expect(failure(mistaken)).toBe(
      'unable to read PKCS#8 password from --pkcs8-password-file: no such file or directory (the path given is not shown: it may be the secret itself)',
    );
    expect(mistaken.stderr).not.toContain(PKCS8_PASSWORD);
    const missing = scenario.workspace.path('missing.pw');
    expect(failure(await run(['--certificate', p12], { args: ['--pkcs12-password-file', missing] }))).toBe(
      'unable to read PKCS#12 password from --pkcs12-password-file: no such file or directory (the path given is not shown: it may be the secret itself)',
    );
    expect(failure(await run(['--certificate', p12], { args: ['--pkcs12-password-file', '-'], input: '' }))).toBe(
      'unable to read PKCS#12 password from standard input (--pkcs12-password-file -): it is empty',
    );
  });

  it('standard input for the password and for the key at once', async () => {
    const result = await run(['--certificate', leaf.certPath, '--private-key', '-'], { args: ['--pkcs8-password-file', '-'], input: 'x' });
    expect(failure(result)).toBe(
      'standard input can be read by one flag only, and --private-key and --pkcs8-password-file both say - (see aws_signing_helper credential-process --help)',
    );
  });
});
