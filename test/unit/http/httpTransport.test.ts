import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../../src/context.js';
import { sendHttpRequest } from '../../../src/http/httpTransport.js';
import { testContext } from '../../support/context.js';
import { startProxy } from '../../support/proxy.js';

/** A server that takes connections and never says a word. */
let silent: Server;
const sockets = new Set<Socket>();
beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

const send = (url: string, env: Env = {}) =>
  sendHttpRequest({ method: 'POST', url: new URL(url), headers: {}, body: '' }, { verifyTls: true, timeoutMs: 500 }, testContext(env)).then(
    () => 'answered',
    (error: Error) => error.message,
  );

describe('what a timeout names: the step the attempt was at (QA: every one before the request said "connecting")', () => {
  it('a TLS handshake the server never answers', async () => {
    expect(await send(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/`)).toBe('timed out after 0.5 s in the TLS handshake');
  });

  it('a TLS handshake through a proxy\'s tunnel, named as the handshake, not the tunnel (QA mutation testing)', async () => {
    const proxy = await startProxy((silent.address() as AddressInfo).port);
    try {
      expect(await send('https://rolesanywhere.example/', { HTTPS_PROXY: proxy.url })).toBe('timed out after 0.5 s in the TLS handshake');
      expect(proxy.targets).toEqual(['rolesanywhere.example:443']);
    } finally {
      await proxy.close();
    }
  });

  describe('a connection the server never takes (its accept queue full, as a firewall that drops packets)', () => {
    let listener: ChildProcess;
    let port: number;
    const held: Socket[] = [];
    beforeAll(async () => {
      // A socket that listens and never accepts: Node's servers accept at once.
      listener = spawn('python3', ['-c', 'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      port = Number(await new Promise<string>((resolve) => listener.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
      // Fill the queue: then the kernel drops the next connection's SYNs.
      for (let i = 0; i < 3; i++) held.push(await new Promise<Socket>((resolve) => { const socket = connect(port, '127.0.0.1', () => resolve(socket)); setTimeout(() => resolve(socket), 300); }));
    });
    afterAll(() => {
      for (const socket of held) socket.destroy();
      listener.kill();
    });

    it('by its address: connecting, not a lookup that never happened (QA mutation testing)', async () => {
      expect(await send(`http://127.0.0.1:${port}/`)).toBe('timed out after 0.5 s connecting');
    });

    it('by a name that resolved: connecting, not looking it up (QA mutation testing)', async () => {
      expect(await send(`http://localhost:${port}/`)).toBe('timed out after 0.5 s connecting');
    });

    it('a proxy named by a name that resolved: connecting to the proxy (QA mutation testing)', async () => {
      expect(await send('https://rolesanywhere.example/', { HTTPS_PROXY: `http://localhost:${port}` })).toBe(
        `the proxy http://localhost:${port} that HTTPS_PROXY names: timed out after 0.5 s connecting to the proxy`,
      );
    });
  });
});

describe('what a request says of itself', () => {
  it('refuses a header that holds a line break, which would forge another header (QA mutation testing: untested)', async () => {
    const request = { method: 'POST', url: new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`), headers: { 'X-Test': 'a\r\nInjected: 1' }, body: '' };
    await expect(sendHttpRequest(request, { verifyTls: true, timeoutMs: 2000 }, testContext())).rejects.toThrow('the X-Test header holds a line break');
  });

  it("names an http endpoint given without a port by port 80, as a proxy's refusal says it (QA mutation testing: 443 survived)", async () => {
    const proxy = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n')));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      expect(await send('http://rolesanywhere.example/', { HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` })).toMatch(/: it refused the request to rolesanywhere\.example:80: HTTP 407 /);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
