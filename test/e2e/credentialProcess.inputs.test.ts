import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey } from 'node:crypto';
import { encodeSequence, encoding, readRoot, sequence } from '../../src/asn1/der.js';
import { encodePem } from '../../src/asn1/pem.js';
import { errorLine, runCli, type CliResult } from '../support/cli.js';
import { encryptPkcs8 } from '../support/encryptPkcs8.js';
import { Scenario, type LeafFiles } from '../support/scenario.js';

// Inputs that hang or exhaust (issue 13, items 7-10): each is refused at once with one line naming it.
let scenario: Scenario;
let leaf: LeafFiles;
let fifo: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('inputs', { keyAlgorithm: 'ec-p256' });
  fifo = scenario.workspace.path('a-fifo');
  execFileSync('mkfifo', [fifo]);
});
afterAll(async () => scenario.stop());

/** A failed command, in well under the 10 s it is given: exit code 1, nothing on stdout, one log line. */
function failure(result: CliResult): string {
  expect(result.stdout).toBe('');
  expect(result.code).toBe(1);
  expect(result.ms).toBeLessThan(5000);
  return errorLine(result);
}

const run = (args: string[], env?: Record<string, string>) =>
  runCli(['credential-process', ...args, ...scenario.sessionFlags()], { env, timeoutMs: 10_000 });

describe('credential-process refuses inputs that are not regular files, or too large (item 7)', () => {
  it('--certificate /dev/zero', async () => {
    const message = failure(await run(['--certificate', '/dev/zero', '--private-key', leaf.keyPath]));
    expect(message).toBe('unable to read certificate /dev/zero: not a regular file (a character device)');
  });

  it('--private-key /dev/urandom', async () => {
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', '/dev/urandom']));
    expect(message).toBe('unable to read private key /dev/urandom: not a regular file (a character device)');
  });

  it('a FIFO as certificate', async () => {
    const message = failure(await run(['--certificate', fifo, '--private-key', leaf.keyPath]));
    expect(message).toBe(`unable to read certificate ${fifo}: not a regular file (a FIFO)`);
  });

  it('a FIFO as --intermediates', async () => {
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--intermediates', fifo]));
    expect(message).toBe(`unable to read certificate bundle ${fifo}: not a regular file (a FIFO)`);
  });

  it('a FIFO as AWS_CA_BUNDLE', async () => {
    const result = await runCli(['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags('https://127.0.0.1:9/')], {
      env: { AWS_CA_BUNDLE: fifo },
      timeoutMs: 10_000,
    });
    expect(failure(result)).toBe(`unable to read custom CA bundle (AWS_CA_BUNDLE) ${fifo}: not a regular file (a FIFO)`);
  });

  it('a certificate file of more than 4 MiB', async () => {
    const large = scenario.workspace.write('large.pem', Buffer.alloc(4 * 1024 * 1024 + 1, 'A'));
    const message = failure(await run(['--certificate', large, '--private-key', leaf.keyPath]));
    expect(message).toBe(`unable to read certificate ${large}: larger than 4 MiB`);
  });
});

describe('credential-process bounds the work an encrypted key may ask for (item 8)', () => {
  const encryptedKey = (name: string, options: Parameters<typeof encryptPkcs8>[2]) => {
    const pkcs8 = createPrivateKey(readFileSync(leaf.keyPath)).export({ type: 'pkcs8', format: 'der' });
    return scenario.workspace.write(name, encodePem('ENCRYPTED PRIVATE KEY', encryptPkcs8(pkcs8, 'pw', options)));
  };

  it.each([[2 ** 31 - 1], [2 ** 31]])('%i PBKDF2 iterations', async (iterations) => {
    const key = encryptedKey(`pbkdf2-${iterations}.pem`, { claimed: { iterations } });
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', key, '--pkcs8-password', 'pw']));
    expect(message).toBe(
      `unable to parse private key ${key}: PBKDF2 iteration count ${iterations} is more than the 10000000 this helper allows`,
    );
  });

  it('scrypt with N = 2^24 (16 GiB)', async () => {
    const key = encryptedKey('scrypt-16g.pem', { kdf: 'scrypt', claimed: { N: 2 ** 24 } });
    const message = failure(await run(['--certificate', leaf.certPath, '--private-key', key, '--pkcs8-password', 'pw']));
    expect(message).toBe(
      `unable to parse private key ${key}: scrypt parameters N=16777216, r=8, p=1 need 16 GiB of memory, more than the 32 MiB OpenSSL allows`,
    );
  });
});

describe('credential-process explains a certificate without a public key (item 10)', () => {
  it('naming the file, in one line', async () => {
    const [tbs, ...rest] = sequence(readRoot(leaf.certificate.der));
    const withoutKey = encodeSequence(encodeSequence(...sequence(tbs).slice(0, 6).map(encoding)), ...rest.map(encoding));
    const path = scenario.workspace.write('no-public-key.pem', encodePem('CERTIFICATE', withoutKey));
    const message = failure(await run(['--certificate', path, '--private-key', leaf.keyPath]));
    expect(message).toBe(`could not parse certificate ${path}: the certificate has no subject public key info`);
  });
});

describe('credential-process with a path that is not UTF-8 (a Latin-1 system)', () => {
  it('says why the file is not found: Node.js cannot name it', async () => {
    const folder = scenario.workspace.path('latin1');
    execFileSync('sh', ['-c', `mkdir -p "${folder}/caf$(printf '\\351')" && cp "$1" "${folder}/caf$(printf '\\351')/cert.pem"`, 'sh', leaf.certPath]);
    const via = ['sh', '-c', `exec "$@" --certificate "${folder}/caf$(printf '\\351')/cert.pem"`, 'sh'];
    const result = await runCli(['credential-process', '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { env: { LC_ALL: 'C' }, via, timeoutMs: 10_000 });
    expect(failure(result)).toBe(
      `unable to read certificate ${folder}/caf\uFFFD/cert.pem: no such file or directory (its path holds bytes that are not UTF-8, shown as \uFFFD, which Node.js cannot name)`,
    );
  });
});
