import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommandLine, expectFailure, runCli, type CliResult } from '../support/cli.js';
import { typeOnTerminal } from '../support/terminal.js';
import { Workspace } from '../support/scenario.js';
import { Swtpm } from '../support/swtpm.js';

let swtpm: Swtpm;
let workspace: Workspace;
let keyFile: string;
let openKeyFile: string;
const noDaHandle = 'handle:0x81000103';

beforeAll(async () => {
  swtpm = await Swtpm.start();
  workspace = new Workspace();
  keyFile = swtpm.createKeyFile(workspace.path('pw.pem'), { algorithm: 'EC', password: 'tpm-pass' });
  openKeyFile = swtpm.createKeyFile(workspace.path('open.pem'), { algorithm: 'EC' });
  // A noDA key answers a wrong password with TPM_RC_BAD_AUTH; the provider's DA keys with TPM_RC_AUTH_FAIL.
  swtpm.createPersistentKey('0x81000103', 'ecc256:null:null', 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign|noda', 's3cret');
});

afterAll(async () => {
  await swtpm?.stop();
  workspace?.cleanup();
});

const signString = (args: string[], env: Record<string, string> = {}, input?: string) =>
  runCli(['sign-string', ...args, '--format', 'text'], { env: { ...swtpm.env, ...env }, input });

const passwordFile = (name: string, content: string, mode?: number) => workspace.write(name, content, mode);

function expectSignature(result: CliResult) {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^30[0-9a-f]{60,}$/);
}


/** Runs the CLI on a pseudo-terminal, typing each answer once its prompt shows (one given as a function once it resolves). */
function runOnTerminal(
  args: string[],
  answers: ReadonlyArray<readonly [prompt: string, answer: string | (() => Promise<string>)]>,
  env = swtpm.env,
): Promise<{ code: number | null; output: string }> {
  const steps = answers.map(([after, answer]) => ({ after, keys: async () => `${typeof answer === 'string' ? answer : await answer()}\r` }));
  return typeOnTerminal(cliCommandLine(args), steps, env);
}

describe('the TPM key password from each source', () => {
  it.each<[string, () => { args: string[]; env?: Record<string, string>; input?: string }]>([
    ['--tpm-key-password', () => ({ args: ['--tpm-key-password', 'tpm-pass'] })],
    ['--tpm-key-password-file', () => ({ args: ['--tpm-key-password-file', passwordFile('tpm.pw', 'tpm-pass\n')] })],
    ['--tpm-key-password-file - (standard input)', () => ({ args: ['--tpm-key-password-file', '-'], input: 'tpm-pass\n' })],
    ['AWS_ROLESANYWHERE_TPM_KEY_PASSWORD', () => ({ args: [], env: { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'tpm-pass' } })],
  ])('%s reaches the key, and no log line at debug level, in text or JSON', async (_name, source) => {
    const { args, env, input } = source();
    for (const logging of [['--debug'], ['--log-level', 'debug', '--log-format', 'json']]) {
      const result = await signString(['--private-key', keyFile, ...args, ...logging], env, input);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^30[0-9a-f]{60,}$/);
      expect(result.stderr).toContain('tpm2_sign');
      expect(result.stderr).not.toContain('tpm-pass');
    }
  });

  it('the file wins over the environment variable', async () => {
    expectSignature(await signString(['--private-key', noDaHandle, '--tpm-key-password-file', passwordFile('noda.pw', 's3cret')], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'nope' }));
  });

  it('a wrong password from a file names the file flag', async () => {
    const result = await signString(['--private-key', noDaHandle, '--tpm-key-password-file', passwordFile('wrong.pw', 'wrong-four')]);
    expectFailure(result, `unable to sign with TPM key ${noDaHandle}: incorrect TPM key password (given with --tpm-key-password-file)`);
    expect(result.stderr).not.toContain('wrong-four');
  });

  it('a password file others may read is refused, before the TPM is used', async () => {
    const file = passwordFile('shared-tpm.pw', 'tpm-pass', 0o644);
    expectFailure(
      await signString(['--private-key', keyFile, '--tpm-key-password-file', file]),
      `unable to read TPM key password from --tpm-key-password-file ${file}: it is readable by its group and others (mode 0644); make it readable by its owner only (chmod 600)`,
    );
  });

  it('--tpm-key-password-file with --no-tpm-key-password, --tpm-key-password, or what --tpm-key-password may not go with, is refused', async () => {
    const file = passwordFile('both.pw', 'tpm-pass');
    expectFailure(
      await signString(['--private-key', keyFile, '--tpm-key-password-file', file, '--no-tpm-key-password']),
      'if any flags in the group [no-tpm-key-password tpm-key-password-file] are set none of the others can be; ' +
        '[no-tpm-key-password tpm-key-password-file] were all set (see aws_signing_helper sign-string --help)',
    );
    expectFailure(
      await signString(['--private-key', keyFile, '--tpm-key-password-file', file, '--tpm-key-password', 'tpm-pass']),
      'if any flags in the group [tpm-key-password tpm-key-password-file] are set none of the others can be; ' +
        '[tpm-key-password tpm-key-password-file] were all set (see aws_signing_helper sign-string --help)',
    );
    // As the reference refuses --tpm-key-password with --reuse-pin (QA: the file flag went through, --reuse-pin ignored).
    for (const command of ['sign-string', 'credential-process']) {
      const result = await runCli([command, '--private-key', keyFile, '--tpm-key-password-file', file, '--reuse-pin']);
      expectFailure(
        result,
        'if any flags in the group [tpm-key-password-file reuse-pin] are set none of the others can be; ' +
          `[reuse-pin tpm-key-password-file] were all set (see aws_signing_helper ${command} --help)`,
      );
    }
  });

  it('a TSS2 key from a variable, or from standard input with its password from a variable', async () => {
    const key = readFileSync(keyFile, 'utf8');
    expectSignature(await signString(['--private-key', 'env:TPM_KEY', '--tpm-key-password', 'tpm-pass'], { TPM_KEY: key }));
    expectSignature(await signString(['--private-key', '-'], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'tpm-pass' }, key));
  });
});

describe('TPM key passwords', () => {
  it('a wrong --tpm-key-password is reported as a wrong password (TPM_RC_AUTH_FAIL, DA-protected key)', async () => {
    const result = await signString(['--private-key', keyFile, '--tpm-key-password', 'wrong-one']);
    expectFailure(result, `unable to sign with TPM key ${keyFile}: incorrect TPM key password (given with --tpm-key-password)`);
    expect(result.stderr).not.toContain('wrong-one');
  });

  it('a wrong password from AWS_ROLESANYWHERE_TPM_KEY_PASSWORD says where it came from', async () => {
    const result = await signString(['--private-key', keyFile], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'wrong-two' });
    expectFailure(result, `unable to sign with TPM key ${keyFile}: incorrect TPM key password (from AWS_ROLESANYWHERE_TPM_KEY_PASSWORD)`);
    expect(result.stderr).not.toContain('wrong-two');
  });

  it('a wrong password for a noDA persistent key (TPM_RC_BAD_AUTH) is a wrong password too', async () => {
    const result = await signString(['--private-key', noDaHandle, '--tpm-key-password', 'wrong-three']);
    expectFailure(result, `unable to sign with TPM key ${noDaHandle}: incorrect TPM key password (given with --tpm-key-password)`);
  });

  it('--no-tpm-key-password for a key that has one says so', async () => {
    const result = await signString(['--private-key', noDaHandle, '--no-tpm-key-password']);
    expectFailure(
      result,
      `unable to sign with TPM key ${noDaHandle}: incorrect TPM key password: the key has a password, but --no-tpm-key-password says it has none`,
    );
  });

  it('--tpm-key-password wins over the environment variable, and the right one signs', async () => {
    expectSignature(await signString(['--private-key', noDaHandle, '--tpm-key-password', 's3cret'], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'nope' }));
  });

  it('a password for a key file whose emptyAuth is TRUE is refused, as the reference refuses it', async () => {
    const result = await signString(['--private-key', openKeyFile, '--tpm-key-password', 'unneeded']);
    expectFailure(result, `unable to parse private key ${openKeyFile}: password is provided but TPM key file indicates that one isn't required`);
  });

  it('the environment variable is ignored for a key file whose emptyAuth is TRUE', async () => {
    expectSignature(await signString(['--private-key', openKeyFile], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: 'unneeded' }));
  });

  it('with no password and no terminal, fails at once rather than wait for one', async () => {
    const result = await runCli(['sign-string', '--private-key', keyFile], { env: swtpm.env, withoutTerminal: true });
    expectFailure(
      result,
      `unable to sign with TPM key ${keyFile}: unable to read your TPM key password (no terminal to ask on); ` +
        'give it with --tpm-key-password-file, --tpm-key-password or AWS_ROLESANYWHERE_TPM_KEY_PASSWORD, or use --no-tpm-key-password if the key has none',
    );
  });

  it('never puts the password on a command line or in the debug log', async () => {
    const result = await signString(['--private-key', keyFile, '--tpm-key-password', 'tpm-pass', '--debug']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/TPM: tpm2_sign .* -p file:- /);
    expect(result.stderr).not.toContain('tpm-pass');
  });

  it('asks on the terminal, and again after a wrong password', async () => {
    const { code, output } = await runOnTerminal(['sign-string', '--private-key', keyFile, '--format', 'text'], [
      ['Please enter your TPM key password:', 'not-it'],
      ['Incorrect TPM key password. Please try again:', 'tpm-pass'],
    ]);
    expect(output).not.toContain('tpm-pass');
    expect(code).toBe(0);
    expect(output).toMatch(/30[0-9a-f]{60,}/);
  });

  it('holds no lock on the TPM while a wrong password is typed again: another run signs meanwhile', async () => {
    let other: Awaited<ReturnType<typeof signString>> | undefined;
    const { code, output } = await runOnTerminal(['sign-string', '--private-key', keyFile, '--format', 'text'], [
      ['Please enter your TPM key password:', 'not-it'],
      ['Incorrect TPM key password. Please try again:', async () => {
        other = await signString(['--private-key', noDaHandle, '--tpm-key-password', 's3cret']);
        return 'tpm-pass';
      }],
    ]);
    expect(other, 'the other run finished while this one waited at the prompt').toBeDefined();
    expectSignature(other!);
    // Not after a wait for the lock (up to 60 s) or a failure for want of it.
    expect(other!.ms).toBeLessThan(10_000);
    expect(code).toBe(0);
    expect(output).toMatch(/30[0-9a-f]{60,}/);
  }, 40_000);

  it('gives up after three wrong passwords typed on the terminal', async () => {
    const { code, output } = await runOnTerminal(['sign-string', '--private-key', noDaHandle], [
      ['Please enter your TPM key password:', 'a'],
      ['Incorrect TPM key password. Please try again:', 'b'],
      ['Incorrect TPM key password. Please try again:', 'c'],
    ]);
    expect(code).toBe(1);
    expect(output).toContain(`unable to sign with TPM key ${noDaHandle}: incorrect TPM key password (typed 3 times)`);
  });

  it("says, at the prompt, how many more wrong passwords the TPM takes before it locks out, and that the last one locked it (QA: swtpm's limit is the prompt's 3)", async () => {
    await Swtpm.lockingOutAfter(3, async (strict) => {
      const key = strict.createKeyFile(workspace.path('strict.pem'), { algorithm: 'EC', password: 'right' });
      const { code, output } = await runOnTerminal(['sign-string', '--private-key', key], [
        ['Please enter your TPM key password:', 'a'],
        ['Incorrect TPM key password (the TPM locks out after 2 more wrong passwords). Please try again:', 'b'],
        ['Incorrect TPM key password (the TPM locks out after 1 more wrong password). Please try again:', 'c'],
      ], strict.env);
      expect(code).toBe(1);
      expect(output).toContain(
        `unable to sign with TPM key ${key}: incorrect TPM key password (typed 3 times); ` +
          'the TPM now refuses passwords (dictionary-attack lockout); wait for it to recover, or reset it with tpm2_dictionarylockout -c',
      );
    });
  }, 40_000);

  it.each([
    ['str:abc', 'a str: prefix'],
    ['hex:4142', 'a hex: prefix'],
    ['plain-pass', 'no prefix'],
    ['pässwörd€ ', 'non-ASCII characters and a trailing space'],
  ])('a password such as %s (%s) is the password itself, as the tpm2-openssl provider takes it', async (secret) => {
    const key = swtpm.createKeyFile(workspace.path(`literal-${Buffer.from(secret).toString('hex')}.pem`), { algorithm: 'EC', password: secret });
    expectSignature(await signString(['--private-key', key, '--tpm-key-password', secret]));
    expectSignature(await signString(['--private-key', key], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: secret }));
  });

  it('a password such as str:abc is not taken as abc', async () => {
    const key = swtpm.createKeyFile(workspace.path('literal-abc.pem'), { algorithm: 'EC', password: 'abc' });
    const result = await signString(['--private-key', key, '--tpm-key-password', 'str:abc']);
    expectFailure(result, `unable to sign with TPM key ${key}: incorrect TPM key password (given with --tpm-key-password)`);
  });

  it('a password longer than the 64 bytes a TPM key password can hold is refused as wrong, saying so, before the TPM is used (QA: tpm2_sign failed: Invalid key authorization)', async () => {
    // 64 bytes may be some key's password, so it goes to the TPM; 33 two-byte characters are 66 bytes.
    expectFailure(
      await signString(['--private-key', keyFile, '--tpm-key-password', 'x'.repeat(64)]),
      `unable to sign with TPM key ${keyFile}: incorrect TPM key password (given with --tpm-key-password)`,
    );
    for (const tooLong of ['x'.repeat(65), 'é'.repeat(33)]) {
      expectFailure(
        await signString(['--private-key', noDaHandle], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: tooLong }),
        `unable to sign with TPM key ${noDaHandle}: incorrect TPM key password (from AWS_ROLESANYWHERE_TPM_KEY_PASSWORD); it is longer than the 64 bytes a TPM key password can be`,
      );
      const debug = await signString(['--private-key', noDaHandle, '--debug'], { AWS_ROLESANYWHERE_TPM_KEY_PASSWORD: tooLong });
      expect(debug.code).toBe(1);
      expect(debug.stderr).toContain('it is longer than the 64 bytes');
      expect(debug.stderr).not.toContain('tpm2_sign');
      expect(debug.stderr).not.toContain(tooLong.slice(0, 20));
    }
    const { code, output } = await runOnTerminal(['sign-string', '--private-key', keyFile, '--format', 'text'], [
      ['Please enter your TPM key password:', 'y'.repeat(65)],
      ['Incorrect TPM key password (it is longer than the 64 bytes a TPM key password can be). Please try again:', 'tpm-pass'],
    ]);
    expect(code).toBe(0);
    expect(output).toMatch(/30[0-9a-f]{60,}/);
  });

  it('leaves no transient object or session in the TPM, whatever failed', () => {
    expect(swtpm.handles('handles-transient')).toEqual([]);
    expect(swtpm.handles('handles-loaded-session')).toEqual([]);
  });
});
