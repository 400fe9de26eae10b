import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, runCli } from '../support/cli.js';
import { Scenario, type LeafFiles } from '../support/scenario.js';
import { FakeAgent, SshAgent, ecPoint, fingerprintOf, skEcdsaKeyFile, sshKeygen } from '../support/sshAgent.js';

/**
 * What the ssh-agent key source refuses, with OpenSSH's ssh-agent holding the keys: each failure is one
 * line naming the key and the reason, exit code 1, nothing on stdout.
 */
let scenario: Scenario;
let agent: SshAgent;
let p256: LeafFiles & { fingerprint: string };
let confirmed: LeafFiles & { fingerprint: string };
let sock: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  agent = await SshAgent.start(scenario.workspace.path('agent.sock'));
  sock = agent.socketPath;
  const leaf = await scenario.leaf('errors-p256', { keyAlgorithm: 'ec-p256' });
  p256 = { ...leaf, fingerprint: agent.add(leaf.keyPath) };
  const confirm = await scenario.leaf('errors-confirm', { keyAlgorithm: 'rsa-2048' });
  confirmed = { ...confirm, fingerprint: agent.add(confirm.keyPath, { confirm: true }) };
});
afterAll(async () => {
  await agent?.stop();
  await scenario?.stop();
});

const credentialProcess = (keyArgs: string[], env: Record<string, string | undefined> = agent.env) =>
  runCli(['credential-process', ...keyArgs, ...scenario.sessionFlags()], { env });

describe('keys the agent holds that cannot sign for Roles Anywhere', () => {
  it('ECDSA P-384 and P-521, by fingerprint: the agent would hash with SHA-384 or SHA-512', async () => {
    for (const [curve, hash] of [['384', 'SHA-384'], ['521', 'SHA-512']] as const) {
      const leaf = await scenario.leaf(`errors-p${curve}`, { keyAlgorithm: `ec-p${curve}` });
      const fingerprint = agent.add(leaf.keyPath);
      expectFailure(
        await runCli(['sign-string', '--private-key', `ssh-agent:${fingerprint}`], { env: agent.env }),
        `unable to use ssh-agent key ${fingerprint} (ECDSA P-${curve}): ` +
          `agents sign with P-${curve} keys over ${hash} (RFC 5656), and Roles Anywhere wants signatures over SHA-256`,
      );
    }
  });

  it("a certificate for an ECDSA P-384 key: told before the agent is asked, whether it holds the key or not (QA: 'no key' first)", async () => {
    const leaf = await scenario.leaf('errors-p384-cert', { keyAlgorithm: 'ec-p384' });
    const message =
      `unable to use an ssh-agent key for ${leaf.certPath} (ECDSA P-384): ` +
      'agents sign with P-384 keys over SHA-384 (RFC 5656), and Roles Anywhere wants signatures over SHA-256';
    expectFailure(await credentialProcess(['--certificate', leaf.certPath, '--private-key', 'ssh-agent']), message);
    agent.add(leaf.keyPath);
    expectFailure(await credentialProcess(['--certificate', leaf.certPath, '--private-key', 'ssh-agent']), message);
  });

  it('Ed25519, by fingerprint and by a certificate for it', async () => {
    const keyPath = sshKeygen(scenario.workspace.path('ed25519'), 'ed25519');
    const fingerprint = agent.add(keyPath);
    const message = `unable to use ssh-agent key ${fingerprint} (ED25519): Roles Anywhere does not accept Ed25519 keys`;
    expectFailure(await runCli(['sign-string', '--private-key', `ssh-agent:${fingerprint}`], { env: agent.env }), message);
    const rawKey = Buffer.from(readFileSync(`${keyPath}.pub`, 'utf8').split(' ')[1]!, 'base64').subarray(-32);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), rawKey]);
    const certPath = scenario.workspace.write('ed25519-cert.pem', (await scenario.ca.issue({ subject: 'CN=ed25519', publicKey: spki })).pem);
    expectFailure(await credentialProcess(['--certificate', certPath, '--private-key', 'ssh-agent']), message);
  });

  it('RSA under 2048 bits', async () => {
    const keyPath = sshKeygen(scenario.workspace.path('rsa1024'), 'rsa-1024');
    const fingerprint = agent.add(keyPath);
    expectFailure(
      await runCli(['sign-string', '--private-key', `ssh-agent:${fingerprint}`], { env: agent.env }),
      `unable to use ssh-agent key ${fingerprint} (RSA 1024): an RSA key of 1024 bits is too weak; Roles Anywhere needs 2048 bits or more`,
    );
  });

  it('a FIDO security key (sk-ecdsa), even with a certificate for its P-256 public key', async () => {
    const leaf = await scenario.leaf('errors-sk', { keyAlgorithm: 'ec-p256' });
    const keyPath = scenario.workspace.write('sk-key', skEcdsaKeyFile(ecPoint(leaf.certificate.key!.keyObject!)));
    const fingerprint = agent.add(keyPath);
    expectFailure(
      await credentialProcess(['--certificate', leaf.certPath, '--private-key', 'ssh-agent']),
      `unable to use ssh-agent key ${fingerprint} (ECDSA-SK): ` +
        "a security key's (sk-*) signatures cover a counter and flags besides the data, which Roles Anywhere cannot verify",
    );
  });
});

describe('finding the key', () => {
  it('an unknown fingerprint: the message lists what the agent holds', async () => {
    const unknown = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';
    expectFailure(
      await credentialProcess(['--certificate', p256.certPath, '--private-key', `ssh-agent:${unknown}`]),
      `no key in the ssh-agent at ${sock} has fingerprint ${unknown}: it holds ${heldKeys()}`,
    );
    expect(heldKeys()).toMatch(new RegExp(`^${p256.fingerprint.replaceAll('+', '\\+')} \\(ECDSA P-256, [^)]+\\), ${confirmed.fingerprint.replaceAll('+', '\\+')} \\(RSA 2048, [^)]+\\)`));
  });

  it('a certificate whose key is not in the agent', async () => {
    const stranger = await scenario.leaf('errors-stranger', { keyAlgorithm: 'ec-p256' });
    expectFailure(
      await credentialProcess(['--certificate', stranger.certPath, '--private-key', 'ssh-agent']),
      `no key in the ssh-agent at ${sock} is the key of ${stranger.certPath} (${fingerprintOf(stranger.keyPath)}, ECDSA P-256): it holds ${heldKeys()}`,
    );
  });

  it('a locked agent (ssh-add -x), which answers as an empty one: the message says it may be locked', async () => {
    agent.setLocked(true);
    try {
      expectFailure(
        await credentialProcess(['--certificate', p256.certPath, '--private-key', 'ssh-agent']),
        `no key in the ssh-agent at ${sock} is the key of ${p256.certPath} (${p256.fingerprint}, ECDSA P-256): it holds no keys (or it is locked: ssh-add -X unlocks it)`,
      );
    } finally {
      agent.setLocked(false);
    }
  });

  it('a fingerprint that is not one', async () => {
    expectFailure(
      await credentialProcess(['--certificate', p256.certPath, '--private-key', 'ssh-agent:MD5:12:34']),
      'invalid --private-key ssh-agent:MD5:12:34: expected ssh-agent, or ssh-agent:SHA256:<fingerprint> as ssh-add -l prints it',
    );
  });

  it('no certificate: sign-string, which may go without one, is told to name the key by fingerprint', async () => {
    expectFailure(
      await runCli(['sign-string', '--private-key', 'ssh-agent'], { env: agent.env }),
      "--private-key ssh-agent uses the agent's key of the certificate, and no --certificate was given " +
        '(name the key as ssh-agent:SHA256:<fingerprint> to use it without one)',
    );
  });

  it.each([
    ['credential-process', 'ssh-agent'],
    ['credential-process', 'ssh-agent:<fingerprint>'],
    ['check', 'ssh-agent:<fingerprint>'],
  ])('no certificate: %s, which needs one, says --certificate is needed (--private-key %s)', async (command, key) => {
    const privateKey = key.replace('<fingerprint>', p256.fingerprint);
    const args = command === 'check' ? ['check', '--private-key', privateKey] : ['credential-process', '--private-key', privateKey, ...scenario.sessionFlags()];
    expectFailure(
      await runCli(args, { env: agent.env }),
      `--private-key ${privateKey} needs --certificate: an agent holds keys, not their X.509 certificates`,
    );
  });
});

describe('reaching the agent', () => {
  it('no SSH_AUTH_SOCK', async () => {
    expectFailure(
      await credentialProcess(['--certificate', p256.certPath, '--private-key', 'ssh-agent'], {}),
      'unable to use --private-key ssh-agent: SSH_AUTH_SOCK is not set, so there is no agent to ask',
    );
  });

  it('SSH_AUTH_SOCK naming no socket', async () => {
    const missing = scenario.workspace.path('no-agent.sock');
    expectFailure(
      await credentialProcess(['--certificate', p256.certPath, '--private-key', 'ssh-agent'], { SSH_AUTH_SOCK: missing }),
      `unable to list the keys of the ssh-agent at ${missing}: no such file or directory`,
    );
  });

  it('SSH_AUTH_SOCK longer than a Unix socket address holds, though the socket is there (QA: "no such file or directory")', async () => {
    const folder = scenario.workspace.path('x'.repeat(120));
    mkdirSync(folder);
    const long = join(folder, 'agent.sock');
    symlinkSync(sock, long);
    expectFailure(
      await credentialProcess(['--certificate', p256.certPath, '--private-key', 'ssh-agent'], { SSH_AUTH_SOCK: long }),
      `unable to list the keys of the ssh-agent at ${long}: its path is ${Buffer.byteLength(long)} bytes, more than the 107 a Unix socket address holds: ` +
        'set SSH_AUTH_SOCK to a shorter link to it',
    );
  });

  it.runIf(process.getuid?.() === 0)("SSH_AUTH_SOCK in a folder this user may not enter (another user's /tmp/ssh-…): the folder named, as for a file (review)", async () => {
    const closed = mkdtempSync(join(tmpdir(), 'rah-closed-agent-'));
    try {
      const link = join(closed, 'agent.sock');
      symlinkSync(sock, link);
      const result = await runCli(['sign-string', '--private-key', `ssh-agent:${p256.fingerprint}`], {
        env: { SSH_AUTH_SOCK: link },
        via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      });
      expectFailure(result, new RegExp(`^.* at ${link}: permission denied \\(this user may not enter ${closed}: mode 0700, owner 0\\)$`));
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it("an agent that accepts and never answers: a timeout, not a hang, that names OpenSSH's agent asking for a confirmation, which is silent so (a fake)", async () => {
    const silent = await FakeAgent.start(scenario.workspace.path('silent.sock'), () => 'silent');
    try {
      const result = await credentialProcess(['--certificate', p256.certPath, '--private-key', 'ssh-agent'], silent.env);
      expectFailure(
        result,
        `unable to list the keys of the ssh-agent at ${silent.socketPath}: no answer within 5 s (OpenSSH's agent answers no one while it asks to confirm a signature, ssh-add -c)`,
      );
      expect(result.ms).toBeLessThan(15_000);
      expect(silent.requests.map((request) => request.type)).toEqual([11]);
    } finally {
      await silent.stop();
    }
  });

  const stillHeld =
    'a key it holds: a confirmation, touch or unlock it asked for was denied, cancelled or timed out (Secretive, 1Password, gpg-agent, ' +
    'a YubiKey; OpenSSH for a key added with ssh-add -c), or the key is for given hosts only (ssh-add -h), which this helper cannot use';

  it('a key added with ssh-add -c, and no way for the agent to ask for the confirmation', async () => {
    expectFailure(
      await credentialProcess(['--certificate', confirmed.certPath, '--private-key', 'ssh-agent']),
      `unable to sign with ssh-agent key ${confirmed.fingerprint} (RSA 2048) at ${sock}: the agent refused ${stillHeld}` +
        ', or it cannot make RSA signatures over SHA-2 (rsa-sha2-256/512, RFC 8332), as old agents cannot',
    );
  });

  it('a key added with ssh-add -h (for given hosts only), which the agent signs with only on a connection bound to an SSH session', async () => {
    const leaf = await scenario.leaf('errors-host', { keyAlgorithm: 'ec-p256' });
    const fingerprint = agent.add(leaf.keyPath, { host: 'bastion.example' });
    expectFailure(
      await credentialProcess(['--certificate', leaf.certPath, '--private-key', 'ssh-agent']),
      `unable to sign with ssh-agent key ${fingerprint} (ECDSA P-256) at ${sock}: the agent refused ${stillHeld}`,
    );
  });
});

/** The agent's keys as the helper lists them, from `ssh-add -l` (`256 SHA256:... comment (ECDSA)`), in the agent's order. */
function heldKeys(): string {
  return agent
    .list()
    .trim()
    .split('\n')
    .map((line) => {
      // `256 SHA256:… comment (ECDSA)`, as ssh-add -l prints it.
      const [bits, fingerprint] = line.split(' ') as [string, string];
      const type = /\((\S+)\)$/.exec(line)![1]!;
      const comment = line.slice(bits.length + fingerprint.length + 2, line.lastIndexOf(' ('));
      const label = type === 'RSA' ? `RSA ${bits}` : type === 'ECDSA' ? `ECDSA P-${bits}` : type;
      return `${fingerprint} (${label}${comment ? `, ${comment}` : ''})`;
    })
    .join(', ');
}
