import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Input } from '../../../../src/keys/input.js';
import type { Digest } from '../../../../src/keys/keySource.js';
import { agentFingerprint } from '../../../../src/keys/sshAgent/agentKey.js';
import { openSshAgentKeySource } from '../../../../src/keys/sshAgent/sshAgentKeySource.js';
import { WireReader, wireString } from '../../../../src/keys/sshAgent/sshWire.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { testContext } from '../../../support/context.js';
import { FAILURE, FakeAgent, identitiesAnswer, signResponse, sshKeyBlob, wireMpint } from '../../../support/sshAgent.js';

/**
 * The key source against a fake agent, for the answers OpenSSH's agent does not give: a signature in the
 * old ssh-rsa (SHA-1) format, a signature by another key. Everything a real agent does is tested with
 * OpenSSH's ssh-agent end to end (test/e2e/sshAgent.*).
 */
const dir = mkdtempSync(join(tmpdir(), 'rah-agent-source-'));
const socketPath = join(dir, 'agent.sock');
let ca: CertificateAuthority;
let agent: FakeAgent | undefined;

interface HeldKey {
  readonly privateKey: KeyObject;
  readonly blob: Buffer;
  readonly certPath: string;
}
const held: Record<'rsa' | 'ec' | 'stranger', HeldKey> = {} as never;

beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Agent Source Test Root' });
  const pairs = {
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    stranger: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  };
  for (const [name, { privateKey, publicKey }] of Object.entries(pairs)) {
    const certificate = await ca.issue({ subject: `CN=${name}`, publicKey: publicKey.export({ type: 'spki', format: 'der' }) });
    const certPath = join(dir, `${name}.pem`);
    writeFileSync(certPath, certificate.pem);
    held[name as keyof typeof held] = { privateKey, blob: sshKeyBlob(publicKey), certPath };
  }
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How the fake agent answers a sign request for a key it holds; by default as OpenSSH's agent does. */
type Signer = (key: HeldKey, data: Buffer, flags: number) => Buffer;

const honest: Signer = (key, data, flags) => {
  if (key.privateKey.asymmetricKeyType === 'rsa') {
    const [format, hash] = flags & 4 ? ['rsa-sha2-512', 'sha512'] : flags & 2 ? ['rsa-sha2-256', 'sha256'] : ['ssh-rsa', 'sha1'];
    return signResponse(format!, sign(hash!, data, key.privateKey));
  }
  const raw = sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return signResponse('ecdsa-sha2-nistp256', Buffer.concat([wireMpint(raw.subarray(0, 32)), wireMpint(raw.subarray(32))]));
};

async function startAgent(keys: HeldKey[], signer: Signer = honest): Promise<void> {
  agent = await FakeAgent.start(socketPath, (type, body) => {
    if (type === 11) return identitiesAnswer(keys.map((key, i) => ({ blob: key.blob, comment: `key ${i}` })));
    const request = new WireReader(body);
    const blob = request.string();
    const data = request.string();
    const key = keys.find((candidate) => candidate.blob.equals(blob));
    return key ? signer(key, data, request.uint32()) : FAILURE;
  });
}

const open = (privateKey: string, certificate?: Input, env: Record<string, string> = { SSH_AUTH_SOCK: socketPath }, certificateOptional?: boolean) =>
  openSshAgentKeySource({ privateKey, certificate, certificateOptional }, testContext(env));

/** Without a certificate, as sign-string signs (the only command that may go without one). */
async function signWith(privateKey: string, certificate: string | undefined, digest: Digest = 'SHA256') {
  const source = await open(privateKey, certificate, undefined, certificate === undefined);
  const identity = await source.current();
  const data = Buffer.from('string to sign');
  const signature = await identity.sign(data, digest);
  const key = { key: identity.publicKey.spki, format: 'der', type: 'spki', dsaEncoding: 'der' } as const;
  expect(verify(digest.toLowerCase(), data, key, signature)).toBe(true);
  return identity;
}

describe('the ssh-agent key source', () => {
  it("picks the agent key of the certificate among the agent's keys, RSA and P-256", async () => {
    await startAgent([held.stranger, held.rsa, held.ec]);
    expect((await signWith('ssh-agent', held.rsa.certPath)).certificate).toBeDefined();
    await signWith('ssh-agent', held.ec.certPath);
    const signRequests = agent!.requests.filter((r) => r.type === 13).map((r) => new WireReader(r.body));
    expect(signRequests.map((r) => [r.string(), r.string(), r.uint32()][2])).toEqual([2, 0]);
  });

  it('picks a key by fingerprint, with or without a certificate (then the public key is the agent key)', async () => {
    await startAgent([held.rsa, held.ec]);
    const selector = `ssh-agent:${agentFingerprint(held.ec.blob)}`;
    await signWith(selector, held.ec.certPath);
    const keyOnly = await signWith(selector, undefined);
    expect(keyOnly.certificate).toBeUndefined();
    expect(keyOnly.publicKey).toMatchObject({ keyType: 'EC', curve: 'P-256' });
  });

  it('signs RSA over SHA-512 (rsa-sha2-512) for sign-string; refuses the hashes agents cannot sign over', async () => {
    await startAgent([held.rsa, held.ec]);
    await signWith('ssh-agent', held.rsa.certPath, 'SHA512');
    const rsa = await (await open('ssh-agent', held.rsa.certPath)).current();
    await expect(rsa.sign(Buffer.from('x'), 'SHA384')).rejects.toThrow(
      `unable to sign over SHA384 with ssh-agent key ${agentFingerprint(held.rsa.blob)} (RSA 2048): ` +
        'agents sign over SHA256 or SHA512 with RSA keys, and over SHA256 with P-256 keys',
    );
    const ec = await (await open('ssh-agent', held.ec.certPath)).current();
    await expect(ec.sign(Buffer.from('x'), 'SHA512')).rejects.toThrow(/^unable to sign over SHA512 with ssh-agent key SHA256:\S+ \(ECDSA P-256\)/);
  });

  it('refuses an ssh-rsa (SHA-1) answer to a request for rsa-sha2-256, as an old agent gives (a fake: OpenSSH honours the flag)', async () => {
    await startAgent([held.rsa], (key, data) => signResponse('ssh-rsa', sign('sha1', data, key.privateKey)));
    const identity = await (await open('ssh-agent', held.rsa.certPath)).current();
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toThrow(
      `unable to sign with ssh-agent key ${agentFingerprint(held.rsa.blob)} (RSA 2048) at ${socketPath}: ` +
        'the agent answered a signature in format ssh-rsa (RSA over SHA-1) where rsa-sha2-256 was asked for',
    );
  });

  it('an RSA key refused by an agent without SHA-2 signatures (it must refuse flags it does not know): the message says it may be that (QA: only prompts were named)', async () => {
    await startAgent([held.rsa], (key, data, flags) => (flags === 0 ? honest(key, data, flags) : FAILURE));
    const identity = await (await open('ssh-agent', held.rsa.certPath)).current();
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toThrow(
      /\(ssh-add -h\), which this helper cannot use, or it cannot make RSA signatures over SHA-2 \(rsa-sha2-256\/512, RFC 8332\), as old agents cannot$/,
    );
  });

  it("refuses a signature that does not verify with the certificate's key (a fake: a real agent signs with the key it names)", async () => {
    await startAgent([held.ec], (_key, data, flags) => honest(held.stranger, data, flags));
    const identity = await (await open('ssh-agent', held.ec.certPath)).current();
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toThrow(
      `unable to sign with ssh-agent key ${agentFingerprint(held.ec.blob)} (ECDSA P-256) at ${socketPath}: the agent's signature does not verify with the public key`,
    );
  });

  it("lists the keys it has, with their comments, when none matches, after the certificate key's fingerprint; says so when it has none", async () => {
    await startAgent([held.stranger, held.ec]);
    const listing = `${agentFingerprint(held.stranger.blob)} (ECDSA P-256, key 0), ${agentFingerprint(held.ec.blob)} (ECDSA P-256, key 1)`;
    const wanted = `${held.rsa.certPath} (${agentFingerprint(held.rsa.blob)}, RSA 2048)`;
    await expect((await open('ssh-agent', held.rsa.certPath)).current()).rejects.toThrow(
      `no key in the ssh-agent at ${socketPath} is the key of ${wanted}: it holds ${listing}`,
    );
    await agent!.stop();
    await startAgent([held.rsa]);
    await expect((await open('ssh-agent', held.ec.certPath)).current()).rejects.toThrow(
      `is the key of ${held.ec.certPath} (${agentFingerprint(held.ec.blob)}, ECDSA P-256): it holds ${agentFingerprint(held.rsa.blob)} (RSA 2048, key 0)`,
    );
    await agent!.stop();
    await startAgent([]);
    await expect((await open('ssh-agent', held.rsa.certPath)).current()).rejects.toThrow(
      `no key in the ssh-agent at ${socketPath} is the key of ${wanted}: it holds no keys (or it is locked: ssh-add -X unlocks it)`,
    );
  });

  it("shows a listed key's comment as one line: its control characters written out (mutation sweep: a newline in a comment split the message)", async () => {
    agent = await FakeAgent.start(socketPath, () => identitiesAnswer([{ blob: held.stranger.blob, comment: 'evil\nline\u001b[31m' }]));
    const error = await (await open('ssh-agent', held.ec.certPath)).current().catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/: it holds SHA256:\S+ \(ECDSA P-256, evil line\\x1b\[31m\)$/);
    expect((error as Error).message).not.toMatch(/[\n\u001b]/);
  });

  it('lists the first 10 keys of an agent holding many, and how many more (QA: 151 keys made one 9 kB line)', async () => {
    await startAgent(Array.from({ length: 151 }, () => held.stranger));
    const error = await (await open('ssh-agent', held.ec.certPath)).current().catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/: it holds (SHA256:\S+ \(ECDSA P-256, key \d+\), ){9}SHA256:\S+ \(ECDSA P-256, key 9\) and 141 more \(ssh-add -l lists them\)$/);
  });

  it('lists all of an agent holding exactly 10 keys, with no "more" (mutation sweep: "and 0 more" passed)', async () => {
    await startAgent(Array.from({ length: 10 }, () => held.stranger));
    const error = await (await open('ssh-agent', held.ec.certPath)).current().catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/: it holds (SHA256:\S+ \(ECDSA P-256, key \d+\), ){9}SHA256:\S+ \(ECDSA P-256, key 9\)$/);
  });

  it('refuses at once a key named by fingerprint that cannot sign for Roles Anywhere, saying why (mutation sweep: using it passed)', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const blob = sshKeyBlob(p384.publicKey);
    await startAgent([{ privateKey: p384.privateKey, blob, certPath: '' }]);
    const fingerprint = agentFingerprint(blob);
    await expect((await open(`ssh-agent:${fingerprint}`, undefined, undefined, true)).current()).rejects.toThrow(
      `unable to use ssh-agent key ${fingerprint} (ECDSA P-384): agents sign with P-384 keys over SHA-384 (RFC 5656), and Roles Anywhere wants signatures over SHA-256`,
    );
  });

  it('names a certificate given as content (from the environment or standard input) by its name', async () => {
    await startAgent([held.ec]);
    const content = { content: readFileSync(held.rsa.certPath), name: 'env:WORKLOAD_CERT' };
    await expect((await open('ssh-agent', content)).current()).rejects.toThrow(
      `no key in the ssh-agent at ${socketPath} is the key of env:WORKLOAD_CERT (${agentFingerprint(held.rsa.blob)}, RSA 2048): it holds ${agentFingerprint(held.ec.blob)} (ECDSA P-256, key 0)`,
    );
  });

  it('a key chosen by fingerprint must be the key of the certificate', async () => {
    await startAgent([held.rsa, held.ec]);
    const fingerprint = agentFingerprint(held.rsa.blob);
    await expect((await open(`ssh-agent:${fingerprint}`, held.ec.certPath)).current()).rejects.toThrow(
      `private key does not match the certificate: ssh-agent key ${fingerprint} (RSA 2048) is not the key of ${held.ec.certPath}`,
    );
  });

  it('lists the keys once, and again only when the certificate file changes', async () => {
    await startAgent([held.ec]);
    const certPath = join(dir, 'renewed.pem');
    writeFileSync(certPath, readFileSync(held.ec.certPath));
    const listings = () => agent!.requests.filter((r) => r.type === 11).length;
    const source = await open('ssh-agent', certPath);
    const first = await source.current();
    await source.current();
    expect(listings()).toBe(1);
    // The certificate renewed on disk for the same key: read again, and the agent asked again.
    const renewed = await ca.issue({ subject: 'CN=ec renewed', publicKey: createPublicKey(held.ec.privateKey).export({ type: 'spki', format: 'der' }) });
    writeFileSync(certPath, renewed.pem);
    utimesSync(certPath, new Date(), new Date(Date.now() + 60_000));
    const second = await source.current();
    expect(listings()).toBe(2);
    expect(second.certificate!.der).toEqual(renewed.der);
    expect(second.certificate!.der).not.toEqual(first.certificate!.der);
  });

  it("lists the keys once for callers at the same time (serve's roles sharing the key, at start-up)", async () => {
    await startAgent([held.ec]);
    const source = await open('ssh-agent', held.ec.certPath);
    const [first, second] = await Promise.all([source.current(), source.current()]);
    expect(second).toBe(first);
    expect(agent!.requests.filter((r) => r.type === 11)).toHaveLength(1);
  });

  it('after a refusal, lists the keys again, and signs no second time with an entry the agent still holds (ssh-add -c would ask again)', async () => {
    await startAgent([held.ec], () => FAILURE);
    const identity = await (await open('ssh-agent', held.ec.certPath)).current();
    // The whole message: an ECDSA key is not said to be refused for RSA's SHA-2 flags (mutation sweep).
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toHaveProperty(
      'message',
      `unable to sign with ssh-agent key ${agentFingerprint(held.ec.blob)} (ECDSA P-256) at ${socketPath}: the agent refused a key it holds: ` +
        'a confirmation, touch or unlock it asked for was denied, cancelled or timed out (Secretive, 1Password, gpg-agent, a YubiKey; ' +
        'OpenSSH for a key added with ssh-add -c), or the key is for given hosts only (ssh-add -h), which this helper cannot use',
    );
    expect(agent!.requests.map((r) => r.type)).toEqual([11, 13, 11]);
  });

  it.each([
    ['locked (ssh-add -x) or emptied', [], 'the agent refused, and now lists no keys: it is locked (ssh-add -X unlocks it) or was emptied'],
    ['removed', ['stranger'], 'the agent refused: the key is no longer in the agent'],
  ] as const)('a refusal by an agent %s since the keys were listed says so', async (_case, after, reason) => {
    let listings = 0;
    agent = await FakeAgent.start(socketPath, (type) =>
      type === 11 ? identitiesAnswer((listings++ === 0 ? [held.ec] : after.map((name) => held[name])).map((key) => ({ blob: key.blob, comment: '' }))) : FAILURE,
    );
    const identity = await (await open('ssh-agent', held.ec.certPath)).current();
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toThrow(
      `unable to sign with ssh-agent key ${agentFingerprint(held.ec.blob)} (ECDSA P-256) at ${socketPath}: ${reason}`,
    );
  });

  it('names the key and the agent when a signature request fails otherwise than by a refusal (mutation sweep: the bare reason passed)', async () => {
    await startAgent([held.ec], () => Buffer.of(99));
    const identity = await (await open('ssh-agent', held.ec.certPath)).current();
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toThrow(
      `unable to sign with ssh-agent key ${agentFingerprint(held.ec.blob)} (ECDSA P-256) at ${socketPath}: the agent answered message type 99 where a signature was expected`,
    );
  });

  it('takes another entry of the key once per signature: a second refusal fails, though the entry refused first is back (mutation sweep: a replacement at every refusal passed)', async () => {
    const plain = held.ec.blob;
    const keyFields = plain.subarray(4 + plain.readUInt32BE(0));
    const certificate = Buffer.concat([wireString('ecdsa-sha2-nistp256-cert-v01@openssh.com'), wireString(Buffer.alloc(32, 7)), keyFields, wireString('the rest')]);
    let listings = 0;
    let signatures = 0;
    agent = await FakeAgent.start(socketPath, (type, body) => {
      // The plain key and its certificate take turns in the agent; each is refused, and only a third request signed.
      if (type === 11) return identitiesAnswer([{ blob: listings++ % 2 === 0 ? plain : certificate, comment: '' }]);
      const request = new WireReader(body);
      request.string();
      return ++signatures < 3 ? FAILURE : honest(held.ec, request.string(), request.uint32());
    });
    const identity = await (await open('ssh-agent', held.ec.certPath)).current();
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toThrow(`unable to sign with ssh-agent key ${agentFingerprint(plain)} (ECDSA P-256 certificate)`);
    expect(signatures).toBe(2);
  });

  it('names the entry that signed, taken after a refusal, when its signature is refused (mutation sweep: the refused entry was named)', async () => {
    const plain = held.ec.blob;
    const keyFields = plain.subarray(4 + plain.readUInt32BE(0));
    const certificate = Buffer.concat([wireString('ecdsa-sha2-nistp256-cert-v01@openssh.com'), wireString(Buffer.alloc(32, 7)), keyFields, wireString('the rest')]);
    let listings = 0;
    agent = await FakeAgent.start(socketPath, (type, body) => {
      // Listed first with the plain key, then with its certificate alone; the certificate signs with another key.
      if (type === 11) return identitiesAnswer([{ blob: listings++ === 0 ? plain : certificate, comment: '' }]);
      const request = new WireReader(body);
      if (!request.string().equals(certificate)) return FAILURE;
      return honest(held.stranger, request.string(), request.uint32());
    });
    const identity = await (await open('ssh-agent', held.ec.certPath)).current();
    await expect(identity.sign(Buffer.from('x'), 'SHA256')).rejects.toThrow(
      `unable to sign with ssh-agent key ${agentFingerprint(plain)} (ECDSA P-256 certificate) at ${socketPath}: the agent's signature does not verify with the public key`,
    );
  });

  it('needs SSH_AUTH_SOCK, and a certificate to pick the key by', async () => {
    await expect(open('ssh-agent', held.ec.certPath, {})).rejects.toThrow(
      'unable to use privateKey ssh-agent: SSH_AUTH_SOCK is not set, so there is no agent to ask',
    );
    // `export SSH_AUTH_SOCK=` (as a shell profile clears it) is none set, not an agent at "" (mutation sweep).
    await expect(open('ssh-agent', held.ec.certPath, { SSH_AUTH_SOCK: '' })).rejects.toThrow(
      'unable to use privateKey ssh-agent: SSH_AUTH_SOCK is not set, so there is no agent to ask',
    );
    await expect(open('ssh-agent', undefined, undefined, true)).rejects.toThrow(
      "privateKey ssh-agent uses the agent's key of the certificate, and no certificate was given " +
        '(name the key as ssh-agent:SHA256:<fingerprint> to use it without one)',
    );
  });

  it('needs a certificate, by whatever name the key is given, where the command sends one (all but sign-string)', async () => {
    for (const privateKey of ['ssh-agent', `ssh-agent:${agentFingerprint(held.ec.blob)}`]) {
      await expect(open(privateKey, undefined)).rejects.toThrow(
        `privateKey ${privateKey} needs certificate: an agent holds keys, not their X.509 certificates`,
      );
    }
  });
});
