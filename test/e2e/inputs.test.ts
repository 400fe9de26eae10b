import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { cleanEnv, cliPath, failureMessage as failure, runCli, type CliResult } from '../support/cli.js';
import { imdsCredentials } from '../support/imdsClient.js';
import { startServe } from '../support/longRunning.js';
import { ARNS, printedCredentials, Scenario, openssl, type LeafFiles } from '../support/scenario.js';

let scenario: Scenario;
let leaf: LeafFiles;
let rsaLeaf: LeafFiles;
let chained: LeafFiles;
let chainPem: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('inline-ec', { keyAlgorithm: 'ec-p384' });
  rsaLeaf = await scenario.leaf('inline-rsa', { keyAlgorithm: 'rsa-2048' });
  const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Inline Issuing CA' });
  chainPem = intermediate.certificate.pem;
  chained = await scenario.leaf('inline-chained', { keyAlgorithm: 'ec-p256' }, intermediate);
});
afterAll(async () => scenario.stop());

const pem = (path: string) => readFileSync(path, 'utf8');
const base64 = (data: Buffer) => data.toString('base64');

function run(keyArgs: string[], options: { env?: Record<string, string>; input?: string | Buffer; extra?: string[] } = {}) {
  return runCli(['credential-process', ...keyArgs, ...scenario.sessionFlags(), ...(options.extra ?? [])], options);
}

/** Exactly the credentials the emulator issued last, and nothing on stderr. */
function expectCredentials(result: CliResult) {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
}


describe('the certificate, key and chain from environment variables (env:NAME)', () => {
  it('PEM: a PKCS#8 key and its certificate', async () => {
    expectCredentials(await run(['--certificate', 'env:CERT', '--private-key', 'env:KEY'], { env: { CERT: pem(leaf.certPath), KEY: pem(leaf.keyPath) } }));
  });

  it('base64 DER, as CI secrets often hold binary files: a SEC1 key and a DER certificate, wrapped at 76 columns', async () => {
    const sec1 = leaf.certificate.key!.keyObject!.export({ type: 'sec1', format: 'der' });
    const wrapped = (data: Buffer) => base64(data).replace(/.{76}/g, '$&\n');
    expectCredentials(await run(['--certificate', 'env:CERT', '--private-key', 'env:KEY'], { env: { CERT: wrapped(leaf.certificate.der), KEY: wrapped(sec1) } }));
  });

  it('a PKCS#12 file as base64, with its password from the environment too', async () => {
    const p12 = openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:p12-pass']);
    expectCredentials(await run(['--certificate', 'env:P12'], { env: { P12: base64(p12), AWS_ROLESANYWHERE_PKCS12_PASSWORD: 'p12-pass' } }));
  });

  it('a combined key+certificate PEM as --certificate alone, and the chain as --intermediates', async () => {
    const combined = pkcs8Pem(chained.certificate.key!) + chained.certificate.pem;
    expectCredentials(await run(['--certificate', 'env:IDENTITY', '--intermediates', 'env:CHAIN'], { env: { IDENTITY: combined, CHAIN: chainPem } }));
  });

  it('an encrypted PKCS#8 key, its password from AWS_ROLESANYWHERE_PKCS8_PASSWORD', async () => {
    const encrypted = openssl(['pkcs8', '-topk8', '-in', rsaLeaf.keyPath, '-v2', 'aes-128-cbc', '-passout', 'pass:pw']).toString();
    expectCredentials(
      await run(['--certificate', rsaLeaf.certPath, '--private-key', 'env:KEY'], { env: { KEY: encrypted, AWS_ROLESANYWHERE_PKCS8_PASSWORD: 'pw' } }),
    );
  });

  it('a variable not set, empty, or holding neither PEM nor base64', async () => {
    expect(failure(await run(['--certificate', 'env:NOT_SET', '--private-key', leaf.keyPath]))).toBe(
      'unable to read certificate from env:NOT_SET: the environment variable NOT_SET is not set',
    );
    expect(failure(await run(['--certificate', leaf.certPath, '--private-key', 'env:EMPTY'], { env: { EMPTY: '' } }))).toBe(
      'unable to read private key from env:EMPTY: the environment variable EMPTY is empty',
    );
    expect(failure(await run(['--certificate', leaf.certPath, '--private-key', 'env:PATHNAME'], { env: { PATHNAME: leaf.keyPath } }))).toBe(
      'unable to read private key from env:PATHNAME: PATHNAME holds neither PEM (-----BEGIN ...) nor base64 DER',
    );
  });

  it('a PEM whose line breaks were lost, written as \\n or run into one line, is said to be damaged (QA: "no block found")', async () => {
    const literal = (path: string) => pem(path).replaceAll('\n', '\\n');
    const before = scenario.emulator.issued.length;
    const certificate = await run(['--certificate', 'env:CERT', '--private-key', leaf.keyPath], { env: { CERT: literal(leaf.certPath) } });
    expect(failure(certificate)).toBe('could not parse PEM data in env:CERT: its CERTIFICATE block is damaged: it holds \\n as two characters where line breaks belong');
    expect(certificate.stdout).toBe('');
    const key = await run(['--certificate', leaf.certPath, '--private-key', 'env:KEY'], { env: { KEY: pem(leaf.keyPath).replaceAll('\n', ' ') } });
    expect(failure(key)).toBe('unable to parse private key env:KEY: its PRIVATE KEY block is damaged (no line break after its BEGIN line, no END line, or not base64)');
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it('messages name the input as env:NAME', async () => {
    const result = await run(['--certificate', 'env:CERT', '--private-key', 'env:OTHER_KEY'], { env: { CERT: pem(leaf.certPath), OTHER_KEY: pem(rsaLeaf.keyPath) } });
    expect(failure(result)).toBe('private key does not match the certificate: env:OTHER_KEY is not the key of env:CERT');
  });

  it('a key given where its path belongs (PEM or base64 DER) is not shown in the message', async () => {
    const key = pem(rsaLeaf.keyPath);
    const der = openssl(['pkey', '-in', rsaLeaf.keyPath, '-outform', 'DER']).toString('base64');
    // Base64 holding "pin" before an `=`, which one random key in some had: taken for a secret flag given as
    // the value, its PEM was quoted up to the `=` (CI).
    const pinned = key.replace(/\n.{8}/, '\nMIIEpinQ').replace(/\n-----END/, '=\n-----END');
    for (const given of [key, der, der.replaceAll('/', 'A'), pinned]) {
      const result = await run(['--certificate', rsaLeaf.certPath, '--private-key', given]);
      expect(failure(result)).toMatch(/^unable to read private key: (no such file or directory|the name is too long), and what was given looks like PEM or base64 content, not a path \(not shown\)$/);
      expect(result.stderr).not.toContain(der.slice(20, 60));
      expect(result.stderr).not.toContain(key.split('\n')[1]!.slice(0, 40));
      expect(result.stderr).not.toContain('MIIEpinQ');
    }
  });
});

describe('the certificate, key or chain from standard input (-)', () => {
  it('a combined key+certificate PEM as --certificate - alone', async () => {
    expectCredentials(await run(['--certificate', '-'], { input: pkcs8Pem(leaf.certificate.key!) + leaf.certificate.pem }));
  });

  it('a PKCS#1 RSA key, and a DER certificate, as raw bytes', async () => {
    const pkcs1 = rsaLeaf.certificate.key!.keyObject!.export({ type: 'pkcs1', format: 'pem' }) as string;
    expectCredentials(await run(['--certificate', rsaLeaf.certPath, '--private-key', '-'], { input: pkcs1 }));
    expectCredentials(await run(['--certificate', '-', '--private-key', rsaLeaf.keyPath], { input: rsaLeaf.certificate.der }));
  });

  it('a PKCS#12 file, as raw bytes', async () => {
    const p12 = openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:']);
    expectCredentials(await run(['--certificate', '-'], { input: p12 }));
  });

  it('the chain', async () => {
    expectCredentials(await run(['--certificate', chained.certPath, '--private-key', chained.keyPath, '--intermediates', '-'], { input: chainPem }));
  });

  it('one flag only: two are refused before anything is read, with a hint for a combined PEM', async () => {
    expect(failure(await run(['--certificate', '-', '--private-key', '-'], { input: pem(leaf.certPath) }))).toBe(
      'standard input can be read by one flag only, and --certificate and --private-key both say -; ' +
        'for a key and certificate in one PEM, give --certificate - alone (see aws_signing_helper credential-process --help)',
    );
  });

  it('a standard input that never ends, or holds more than a file input may: refused at 4 MiB, as a file is', async () => {
    for (const source of ['cat /dev/zero', 'head -c 5000000 /dev/urandom | base64 -w0']) {
      const child = spawn('sh', ['-c', `${source} | "${process.execPath}" "${cliPath}" "$@"`, 'sh', 'credential-process', '--certificate', '-', ...scenario.sessionFlags()], {
        env: cleanEnv(),
        detached: true, // its own process group: a helper that kept reading is killed with the pipe
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
      const code = await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toMatch(/^\S+ \S+ unable to read certificate from standard input: larger than 4 MiB\n$/);
    }
  });

  it('a standard input that is closed or /dev/null is said to be, not a terminal (QA), and one that is a device is a device', async () => {
    for (const [redirect, reason] of [
      ['<&-', 'it is /dev/null (closed, or redirected from /dev/null), not a pipe or a file'],
      ['</dev/null', 'it is /dev/null (closed, or redirected from /dev/null), not a pipe or a file'],
      ['</dev/zero', 'it is a terminal or a device, not a pipe or a file'],
    ] as const) {
      const result = spawnSync('sh', ['-c', `"${process.execPath}" "${cliPath}" "$@" ${redirect}`, 'sh', 'credential-process', '--certificate', '-', ...scenario.sessionFlags()], {
        env: cleanEnv(),
        encoding: 'utf8',
        timeout: 20_000, // it fails before any request: the emulator in this process could not answer one
      });
      expect({ code: result.status, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(new RegExp(`^\\S+ \\S+ unable to read certificate from standard input: ${reason.replace(/[()/]/g, '\\$&')}\n$`));
    }
  });

  it('an empty standard input, and messages naming it', async () => {
    expect(failure(await run(['--certificate', leaf.certPath, '--private-key', '-'], { input: '' }))).toBe(
      'unable to read private key from standard input: it is empty',
    );
    expect(failure(await run(['--certificate', '-'], { input: pem(leaf.certPath) }))).toBe(
      'unable to parse private key: standard input holds no private key; give the key with --private-key',
    );
  });
});

describe('credential-process fed by a CI job', () => {
  it('a shell script pipes the certificate in and passes the key by variable; nothing touches the disk', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'rah-ci-'));
    const script = `
      set -eu
      # The job's secrets, as a CI system hands them over: values in the environment.
      printf '%s\\n' "$WORKLOAD_CERTIFICATE" |
        "$NODE" "$HELPER" credential-process --certificate - --private-key env:WORKLOAD_KEY \\
          --trust-anchor-arn "$TRUST_ANCHOR_ARN" --profile-arn "$PROFILE_ARN" --role-arn "$ROLE_ARN" --endpoint "$ENDPOINT"
      ls -A
    `;
    const env = cleanEnv({
      NODE: process.execPath,
      HELPER: cliPath,
      WORKLOAD_CERTIFICATE: pem(rsaLeaf.certPath),
      WORKLOAD_KEY: pem(rsaLeaf.keyPath),
      TRUST_ANCHOR_ARN: ARNS.trustAnchorArn,
      PROFILE_ARN: ARNS.profileArn,
      ROLE_ARN: ARNS.roleArn,
      ENDPOINT: scenario.emulator.url,
    });
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('sh', ['-c', script], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const issued = scenario.emulator.issued.at(-1)!;
    // The credentials, then what `ls -A` found in the job's folder: nothing.
    expect(stdout).toBe(printedCredentials(issued));
    expect(issued.serialNumber).toBe(BigInt(`0x${rsaLeaf.certificate.serialNumberHex}`).toString());
  });
});

describe('with --cache', () => {
  const cacheEnv = () => ({ ROLES_ANYWHERE_HELPER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'rah-inline-cache-')) });

  it('an env: certificate is answered from the cache: one CreateSession for two runs', async () => {
    const env = { ...cacheEnv(), CERT: pem(leaf.certPath), KEY: pem(leaf.keyPath) };
    const before = scenario.emulator.issued.length;
    const first = await run(['--cache', '--certificate', 'env:CERT', '--private-key', 'env:KEY'], { env });
    const second = await run(['--cache', '--certificate', 'env:CERT', '--private-key', 'env:KEY'], { env });
    expectCredentials(first);
    expect(second.stdout).toBe(first.stdout);
    expect(scenario.emulator.issued.length).toBe(before + 1);
  });

  it('a - input is left for the CLI to read, on a miss and on a hit', async () => {
    const env = cacheEnv();
    const before = scenario.emulator.issued.length;
    const input = pkcs8Pem(leaf.certificate.key!) + leaf.certificate.pem;
    const first = await run(['--cache', '--certificate', '-'], { env, input });
    const second = await run(['--cache', '--certificate', '-'], { env, input });
    expectCredentials(first);
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
    expect(scenario.emulator.issued.length).toBe(before + 1);
  });
});

describe('the other commands that read a certificate or key', () => {
  it('read-certificate-data --certificate env:NAME or -: the same answer as for the file', async () => {
    const fromFile = await runCli(['read-certificate-data', '--certificate', leaf.certPath]);
    expect(fromFile.code).toBe(0);
    expect(await runCli(['read-certificate-data', '--certificate', 'env:CERT'], { env: { CERT: base64(leaf.certificate.der) } })).toMatchObject({
      code: 0,
      stdout: fromFile.stdout,
      stderr: '',
    });
    expect(await runCli(['read-certificate-data', '--certificate', '-'], { input: pem(leaf.certPath) })).toMatchObject({ code: 0, stdout: fromFile.stdout, stderr: '' });
  });

  it('sign-string --private-key -: the same signature as from the file (RSA PKCS#1 v1.5 is deterministic)', async () => {
    const fromFile = await runCli(['sign-string', '--certificate', rsaLeaf.certPath, '--private-key', rsaLeaf.keyPath, '--format', 'text']);
    expect(fromFile.code).toBe(0);
    const fromStdin = await runCli(['sign-string', '--certificate', 'env:CERT', '--private-key', '-', '--format', 'text'], {
      env: { CERT: pem(rsaLeaf.certPath) },
      input: pem(rsaLeaf.keyPath),
    });
    expect(fromStdin).toMatchObject({ code: 0, stdout: fromFile.stdout, stderr: '' });
  });

  it.each([
    ['--private-key -', () => ({ args: ['--certificate', rsaLeaf.certPath, '--private-key', '-'], input: pem(rsaLeaf.keyPath) })],
    [
      '--pkcs8-password-file -',
      () => ({
        args: ['--certificate', rsaLeaf.certPath, '--private-key', scenario.workspace.write('encrypted-key.pem', openssl(['pkcs8', '-topk8', '-in', rsaLeaf.keyPath, '-v2', 'aes-128-cbc', '-passout', 'pass:serve-pw'])), '--pkcs8-password-file', '-'],
        input: 'serve-pw\n',
      }),
    ],
  ])('serve %s: read once, and serving the credentials it got with it', async (_, given) => {
    const { args, input } = given();
    const server = await startServe([...args, ...scenario.sessionFlags()], {}, input);
    try {
      const response = await imdsCredentials(server.url);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
