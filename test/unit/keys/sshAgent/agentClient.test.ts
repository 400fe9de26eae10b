import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AgentClient, AgentError, AgentRefusedError } from '../../../../src/keys/sshAgent/agentClient.js';
import { wireString, wireUint32 } from '../../../../src/keys/sshAgent/sshWire.js';
import { FAILURE, FakeAgent, identitiesAnswer, signResponse, type FakeAgentHandler } from '../../../support/sshAgent.js';

/**
 * The protocol client against a fake agent: these cases are about the bytes on the socket (framing, answers
 * split across packets, silence, garbage), which OpenSSH's agent never produces on purpose. The real agent
 * is used end to end (test/e2e/sshAgent.*).
 */
const dir = mkdtempSync(join(tmpdir(), 'rah-agent-client-'));
const socketPath = join(dir, 'agent.sock');
const quick = { listMs: 300, signMs: 300 };
let agent: FakeAgent | undefined;

afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withAgent = async (handler: FakeAgentHandler) => {
  agent = await FakeAgent.start(socketPath, handler);
  return new AgentClient(socketPath, quick);
};

describe('the agent protocol client', () => {
  it('lists identities (request 11, answer 12)', async () => {
    const keys = [
      { blob: Buffer.from('key one'), comment: 'first' },
      { blob: Buffer.from('key two'), comment: 'sécond' },
    ];
    const client = await withAgent((type) => (type === 11 ? identitiesAnswer(keys) : FAILURE));
    expect(await client.listIdentities()).toEqual(keys.map((k) => ({ keyBlob: k.blob, comment: k.comment })));
    expect(agent!.requests).toEqual([{ type: 11, body: Buffer.alloc(0) }]);
  });

  it('signs (request 13 with key blob, data and flags; answer 14)', async () => {
    const client = await withAgent(() => signResponse('rsa-sha2-256', Buffer.from('sig')));
    const signature = await client.sign(Buffer.from('blob'), Buffer.from('data'), 2);
    expect(signature).toEqual(Buffer.concat([wireString('rsa-sha2-256'), wireString('sig')]));
    expect(agent!.requests[0]).toEqual({ type: 13, body: Buffer.concat([wireString('blob'), wireString('data'), wireUint32(2)]) });
  });

  it('reads an answer that arrives in pieces', async () => {
    agent = undefined;
    const server = createServer((socket) => {
      socket.resume();
      const answer = identitiesAnswer([{ blob: Buffer.alloc(5000, 7), comment: 'big' }]);
      const framed = Buffer.concat([wireUint32(answer.length), answer]);
      // The length itself split, 2 then 1 then the rest (mutation sweep: reading it from 3 bytes passed).
      socket.write(framed.subarray(0, 2));
      setTimeout(() => socket.write(framed.subarray(2, 3)), 20);
      setTimeout(() => socket.write(framed.subarray(3, 3000)), 40);
      setTimeout(() => socket.end(framed.subarray(3000)), 60);
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const [identity] = await new AgentClient(socketPath, quick).listIdentities();
      expect(identity!.keyBlob).toHaveLength(5000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an agent answering failure (5) refused; to a sign request, with its own error class', async () => {
    const client = await withAgent(() => FAILURE);
    await expect(client.sign(Buffer.from('blob'), Buffer.from('data'), 0)).rejects.toThrow(new AgentRefusedError('the agent refused'));
    await expect(client.listIdentities()).rejects.toThrow(new AgentError('the agent refused'));
  });

  it.each([30, 102])('reads failure %i as OpenSSH does (SSH2_AGENT_FAILURE, SSH_COM_AGENT2_FAILURE): a refusal', async (type) => {
    const client = await withAgent(() => Buffer.of(type));
    await expect(client.sign(Buffer.from('blob'), Buffer.from('data'), 0)).rejects.toThrow(new AgentRefusedError('the agent refused'));
    await expect(client.listIdentities()).rejects.toThrow(new AgentError('the agent refused'));
  });

  it('times out on an agent that accepts and never answers', async () => {
    const client = await withAgent(() => 'silent');
    await expect(client.listIdentities()).rejects.toThrow(
      new AgentError("no answer within 0.3 s (OpenSSH's agent answers no one while it asks to confirm a signature, ssh-add -c)"),
    );
    // A signature waits for a touch or a confirmation of its own: no word of another run's (mutation sweep).
    await expect(client.sign(Buffer.from('b'), Buffer.from('d'), 0)).rejects.toThrow(new AgentError('no answer within 0.3 s'));
  });

  it('refuses answers that are not the agent protocol', async () => {
    let answer = Buffer.of(99);
    const client = await withAgent(() => answer);
    await expect(client.listIdentities()).rejects.toThrow('the agent answered message type 99 where a list of keys was expected');
    answer = Buffer.of(12, 0, 0, 0, 1, 0, 0, 0, 9);
    await expect(client.listIdentities()).rejects.toThrow("the agent's list of keys is malformed: truncated: 9 bytes wanted, 0 left");
    answer = Buffer.of(14);
    await expect(client.sign(Buffer.from('b'), Buffer.from('d'), 0)).rejects.toThrow("the agent's signature is malformed");
  });

  it('refuses an answer longer than any agent message, without reading it', async () => {
    agent = undefined;
    let length = 64 * 1024 * 1024;
    const server = createServer((socket) => socket.resume().write(wireUint32(length)));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await expect(new AgentClient(socketPath, quick).listIdentities()).rejects.toThrow(
        "the agent answered a message of 67108864 bytes, which is not an agent's answer",
      );
      // A length whose first byte is a letter ("A", 0x41) is no text to quote (mutation sweep: it was quoted as "A").
      length = 0x41000000;
      await expect(new AgentClient(socketPath, quick).listIdentities()).rejects.toThrow(
        new AgentError("the agent answered a message of 1090519040 bytes, which is not an agent's answer"),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses an answer of no bytes, and takes one of 256 KiB, OpenSSH\'s limit (mutation sweep: taking the empty one, or refusing the longest, passed)', async () => {
    agent = undefined;
    const longest = identitiesAnswer([{ blob: Buffer.alloc(256 * 1024 - 13, 1), comment: '' }]);
    expect(longest).toHaveLength(256 * 1024);
    let answer: Buffer = Buffer.alloc(0);
    const server = createServer((socket) => socket.resume().write(Buffer.concat([wireUint32(answer.length), answer])));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await expect(new AgentClient(socketPath, quick).listIdentities()).rejects.toThrow(
        new AgentError("the agent answered a message of 0 bytes, which is not an agent's answer"),
      );
      answer = longest;
      const [identity] = await new AgentClient(socketPath, quick).listIdentities();
      expect(identity!.keyBlob).toHaveLength(256 * 1024 - 13);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['an HTTP server', 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', 'no SSH agent listens there', '"HTTP/1.1 400 Bad Request"'],
    [
      "gpg-agent's own socket (QA: 'a message of 1330323536 bytes')",
      'OK Pleased to meet you\n',
      "a GnuPG socket; gpg-agent's for SSH is the one gpgconf --list-dirs agent-ssh-socket prints",
      '"OK Pleased to meet you"',
    ],
    // Four characters are enough to quote, and only 'OK ' is GnuPG's greeting (mutation sweep: 5, or 'OK', passed).
    ['a server whose first line is four characters', 'OKAY\n', 'no SSH agent listens there', '"OKAY"'],
  ])('a server of a text protocol, quoted: %s', async (_server, text, what, quoted) => {
    agent = undefined;
    const server = createServer((socket) => socket.resume().write(text));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await expect(new AgentClient(socketPath, quick).listIdentities()).rejects.toThrow(
        new AgentError(`it answered in text (${quoted}), not the agent protocol: ${what}`),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an agent that hangs up without answering', async () => {
    agent = undefined;
    const server = createServer((socket) => socket.resume().end());
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await expect(new AgentClient(socketPath, quick).listIdentities()).rejects.toThrow(AgentError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says why the socket cannot be reached', async () => {
    await expect(new AgentClient(join(dir, 'missing.sock'), quick).listIdentities()).rejects.toThrow(
      new AgentError('no such file or directory'),
    );
    // A socket in a folder whose name is not UTF-8 (Node reads it as U+FFFD) may be there (review).
    await expect(new AgentClient(join(dir, 'caf\uFFFD', 'agent.sock'), quick).listIdentities()).rejects.toThrow(
      new AgentError('no such file or directory (its path holds bytes that are not UTF-8, shown as \uFFFD, which Node.js cannot name)'),
    );
    const plainFile = join(dir, 'plain-file');
    writeFileSync(plainFile, '');
    await expect(new AgentClient(plainFile, quick).listIdentities()).rejects.toThrow(new AgentError('not a socket: it is a regular file'));
    await expect(new AgentClient(dir, quick).listIdentities()).rejects.toThrow(new AgentError('not a socket: it is a directory'));
    // A socket no one listens on (left behind by an agent that died): bound, never listened on.
    const dead = join(dir, 'dead.sock');
    execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', dead]);
    await expect(new AgentClient(dead, quick).listIdentities()).rejects.toThrow(new AgentError('connection refused (no agent listens on the socket)'));
  });

  it.runIf(process.platform === 'linux')('says a socket path is too long from 108 bytes, and not at 107 (mutation sweep: either bound moved passed)', async () => {
    const missing = (bytes: number) => join(dir, 'x'.repeat(bytes - dir.length - 1));
    expect(Buffer.byteLength(missing(107))).toBe(107);
    await expect(new AgentClient(missing(107), quick).listIdentities()).rejects.toThrow(new AgentError('no such file or directory'));
    await expect(new AgentClient(missing(108), quick).listIdentities()).rejects.toThrow(
      new AgentError('its path is 108 bytes, more than the 107 a Unix socket address holds: set SSH_AUTH_SOCK to a shorter link to it'),
    );
  });

  it('a path that reads as a number is a file, not a TCP port of this host (QA: SSH_AUTH_SOCK=4444 connected to localhost:4444; " " was an internal error)', async () => {
    let connections = 0;
    const tcp = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => tcp.listen(0, resolve));
    try {
      const port = String((tcp.address() as { port: number }).port);
      const relative = new AgentError(`no such file or directory (a relative path, looked for in the working folder ${process.cwd()})`);
      await expect(new AgentClient(port, quick).listIdentities()).rejects.toThrow(relative);
      await expect(new AgentClient(' ', quick).listIdentities()).rejects.toThrow(new AgentError('no such file or directory (it begins with a space)'));
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => tcp.close(resolve));
    }
  });
});
