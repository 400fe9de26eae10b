import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttpRequest } from '../../../src/http/httpTransport.js';
import { testContext } from '../../support/context.js';

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

const send = (url: string) =>
  sendHttpRequest({ method: 'POST', url: new URL(url), headers: {}, body: '' }, { verifyTls: true, timeoutMs: 500 }, testContext()).then(
    () => 'answered',
    (error: Error) => error.message,
  );

describe('what a timeout names: the step the attempt was at (QA: every one before the request said "connecting")', () => {
  it('a TLS handshake the server never answers', async () => {
    expect(await send(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/`)).toBe('timed out after 0.5 s in the TLS handshake');
  });
});
