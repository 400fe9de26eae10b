import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/keys/certificate.js';
import { pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { cliPath, errorLine, expectFailure, projectRoot, runCli } from '../support/cli.js';
import { Scenario } from '../support/scenario.js';
import { tabCompleted } from '../support/tabCompleted.js';
import { readVector, vectorPath } from '../support/vectors.js';

const PKI = (name: string) => vectorPath(`pki/${name}`);
const scratch = mkdtempSync(join(tmpdir(), 'rah-diagnostics-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a file under this file's scratch folder and returns its path. */
function scriptFile(name: string, content: string): string {
  const path = join(scratch, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}
const rsaKey = ['--certificate', PKI('rsa2048-cert.pem'), '--private-key', PKI('rsa2048-key.pem')];

let scenario: Scenario;
beforeAll(async () => {
  scenario = await Scenario.start();
});
afterAll(async () => scenario.stop());

/** The message sign-string signs, built independently: prefix ‖ "1" ‖ SHA256("IAM RA" ‖ public key bytes). */
function signStringMessage(publicKeyBytes: Buffer): Buffer {
  const digest = createHash('sha256').update('IAM RA').update(publicKeyBytes).digest();
  return Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'), digest]);
}

describe('sign-string, against the reference\'s outputs', () => {
  it.each(['SHA256', 'SHA384', 'SHA512'])('RSA %s in json and text, byte for byte', async (digest) => {
    for (const format of ['json', 'text']) {
      const result = await runCli(['sign-string', ...rsaKey, '--digest', digest, '--format', format]);
      expect(result.stderr).toBe('');
      expect(result.stdoutBytes.equals(readVector(`sign-rsa-${digest}.${format}`))).toBe(true);
    }
  });

  it('RSA in bin, and json by default, byte for byte', async () => {
    expect((await runCli(['sign-string', ...rsaKey, '--format', 'bin'])).stdoutBytes.equals(readVector('sign-rsa-SHA256.bin'))).toBe(true);
    expect((await runCli(['sign-string', ...rsaKey])).stdoutBytes.equals(readVector('sign-rsa-SHA256.json'))).toBe(true);
  });

  it('with --debug, the same signature, and on stderr the lines the reference logs: its signer, then the form of the message (mutation testing: the latter was unchecked)', async () => {
    const result = await runCli(['sign-string', ...rsaKey, '--debug', '--format', 'text']);
    expect(result.stdoutBytes.equals(readVector('sign-rsa-SHA256.text'))).toBe(true);
    expect(result.stderr.split('\n').filter(Boolean).map((line) => line.replace(/^\S+ \S+ /, ''))).toEqual([
      'attempting to use FileSystemSigner',
      'Signing fixed string of the form: "AWS Roles Anywhere Credential Helper Signing Test" || SIGN_STRING_TEST_VERSION || SHA256("IAM RA" || PUBLIC_KEY_BYTE_ARRAY)"',
    ]);
  });

  it('EC: a DER ECDSA signature over the message with the uncompressed point, which verifies (as the reference\'s does)', async () => {
    const certificate = createPublicKey(readVector('pki/ec256-cert.pem'));
    const { x, y } = certificate.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(x!, 'base64url'), Buffer.from(y!, 'base64url')]);
    const ours = (await runCli(['sign-string', '--certificate', PKI('ec256-cert.pem'), '--private-key', PKI('ec256-key.pem'), '--format', 'text'])).stdout;
    for (const signature of [ours, readVector('sign-ec256-SHA256.text').toString()]) {
      expect(verify('sha256', signStringMessage(point), { key: certificate, dsaEncoding: 'der' }, Buffer.from(signature, 'hex'))).toBe(true);
    }
  });

  it('ML-DSA: a deterministic pure ML-DSA signature over the message with the public key', async () => {
    const leaf = await scenario.leaf('sign-mldsa', { keyAlgorithm: 'ml-dsa-44' });
    const args = ['sign-string', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--format', 'bin'];
    const first = (await runCli(args)).stdoutBytes;
    expect(first.length).toBe(2420);
    expect((await runCli(args)).stdoutBytes.equals(first)).toBe(true);
    const publicKey = parseCertificate(leaf.certificate.der).publicKey.keyBits;
    expect(ml_dsa44.verify(first, signStringMessage(publicKey), publicKey)).toBe(true);
  });

  it.each([['--digest', 'SHA1', 'invalid argument "SHA1" for "--digest" flag: SHA1 is not included in SHA256,SHA384,SHA512 (see aws_signing_helper sign-string --help)'],
    ['--format', 'pem', 'invalid argument "pem" for "--format" flag: pem is not included in json,text,bin (see aws_signing_helper sign-string --help)']])(
    'refuses %s %s', async (flag, value, message) => {
      const result = await runCli(['sign-string', ...rsaKey, flag, value]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(errorLine(result)).toBe(message);
    });
});

describe('read-certificate-data', () => {
  it.each([['rsa2048'], ['ec256']])('%s, byte for byte as the reference printed it', async (name) => {
    const result = await runCli(['read-certificate-data', '--certificate', PKI(`${name}-cert.pem`)]);
    expect(result.stderr).toBe('');
    expect(result.stdoutBytes.equals(readVector(`read-certificate-data-${name}.txt`))).toBe(true);
  });

  it('ML-DSA and DER certificates, and a combined key+certificate file', async () => {
    const leaf = await scenario.leaf('rcd-mldsa', { keyAlgorithm: 'ml-dsa-65' });
    const der = scenario.workspace.write('rcd.der', leaf.certificate.der);
    const combined = scenario.workspace.write('rcd-combined.pem', pkcs8Pem(leaf.certificate.key!) + leaf.certificate.pem);
    for (const path of [leaf.certPath, der, combined]) {
      const output = JSON.parse((await runCli(['read-certificate-data', '--certificate', path])).stdout);
      expect(output).toEqual({
        keyType: 'ML-DSA-65',
        certificateData: leaf.certificate.der.toString('base64'),
        serialNumber: BigInt(`0x${leaf.certificate.serialNumberHex}`).toString(),
        supportedAlgorithms: ['ML-DSA-65'],
      });
    }
  });

  it('a file that is not a certificate', async () => {
    const result = await runCli(['read-certificate-data', '--certificate', PKI('ec256-key.pem')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(`could not parse PEM data in ${PKI('ec256-key.pem')}: no CERTIFICATE block found`);
  });

  it('a certificate whose EC key is on a curve the helper cannot sign with (which the reference cannot parse), as credential-process names it', async () => {
    const key = join(scratch, 'k1-key.pem');
    const cert = join(scratch, 'k1-cert.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-out', key]);
    execFileSync('openssl', ['req', '-x509', '-key', key, '-subj', '/CN=k1', '-days', '1', '-out', cert]);
    expectFailure(
      await runCli(['read-certificate-data', '--certificate', cert]),
      `unsupported key type in certificate ${cert} (an EC key on curve 1.3.132.0.10); Roles Anywhere accepts RSA of 2048 bits or more, EC P-256, P-384 or P-521, or ML-DSA`,
    );
  });

  it('a --cert-selector it cannot parse is said as such, before the certificate store it would search (mutation testing: the store was named)', async () => {
    expectFailure(await runCli(['read-certificate-data', '--cert-selector', 'bogus']), 'unable to parse cert selector string at "bogus"');
  });

  it('a PKCS#12 file, which it does not read (as the reference does not), saying so', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rah-rcd-'));
    try {
      const p12 = join(work, 'bundle.p12');
      execFileSync('openssl', ['pkcs12', '-export', '-inkey', PKI('ec256-key.pem'), '-in', PKI('ec256-cert.pem'), '-passout', 'pass:', '-out', p12]);
      const result = await runCli(['read-certificate-data', '--certificate', p12]);
      expect([result.code, result.stdout]).toEqual([1, '']);
      expect(errorLine(result)).toBe(`could not parse certificate ${p12}: it is a PKCS#12 file, which read-certificate-data does not read: give its certificate as PEM or DER`);
      const help = await runCli(['read-certificate-data', '--help']);
      expect(help.stdout).toMatch(/--certificate string +Path to the certificate file \(PEM or DER\) or a pkcs11: URI;/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/** The bin run by that name (npm links both names to it), which names its scripts' functions after it. */
function binNamed(program: string): string {
  const bin = join(dirname(scriptFile(`bin-${program}/.keep`, '')), program);
  if (!existsSync(bin)) symlinkSync(cliPath, bin);
  return bin;
}

describe('version, help and completion', () => {
  it('version and --version print the version and a newline', async () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    for (const args of [['version'], ['--version']]) {
      expect(await runCli(args)).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('no arguments, --help and help <command> print help on stdout', async () => {
    for (const args of [[], ['--help'], ['help'], ['help', 'serve'], ['serve', '--help'], ['credential-process', '-h'], ['credential-process', '--help=true']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^(The credential helper is a tool to retrieve temporary AWS credentials|Serve AWS credentials|Retrieve AWS credentials)/);
    }
    expect((await runCli(['serve', '--help'])).stdout).toContain('--hop-limit int');
  });

  // cobra's help command prints the root's usage there (c.Root().Usage()): the help without its description.
  const rootUsage = async () => (await runCli(['--help'])).stdout.replace(/^[^\n]*\n\n(?=Usage:\n)/, '');

  it('help about a topic there is none of says so on stderr, with the usage, as cobra does (exit 0)', async () => {
    const result = await runCli(['help', 'bogus']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(await rootUsage()).toMatch(/^Usage:\n {2}aws_signing_helper \[command\]\n/);
    expect(result.stderr).toBe(`Unknown help topic [\`bogus\`]\n${await rootUsage()}`);
  });

  it('help about a topic holding control characters writes them out, as log lines do (QA: an escape sequence reached the terminal)', async () => {
    const result = await runCli(['help', 'bo\x1b[31mgus\r']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Unknown help topic [\`bo\\x1b[31mgus\\x0d\`]\n${await rootUsage()}`);
  });

  it('completion writes a script for each shell, and names the missing shell otherwise', async () => {
    const bash = await runCli(['completion', 'bash']);
    expect(bash.stdout).toContain('complete -o filenames -F _aws_signing_helper aws_signing_helper');
    expect(bash.stdout).toContain('credential-process) opts="--role-arn');
    for (const shell of ['zsh', 'fish', 'powershell']) expect((await runCli(['completion', shell])).stdout.length).toBeGreaterThan(100);
    // cobra's --no-descriptions, which scripts that package completions pass (QA: refused as an unknown flag).
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) expect((await runCli(['completion', shell, '--no-descriptions'])).stdout).toBe((await runCli(['completion', shell])).stdout);
    const result = await runCli(['completion']);
    expectFailure(result, 'completion needs a shell: bash, zsh, fish or powershell (got none) (see aws_signing_helper completion --help)');
    // A shell it does not know is said first, not a word after it (mutation testing: "unknown command" named the word after "bogus").
    expectFailure(await runCli(['completion', 'bogus', 'x']), 'completion needs a shell: bash, zsh, fish or powershell (got "bogus") (see aws_signing_helper completion --help)');
    // A word after the shell, as cobra's shell commands (Args: NoArgs) refuse it (review: the script was printed).
    expectFailure(await runCli(['completion', 'bash', 'x']), 'unknown command "x" for "aws_signing_helper completion bash" (see aws_signing_helper completion --help)');
    // cobra names the first of several (NoArgs: args[0]), also after `--` (mutation review).
    expectFailure(await runCli(['completion', 'zsh', '--', 'x', 'y']), 'unknown command "x" for "aws_signing_helper completion zsh" (see aws_signing_helper completion --help)');
  });

  it("answers cobra's hidden __complete, which completion scripts saved from the reference call (QA: unknown command)", async () => {
    const complete = async (...words: string[]) => {
      const result = await runCli(['__complete', ...words]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      return result.stdout;
    };
    expect(await complete('cred')).toBe('credential-process\n:4\n');
    // Every command, help's topics too, in cobra's order (sorted by name), not the order they are declared in (mutation testing).
    const commands = 'cache\ncheck\ncompletion\ncredential-process\nemulator\nhelp\nread-certificate-data\nserve\nsign-string\nupdate\nversion\n:4\n';
    expect(await complete('')).toBe(commands);
    expect(await complete('help', '')).toBe(commands);
    expect(await complete('credential-process', '--cert')).toBe('--cert-selector\n--certificate\n:4\n');
    // A path flag's value: the shell's own file completion (directive 0); an enum flag's: its values only.
    expect(await complete('credential-process', '--certificate', '')).toBe(':0\n');
    expect(await complete('sign-string', '--format', '')).toBe('json\ntext\nbin\n:4\n');
    expect(await complete('completion', 'f')).toBe('fish\n:4\n');
    expect((await runCli(['__completeNoDesc', 'cache', ''])).stdout).toBe('clear\n:4\n');
    // The command past flags and their values, as cobra's Find takes it (QA: the flag's value was taken for the command).
    expect(await complete('--certificate', 'cert.pem', 'credential-process', '--role-')).toBe('--role-arn\n--role-session-name\n:4\n');
    expect(await complete('--log-level', 'debug', '', 'cache', '')).toBe('clear\n:4\n');
    // No command after a flag: cobra's root, which knows no flag, answers nothing and the shell's file completion.
    expect(await complete('--certificate', '')).toBe(':0\n');
    expect(await complete('--debug', 'credential-process', '--role-')).toBe(':0\n');
    expect(await complete('bogus', '')).toBe(':0\n');
    // A flag given already is not offered again, but a list's (--fallback), as cobra's (a bool takes no value).
    expect(await complete('credential-process', '--role-arn', 'x', '--role-')).toBe('--role-session-name\n:4\n');
    expect(await complete('credential-process', '--debug', '--role-session-name=s', '--de')).toBe(':4\n');
    expect(await complete('--fallback', 'a', 'credential-process', '--fallb')).toBe('--fallback\n:4\n');
    // --help too, once given; and a flag's value that looks like a flag is that value, as pflag takes it (mutation testing).
    expect(await complete('credential-process', '--he')).toBe('--help\n:4\n');
    expect(await complete('credential-process', '--help', '--he')).toBe(':4\n');
    expect(await complete('credential-process', '--role-arn', '--debug', '--de')).toBe('--debug\n:4\n');
    // Help by its shorthand too, as cobra lists it (after a lone -) and takes it as given (-h, -hh), but as a flag's value.
    expect((await complete('credential-process', '-')).split('\n').slice(-4)).toEqual(['--with-proxy', '-h', ':4', '']);
    expect(await complete('credential-process', '-h')).toBe('-h\n:4\n');
    for (const help of ['-h', '-hh']) expect(await complete('credential-process', help, '-')).not.toMatch(/^(--help|-h)$/m);
    expect(await complete('credential-process', '--role-arn', '-h', '--he')).toBe('--help\n:4\n');
    // Hidden, as cobra's is.
    expect((await runCli(['--help'])).stdout).not.toContain('__complete');
  });

  it('completion --help and -h print its help', async () => {
    for (const flag of ['--help', '-h']) {
      const result = await runCli(['completion', flag]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Usage:\n  aws_signing_helper completion [bash|zsh|fish|powershell]');
    }
  });

  it('bash completion offers paths, allowed values or nothing where a flag takes a value, and flags elsewhere', async () => {
    const script = scriptFile('completion.bash', (await runCli(['completion', 'bash'])).stdout);
    const dir = scriptFile('files/certificate.pem', '').replace(/\/certificate\.pem$/, '');
    const complete = (...words: string[]) =>
      execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _aws_signing_helper; printf '%s\n' "\${COMPREPLY[@]}"`], {
        cwd: dir,
        encoding: 'utf8',
      }).trim().split('\n');
    expect(complete('aws_signing_helper', 'credential-process', '--certificate', 'cert')).toEqual(['certificate.pem']);
    // A name with a space is one candidate (QA: two, "my" and "cert.pem").
    scriptFile('files/my cert.pem', '');
    expect(complete('aws_signing_helper', 'credential-process', '--certificate', 'my')).toEqual(['my cert.pem']);
    expect(complete('aws_signing_helper', 'sign-string', '--format', '')).toEqual(['json', 'text', 'bin']);
    expect(complete('aws_signing_helper', 'sign-string', '--digest', 'SHA3')).toEqual(['SHA384']);
    expect(complete('aws_signing_helper', 'credential-process', '--role-arn', '')).toEqual(['']);
    expect(complete('aws_signing_helper', 'credential-process', '--debug', '--role-')).toEqual(['--role-arn', '--role-session-name']);
    expect(complete('aws_signing_helper', 'completion', 'f')).toEqual(['fish']);
    // bash splits `--flag=value` at the `=`; and flags may come before the command (QA: nothing was offered).
    expect(complete('aws_signing_helper', 'credential-process', '--certificate', '=', 'cert')).toEqual(['certificate.pem']);
    expect(complete('aws_signing_helper', '--debug', '=', 'true', 'credential-process', '--role-')).toEqual(['--role-arn', '--role-session-name']);
    expect(complete('aws_signing_helper', '--certificate', 'c.pem', 'credential-process', '--role-')).toEqual(['--role-arn', '--role-session-name']);
    expect(complete('aws_signing_helper', '--certificate', 'cert')).toEqual(['certificate.pem']);
    expect(complete('aws_signing_helper', 'cred')).toEqual(['credential-process']);
    expect(complete('aws_signing_helper', 'cache', 'c')).toEqual(['clear']);
    // --help on every command; a value-taking flag split at its = takes no next word (mutation testing: c.pem was taken for the command); a short flag is no command either.
    expect(complete('aws_signing_helper', 'credential-process', '--he')).toEqual(['--help']);
    expect(complete('aws_signing_helper', '--certificate', '=', 'c.pem', 'credential-process', '--role-')).toEqual(['--role-arn', '--role-session-name']);
    expect(complete('aws_signing_helper', '-h', 'cred')).toEqual(['credential-process']);
    for (const [command, flag] of [['check', '--trust-anchor-certificate'], ['check', '--crl'], ['emulator', '--trust-anchor-certificate'], ['emulator', '--crl'], ['emulator', '--config']]) {
      expect(complete('aws_signing_helper', command!, flag!, 'cert')).toEqual(['certificate.pem']);
    }
  });

  it.each(['aws_signing_helper', 'roles-anywhere-helper'])('zsh completion of %s works sourced (status 0), and saved as _<name> in $fpath, where compinit finds it (QA)', async (program) => {
    const folder = scriptFile(`fpath-${program}/_${program}`, (await runCli(['completion', 'zsh'], { program: binNamed(program) })).stdout).replace(/\/_[^/]+$/, '');
    // An interactive zsh on a pseudo-terminal (zsh/zpty), given a word to complete and a Tab once it has set
    // up completion (it prints READY, which its echo of the line, RE''ADY, does not hold), then read until
    // the completed word shows, or for 3 s: fixed sleeps failed on a slow machine.
    const driver = scriptFile(
      'drive.zsh',
      [
        'zmodload zsh/zpty',
        "zpty z 'zsh -f -i'",
        'zpty -w z "$1"',
        `zpty -w z 'PS1="> "; autoload -U compinit; compinit -u -D; print RE""ADY'`,
        'out=""',
        'readUntil() { local chunk; for i in {1..$2}; do while zpty -r -t z chunk; do out+=$chunk; done; [[ $out == *"$1"* ]] && return; sleep 0.1; done }',
        'readUntil READY 200',
        'zpty -wn z "$2"$\'\\t\'',
        'readUntil "$3" 30',
        "zpty -wn z $'\\x03'",
        'sleep 0.2',
        'readUntil "" 1',
        'print -r -- "$out"',
        'zpty -d z',
      ].join('\n'),
    );
    const completed = (setUp: string) =>
      execFileSync('zsh', ['-f', driver, setUp, `${program} credential-pro`, `${program} credential-process`], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: folder },
      });
    expect(completed(`fpath=(${folder} $fpath)`)).toContain(`${program} credential-process`);
    expect(completed(`autoload -U +X compinit && compinit -u -D; source ${folder}/_${program}; echo "sourced:$?"`)).toMatch(new RegExp(`sourced:0[^]*${program} credential-process`));
    expect(completed('true')).not.toContain(`${program} credential-process`);
  });

  it('bash completion gives a file name holding [ as that name (QA: a[1].pem came out as a1.pem)', async () => {
    // Had the [ not been escaped on the line, bash would pass a1.pem, which the pattern matches.
    const script = scriptFile('tab-bash/completion.bash', (await runCli(['completion', 'bash'])).stdout);
    const dir = dirname(scriptFile('tab-bash/files/a[1].pem', ''));
    scriptFile('tab-bash/files/a1.pem', '');
    const completed = (line: string) => tabCompleted('bash', `source ${script}`, line, dir);
    expect(completed('aws_signing_helper credential-process --certificate a[')).toEqual(['credential-process', '--certificate', 'a[1].pem']);
    expect(completed('aws_signing_helper credential-process --certificate a\\[')).toEqual(['credential-process', '--certificate', 'a[1].pem']);
    expect(completed('aws_signing_helper credential-process --certificate=a[')).toEqual(['credential-process', '--certificate=a[1].pem']);
  });

  it('zsh completion of a --flag=value word completes the value, a file or one of the values (QA: nothing was offered)', async () => {
    const script = scriptFile('tab-zsh/completion.zsh', (await runCli(['completion', 'zsh'])).stdout);
    const dir = dirname(scriptFile('tab-zsh/files/certificate.pem', ''));
    const completed = (line: string) => tabCompleted('zsh', `autoload -U compinit && compinit -u -D; source ${script}`, line, dir);
    expect(completed('aws_signing_helper credential-process --certificate=cert')).toEqual(['credential-process', '--certificate=certificate.pem']);
    expect(completed('aws_signing_helper sign-string --format=j')).toEqual(['sign-string', '--format=json']);
    expect(completed('aws_signing_helper --log-level=d')).toEqual(['--log-level=debug']);
    // A flag's value in a word of its own, as before.
    expect(completed('aws_signing_helper credential-process --certificate cert')).toEqual(['credential-process', '--certificate', 'certificate.pem']);
  });

  it('fish completion takes paths for path flags and values for enum flags', async () => {
    const fish = (await runCli(['completion', 'fish'])).stdout;
    // The commands only where none was given yet; a bool flag takes no value, so it neither demands one (-x) nor a file (-r) (mutation testing).
    expect(fish).toMatch(/^complete -c aws_signing_helper -f -n '__fish_use_subcommand' -a 'cache check completion credential-process emulator help read-certificate-data serve sign-string update version'\n/);
    expect(fish).toContain("complete -c aws_signing_helper -n '__fish_seen_subcommand_from credential-process' -l debug\n");
    expect(fish).toContain("complete -c aws_signing_helper -n '__fish_seen_subcommand_from credential-process' -l certificate -r -F");
    expect(fish).toContain("complete -c aws_signing_helper -n '__fish_seen_subcommand_from sign-string' -l format -x -a 'json text bin'");
    expect(fish).toContain("complete -c aws_signing_helper -n '__fish_seen_subcommand_from credential-process' -l role-arn -x");
    expect(fish).toContain("complete -c aws_signing_helper -n '__fish_seen_subcommand_from emulator' -l config -r -F");
    expect(fish).toContain("complete -c aws_signing_helper -f -n '__fish_seen_subcommand_from cache' -a 'clear'");
  });

  it("powershell completion offers a command's words besides its flags", async () => {
    const powershell = (await runCli(['completion', 'powershell'])).stdout;
    expect(powershell).toContain("  'cache' = @('clear', '--log-level', '--log-format')\n");
    expect(powershell).toContain("  'completion' = @('bash', 'zsh', 'fish', 'powershell', '--no-descriptions', '--log-level', '--log-format')\n");
    // Named after the program, a - written _: PowerShell would read $_roles-anywhere-helperFlags as a subtraction (mutation testing).
    const named = (await runCli(['completion', 'powershell'], { program: binNamed('roles-anywhere-helper') })).stdout;
    expect(named).toMatch(/^\$_roles_anywhere_helperFlags = @\{\n/);
    expect(named).toContain("Register-ArgumentCompleter -Native -CommandName 'roles-anywhere-helper' -ScriptBlock {\n");
    expect(named).toContain(' else { $_roles_anywhere_helperFlags[$words[1]] }');
  });
});
