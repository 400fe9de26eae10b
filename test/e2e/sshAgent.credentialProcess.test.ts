import { verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyAlgorithm } from '../../src/emulator/pki/generateKey.js';
import type { fromRolesAnywhere as FromRolesAnywhere } from '../../src/index.js';
import { withEnv } from '../support/awsClients.js';
import { projectRoot, runCli, type CliResult } from '../support/cli.js';
import { ARNS, Scenario, type LeafFiles } from '../support/scenario.js';
import { signStringMessage } from '../support/signStringMessage.js';
import { SshAgent } from '../support/sshAgent.js';

/**
 * Keys held by OpenSSH's ssh-agent (started for this file on a socket of its own, keys added by ssh-add
 * from the throw-away PKI's PKCS#8 files), certificates from files, credentials issued by the emulator,
 * which verifies every signature independently of the helper.
 */
const ALGORITHMS: KeyAlgorithm[] = ['rsa-2048', 'rsa-3072', 'ec-p256'];

let scenario: Scenario;
let agent: SshAgent;
const leaves = new Map<KeyAlgorithm, LeafFiles & { fingerprint: string }>();

beforeAll(async () => {
  scenario = await Scenario.start();
  agent = await SshAgent.start(scenario.workspace.path('agent.sock'));
  for (const algorithm of ALGORITHMS) {
    const leaf = await scenario.leaf(`agent-${algorithm}`, { keyAlgorithm: algorithm });
    leaves.set(algorithm, { ...leaf, fingerprint: agent.add(leaf.keyPath) });
  }
});
afterAll(async () => {
  await agent?.stop();
  await scenario?.stop();
});

const leaf = (algorithm: KeyAlgorithm) => leaves.get(algorithm)!;

describe('credential-process with a key in the ssh-agent', () => {
  it.each(ALGORITHMS)('%s: the agent key of the certificate (--private-key ssh-agent)', async (algorithm) => {
    const issued = await scenario.expectCredentialProcess(['--certificate', leaf(algorithm).certPath, '--private-key', 'ssh-agent'], {
      env: agent.env,
    });
    expect(issued.sourceIdentity).toBe(`CN=agent-${algorithm}`);
  });

  it.each(ALGORITHMS)('%s: the agent key named by its fingerprint, as ssh-add -l prints it', async (algorithm) => {
    const { certPath, fingerprint } = leaf(algorithm);
    expect(agent.list()).toContain(fingerprint);
    await scenario.expectCredentialProcess(['--certificate', certPath, '--private-key', `ssh-agent:${fingerprint}`], { env: agent.env });
  });

  it.each(['rsa-2048', 'ec-p256'] as const)('%s held as an OpenSSH certificate only: by the certificate, and by the fingerprint ssh-add -l shows', async (algorithm) => {
    const certified = await scenario.leaf(`agent-certified-${algorithm}`, { keyAlgorithm: algorithm });
    const fingerprint = agent.addCertified(certified.keyPath);
    // The agent holds the certificate entry alone: the plain key is gone.
    expect(agent.list().split('\n').filter((line) => line.includes(fingerprint))).toEqual([expect.stringMatching(/-CERT\)$/)]);
    await scenario.expectCredentialProcess(['--certificate', certified.certPath, '--private-key', 'ssh-agent'], { env: agent.env });
    await scenario.expectCredentialProcess(['--certificate', certified.certPath, '--private-key', `ssh-agent:${fingerprint}`], { env: agent.env });
  });

  it('sends the intermediates, and says under --debug which agent key it uses', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Agent Issuing CA' });
    const chained = await scenario.leaf('agent-chained', { keyAlgorithm: 'ec-p256' }, intermediate);
    const chainPath = scenario.workspace.write('agent-chain.pem', intermediate.certificate.pem);
    const fingerprint = agent.add(chained.keyPath);
    const args = ['credential-process', '--certificate', chained.certPath, '--private-key', 'ssh-agent', '--intermediates', chainPath];
    const result = await runCli([...args, ...scenario.sessionFlags(), '--debug'], { env: agent.env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`ssh-agent: using ${fingerprint} (ECDSA P-256) ${chained.keyPath}`);
    expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  });
});

describe('credential-process --cache with a key in the ssh-agent', () => {
  it("a key named by a fingerprint that is not the certificate's is refused, whatever another run stored (QA: the cache answered)", async () => {
    const env = { ...agent.env, ROLES_ANYWHERE_HELPER_CACHE_DIR: scenario.workspace.path('agent-cache') };
    const { certPath, fingerprint } = leaf('rsa-2048');
    const wrong = leaf('ec-p256').fingerprint;
    const run = (privateKey: string) => runCli(['credential-process', '--cache', '--certificate', certPath, '--private-key', privateKey, ...scenario.sessionFlags()], { env });
    const before = scenario.emulator.issued.length;
    expect((await run('ssh-agent')).code).toBe(0);
    // Named by its fingerprint, the key has an entry of its own, which the next run finds.
    const named = await run(`ssh-agent:${fingerprint}`);
    expect((await run(`ssh-agent:${fingerprint}`)).stdout).toBe(named.stdout);
    expect(scenario.emulator.issued.length).toBe(before + 2);
    // Named wrong, the key source says why, as without the cache.
    const refused = await run(`ssh-agent:${wrong}`);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(new RegExp(`private key does not match the certificate: ssh-agent key ${wrong.replaceAll('+', '\\+')} \\(ECDSA P-256\\) is not the key of `));
    expect(scenario.emulator.issued.length).toBe(before + 2);
  });
});

describe('check with a key in the ssh-agent', () => {
  it.each(ALGORITHMS)('%s: the agent makes the test signature, and the chain reaches the anchor', async (algorithm) => {
    const { certPath } = leaf(algorithm);
    const root = scenario.workspace.path('root.pem');
    const result = await runCli(['check', '--certificate', certPath, '--private-key', 'ssh-agent', '--trust-anchor-certificate', root], { env: agent.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✓ the private key matches the certificate (a test signature verified with the certificate's key)\n");
    expect(result.stdout).toMatch(/^✓ chain: .* \(trust anchor\)$/m);
  });
});

describe('fromRolesAnywhere with a key in the ssh-agent', () => {
  it('gives the credentials the emulator issued, the agent at SSH_AUTH_SOCK signing', async () => {
    const { fromRolesAnywhere } = createRequire(import.meta.url)(join(projectRoot, 'dist/index.cjs')) as { fromRolesAnywhere: typeof FromRolesAnywhere };
    await withEnv({ SSH_AUTH_SOCK: agent.socketPath }, async () => {
      const provider = fromRolesAnywhere({ certificate: leaf('ec-p256').certPath, privateKey: 'ssh-agent', ...ARNS, endpoint: scenario.emulator.url });
      try {
        expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      } finally {
        await provider.close();
      }
    });
  });
});

describe('update --once with a key in the ssh-agent', () => {
  it('writes the credentials the emulator issued', async () => {
    const path = scenario.workspace.path('credentials');
    const { certPath } = leaf('rsa-3072');
    const result = await runCli(['update', '--once', '--certificate', certPath, '--private-key', 'ssh-agent', ...scenario.sessionFlags()], {
      env: { ...agent.env, AWS_SHARED_CREDENTIALS_FILE: path },
    });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(path, 'utf8')).toContain(`aws_access_key_id = ${scenario.emulator.issued.at(-1)!.accessKeyId}`);
  });
});

describe('sign-string with a key in the ssh-agent', () => {
  const signString = (keyArgs: string[], digest = 'SHA256') =>
    runCli(['sign-string', ...keyArgs, '--digest', digest, '--format', 'text'], { env: agent.env });

  function expectVerifies(result: CliResult, algorithm: KeyAlgorithm, digest = 'SHA256') {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const spki = leaf(algorithm).certificate.key!.spki;
    const key = { key: spki, format: 'der', type: 'spki', dsaEncoding: 'der' } as const;
    expect(verify(digest.toLowerCase(), signStringMessage(spki), key, Buffer.from(result.stdout, 'hex'))).toBe(true);
  }

  it.each(ALGORITHMS)("%s: the output verifies against the certificate's public key", async (algorithm) => {
    expectVerifies(await signString(['--certificate', leaf(algorithm).certPath, '--private-key', 'ssh-agent']), algorithm);
  });

  it('RSA over SHA512 too (the agent signs rsa-sha2-512)', async () => {
    expectVerifies(await signString(['--certificate', leaf('rsa-2048').certPath, '--private-key', 'ssh-agent'], 'SHA512'), 'rsa-2048', 'SHA512');
  });

  it.each(ALGORITHMS)('%s: a key named by fingerprint signs without a certificate', async (algorithm) => {
    expectVerifies(await signString(['--private-key', `ssh-agent:${leaf(algorithm).fingerprint}`]), algorithm);
  });
});
